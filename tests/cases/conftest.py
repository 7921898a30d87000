"""The cases tests share the families fixtures (the known family ``family`` with
its counsellor ``counsellor``) and add quick ways to make goals and notes, and to
write audit rows as staff would (``staff_did``)."""

from __future__ import annotations

from datetime import date

import pytest

from portal import audit
from portal.accounts.models import Role
from portal.cases import goals, goals_progress, notes
from portal.cases.interventions_types import ensure_types
from portal.cases.notes_models import NoteKind
from tests.families.conftest import FAMILY, counsellor, family, oidc_issuer  # noqa: F401


@pytest.fixture
def make_goal(db_session):
    """A goal of the family ``of`` by ``by`` with (day, score) ``scores``; committed."""

    def make(of, by, title="Mindre råben", scores=(), child=None, **text):
        goal = goals.create_goal(
            db_session,
            by,
            of,
            goals.GoalText(
                title=title,
                change=text.get("change", "Vi taler roligt sammen."),
                why=text.get("why", "Der er mange skænderier."),
                how_we_know=text.get("how_we_know", "Færre skænderier om ugen."),
                target_date=text.get("target_date", date(2026, 6, 30)),
                child=child,
            ),
        )
        for day, score in scores:
            goals_progress.add_score(
                db_session, by, of, goal, score=score, scored_on=day
            )
        db_session.commit()
        return goal

    return make


@pytest.fixture
def types(db_session):
    """The seeded intervention types (the tests' database has no migrations)."""
    ensure_types(db_session)
    db_session.commit()


@pytest.fixture
def write_note(db_session):
    """``write_note(author, family, text, publish=True)``: a committed note."""

    def write(author, family, text="Vi talte om skolen.", *, publish=True, **kw):  # noqa: F811
        note = notes.create_draft(
            db_session,
            author,
            family,
            kw.pop("kind", NoteKind.CONVERSATION),
            text,
            **kw,
        )
        if publish:
            notes.publish(db_session, author, note)
        db_session.commit()
        return note

    return write


@pytest.fixture
def colleague(make_user, family, db_session):  # noqa: F811
    """A second counsellor assigned to the family."""
    from portal.families.models import FamilyAssignment

    other = make_user(Role.COUNSELLOR, name="Bo Kollega")
    db_session.add(FamilyAssignment(family=family, counsellor=other))
    db_session.commit()
    return other


@pytest.fixture
def member(family):  # noqa: F811 - the imported fixture
    return family.members[0]


@pytest.fixture
def staff_did(db_session):
    """Log that ``who`` did ``action`` to the family ``of``, as services do."""

    def log(who, of, action=audit.AuditAction.VIEW, **columns):
        columns.setdefault("object_type", "family")
        columns.setdefault("object_id", of.public_id)
        event = audit.record(db_session, actor=who, action=action, family=of, **columns)
        db_session.commit()
        return event

    return log
