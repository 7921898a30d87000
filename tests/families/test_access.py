"""The object-level rule for families, tested directly (``families.access``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from portal.accounts.models import Role
from portal.audit import AuditEvent
from portal.families import access
from portal.families.models import FamilyStatus
from portal.timeutil import add_months


def test_a_counsellor_lists_and_opens_only_assigned_families(
    app, db_session, make_user, make_known_family
):
    mine, other = make_user(Role.COUNSELLOR), make_user(Role.COUNSELLOR)
    ours = make_known_family("Familien Jensen", counsellor=mine)
    theirs = make_known_family("Familien Hansen", counsellor=other)
    listed = db_session.scalars(access.visible_families(mine)).all()
    assert listed == [ours]
    assert access.family_for_staff(db_session, mine, ours.public_id, what="x") is ours
    with pytest.raises(NotFound):
        access.family_for_staff(db_session, mine, theirs.public_id, what="x")
    assert access.is_assigned(db_session, mine, ours)
    assert not access.is_assigned(db_session, mine, theirs)


def test_a_leader_opens_any_family_and_the_opening_is_logged(
    app, db_session, make_user, make_known_family
):
    leader = make_user(Role.LEADER)
    family = make_known_family("Familien Jensen")
    assert (
        access.family_for_staff(db_session, leader, family.public_id, what="overblik")
        is family
    )
    logged = db_session.scalars(
        select(AuditEvent).where(AuditEvent.family_id == family.id)
    ).all()
    assert [(event.actor_id, event.action, event.reason) for event in logged] == [
        (leader.id, "view", "overblik")
    ]


def test_members_and_families_see_no_family_list(app, db_session, make_known_family):
    family = make_known_family()
    member = family.members[0]
    assert db_session.scalars(access.visible_families(member)).all() == []
    with pytest.raises(NotFound):
        access.family_for_staff(db_session, member, family.public_id, what="x")


def test_a_closed_family_reads_for_the_configured_months_then_not(
    app, db_session, make_known_family
):
    family = make_known_family()
    member = family.members[0]
    closed = datetime(2026, 1, 31, 12, tzinfo=UTC)
    family.status, family.closed_at = FamilyStatus.CLOSED, closed
    assert access.member_may_read(member, now=datetime(2027, 1, 31, 11, tzinfo=UTC))
    assert not access.member_may_read(member, now=datetime(2027, 1, 31, 12, tzinfo=UTC))
    app.config["FAMILY_READ_MONTHS_AFTER_CLOSE"] = 1
    assert not access.member_may_read(member, now=datetime(2026, 2, 28, 12, tzinfo=UTC))
    assert access.member_may_read(member, now=datetime(2026, 2, 28, 11, tzinfo=UTC))


def test_a_removed_member_may_not_read(app, db_session, make_known_family):
    family = make_known_family(adults=("Mette", "Jonas"))
    removed, staying = family.members
    removed.removed_at = datetime(2026, 3, 1, tzinfo=UTC)
    assert not access.member_may_read(removed)
    assert access.member_may_read(staying)


def test_add_months_keeps_the_day_or_takes_the_last_one():
    assert add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert add_months(datetime(2026, 11, 15), 14) == datetime(2028, 1, 15)
