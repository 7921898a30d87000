"""The private iCalendar feed: the settings page, a valid RFC 5545 feed with only
times, pseudonyms and modes, stable UIDs, cancelled sessions, and revocation."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.accounts.models import Role
from portal.booking import sessions as booking_sessions
from portal.booking.models import CancelledBy
from portal.booking.privacy import delete_course
from portal.calendar import services as calendar
from portal.calendar.feed import create_feed
from portal.calendar.feed_lookup import feed_sessions
from portal.calendar.models import FeedToken
from portal.config import DEVELOPMENT_BASE_URL
from tests.calendar.conftest import START, t
from tests.factories import local

TOPIC = "Far slår, når han har drukket"
ADDRESS = "Hemmeligvej 17, 7190 Demoby"
EMAIL = "mor.hemmelig@example.dk"
PHONE = "22334455"
NOTE = "Mor virker presset"
# The address is built from PORTAL_BASE_URL (the tests' default), never the Host.
FEED_URL = re.compile(
    rf">({re.escape(DEVELOPMENT_BASE_URL)}/kalender/feed/([A-Za-z0-9_-]{{43}})\.ics)<"
)


@pytest.fixture
def feed_of(db_session):
    """A feed address for ``who``: the clear token."""

    def make(who) -> str:
        _feed, token = create_feed(db_session, who)
        db_session.commit()
        return token

    return make


@pytest.fixture
def fetch(app):
    """Fetch a feed as a calendar client does: no cookies, no log-in."""

    def get(token: str):
        return app.test_client().get(f"/kalender/feed/{token}.ics")

    return get


def parse(response) -> tuple[Calendar, str]:
    assert response.status_code == 200, response.status_code
    raw = response.get_data(as_text=True)
    return Calendar.from_ical(raw), raw


def unfolded(raw: str) -> str:
    """RFC 5545 folds long lines; a word split by a fold must still be found."""
    return raw.replace("\r\n ", "").replace("\r\n\t", "")


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.events}


# --- the settings page ----------------------------------------------------------------


def test_counsellor_makes_an_address_and_sees_it_once(
    client, auth, db_session, counsellor
):
    auth.login(counsellor)
    first = client.get("/kalender/feed")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    assert t("Make an address") in first.get_data(as_text=True)
    response = auth.post_form("/kalender/feed/ny", {}, page="/kalender/feed")
    assert response.status_code == 302
    page = client.get("/kalender/feed").get_data(as_text=True)
    url, token = FEED_URL.search(page).groups()
    assert "readonly" in page and 'data-copy-target="feed-address"' in page
    assert "js/feed.js" in page
    # Shown once: the next visit cannot show it again.
    again = client.get("/kalender/feed").get_data(as_text=True)
    assert token not in again
    assert t("Close the address") in again
    assert client.get(url).status_code == 200


def test_the_token_is_stored_hashed(client, auth, db_session, counsellor):
    auth.login(counsellor)
    auth.post_form("/kalender/feed/ny", {}, page="/kalender/feed")
    _url, token = FEED_URL.search(
        client.get("/kalender/feed").get_data(as_text=True)
    ).groups()
    db_session.expire_all()
    [row] = db_session.scalars(select(FeedToken)).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.counsellor_id == counsellor.id
    stored = " ".join(str(value) for value in vars(row).values())
    assert token not in stored


def test_a_new_address_closes_the_old_one(db_session, counsellor, feed_of, fetch):
    old = feed_of(counsellor)
    new = feed_of(counsellor)
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    active = db_session.scalars(
        select(FeedToken).where(FeedToken.revoked_at.is_(None))
    ).all()
    assert len(active) == 1


def test_revoked_address_answers_404(
    client, auth, db_session, counsellor, feed_of, fetch
):
    token = feed_of(counsellor)
    assert fetch(token).status_code == 200
    feed = db_session.scalar(select(FeedToken))
    auth.login(counsellor)
    response = auth.post_form(
        f"/kalender/feed/{feed.public_id}/tilbagekald", {}, page="/kalender/feed"
    )
    assert response.status_code == 302
    assert fetch(token).status_code == 404
    page = client.get("/kalender/feed").get_data(as_text=True)
    assert t("Make an address") in page


@pytest.mark.parametrize(
    "token", ["x" * 43, "kort", "A" * 44, "../../etc/passwd", "%00" * 15]
)
def test_unknown_or_malformed_token_answers_404(fetch, token):
    assert fetch(token).status_code == 404


def test_a_counsellor_cannot_revoke_another_counsellors_address(
    client, auth, db_session, counsellor, colleague, feed_of, fetch
):
    token = feed_of(counsellor)
    feed = db_session.scalar(select(FeedToken))
    auth.login(colleague)
    response = auth.post_form(
        f"/kalender/feed/{feed.public_id}/tilbagekald", {}, page="/kalender/feed"
    )
    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(FeedToken, feed.id).revoked_at is None
    assert fetch(token).status_code == 200
    # Nor see it: the colleague's page knows nothing of it.
    assert feed.public_id not in client.get("/kalender/feed").get_data(as_text=True)


def test_forms_need_the_csrf_token(client, auth, counsellor):
    auth.login(counsellor)
    assert client.post("/kalender/feed/ny").status_code == 400


@pytest.mark.parametrize(("role", "status"), [(Role.LEADER, 403), (Role.FAMILY, 403)])
def test_only_counsellors_have_a_feed_page(client, auth, make_user, role, status):
    auth.login(make_user(role))
    assert client.get("/kalender/feed").status_code == status


def test_logged_out_visitors_are_sent_to_log_in(client):
    assert client.get("/kalender/feed").status_code == 302


# --- the feed -------------------------------------------------------------------------


@pytest.fixture
def sessions(db_session, counsellor, book, clock):
    """Friday before and Monday after the change to summer time (29 March 2026),
    a home visit with an address, a cancelled talk and a deleted course."""
    friday = book(
        counsellor,
        local(2026, 3, 27, 10),
        topic_text=TOPIC,
        contact_email=EMAIL,
        contact_phone=PHONE,
        wants_reminders=True,
    )
    monday = book(counsellor, local(2026, 3, 30, 10), mode="home", address=ADDRESS)
    cancelled = book(counsellor, local(2026, 3, 31, 11), mode="phone")
    deleted = book(counsellor, local(2026, 4, 1, 12), mode="video")
    friday.session.working_note = NOTE
    booking_sessions.cancel_session(
        db_session, cancelled.session, by=CancelledBy.PARENT, now=START
    )
    delete_course(db_session, deleted.course, now=START)
    db_session.commit()
    db_session.expire_all()  # the requests share this session (see conftest)
    return {
        "friday": friday,
        "monday": monday,
        "cancelled": cancelled,
        "deleted": deleted,
    }


def test_feed_is_valid_icalendar_with_a_copenhagen_vtimezone(
    counsellor, sessions, feed_of, fetch
):
    response = fetch(feed_of(counsellor))
    assert response.content_type == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    calendar, raw = parse(response)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert calendar["METHOD"] == "PUBLISH"
    # RFC 5545: CRLF line ends, lines of at most 75 octets.
    assert "\r\n" in raw and "\n" not in raw.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    [timezone] = calendar.timezones
    assert timezone["TZID"] == "Europe/Copenhagen"
    assert calendar.get_missing_tzids() == set()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in raw
    assert "X-PUBLISHED-TTL:PT1H" in raw
    assert len(calendar.events) == 4
    for event in calendar.events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event
        assert event["CLASS"] == "PRIVATE"
        assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"


def test_times_are_right_on_both_sides_of_summer_time(
    counsellor, sessions, feed_of, fetch
):
    calendar, raw = parse(fetch(feed_of(counsellor)))
    events = events_by_uid(calendar)
    friday = events[f"{sessions['friday'].session.public_id}@127.0.0.1"]
    monday = events[f"{sessions['monday'].session.public_id}@127.0.0.1"]
    assert "DTSTART;TZID=Europe/Copenhagen:20260327T100000" in raw
    assert "DTSTART;TZID=Europe/Copenhagen:20260330T100000" in raw
    # 10:00 is 09:00 UTC in winter and 08:00 UTC in summer.
    assert friday.start.astimezone(UTC) == local(2026, 3, 27, 10)
    assert friday.start.astimezone(UTC).hour == 9
    assert monday.start.astimezone(UTC) == local(2026, 3, 30, 10)
    assert monday.start.astimezone(UTC).hour == 8
    assert monday.end - monday.start == timedelta(hours=1)


def test_summary_has_the_pseudonym_and_mode_and_cancelled_talks_stay(
    counsellor, sessions, feed_of, fetch
):
    calendar, _raw = parse(fetch(feed_of(counsellor)))
    events = events_by_uid(calendar)

    def event(name):
        return events[f"{sessions[name].session.public_id}@127.0.0.1"]

    friday = sessions["friday"]
    assert str(event("friday")["SUMMARY"]) == t(
        "%(title)s (%(mode)s)",
        title=t("Course %(name)s", name=friday.course.pseudonym),
        mode=t("Family centre"),
    )
    assert event("friday")["STATUS"] == "CONFIRMED"
    assert t("Home visit") in str(event("monday")["SUMMARY"])
    cancelled = event("cancelled")
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["TRANSP"] == "TRANSPARENT"
    assert int(cancelled["SEQUENCE"]) > int(event("friday")["SEQUENCE"])
    assert sessions["cancelled"].course.pseudonym in str(cancelled["SUMMARY"])
    deleted = event("deleted")
    assert deleted["STATUS"] == "CANCELLED"
    title = t("cancelled – course deleted")
    assert str(deleted["SUMMARY"]).startswith(title[:1].upper() + title[1:])


def test_feed_holds_no_topic_address_note_or_contact(
    counsellor, sessions, feed_of, fetch
):
    _calendar, raw = parse(fetch(feed_of(counsellor)))
    text = unfolded(raw)
    made = sessions["friday"]
    for secret in (TOPIC, ADDRESS, "Hemmeligvej", EMAIL, PHONE, NOTE, made.code):
        assert secret not in text
    for field in ("LOCATION", "DESCRIPTION", "ATTENDEE", "ORGANIZER", "CONTACT"):
        assert f"\r\n{field}" not in raw


def test_a_moved_session_keeps_its_uid(
    db_session, counsellor, sessions, feed_of, fetch
):
    token = feed_of(counsellor)
    made = sessions["friday"]
    uid = f"{made.session.public_id}@127.0.0.1"
    before, _ = parse(fetch(token))
    calendar.move_by_counsellor(db_session, made.session, local(2026, 3, 27, 13))
    db_session.commit()
    after, _ = parse(fetch(token))
    assert events_by_uid(before).keys() == events_by_uid(after).keys()
    moved = events_by_uid(after)[uid]
    assert moved.start.astimezone(UTC) == local(2026, 3, 27, 13)
    # A higher SEQUENCE and a LAST-MODIFIED tell clients to replace the event.
    assert int(moved["SEQUENCE"]) > int(events_by_uid(before)[uid]["SEQUENCE"])
    assert "LAST-MODIFIED" in moved


def test_feed_lists_only_own_sessions_from_two_weeks_back_to_eight_ahead(
    db_session, counsellor, colleague, book, feed_of, fetch, clock
):
    own = book(counsellor, local(2026, 3, 24, 10))
    later = book(counsellor, local(2026, 4, 30, 10))
    theirs = book(colleague, local(2026, 3, 24, 11))
    calendar_now, _ = parse(fetch(feed_of(counsellor)))
    uids = set(events_by_uid(calendar_now))
    assert f"{own.session.public_id}@127.0.0.1" in uids
    assert f"{theirs.session.public_id}@127.0.0.1" not in uids
    ids = lambda now: [s.id for s in feed_sessions(db_session, counsellor.id, now)]  # noqa: E731
    assert ids(local(2026, 4, 7, 10)) == [own.session.id, later.session.id]
    assert ids(local(2026, 4, 8, 10)) == [later.session.id]  # over two weeks ago
    assert ids(local(2026, 3, 4, 12)) == [own.session.id]  # over eight weeks ahead


def test_an_empty_feed_is_still_valid(counsellor, feed_of, fetch):
    calendar, _raw = parse(fetch(feed_of(counsellor)))
    assert calendar.events == []
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/Copenhagen"]


def test_the_last_fetch_is_recorded(db_session, counsellor, feed_of, fetch, clock):
    token = feed_of(counsellor)
    fetch(token)
    db_session.expire_all()
    assert db_session.scalar(select(FeedToken)).last_used_at == START


def test_the_feed_is_rate_limited(counsellor, feed_of, fetch):
    token = feed_of(counsellor)
    statuses = [fetch(token).status_code for _ in range(62)]
    assert statuses[:60] == [200] * 60
    assert statuses[60:] == [429, 429]


def test_the_token_never_reaches_a_log_line(app, counsellor, feed_of, caplog):
    token = feed_of(counsellor)
    path = f"/kalender/feed/{token}.ics"
    with caplog.at_level(logging.INFO):
        # The development server's request line, gunicorn's access log, Flask's
        # "Exception on <path>".
        logging.getLogger("werkzeug").info(
            '127.0.0.1 - - [date] "%s" %s %s', f"GET {path} HTTP/1.1", "200", "-"
        )
        logging.getLogger("gunicorn.access").info("%(r)s", {"r": f"GET {path}"})
        app.logger.error(f"Exception on {path} [GET]")
    assert len(caplog.records) == 3
    assert token not in caplog.text
    assert "/kalender/feed/….ics" in caplog.text
