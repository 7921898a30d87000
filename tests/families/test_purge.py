"""The purge erases a family FAMILY_READ_MONTHS_AFTER_CLOSE months after closing:
nothing personal stays, only the rows the audit log refers to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal import cli
from portal.accounts.models import Role, User
from portal.accounts.services import login_key
from portal.audit import AuditEvent
from portal.booking.models import CounsellingSession
from portal.families import erasure
from portal.families.models import (
    Child,
    Family,
    FamilyAssignment,
    Invitation,
    custody,
    session_participants,
)

CLOSED = datetime(2025, 3, 23, 8, tzinfo=UTC)  # twelve months before the clock


def known_family(db_session, make_user, make_known_family, name):
    counsellor = make_user(Role.COUNSELLOR)
    family = make_known_family(name, counsellor=counsellor, adults=("Mette", "Jonas"))
    mette = family.members[0]
    email = f"mette@{name.split()[-1].lower()}.dk"
    mette.contact_email, mette.phone = email, "+4512345678"
    mette.login_key = login_key(email)
    mette.mitid_subject = login_key(name)  # any unique keyed hash
    session = CounsellingSession(
        family=family,
        counsellor=counsellor,
        starts_at=CLOSED - timedelta(days=30),
        ends_at=CLOSED - timedelta(days=30, hours=-1),
        mode="centre",
    )
    session.participants.append(mette)
    db_session.add_all(
        [
            session,
            Invitation(
                member=mette,
                token_hash=login_key(f"token {name}"),
                expires_at=CLOSED,
                used_at=CLOSED,
            ),
        ]
    )
    db_session.commit()
    return family


def close(db_session, family, when):
    family.status, family.closed_at = "closed", when
    db_session.commit()


def count(db_session, table, family):
    return db_session.scalar(
        select(func.count()).select_from(table).where(table.c.family_id == family.id)
    )


def test_a_family_is_erased_when_the_read_period_is_over(
    app, db_session, clock, make_user, make_known_family
):
    family = known_family(db_session, make_user, make_known_family, "Familien Jensen")
    close(db_session, family, CLOSED + timedelta(seconds=1))
    assert erasure.erase_closed_families(db_session) == 0

    clock.shift(timedelta(seconds=1))
    assert erasure.erase_closed_families(db_session) == 1
    db_session.commit()
    db_session.expire_all()

    family = db_session.get(Family, family.id)
    assert (family.display_name, family.search_name) == ("", "")
    assert family.erased_at is not None
    for model in (Child, FamilyAssignment, CounsellingSession):
        assert count(db_session, model.__table__, family) == 0
    assert db_session.scalar(select(func.count()).select_from(custody)) == 0
    assert (
        db_session.scalar(select(func.count()).select_from(session_participants)) == 0
    )
    assert db_session.scalar(select(func.count()).select_from(Invitation)) == 0
    people = db_session.scalars(select(User).where(User.family_id == family.id)).all()
    assert len(people) == 2
    for member in people:
        assert member.name == "" and not member.active
        assert member.session_version == 2
        assert (member.email, member.contact_email, member.phone) == (None, None, None)
        assert (member.login_key, member.mitid_subject, member.password_hash) == (
            None,
            None,
            None,
        )
    erased = db_session.scalars(
        select(AuditEvent).where(AuditEvent.family_id == family.id)
    ).all()
    assert [(e.action, e.actor_id, e.reason) for e in erased] == [
        ("delete", None, "erased")
    ]
    assert erasure.erase_closed_families(db_session) == 0


def test_open_and_recently_closed_families_stay(
    app, db_session, clock, make_user, make_known_family
):
    open_family = known_family(
        db_session, make_user, make_known_family, "Familien Aaben"
    )
    recent = known_family(db_session, make_user, make_known_family, "Familien Nylig")
    close(db_session, recent, CLOSED + timedelta(days=1))
    assert erasure.erase_closed_families(db_session) == 0
    app.config["FAMILY_READ_MONTHS_AFTER_CLOSE"] = 11
    assert erasure.erase_closed_families(db_session) == 1
    assert recent.erased_at is not None and open_family.erased_at is None
    assert open_family.children[0].first_name == "Emma"


def test_the_purge_command_erases_closed_families(
    app, db_session, clock, make_user, make_known_family
):
    family = known_family(db_session, make_user, make_known_family, "Familien Jensen")
    close(db_session, family, CLOSED)
    output = app.test_cli_runner().invoke(cli.purge).output
    assert "1 closed family record(s)" in output
    db_session.expire_all()
    assert db_session.get(Family, family.id).erased_at is not None
