"""Family records' rules, tested on the services: children, members, custody,
contact details, young people, removal and closing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from portal.accounts.models import Role
from portal.accounts.services import login_key
from portal.audit import AuditEvent
from portal.families import children, lifecycle, members
from portal.families.models import FamilyAssignment, FamilyStatus
from portal.families.records import RecordError
from portal.timeutil import age_on


@pytest.fixture
def counsellor(make_user):
    return make_user(Role.COUNSELLOR)


@pytest.fixture
def family(db_session, counsellor, clock):
    made = lifecycle.create_family(db_session, counsellor, " Familien Østergaard ")
    db_session.commit()
    return made


def add_adult(db_session, actor, family, name="Mette", email="", phone="", kids=()):
    return members.add_adult(
        db_session,
        actor,
        family,
        name=name,
        email=email,
        phone=phone,
        custody_of=list(kids),
    )


def refused(code, call, *args, **kwargs):
    with pytest.raises(RecordError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_the_creating_counsellor_becomes_the_primary(db_session, family, counsellor):
    assert family.display_name == "Familien Østergaard"
    assert family.search_name == "familien østergaard"
    (assignment,) = family.assignments
    assert (assignment.counsellor, assignment.is_primary) == (counsellor, True)
    events = db_session.scalars(select(AuditEvent.action)).all()
    assert events == ["create"]


def test_a_family_a_leader_creates_has_no_counsellor_yet(db_session, make_user):
    family = lifecycle.create_family(db_session, make_user(Role.LEADER), "Familien X")
    assert family.assignments == []


def test_a_child_born_in_the_future_is_refused(db_session, family, counsellor):
    error = refused(
        "birth_date_future",
        children.add_child,
        db_session,
        counsellor,
        family,
        first_name="Emma",
        birth_date=date(2026, 3, 24),
    )
    assert error.field == "birth_date"
    born_today = children.add_child(
        db_session, counsellor, family, first_name="Emma", birth_date=date(2026, 3, 23)
    )
    refused(
        "birth_date_future",
        children.update_child,
        db_session,
        counsellor,
        family,
        born_today,
        first_name="Emma",
        birth_date=date(2027, 1, 1),
    )
    refused(
        "birth_date_too_early",
        children.add_child,
        db_session,
        counsellor,
        family,
        first_name="Emma",
        birth_date=date(1, 1, 1),
    )


def test_age_in_whole_years():
    assert age_on(date(2011, 3, 24), date(2026, 3, 23)) == 14
    assert age_on(date(2011, 3, 23), date(2026, 3, 23)) == 15
    assert age_on(date(2012, 2, 29), date(2027, 2, 28)) == 14


@pytest.mark.parametrize(
    "email", ["mette", "mette@", "@example.dk", "mette@@example.dk", "a b@example.dk"]
)
def test_a_malformed_email_is_refused(db_session, family, counsellor, email):
    error = refused(
        "invalid_email", add_adult, db_session, counsellor, family, email=email
    )
    assert error.field == "email"


def test_a_malformed_phone_is_refused(db_session, family, counsellor):
    refused("invalid_phone", add_adult, db_session, counsellor, family, phone="1234")
    member = add_adult(db_session, counsellor, family, phone="+45 12 34 56 78")
    assert member.phone == "+4512345678"


def test_contact_details_are_stored_encrypted_with_a_keyed_log_in_key(
    db_session, family, counsellor
):
    member = add_adult(db_session, counsellor, family, email=" Mette@Example.dk ")
    db_session.commit()
    assert member.email is None
    assert member.contact_email == "Mette@example.dk"
    assert member.login_key == login_key("mette@example.dk")
    raw = db_session.scalar(
        text("SELECT contact_email FROM users WHERE id = :id"), {"id": member.id}
    )
    assert "example" not in raw


def test_a_duplicate_email_among_current_members_is_refused(
    db_session, family, counsellor, make_known_family
):
    add_adult(db_session, counsellor, family, name="Mette", email="mette@example.dk")
    other = make_known_family("Familien Anden", counsellor=counsellor)
    refused(
        "email_taken",
        add_adult,
        db_session,
        counsellor,
        other,
        email="METTE@example.dk",
    )


def test_a_removed_members_email_may_be_used_again(db_session, family, counsellor):
    first = add_adult(db_session, counsellor, family, email="mette@example.dk")
    members.remove_member(db_session, counsellor, family, first, reason="Flyttet")
    again = add_adult(db_session, counsellor, family, email="mette@example.dk")
    assert again.login_key == login_key("mette@example.dk")
    assert first.login_key is None


def test_a_member_keeps_their_own_email_when_changed(db_session, family, counsellor):
    member = add_adult(db_session, counsellor, family, email="mette@example.dk")
    members.update_member(
        db_session,
        counsellor,
        family,
        member,
        name="Mette J",
        email="mette@example.dk",
        phone="",
        custody_of=[],
    )
    assert member.name == "Mette J"


def test_custody_only_for_adult_members_of_the_family(
    db_session, family, counsellor, make_known_family
):
    emma = children.add_child(
        db_session, counsellor, family, first_name="Emma", birth_date=date(2010, 1, 1)
    )
    mette = add_adult(db_session, counsellor, family, kids=[emma])
    assert emma.custody_holders == [mette]
    stranger = make_known_family("Familien Anden").members[0]
    error = refused(
        "custody_not_adult", members.set_custody, db_session, family, stranger, [emma]
    )
    assert error.field == "custody"
    refused(
        "custody_not_adult", members.set_custody, db_session, family, counsellor, [emma]
    )
    young = members.add_young_person(
        db_session, counsellor, family, emma, email="", phone=""
    )
    refused("custody_not_adult", members.set_custody, db_session, family, young, [emma])
    members.remove_member(db_session, counsellor, family, mette, reason="Flyttet")
    assert emma.custody_holders == []
    refused("custody_not_adult", members.set_custody, db_session, family, mette, [emma])


def test_custody_only_of_the_familys_current_children(
    db_session, family, counsellor, make_known_family
):
    mette = add_adult(db_session, counsellor, family)
    other_child = make_known_family("Familien Anden").children[0]
    refused(
        "child_not_in_family",
        members.set_custody,
        db_session,
        family,
        mette,
        [other_child],
    )
    emma = children.add_child(
        db_session, counsellor, family, first_name="Emma", birth_date=date(2015, 5, 1)
    )
    children.remove_child(db_session, counsellor, family, emma, reason="Flyttet")
    refused(
        "child_not_in_family", members.set_custody, db_session, family, mette, [emma]
    )


def test_custody_follows_the_chosen_children(db_session, family, counsellor):
    emma, oskar = (
        children.add_child(
            db_session, counsellor, family, first_name=name, birth_date=date(2015, 5, 1)
        )
        for name in ("Emma", "Oskar")
    )
    mette = add_adult(db_session, counsellor, family, kids=[emma])
    members.set_custody(db_session, family, mette, [oskar])
    assert (emma.custody_holders, oskar.custody_holders) == ([], [mette])


def test_a_young_person_becomes_a_member_from_15(db_session, family, counsellor):
    liva = children.add_child(
        db_session, counsellor, family, first_name="Liva", birth_date=date(2011, 3, 23)
    )
    young = children.add_child(
        db_session, counsellor, family, first_name="Ida", birth_date=date(2011, 3, 24)
    )
    error = refused(
        "too_young",
        members.add_young_person,
        db_session,
        counsellor,
        family,
        young,
        email="",
        phone="",
    )
    assert error.field == "child"
    member = members.add_young_person(
        db_session, counsellor, family, liva, email="liva@example.dk", phone=""
    )
    assert (member.name, member.child, member.family) == ("Liva", liva, family)
    refused(
        "already_member",
        members.add_young_person,
        db_session,
        counsellor,
        family,
        liva,
        email="",
        phone="",
    )


def test_removing_keeps_the_history_and_ends_the_log_in(
    db_session, family, counsellor, clock
):
    mette = add_adult(db_session, counsellor, family, email="mette@example.dk")
    version = mette.session_version
    refused(
        "reason_required",
        members.remove_member,
        db_session,
        counsellor,
        family,
        mette,
        reason="  ",
    )
    members.remove_member(db_session, counsellor, family, mette, reason="Flyttet")
    db_session.commit()
    assert mette.removed_reason == "Flyttet" and mette.removed_at is not None
    assert mette.session_version == version + 1
    assert mette.family == family
    refused(
        "member_not_in_family",
        members.remove_member,
        db_session,
        counsellor,
        family,
        mette,
        reason="x",
    )


def test_removing_a_child_removes_their_membership_too(db_session, family, counsellor):
    liva = children.add_child(
        db_session, counsellor, family, first_name="Liva", birth_date=date(2010, 1, 1)
    )
    member = members.add_young_person(
        db_session, counsellor, family, liva, email="", phone=""
    )
    children.remove_child(db_session, counsellor, family, liva, reason="Anbragt")
    assert liva.is_removed and member.removed_at is not None


def test_a_closed_family_is_read_only_until_reopened(db_session, family, counsellor):
    lifecycle.close_family(db_session, counsellor, family)
    assert family.status == FamilyStatus.CLOSED and family.closed_at is not None
    refused(
        "family_closed",
        children.add_child,
        db_session,
        counsellor,
        family,
        first_name="Emma",
        birth_date=date(2015, 5, 1),
    )
    refused("family_closed", add_adult, db_session, counsellor, family)
    refused("family_closed", lifecycle.close_family, db_session, counsellor, family)
    lifecycle.reopen_family(db_session, counsellor, family)
    assert family.status == FamilyStatus.OPEN and family.closed_at is None
    refused("family_open", lifecycle.reopen_family, db_session, counsellor, family)


def test_changes_are_audited_without_personal_data(db_session, family, counsellor):
    emma = children.add_child(
        db_session, counsellor, family, first_name="Emma", birth_date=date(2015, 5, 1)
    )
    mette = add_adult(
        db_session, counsellor, family, email="mette@example.dk", kids=[emma]
    )
    members.remove_member(
        db_session, counsellor, family, mette, reason="Flyttet til Aarhus"
    )
    lifecycle.rename_family(db_session, counsellor, family, "Familien Nyt Navn")
    events = db_session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "family"),
        ("create", "child"),
        ("create", "member"),
        ("delete", "member"),
        ("update", "family"),
    ]
    assert all(e.family_id == family.id and e.actor_id == counsellor.id for e in events)
    text = " ".join(f"{e.reason} {e.object_id}" for e in events)
    for secret in ("Emma", "Mette", "mette@", "Aarhus", "Nyt Navn"):
        assert secret not in text
    assert db_session.scalar(select(FamilyAssignment.is_primary))
