"""The cases tests use the families' fixtures (the known family ``family`` with
its counsellor ``counsellor``), and a quick way to write notes."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.cases import notes
from portal.cases.notes_models import NoteKind
from tests.families.conftest import FAMILY, counsellor, family  # noqa: F401


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
