"""Consents in the family's data export (``cases.export`` registers these
sections): each request with who was asked, every event with who, when and
how they logged in, the words each grant agreed to with their SHA-256; and
every disclosure with its legal basis. ISO dates, public ids; the family's
own rows only."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal.consent.disclosure_models import (
    Disclosure,
)
from portal.consent.models import (
    ConsentEvent,
)
from portal.consent.queries import family_consents, family_disclosures
from portal.db import utcnow
from portal.families.models import Family

Rows = list[dict[str, Any]]


def _event(event: ConsentEvent) -> dict[str, Any]:
    return {
        "kind": str(event.kind),
        "at": event.at.isoformat(),
        "by": event.actor.name if event.actor else None,
        "logged_in_with": event.login_method or None,
        "assurance_level": event.assurance or None,
        "comment": event.comment,
        "agreed_text": event.consent_text,
        "agreed_text_sha256": event.text_sha256,
        "disclosure": event.disclosure.public_id if event.disclosure else None,
    }


def consents_for_export(db: Session, family: Family) -> Rows:
    return [
        {
            "id": view.request.public_id,
            "child": view.request.child.first_name,
            "recipient": view.request.recipient.name,
            "recipient_detail": view.request.recipient_detail,
            "information": [item.name for item in view.request.information],
            "information_detail": view.request.information_detail,
            "purpose": view.request.purpose,
            "starts_on": view.request.starts_on.isoformat(),
            "ends_on": view.request.ends_on.isoformat(),
            "state": str(view.state),
            "asked": [askee.member.name for askee in view.request.askees],
            "events": [_event(event) for event in view.events],
        }
        for view in family_consents(db, family, utcnow())
    ]


def _disclosure(row: Disclosure) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "basis": str(row.basis),
        "consent": row.request.public_id if row.request else None,
        "statutory_basis": row.statute.name if row.statute else None,
        "justification": row.justification,
        "recipient": row.recipient.name,
        "information": [item.name for item in row.information],
        "what": row.what,
        "shared_on": row.shared_on.isoformat(),
        "channel": str(row.channel),
        "recorded_at": row.recorded_at.isoformat(),
    }


def disclosures_for_export(db: Session, family: Family) -> Rows:
    return [_disclosure(row) for row in family_disclosures(db, family)]
