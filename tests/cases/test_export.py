"""The family's download: the JSON export is complete for a seeded family (compared
with the database), matches docs/export-schema.json, holds nothing of another
family, and both downloads are logged; the printed view has the same content and
a print stylesheet."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.accounts.models import Role, User
from portal.audit import AuditAction, AuditEvent
from portal.booking.models import CounsellingSession
from portal.cases import (
    corrections,
    export,
    goals_progress,
    interventions,
    notes_published,
)
from portal.cases.goals_models import Agreement, Goal
from portal.cases.interventions_models import Intervention, InterventionStatus
from portal.cases.interventions_types import add_type
from portal.cases.notes_models import Note
from portal.families.models import Child, Family
from tests.factories import local
from tests.families.test_query_counts import add_session

pytestmark = pytest.mark.usefixtures("clock")
SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "export-schema.json").read_text()
)


def write_case(db_session, family, counsellor, kind, make_goal, write_note, words):
    """A goal with a score, an intervention for it, and a note with a correction,
    a response and an answered correction request, all carrying ``words``."""
    goal = make_goal(
        family, counsellor, title=f"{words} mål", scores=[(date(2026, 3, 2), 4)]
    )
    interventions.create_intervention(
        db_session,
        counsellor,
        family,
        interventions.InterventionText(
            type=kind,
            provider=f"{words} støtte",
            description=f"{words} hjælp",
            starts_on=date(2026, 3, 1),
            ends_on=None,
            status=InterventionStatus.ACTIVE,
            goals=[goal],
        ),
    )
    note = write_note(counsellor, family, f"{words} note")
    member = family.members[0]
    notes_published.respond(db_session, member, note, f"{words} svar")
    asked = corrections.request_correction(db_session, member, note, f"{words} fejl")
    corrections.answer(
        db_session,
        counsellor,
        asked,
        body=f"{words} note, rettet",
        reason=f"{words} grund",
    )
    db_session.commit()


@pytest.fixture
def two_families(
    db_session,
    family,
    counsellor,
    make_user,
    make_known_family,
    staff_did,
    make_goal,
    write_note,
):
    """Ours, with a session and staff reads; theirs, with everything different."""
    theirs_counsellor = make_user(Role.COUNSELLOR, name="Bo Bech-rådgiver")
    theirs = make_known_family(
        "Familien Bech",
        counsellor=theirs_counsellor,
        adults=("Sara Bech", "Tue Bech"),
        children=(("Villads", date(2012, 1, 2)),),
    )
    add_session(db_session, family, counsellor, local(2026, 3, 25, 10))
    add_session(
        db_session,
        theirs,
        theirs_counsellor,
        local(2026, 3, 26, 10),
        mode="home",
        address="Hemmeligvej 9",
    )
    db_session.commit()
    staff_did(counsellor, family)
    staff_did(make_user(Role.LEADER, name="Lone Leder"), family, stated_reason="Tilsyn")
    staff_did(theirs_counsellor, theirs, stated_reason="Bech-sagen")
    kind = add_type(db_session, "Familiebehandling")
    write_case(db_session, family, counsellor, kind, make_goal, write_note, "Sørensens")
    write_case(
        db_session, theirs, theirs_counsellor, kind, make_goal, write_note, "Bechs"
    )
    return family, theirs


def values_of(db_session, family: Family) -> set[str]:
    """Every value the database holds about ``family`` that an export could show."""
    people = db_session.scalars(select(User).where(User.family_id == family.id))
    children = db_session.scalars(select(Child).where(Child.family_id == family.id))
    sessions = db_session.scalars(
        select(CounsellingSession).where(CounsellingSession.family_id == family.id)
    )
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.family_id == family.id)
    )
    found = {family.public_id, family.display_name}
    for person in people:
        found |= {person.public_id, person.name}
    for child in children:
        found |= {child.public_id, child.first_name}
    for session in sessions:
        found |= {session.public_id, session.counsellor.name, session.address or ""}
    for event in events:
        found |= {event.actor.name, event.stated_reason or ""}
    for goal in db_session.scalars(select(Goal).where(Goal.family_id == family.id)):
        found |= {goal.public_id, goal.title, *(s.note for s in goal.scores)}
    for help_given in db_session.scalars(
        select(Intervention).where(Intervention.family_id == family.id)
    ):
        found |= {help_given.public_id, help_given.provider, help_given.description}
    for note in db_session.scalars(select(Note).where(Note.family_id == family.id)):
        found |= {note.public_id, *(v.body for v in note.versions)}
        found |= {r.body for r in note.responses}
        found |= {c.body for c in note.correction_requests}
        found |= {c.answer_reason or "" for c in note.correction_requests}
    return found - {"", None}


def download(client, auth, member):
    auth.login(member)
    response = client.get("/familie/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return response.get_data(as_text=True)


def test_the_export_is_complete(client, auth, db_session, two_families, member):
    family, _theirs = two_families
    data = json.loads(download(client, auth, member))
    assert data["family"]["id"] == family.public_id
    db_session.expire_all()
    assert [m["id"] for m in data["members"]] == [
        m.public_id for m in sorted(family.members, key=lambda m: m.id)
    ]
    assert [c["first_name"] for c in data["children"]] == ["Emma"]
    assert data["children"][0]["custody"] == ["Jonas Sørensen", "Mette Sørensen"]
    [session] = data["sessions"]
    assert session["counsellor"] == "Anna Andersen"
    assert session["participants"] == ["Jonas Sørensen", "Mette Sørensen"]
    staff_rows = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.family_id == family.id,
            AuditEvent.actor_role.in_(["counsellor", "leader"]),
        )
    ).all()
    # Two reads, then the goal, intervention and note the counsellor wrote.
    assert len(data["access_log"]) == len(staff_rows) > 2
    assert data["access_log"][1]["reason"] == "Tilsyn"
    assert [g["title"] for g in data["goals"]] == ["Sørensens mål"]
    assert data["interventions"][0]["goals"] == [data["goals"][0]["id"]]
    [note] = data["notes"]
    assert [v["text"] for v in note["versions"]] == [
        "Sørensens note",
        "Sørensens note, rettet",
    ]
    assert note["responses"][0]["text"] == "Sørensens svar"
    assert note["correction_requests"][0]["reason"] == "Sørensens grund"
    tokens = set(json.dumps(data, ensure_ascii=False).split('"'))
    assert values_of(db_session, family) <= tokens


def test_nothing_of_another_family(client, auth, db_session, two_families, member):
    family, theirs = two_families
    body = download(client, auth, member)
    printed = client.get("/familie/data/udskrift").get_data(as_text=True)
    for value in values_of(db_session, theirs):
        assert value not in body, value
        assert value not in printed, value


def check(value, schema, where="$"):
    """The part of JSON Schema the export schema uses (jsonschema is not installed)."""
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    python = {
        "string": str,
        "integer": int,
        "boolean": bool,
        "null": type(None),
        "array": list,
        "object": dict,
    }
    assert not kinds or any(isinstance(value, python[k]) for k in kinds), where
    if "enum" in schema:
        assert value in schema["enum"], (where, value)
    if "const" in schema:
        assert value == schema["const"], where
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}.{key} missing"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                check(value[key], sub, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            check(item, schema["items"], f"{where}[{n}]")


def test_the_export_matches_its_schema(client, auth, two_families, member):
    check(json.loads(download(client, auth, member)), SCHEMA)
    assert set(SCHEMA["required"]) - {
        "format",
        "version",
        "exported_at",
        "family",
    } == set(export.SECTIONS)


def test_both_downloads_are_logged_as_the_members_own(
    client, auth, db_session, family, member
):
    download(client, auth, member)
    assert client.get("/familie/data/udskrift").status_code == 200
    db_session.expire_all()
    rows = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT)
    ).all()
    assert [(r.actor_id, r.actor_role, r.family_id, r.reason) for r in rows] == [
        (member.id, "family", family.id, "json"),
        (member.id, "family", family.id, "print"),
    ]


def test_a_registered_section_joins_both(client, auth, member, monkeypatch):
    monkeypatch.setattr(export, "SECTIONS", dict(export.SECTIONS))
    monkeypatch.setattr(export, "FIELD_LABELS", dict(export.FIELD_LABELS))
    export.register_section(
        "goals",
        lambda _db, family: [{"title": f"Mål for {family.display_name}"}],
        title="Jeres mål",
        fields={"title": "Målet"},
    )
    data = json.loads(download(client, auth, member))
    assert data["goals"] == [{"title": "Mål for Familien Sørensen"}]
    printed = client.get("/familie/data/udskrift").get_data(as_text=True)
    assert "Jeres mål" in printed and "Målet" in printed


def test_the_printed_view_has_a_print_stylesheet(client, auth, family, member):
    auth.login(member)
    html = client.get("/familie/data/udskrift").get_data(as_text=True)
    sections = html.count('class="export-section"')
    assert "css/print.css" in html and sections == len(export.SECTIONS) + 1
    css = (Path(__file__).parents[2] / "static" / "css" / "print.css").read_text()
    print_rules = css.split("@media print", 1)[1]
    for rule in ("display: none", "attr(href)", "break-before: page"):
        assert rule in print_rules, rule


RAW_CODES = re.compile(
    r">\s*(active|achieved|stopped|planned|ended|agree|partly|disagree"
    r"|conversation|assessment|decision|plan|open|closed|booked|held)\s*<"
)


def test_the_printed_view_says_codes_in_words(
    client, auth, db_session, two_families, member
):
    """A parent reads "Aktiv", "samtalenotat" and "Ikke enig", never the codes the
    JSON file keeps for machines."""
    family, _theirs = two_families
    goal = db_session.scalars(select(Goal).where(Goal.family_id == family.id)).one()
    goals_progress.add_statement(
        db_session,
        member,
        family,
        goal,
        words="Vi ser det anderledes.",
        agreement=Agreement.DISAGREE,
    )
    db_session.commit()
    auth.login(member)
    printed = client.get("/familie/data/udskrift").get_data(as_text=True)
    assert RAW_CODES.findall(printed) == []
    for words in ("Aktiv", "samtalenotat", "Ikke enig"):
        assert words in printed, words
