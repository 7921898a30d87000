"""The staff's family pages through HTTP: create, add, change, remove, search,
assign, and who may open what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.accounts.models import Role, User
from portal.audit import AuditEvent
from portal.families.models import Child, Family


@pytest.fixture
def counsellor(make_user):
    return make_user(Role.COUNSELLOR, name="Anna Andersen")


def body(response):
    return response.get_data(as_text=True)


def new_family(auth, name="Familien Jensen"):
    response = auth.post_form("/familier/ny", {"display_name": name})
    assert response.status_code == 302, body(response)
    return response.headers["Location"]


def test_a_counsellor_creates_a_family_adds_people_and_removes_one(
    client, auth, db_session, counsellor, clock
):
    auth.login(counsellor)
    page = new_family(auth)
    family = db_session.scalar(select(Family))
    assert page.endswith(f"/familier/{family.public_id}")
    assert family.assignments[0].counsellor_id == counsellor.id

    response = auth.post_form(
        f"{page}/boern/ny", {"first_name": "Emma", "birth_date": "2015-05-01"}
    )
    assert response.status_code == 302, body(response)
    emma = db_session.scalar(select(Child))
    response = auth.post_form(
        f"{page}/voksne/ny",
        {
            "name": "Mette Jensen",
            "email": "mette@example.dk",
            "phone": "12 34 56 78",
            "custody": emma.public_id,
        },
    )
    assert response.status_code == 302, body(response)
    shown = body(client.get(page))
    for text in ("Emma", "10 år", "Mette Jensen", "mette@example.dk", "+4512345678"):
        assert text in shown
    assert client.get(page).headers["Cache-Control"] == "no-store"

    mette = db_session.scalar(select(User).where(User.role == Role.FAMILY))
    assert [holder.name for holder in emma.custody_holders] == ["Mette Jensen"]
    response = auth.post_form(
        f"{page}/medlemmer/{mette.public_id}/fjern", {"reason": ""}
    )
    assert response.status_code == 400
    response = auth.post_form(
        f"{page}/medlemmer/{mette.public_id}/fjern", {"reason": "Flyttet"}
    )
    assert response.status_code == 302
    shown = body(client.get(page))
    assert "Mette Jensen forlod familien" in shown and "Flyttet" in shown
    db_session.expire_all()
    assert mette.removed_at is not None and mette.session_version == 2


def test_a_refused_form_keeps_what_was_typed_and_says_why(
    client, auth, db_session, counsellor, clock
):
    auth.login(counsellor)
    page = new_family(auth)
    response = auth.post_form(
        f"{page}/boern/ny", {"first_name": "Emma", "birth_date": "2027-01-01"}
    )
    assert response.status_code == 400
    shown = body(response)
    assert "Fødselsdatoen kan ikke ligge i fremtiden." in shown
    assert 'value="Emma"' in shown and 'value="2027-01-01"' in shown
    assert db_session.scalars(select(Child)).all() == []

    response = auth.post_form(
        f"{page}/voksne/ny", {"name": "Mette", "email": "mette@", "phone": ""}
    )
    assert response.status_code == 400
    assert "Skriv en gyldig e-mail" in body(response)
    assert 'value="mette@"' in body(response)
    assert db_session.scalars(select(User).where(User.role == Role.FAMILY)).all() == []
    refused = db_session.scalars(
        select(AuditEvent.reason).where(AuditEvent.reason.like("refused:%"))
    ).all()
    assert refused == ["refused: birth_date_future", "refused: invalid_email"]


def test_the_list_shows_only_assigned_families_and_searches_them(
    client, auth, db_session, make_user, make_known_family, counsellor
):
    other = make_user(Role.COUNSELLOR)
    make_known_family("Familien Østergaard", counsellor=counsellor)
    make_known_family("Familien Jensen", counsellor=counsellor)
    make_known_family("Familien Hansen", counsellor=other)
    make_known_family("Familien 100%_", counsellor=counsellor)
    auth.login(counsellor)
    shown = body(client.get("/familier"))
    assert "Familien Jensen" in shown and "Anna Andersen" in shown
    assert "Familien Hansen" not in shown
    assert 'for="q"' in shown and 'role="search"' in shown
    shown = body(client.get("/familier?q=østergaard"))
    assert "Familien Østergaard" in shown and "Familien Jensen" not in shown
    shown = body(client.get("/familier?q=ØSTER"))
    assert "Familien Østergaard" in shown
    shown = body(client.get("/familier?q=%25_"))
    assert "Familien 100%_" in shown and "Familien Jensen" not in shown
    assert "Familien Hansen" not in body(client.get("/familier?q=hansen"))


def test_another_counsellor_cannot_open_the_family(
    client, auth, make_user, make_known_family, counsellor
):
    family = make_known_family("Familien Jensen", counsellor=counsellor)
    child = family.children[0]
    member = family.members[0]
    auth.login(make_user(Role.COUNSELLOR))
    page = f"/familier/{family.public_id}"
    for url in (
        page,
        f"{page}/boern/ny",
        f"{page}/boern/{child.public_id}",
        f"{page}/medlemmer/{member.public_id}",
        f"{page}/medlemmer/{member.public_id}/fjern",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Jensen" not in body(response)


def test_a_child_of_another_family_is_not_found_through_this_one(
    client, auth, make_known_family, counsellor
):
    mine = make_known_family("Familien Jensen", counsellor=counsellor)
    theirs = make_known_family("Familien Hansen", counsellor=counsellor)
    auth.login(counsellor)
    child = theirs.children[0]
    assert (
        client.get(f"/familier/{mine.public_id}/boern/{child.public_id}").status_code
        == 404
    )


def test_custody_for_a_child_of_another_family_is_refused(
    client, auth, db_session, make_known_family, counsellor
):
    mine = make_known_family("Familien Jensen", counsellor=counsellor, children=())
    theirs = make_known_family("Familien Hansen", counsellor=counsellor)
    auth.login(counsellor)
    response = auth.post_form(
        f"/familier/{mine.public_id}/voksne/ny",
        {"name": "Jonas", "custody": theirs.children[0].public_id},
    )
    assert response.status_code == 400
    assert db_session.scalar(select(User).where(User.name == "Jonas")) is None


def test_a_young_person_under_15_is_refused_then_at_15_becomes_a_member(
    client, auth, db_session, make_known_family, counsellor, clock
):
    family = make_known_family(
        counsellor=counsellor,
        children=(("Liva", date(2011, 3, 23)), ("Ida", date(2011, 3, 24))),
    )
    by_name = {child.first_name: child for child in family.children}
    liva, ida = by_name["Liva"], by_name["Ida"]
    auth.login(counsellor)
    url = f"/familier/{family.public_id}/unge/ny"
    response = auth.post_form(url, {"child": ida.public_id})
    assert response.status_code == 400
    assert "fra 15 år" in body(response)
    response = auth.post_form(url, {"child": liva.public_id})
    assert response.status_code == 302
    assert (
        db_session.scalar(select(User).where(User.child_id == liva.id)).name == "Liva"
    )


def test_close_and_reopen(client, auth, db_session, make_known_family, counsellor):
    family = make_known_family(counsellor=counsellor)
    auth.login(counsellor)
    page = f"/familier/{family.public_id}"
    assert auth.post_form(f"{page}/luk", {}, page=page).status_code == 302
    db_session.expire_all()
    assert family.is_closed
    response = auth.post_form(
        f"{page}/boern/ny", {"first_name": "Oskar", "birth_date": "2019-09-12"}
    )
    assert "Familien er lukket" in body(response)
    assert auth.post_form(f"{page}/genaabn", {}, page=page).status_code == 302
    db_session.expire_all()
    assert not family.is_closed


def test_a_leader_assigns_and_the_opening_is_logged(
    client, auth, db_session, make_user, make_known_family, counsellor
):
    leader = make_user(Role.LEADER)
    bo = make_user(Role.COUNSELLOR, name="Bo Berg")
    family = make_known_family(counsellor=counsellor)
    auth.login(leader)
    reason = f"/familier/{family.public_id}/begrundelse"
    assert auth.post_form(reason, {"reason": "Fordeling"}).status_code == 302
    url = f"/familier/{family.public_id}/raadgivere"
    response = auth.post_form(url, {"counsellor": bo.public_id, "primary": "y"})
    assert response.status_code == 302, body(response)
    db_session.expire_all()
    assert [a.counsellor.name for a in family.assignments if a.is_primary] == [
        "Bo Berg"
    ]
    response = auth.post_form(url, {"counsellor": leader.public_id})
    assert response.status_code == 400
    assert "Vælg en af mulighederne." in body(response)  # only counsellors listed
    response = auth.post_form(f"{url}/fjern", {"counsellor": bo.public_id}, page=url)
    assert response.status_code == 302
    db_session.expire_all()
    assert [a.counsellor_id for a in family.assignments if a.is_primary] == [
        counsellor.id
    ]
    views = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.family_id == family.id,
            AuditEvent.action == "view",
            AuditEvent.actor_id == leader.id,
        )
    ).all()
    assert views
    assert {view.stated_reason for view in views} == {"Fordeling"}


def test_counsellors_cannot_assign(client, auth, make_known_family, counsellor):
    family = make_known_family(counsellor=counsellor)
    auth.login(counsellor)
    assert client.get(f"/familier/{family.public_id}/raadgivere").status_code == 403


def test_a_family_member_cannot_use_the_staff_pages(client, auth, make_known_family):
    family = make_known_family()
    auth.login(family.members[0])
    assert client.get("/familier").status_code == 403
    assert client.get(f"/familier/{family.public_id}").status_code == 403
