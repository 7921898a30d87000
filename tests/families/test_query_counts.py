"""The family pages' SQL statements do not grow with the data (no N+1): ``/familie``,
the staff list ``/familier`` and a family's page ``/familier/<id>`` are counted with
a small data set, then again after more families, members, children, custody,
counsellors, invitations and sessions are added. ``make bench`` (bench/families.py)
measures the same pages under load on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Role, User
from portal.booking.models import CounsellingSession, SessionStatus
from portal.families.models import Child, Family, FamilyAssignment, Invitation
from tests.conftest import Browserless, count_queries
from tests.factories import NOW, local

MORE_FAMILIES = 12
MORE_SESSIONS = 9


@pytest.fixture
def counsellor(make_user, clock):
    return make_user(Role.COUNSELLOR, name="Anna Andersen")


@pytest.fixture
def family(make_known_family, counsellor):
    return make_known_family("Familien Nielsen", counsellor=counsellor)


@pytest.fixture
def member(family) -> User:
    return family.members[0]


def statements(app, db_session, client, path: str) -> int:
    """SQL statements of one request, as on a fresh server: nothing the test (or
    an earlier request) loaded is left in the shared session."""
    db_session.close()
    return count_queries(app, client, path)


def add_session(db_session, family, counsellor, starts_at, **columns):
    session = CounsellingSession(
        family=family,
        counsellor=counsellor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        mode=columns.pop("mode", "centre"),
        **columns,
    )
    session.participants.extend(m for m in family.members if m.removed_at is None)
    db_session.add(session)


def grow(db_session, make_user, make_known_family, family, counsellor):
    """More of everything the pages show, for the family and around it."""
    colleague = make_user(Role.COUNSELLOR, name="Bo Berg")
    # Held sessions with the family before being unassigned: loaded only with them.
    former = make_user(Role.COUNSELLOR, name="Carl Clausen")
    adults = [
        make_user(Role.FAMILY, name=f"Voksen {n}", family=family) for n in range(3)
    ]
    gone = make_user(Role.FAMILY, name="Tidligere Voksen", family=family)
    gone.removed_at, gone.removed_reason = NOW, "Flyttet"
    for n in range(3):
        child = Child(
            family=family, first_name=f"Barn {n}", birth_date=date(2012, 1, n + 1)
        )
        child.custody_holders.extend(adults)
        db_session.add(child)
    db_session.add(
        Child(
            family=family,
            first_name="Fjernet",
            birth_date=date(2010, 1, 1),
            removed_at=NOW,
            removed_reason="Anbragt",
        )
    )
    db_session.add(FamilyAssignment(family=family, counsellor=colleague))
    for n, adult in enumerate(adults):
        db_session.add(
            Invitation(
                member=adult,
                token_hash=f"{n:064d}",
                expires_at=NOW + timedelta(days=7),
                used_at=NOW if n == 0 else None,
            )
        )
    for n in range(MORE_SESSIONS):
        add_session(
            db_session,
            family,
            (counsellor, colleague, former)[n % 3],
            local(2026, 3, 2, 9) + timedelta(days=3 * n),
            status=SessionStatus.CANCELLED if n == 4 else SessionStatus.BOOKED,
            cancelled_at=NOW if n == 4 else None,
            changed_at=NOW if n == 5 else None,
        )
    for n in range(MORE_FAMILIES):
        other = make_known_family(
            f"Familien {n:02d}",
            counsellor=counsellor if n % 2 else colleague,
            adults=(f"Forælder {n}", f"Anden {n}"),
        )
        if n % 2 == 0:
            db_session.add(FamilyAssignment(family=other, counsellor=counsellor))
        add_session(
            db_session, other, counsellor, local(2026, 4, 1, 9) + timedelta(days=n)
        )
    db_session.commit()


def test_family_pages_run_as_many_statements_with_more_data(
    app, client, db_session, make_user, make_known_family, family, member, counsellor
):
    add_session(db_session, family, counsellor, local(2026, 3, 30, 10))
    db_session.commit()
    staff = Browserless(app.test_client(), db_session)
    staff.login(counsellor)
    Browserless(client, db_session).login(member)
    page = f"/familier/{family.public_id}"
    pages = {
        "/familie": client,
        "/familier": staff.client,
        page: staff.client,
    }
    small = {
        path: statements(app, db_session, who, path) for path, who in pages.items()
    }

    family = db_session.get(Family, family.id)  # the requests closed the session
    grow(db_session, make_user, make_known_family, family, db_session.merge(counsellor))
    large = {
        path: statements(app, db_session, who, path) for path, who in pages.items()
    }

    assert large == small
    # Each statement is a round trip on every request; these are the budgets:
    # the log-in user with the family, sessions with counsellors, members and the
    # primary contact; the list in one; the staff page one per kind of thing
    # (its open correction requests included); /familie also asks which ended
    # interventions the family has not answered for yet (feedback).
    assert small["/familie"] <= 5
    assert small["/familier"] <= 2
    assert small[page] <= 10
    shown = staff.client.get(page).get_data(as_text=True)
    for name in ("Barn 2", "Voksen 2", "Bo Berg", "Carl Clausen", "Fjernet"):
        assert name in shown
    listed = staff.client.get("/familier").get_data(as_text=True)
    assert listed.count("/familier/") > MORE_FAMILIES
    assert db_session.scalar(select(func.count(Family.id))) == MORE_FAMILIES + 1
