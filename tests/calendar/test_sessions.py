"""The session page: mark held / no-show (and waive), move, cancel, working note,
and what the family is told."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.booking.models import CounsellingSession, Course, SessionStatus
from portal.booking.notify import notify_cancelled, notify_moved
from portal.booking.privacy import delete_course
from portal.calendar import services
from portal.calendar.services import CalendarError
from portal.mail.models import MessageKind, OutboxMessage
from tests.calendar.conftest import START, t
from tests.factories import local


def fresh(db_session, model, row_id):
    db_session.expire_all()
    return db_session.get(model, row_id)


def outbox(db_session) -> list[OutboxMessage]:
    db_session.expire_all()
    return list(db_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


# --- outcomes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "status", "counted"),
    [
        ("held", SessionStatus.HELD, 1),
        ("no_show", SessionStatus.NO_SHOW, 1),
        ("no_show_waived", SessionStatus.NO_SHOW, 0),
    ],
)
def test_marking_held_no_show_and_waived(
    client, auth, db_session, counsellor, book, clock, outcome, status, counted
):
    made = book(counsellor, local(2026, 3, 24, 10))
    clock.move_to(local(2026, 3, 24, 10, 30))
    auth.login(counsellor)
    url = f"/kalender/samtale/{made.session.public_id}"
    response = auth.post_form(f"{url}/udfald", {"outcome-outcome": outcome}, page=url)
    assert response.status_code == 302
    session = fresh(db_session, CounsellingSession, made.session.id)
    assert session.status == status
    assert session.course.sessions_counted == counted


# The five-session rule alone: all five may lie ahead here.
@pytest.mark.app_config(BOOKING_MAX_UPCOMING=5)
def test_a_waived_no_show_frees_a_place_among_the_five(
    db_session, counsellor, book, book_more, clock
):
    made = book(counsellor, local(2026, 3, 24, 10))
    for day in (25, 26, 27, 30):
        book_more(made.course, counsellor, local(2026, 3, day, 10))
    assert made.course.sessions_counted == 5
    clock.move_to(local(2026, 3, 24, 12))
    services.mark_outcome(db_session, made.session, "no_show")
    assert made.course.sessions_counted == 5
    services.mark_outcome(db_session, made.session, "no_show_waived")
    assert made.course.sessions_counted == 4
    services.mark_outcome(db_session, made.session, "held")
    assert made.course.sessions_counted == 5


def test_a_session_cannot_be_marked_before_it_begins(db_session, counsellor, book):
    made = book(counsellor, local(2026, 3, 24, 10))
    with pytest.raises(CalendarError) as raised:
        services.mark_outcome(db_session, made.session, "held", now=START)
    assert raised.value.code == "not_started"


# --- cancel ---------------------------------------------------------------------------


def test_cancel_with_a_reason_tells_a_family_with_an_e_mail(
    client, auth, db_session, counsellor, book
):
    made = book(
        counsellor, local(2026, 3, 24, 10), mode="home", contact_email="a@example.dk"
    )
    auth.login(counsellor)
    url = f"/kalender/samtale/{made.session.public_id}/aflys"
    empty = auth.post_form(url, {"reason": ""})
    assert empty.status_code == 400
    assert fresh(db_session, CounsellingSession, made.session.id).status == "booked"
    response = auth.post_form(url, {"reason": "Rådgiveren er syg"})
    assert response.headers["Location"] == f"/kalender/samtale/{made.session.public_id}"
    session = fresh(db_session, CounsellingSession, made.session.id)
    assert session.status == SessionStatus.CANCELLED
    assert session.cancel_reason == "Rådgiveren er syg"
    assert session.address is None  # erased at once
    assert session.course.sessions_counted == 0
    [message] = outbox(db_session)
    assert message.kind == MessageKind.CANCELLED
    assert message.subject == t("Familieportalen: your talk is cancelled")
    assert "syg" not in message.body and "Eksempelvej" not in message.body
    assert "tirsdag den 24. marts 2026 kl. 10.00" in message.body
    assert "/min-booking" in message.body


def test_cancel_without_e_mail_queues_nothing(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10), contact_phone="22334455")
    auth.login(counsellor)
    page = client.get(f"/kalender/samtale/{made.session.public_id}/aflys")
    assert "+4522334455" in page.get_data(as_text=True)  # so they can call
    auth.post_form(
        f"/kalender/samtale/{made.session.public_id}/aflys", {"reason": "Syg"}
    )
    assert outbox(db_session) == []


def test_notice_is_in_the_courses_language(db_session, counsellor, book):
    made = book(
        counsellor,
        local(2026, 3, 24, 10),
        language="en",
        contact_email="dad@example.com",
    )
    message = notify_cancelled(db_session, made.session)
    with force_locale("en"):
        assert message.subject == gettext("Familieportalen: your talk is cancelled")
    assert "Tuesday 24 March 2026 at 10:00" in message.body
    # The same event is queued once.
    assert notify_cancelled(db_session, made.session).id == message.id
    assert notify_moved(db_session, made.session, made.session.starts_at) is None


# --- move -----------------------------------------------------------------------------


def test_move_offers_only_free_times_and_tells_the_family(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10), contact_email="b@example.dk")
    other = book(counsellor, local(2026, 3, 24, 11))
    auth.login(counsellor)
    url = f"/kalender/samtale/{made.session.public_id}/flyt"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2026-03-24T11:00:00Z"' in page  # 12.00 is free
    assert 'value="2026-03-24T10:00:00Z"' not in page  # 11.00 is taken
    taken = auth.post_form(url, {"time": "2026-03-24T10:00:00Z"})
    assert taken.status_code == 409
    assert t("That time is no longer free. Choose another time.") in (
        taken.get_data(as_text=True)
    )
    assert fresh(db_session, CounsellingSession, other.session.id).status == "booked"
    moved = auth.post_form(url, {"time": "2026-03-24T11:00:00Z"})
    assert moved.status_code == 302
    session = fresh(db_session, CounsellingSession, made.session.id)
    assert session.starts_at == local(2026, 3, 24, 12)
    assert session.counsellor_id == counsellor.id
    [message] = outbox(db_session)
    assert message.kind == MessageKind.MOVED
    assert message.subject == t("Familieportalen: your talk has moved")
    assert "kl. 10.00" in message.body and "kl. 12.00" in message.body


def test_move_to_a_home_visit_needs_an_address(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10))
    auth.login(counsellor)
    url = f"/kalender/samtale/{made.session.public_id}/flyt?mode=home"
    missing = auth.post_form(url, {"time": "2026-03-25T09:00:00Z"})
    assert missing.status_code == 400
    moved = auth.post_form(
        url, {"time": "2026-03-25T09:00:00Z", "address": "Vejen 2, Demoby"}
    )
    assert moved.status_code == 302
    session = fresh(db_session, CounsellingSession, made.session.id)
    assert (session.mode, session.address) == ("home", "Vejen 2, Demoby")


def test_a_cancelled_session_cannot_be_moved_or_cancelled(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10))
    services.cancel_by_counsellor(db_session, made.session, "Syg")
    db_session.commit()
    auth.login(counsellor)
    for action in ("flyt", "aflys"):
        response = client.get(f"/kalender/samtale/{made.session.public_id}/{action}")
        assert response.status_code == 302


# --- working note and the session page ------------------------------------------------


def test_working_note_is_the_counsellors_own_and_goes_with_the_course(
    client, auth, db_session, counsellor, leader, book
):
    made = book(counsellor, local(2026, 3, 24, 10), mode="home")
    url = f"/kalender/samtale/{made.session.public_id}"
    auth.login(counsellor)
    page = client.get(url).get_data(as_text=True)
    assert "Eksempelvej 1" in page  # the address, for the visit
    assert t("%(used)s of %(limit)s", used=1, limit=5) in page
    auth.post_form(f"{url}/notat", {"note-note": "Tal om søvn næste gang"}, page=url)
    assert fresh(db_session, CounsellingSession, made.session.id).working_note == (
        "Tal om søvn næste gang"
    )
    auth.logout()
    auth.login(leader)
    page = client.get(url).get_data(as_text=True)
    assert "Tal om søvn" not in page
    refused = auth.post_form(f"{url}/notat", {"note-note": "x"}, page=url)
    assert refused.status_code == 403
    session = fresh(db_session, CounsellingSession, made.session.id)
    delete_course(db_session, session.course)
    db_session.commit()
    assert fresh(db_session, CounsellingSession, made.session.id).working_note == ""


def test_the_session_page_never_shows_the_booking_code(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10))
    auth.login(counsellor)
    page = client.get(f"/kalender/samtale/{made.session.public_id}").get_data(
        as_text=True
    )
    assert made.code not in page and made.code.replace("-", "") not in page
    course = db_session.scalar(select(Course))
    assert course.code_hash not in page
