"""Every page a family member reads, rendered in Danish, reads easily: LIX at most
35 (``tests/readability.py``, computed on the text inside ``<main>``). Pages with
several versions (which problem, MitID offered or not, a full or an empty family
page) are each measured."""

from __future__ import annotations

import pytest
from flask import render_template

from portal.calendar import services
from portal.db import utcnow
from portal.families import invitations
from tests.factories import NOW, local
from tests.families.conftest import invitation_token
from tests.families.test_family_page import book_family  # noqa: F401 - a fixture
from tests.readability import lix

pytestmark = pytest.mark.usefixtures("clock")

#: At most this LIX ("easy": children's books and plain public information).
EASY = 35
#: Any issuer turns the MitID button on; rendering these pages never calls it.
ISSUER = "https://mitid.example.dk"
#: The problems ``views_mitid`` shows on ``families/mitid_problem.html``.
MITID_PROBLEMS = [
    "unknown",
    "identity_taken",
    "invitation_expired",
    "no_access",
    "unavailable",
    "cancelled",
    "refused",
]
#: ``invitations.InvitationUnusable`` codes, each a text of its own.
UNUSABLE_LINKS = ["expired", "used", "revoked", "unknown"]


def assert_easy(html: str) -> None:
    assert 'lang="da"' in html, "not rendered in Danish"
    assert lix(html) <= EASY, lix(html)


@pytest.fixture
def mitid_on(app, request):
    app.config["OIDC_ISSUER"] = ISSUER if request.param else ""
    return request.param


def test_family_page_in_full(client, auth, db_session, clock, family, book_family):  # noqa: F811
    book_family(local(2026, 3, 24, 10))
    clock.move_to(local(2026, 3, 25, 9))
    moved = book_family(local(2026, 3, 27, 10), now=local(2026, 3, 25, 9))
    cancelled = book_family(local(2026, 3, 30, 10), now=local(2026, 3, 25, 9))
    member = family.members[0]
    member.last_login_at = local(2026, 3, 25, 9, 30)
    db_session.commit()
    clock.move_to(local(2026, 3, 25, 10))
    services.move_by_counsellor(db_session, moved, local(2026, 3, 27, 11))
    services.cancel_by_counsellor(db_session, cancelled, "Syg")
    for starts_at, mode, extra in [
        (local(2026, 3, 31, 10), "home", {"address": "Skolevej 3"}),
        (local(2026, 4, 1, 10), "phone", {}),
        (local(2026, 4, 7, 10), "video", {}),
        (local(2026, 4, 8, 10), "centre", {"location": "Familiehuset, lokale 2"}),
    ]:
        book_family(starts_at, mode=mode, now=utcnow(), **extra)

    auth.login(member)
    html = client.get("/familie").get_data(as_text=True)
    assert "er flyttet" in html and "Skolevej 3" in html  # the full page
    assert_easy(html)


def test_family_page_first_visit_without_e_mail(client, auth, db_session, family):  # noqa: F811
    member = family.members[0]
    auth.login(member)
    member.contact_email = None
    db_session.commit()
    assert_easy(client.get("/familie").get_data(as_text=True))


@pytest.mark.parametrize("mitid_on", [True, False], indirect=True)
def test_log_in_page(client, mitid_on):
    assert_easy(client.get("/log-ind").get_data(as_text=True))


@pytest.mark.parametrize("mitid_on", [True, False], indirect=True)
def test_invitation_page(client, db_session, family, mitid_on):  # noqa: F811
    by = family.assignments[0].counsellor
    invitations.send(db_session, family.members[0], by=by, now=NOW)
    db_session.commit()
    response = client.get(f"/invitation/{invitation_token(db_session)}")
    assert response.status_code == 200
    assert_easy(response.get_data(as_text=True))


def test_unusable_link_page_as_served(client):
    response = client.get("/invitation/not-a-real-link")
    assert response.status_code == 410
    assert_easy(response.get_data(as_text=True))


def render_danish(app, template: str, **context) -> str:
    with app.test_request_context("/?lang=da"):
        return render_template(template, **context)


@pytest.mark.parametrize("problem", UNUSABLE_LINKS)
def test_each_unusable_link_text(app, problem):
    assert_easy(
        render_danish(app, "families/invitation_unusable.html", problem=problem)
    )


@pytest.mark.parametrize("problem", MITID_PROBLEMS)
def test_each_mitid_problem_page(app, problem):
    assert_easy(render_danish(app, "families/mitid_problem.html", problem=problem))
