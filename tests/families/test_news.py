"""What is new beyond sessions: registered sources on ``/familie``, and the one
neutral "there is news" e-mail for members who asked for it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.families import news
from portal.mail.outbox import MessageKind, OutboxMessage
from tests.calendar.conftest import t
from tests.factories import NOW
from tests.families.conftest import FAMILY


@pytest.fixture
def member(family) -> User:
    return next(m for m in family.members if m.name == "Mette Sørensen")


@pytest.fixture
def note_source(app):
    """A stand-in for a case feature above families: one item a day ago and
    one a week ago, for the family it is asked about."""

    def source(db_session, family, since):
        items = [
            news.NewsItem(NOW - timedelta(days=7), "Gammel note", "/familie/a"),
            news.NewsItem(NOW - timedelta(days=1), f"Ny note til {family.id}", "/b"),
        ]
        return [item for item in items if item.at > since]

    news.register_news_source(app, source)
    yield source
    app.extensions[news.NEWS_SOURCES].remove(source)


def news_mails(db_session) -> list[OutboxMessage]:
    return list(
        db_session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.NEWS)
        )
    )


def test_registered_news_since_the_last_visit_shows_on_the_page(
    client, auth, db_session, family, member, note_source
):
    member.last_login_at = NOW - timedelta(days=3)
    db_session.commit()
    auth.login(member)  # this visit: the one before it was three days ago
    page = client.get("/familie").get_data(as_text=True)
    assert t("New since last time") in page
    assert f'<a href="/b">Ny note til {family.id}</a>' in page
    assert "Gammel note" not in page


def test_no_news_on_a_first_visit(app, db_session, family, note_source):
    with app.test_request_context():
        assert news.case_news(db_session, family, None) == []
        items = news.case_news(db_session, family, NOW - timedelta(days=30))
    assert [item.text for item in items] == [f"Ny note til {family.id}", "Gammel note"]


def test_news_mail_goes_once_to_members_who_asked_until_they_log_in(
    app, db_session, family, member
):
    other = next(m for m in family.members if m is not member)
    member.wants_news, member.contact_email = True, "mette@example.dk"
    other.wants_news, other.contact_email = False, "jonas@example.dk"
    member.last_login_at = NOW - timedelta(days=3)
    db_session.commit()
    with app.test_request_context():
        assert news.tell_members_of_news(db_session, family) == 1
        news.tell_members_of_news(db_session, family)  # more news, same visit
        db_session.commit()
        [mail] = news_mails(db_session)
        assert mail.recipient == "mette@example.dk"
        assert mail.subject == "Der er nyt på Familieportalen"
        for secret in (FAMILY, "Mette", "Sørensen", "Anna"):
            assert secret not in mail.body
        assert mail.body.rstrip().endswith("Familieportalen")
        assert "/familie" in mail.body

        member.last_login_at = NOW  # they came and saw it
        news.tell_members_of_news(db_session, family)
        db_session.commit()
    assert len(news_mails(db_session)) == 2


def test_no_news_mail_without_an_address_or_after_removal(
    app, db_session, family, member
):
    member.wants_news, member.contact_email = True, None
    db_session.commit()
    with app.test_request_context():
        assert news.tell_members_of_news(db_session, family) == 0
        member.contact_email, member.removed_at = "mette@example.dk", NOW
        assert news.tell_members_of_news(db_session, family) == 0


def test_member_chooses_news_mail_on_the_page(client, auth, db_session, member):
    assert member.contact_email  # news mails need an address to go to
    auth.login(member)
    page = client.get("/familie").get_data(as_text=True)
    assert t("Send me an e-mail when there is news on my page") in page
    auth.post_form("/familie/paamindelser", {"wants_news": "y"}, page="/familie")
    db_session.expire_all()
    saved = db_session.get(User, member.id)
    assert (saved.wants_news, saved.wants_reminders) == (True, False)
