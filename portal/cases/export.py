"""Everything about one family, for the family's own download (``/familie/data``):
as JSON with a documented schema (docs/export-schema.md) and as a page to print.

Sections come from a registry, so each feature adds its own without this module
knowing it: ``register_section("goals", goals_for_export, title=_l("Goals"))``.
A section is a function ``(db_session, family) -> list[dict]`` returning
JSON-ready dicts (ISO 8601 times, public ids, no internal ids) of that family
only: it filters by ``family.id`` itself, and the export test proves no value of
another family gets in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.cases import export_sections as builtin
from portal.cases.goals_export import goals_for_export
from portal.cases.interventions import interventions_for_export
from portal.cases.notes_export import notes_for_export
from portal.consent.export import consents_for_export, disclosures_for_export
from portal.families.models import Family
from portal.i18n import LazyText

FORMAT = "familieportalen-export"
VERSION = 1

Rows = list[dict[str, Any]]
SectionFunction = Callable[[Session, Family], Rows]


@dataclass(frozen=True)
class Section:
    name: str
    build: SectionFunction
    title: LazyText


SECTIONS: dict[str, Section] = {}
#: The printed view's words for the JSON keys; a key without one shows as is.
FIELD_LABELS: dict[str, LazyText] = {}


def register_section(
    name: str,
    fn: SectionFunction,
    *,
    title: LazyText | None = None,
    fields: dict[str, LazyText] | None = None,
) -> None:
    """Add (or replace) the section ``name``: a top-level key of the JSON and a
    heading of the printed view (``title``; ``fields`` name its keys there).
    ``name`` is snake_case English."""
    SECTIONS[name] = Section(name, fn, title if title is not None else name)
    FIELD_LABELS.update(fields or {})


def build(db_session: Session, family: Family, now: datetime) -> dict[str, Any]:
    """The whole export: who the family is, then every section in order."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "family": builtin.family_for_export(family),
    }
    for section in SECTIONS.values():
        data[section.name] = section.build(db_session, family)
    return data


FIELD_LABELS.update(
    {
        "name": _l("Name"),
        "status": _l("Status"),
        "created_at": _l("Created"),
        "closed_at": _l("Closed"),
        "young_person": _l("Young person"),
        "added_at": _l("Added"),
        "removed_at": _l("Removed"),
        "removed_reason": _l("Why removed"),
        "first_name": _l("First name"),
        "birth_date": _l("Birth date"),
        "custody": _l("Custody"),
        "starts_at": _l("Starts"),
        "ends_at": _l("Ends"),
        "mode": _l("How"),
        "counsellor": _l("Counsellor"),
        "participants": _l("Who takes part"),
        "location": _l("Place"),
        "address": _l("Address"),
        "cancelled_at": _l("Cancelled"),
        "cancel_reason": _l("Why cancelled"),
        "at": _l("When"),
        "what": _l("What"),
        "role": _l("Role"),
        "reason": _l("Why"),
        # Goals, interventions and notes.
        "child": _l("Child"),
        "title": _l("Title"),
        "what_should_change": _l("What should change"),
        "why": _l("Why"),
        "how_we_will_know": _l("How we will know"),
        "target_date": _l("Target date"),
        "status_reason": _l("Why the status"),
        "scores": _l("Scores"),
        "date": _l("Date"),
        "score": _l("Score"),
        "by": _l("By"),
        "note": _l("Note"),
        "family_words": _l("Your own words"),
        "written_at": _l("Written"),
        "words": _l("Words"),
        "agreement": _l("Do you agree"),
        "type": _l("Kind of help"),
        "provider": _l("Who gives it"),
        "description": _l("What it is"),
        "starts_on": _l("Starts"),
        "ends_on": _l("Ends"),
        "goals": _l("Goals"),
        "kind": _l("Kind"),
        "written_by": _l("Written by"),
        "published_at": _l("Published"),
        "session": _l("Talk"),
        "session_starts_at": _l("Talk"),
        "versions": _l("Versions"),
        "number": _l("Number"),
        "text": _l("Text"),
        "responses": _l("Your answers"),
        "correction_requests": _l("Requests for correction"),
        "asked_by": _l("Asked by"),
        "asked_at": _l("Asked"),
        "what_is_wrong": _l("What is wrong"),
        "answered_at": _l("Answered"),
        "answered_by": _l("Answered by"),
        "corrected_version": _l("Corrected version"),
        # Consents and disclosures.
        "recipient": _l("Recipient"),
        "recipient_detail": _l("Name or role at the recipient (optional)"),
        "information": _l("Which information"),
        "information_detail": _l("Other information (optional)"),
        "purpose": _l("Purpose, in plain words"),
        "state": _l("Status"),
        "asked": _l("Asked"),
        "events": _l("What has happened"),
        "logged_in_with": _l("Logged in with"),
        "assurance_level": _l("Assurance level"),
        "comment": _l("Comment"),
        "agreed_text": _l("What was said yes to"),
        "agreed_text_sha256": _l("Check code"),
        "disclosure": _l("Disclosure"),
        "basis": _l("Basis"),
        "consent": _l("Consent"),
        "statutory_basis": _l("Statutory basis"),
        "justification": _l("Justification"),
        "shared_on": _l("Day it was shared"),
        "channel": _l("How"),
        "recorded_at": _l("Recorded"),
    }
)
register_section("members", builtin.members_for_export, title=_l("The family"))
register_section("children", builtin.children_for_export, title=_l("Children"))
register_section("sessions", builtin.sessions_for_export, title=_l("Talks"))
register_section("goals", goals_for_export, title=_l("Goals"))
register_section(
    "interventions", interventions_for_export, title=_l("The help you get")
)
register_section("notes", notes_for_export, title=_l("Notes"))
register_section("consents", consents_for_export, title=_l("Consent"))
register_section("disclosures", disclosures_for_export, title=_l("What we have shared"))
register_section(
    "access_log", builtin.access_log_for_export, title=_l("Who has seen our data")
)
