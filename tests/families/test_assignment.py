"""Assigning counsellors: only active counsellors, exactly one primary."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.families import access, assignment
from portal.families.records import RecordError


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER)


def primaries(family):
    return [a.counsellor for a in family.assignments if a.is_primary]


def test_the_first_assigned_is_primary_and_a_new_primary_replaces_it(
    db_session, leader, make_user, make_family
):
    family = make_family()
    anna, bo, camilla = (make_user(Role.COUNSELLOR) for _ in range(3))
    assignment.assign(db_session, leader, family, anna)
    assignment.assign(db_session, leader, family, bo)
    assert primaries(family) == [anna]
    assignment.assign(db_session, leader, family, camilla, primary=True)
    assert primaries(family) == [camilla]
    assignment.make_primary(db_session, leader, family, bo)
    db_session.commit()
    assert primaries(family) == [bo]


def test_removing_the_primary_passes_it_on(db_session, leader, make_user, make_family):
    family = make_family()
    anna, bo = make_user(Role.COUNSELLOR), make_user(Role.COUNSELLOR)
    assignment.assign(db_session, leader, family, anna)
    assignment.assign(db_session, leader, family, bo)
    assignment.unassign(db_session, leader, family, anna)
    assert primaries(family) == [bo]
    assignment.unassign(db_session, leader, family, bo)
    db_session.commit()
    assert family.assignments == []


@pytest.mark.parametrize("who", ["leader", "family", "inactive"])
def test_only_an_active_counsellor_is_assigned(
    db_session, leader, make_user, make_family, who
):
    family = make_family()
    person = {
        "leader": lambda: make_user(Role.LEADER),
        "family": lambda: make_user(Role.FAMILY),
        "inactive": lambda: make_user(Role.COUNSELLOR),
    }[who]()
    if who == "inactive":
        person.active = False
    with pytest.raises(RecordError) as caught:
        assignment.assign(db_session, leader, family, person)
    assert (caught.value.code, caught.value.field) == ("not_a_counsellor", "counsellor")
    assert family.assignments == []


def test_twice_or_not_assigned_is_refused(db_session, leader, make_user, make_family):
    family = make_family()
    anna, bo = make_user(Role.COUNSELLOR), make_user(Role.COUNSELLOR)
    assignment.assign(db_session, leader, family, anna)
    for call, who, code in [
        (assignment.assign, anna, "already_assigned"),
        (assignment.make_primary, bo, "not_assigned"),
        (assignment.unassign, bo, "not_assigned"),
    ]:
        with pytest.raises(RecordError) as caught:
            call(db_session, leader, family, who)
        assert caught.value.code == code


def test_reassigning_moves_who_sees_the_family(
    db_session, leader, make_user, make_family
):
    family = make_family()
    anna, bo = make_user(Role.COUNSELLOR), make_user(Role.COUNSELLOR)
    assignment.assign(db_session, leader, family, anna)
    assignment.assign(db_session, leader, family, bo)
    assignment.unassign(db_session, leader, family, anna)
    db_session.commit()
    assert db_session.scalars(access.visible_families(anna)).all() == []
    assert db_session.scalars(access.visible_families(bo)).all() == [family]
