"""The export's own sections: the family, its members, children and sessions,
and the access log. One query per section, each filtered by the family's id.

Left out on purpose: members' contact details (adults in one family may live
apart, and one parent's phone or e-mail is not the other's to download), login
data, and a session's working note (the counsellor's own jotting; what is
written about the family is in the notes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import User
from portal.booking.models import CounsellingSession
from portal.cases import access_log
from portal.cases import access_log_labels as labels
from portal.families.models import Child, Family

Rows = list[dict[str, Any]]


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def family_for_export(family: Family) -> dict[str, Any]:
    return {
        "id": family.public_id,
        "name": family.display_name,
        "status": str(family.status),
        "created_at": iso(family.created_at),
        "closed_at": iso(family.closed_at),
    }


def members_for_export(db_session: Session, family: Family) -> Rows:
    members = db_session.scalars(
        select(User).where(User.family_id == family.id).order_by(User.id)
    )
    return [
        {
            "id": member.public_id,
            "name": member.name,
            "young_person": member.child_id is not None,
            "added_at": iso(member.created_at),
            "removed_at": iso(member.removed_at),
            "removed_reason": member.removed_reason,
        }
        for member in members
    ]


def children_for_export(db_session: Session, family: Family) -> Rows:
    children = db_session.scalars(
        select(Child)
        .where(Child.family_id == family.id)
        .options(selectinload(Child.custody_holders))
        .order_by(Child.birth_date, Child.id)
    )
    return [
        {
            "id": child.public_id,
            "first_name": child.first_name,
            "birth_date": iso(child.birth_date),
            "custody": sorted(holder.name for holder in child.custody_holders),
            "removed_at": iso(child.removed_at),
            "removed_reason": child.removed_reason,
        }
        for child in children
    ]


def sessions_for_export(db_session: Session, family: Family) -> Rows:
    found = db_session.scalars(
        select(CounsellingSession)
        .where(CounsellingSession.family_id == family.id)
        .options(
            selectinload(CounsellingSession.counsellor),
            selectinload(CounsellingSession.participants),
        )
        .order_by(CounsellingSession.starts_at, CounsellingSession.id)
    )
    return [
        {
            "id": session.public_id,
            "starts_at": iso(session.starts_at),
            "ends_at": iso(session.ends_at),
            "mode": str(session.mode),
            "status": str(session.status),
            "counsellor": session.counsellor.name,
            "participants": sorted(person.name for person in session.participants),
            "location": session.location,
            "address": session.address,
            "cancelled_at": iso(session.cancelled_at),
            "cancel_reason": session.cancel_reason or None,
        }
        for session in found
    ]


def access_log_for_export(db_session: Session, family: Family) -> Rows:
    return [
        {
            "at": iso(event.occurred_at),
            "action": event.action,
            "object_type": event.object_type,
            "what": labels.what(event),
            "role": event.actor_role,
            "name": labels.who(event),
            "reason": event.stated_reason,
        }
        for event in access_log.every_entry(db_session, family)
    ]
