"""A leader says why before opening a family; the family reads the reason. The
reason holds for that family for 30 minutes; an unassigned counsellor is still
refused (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.audit import AuditEvent
from portal.families.web import REASONS

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER, name="Lone Leder")


def reason_page(family) -> str:
    return f"/familier/{family.public_id}/begrundelse"


def give(auth, family, reason="Klage fra familien", **query):
    return auth.post_form(reason_page(family), {"reason": reason}, query_string=query)


def test_a_leader_is_asked_why_and_the_family_reads_it(
    client, auth, db_session, family, member, leader
):
    auth.login(leader)
    page = f"/familier/{family.public_id}/raadgivere"
    response = client.get(page)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reason_page(family)}?next={page}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hvorfor åbner du familiens sag?" in html
    assert give(auth, family, "  ").status_code == 400  # a reason is required
    response = give(auth, family, next=page)
    assert response.headers["Location"] == page
    assert client.get(page).status_code == 200
    db_session.expire_all()
    rows = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.actor_id == leader.id, AuditEvent.family_id == family.id
        )
    ).all()
    assert [(row.reason, row.stated_reason) for row in rows] == [
        ("reason given", "Klage fra familien"),
        ("counsellors", "Klage fra familien"),
    ]
    auth.logout()
    auth.login(member)
    html = client.get("/familie/adgang").get_data(as_text=True)
    assert html.count("Klage fra familien") == 2 and "Lone Leder, leder" in html


def test_the_reason_holds_30_minutes_for_that_family_only(
    client, auth, family, leader, make_known_family, clock
):
    other = make_known_family("Familien Bech", adults=("Sara Bech",))
    auth.login(leader)
    give(auth, family)
    clock.shift(timedelta(minutes=29))
    assert client.get(f"/familier/{family.public_id}").status_code == 200
    assert client.get(f"/familier/{other.public_id}").status_code == 302
    clock.shift(timedelta(minutes=2))
    assert client.get(f"/familier/{family.public_id}").status_code == 302


def test_the_cookie_keeps_no_words(client, auth, family, leader):
    auth.login(leader)
    give(auth, family, "Underretning om vold")
    with client.session_transaction() as cookie:
        assert "Underretning" not in repr(dict(cookie))
        assert list(cookie[REASONS]) == [family.public_id]


@pytest.mark.parametrize(
    "wanted", ["https://evil.example/", "//evil.example", "/familier/x/../../log-ud"]
)
def test_the_reason_page_goes_on_only_within_the_family(auth, family, leader, wanted):
    auth.login(leader)
    response = give(auth, family, next=wanted)
    assert response.headers["Location"] == f"/familier/{family.public_id}"


def test_counsellors_are_not_asked_and_strangers_get_404(
    client, auth, family, counsellor, make_user
):
    auth.login(counsellor)
    response = client.get(reason_page(family))
    assert response.headers["Location"] == f"/familier/{family.public_id}"
    assert client.get(f"/familier/{family.public_id}").status_code == 200
    auth.logout()
    auth.login(make_user(Role.COUNSELLOR, name="Bo Fremmed"))
    assert client.get(reason_page(family)).status_code == 404
    assert client.get(f"/familier/{family.public_id}").status_code == 404


def test_a_leader_is_still_refused_changes(client, auth, family, leader):
    auth.login(leader)
    give(auth, family)
    response = client.get(f"/familier/{family.public_id}/boern/ny")
    assert response.status_code == 403
