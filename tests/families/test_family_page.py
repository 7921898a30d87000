"""The family's own page ``/familie``: next and past sessions in plain Danish, the
primary counsellor, "Nyt siden sidst", the reminder opt-in, who may open it, and
its readability (LIX computed on the rendered page)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts.models import User
from portal.calendar import services
from portal.calendar.family_sessions import book_family_session
from tests.calendar.conftest import t
from tests.factories import NOW, local
from tests.families.conftest import FAMILY
from tests.readability import lix


@pytest.fixture
def member(family) -> User:
    return next(m for m in family.members if m.name == "Mette Sørensen")


@pytest.fixture
def book_family(db_session, family, counsellor):
    def make(starts_at, *, mode="centre", now=NOW, **kwargs):
        session = book_family_session(
            db_session,
            counsellor,
            family,
            starts_at=starts_at,
            mode=mode,
            participants=[m.public_id for m in family.members],
            idempotency_key=f"key-{starts_at.isoformat()}",
            now=now,
            **kwargs,
        )
        db_session.commit()
        return session

    return make


def test_page_shows_next_session_counsellor_and_news(
    client, auth, db_session, member, counsellor, book_family, clock
):
    past = book_family(local(2026, 3, 24, 10), location="Familiehuset, lokale 2")
    clock.move_to(local(2026, 3, 25, 9))
    moved = book_family(local(2026, 3, 27, 10), now=local(2026, 3, 25, 9))
    cancelled = book_family(local(2026, 3, 30, 10), now=local(2026, 3, 25, 9))
    member.last_login_at = local(2026, 3, 25, 9, 30)  # the visit before this one
    db_session.commit()
    clock.move_to(local(2026, 3, 25, 10))
    services.move_by_counsellor(db_session, moved, local(2026, 3, 27, 11))
    services.cancel_by_counsellor(db_session, cancelled, "Syg")
    new = book_family(
        local(2026, 4, 1, 10),
        mode="home",
        address="Skolevej 3",
        now=local(2026, 3, 25, 10),
    )
    db_session.commit()

    auth.login(member)
    response = client.get("/familie")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert FAMILY in page
    assert t("Your counsellor is %(name)s.", name="Anna Andersen") in page
    assert counsellor.email in page
    assert t("New since last time") in page
    assert "fredag den 27. marts 2026 kl. 11.00" in page  # moved, Copenhagen time
    assert t("We visit you at %(address)s.", address="Skolevej 3") in page
    news = page.split(t("New since last time"), 1)[1].split("<h2", 1)[0]
    assert "er flyttet" in news and "er aflyst" in news and "Ny samtale" in news
    assert past.public_id not in page and new.public_id not in page  # no staff links
    assert t("Your past talks") in page
    assert lix(page) <= 35, lix(page)


def test_first_visit_has_no_news_and_an_empty_page_reads_easily(client, auth, member):
    auth.login(member)
    page = client.get("/familie").get_data(as_text=True)
    assert t("New since last time") not in page
    assert t("You have no talks booked.") in page
    assert lix(page) <= 35, lix(page)


def test_member_opts_in_to_reminders(client, auth, db_session, member):
    assert member.contact_email  # reminders need an address to go to
    auth.login(member)
    response = auth.post_form(
        "/familie/paamindelser", {"wants_reminders": "y"}, page="/familie"
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, member.id).wants_reminders is True
    auth.post_form("/familie/paamindelser", {}, page="/familie")
    db_session.expire_all()
    assert db_session.get(User, member.id).wants_reminders is False


def test_opt_in_without_csrf_is_refused(client, auth, db_session, member):
    assert member.contact_email  # reminders need an address to go to
    auth.login(member)
    response = client.post("/familie/paamindelser", data={"wants_reminders": "y"})
    assert response.status_code in (302, 400)
    db_session.expire_all()
    assert db_session.get(User, member.id).wants_reminders is False


def test_removed_member_gets_404(client, auth, db_session, member):
    auth.login(member)
    member.removed_at = NOW - timedelta(days=1)
    db_session.commit()
    assert client.get("/familie").status_code == 404


def test_staff_get_403(client, auth, counsellor):
    auth.login(counsellor)
    assert client.get("/familie").status_code == 403
