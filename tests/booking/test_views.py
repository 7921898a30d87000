"""The booking flow and Min booking through HTTP, with bad input and privacy."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import inspect, select, text

from portal.booking import codes
from portal.booking.models import CounsellingSession, Course, SessionStatus
from tests.conftest import csrf_token_from
from tests.factories import NOW, local

CODE_IN_PAGE = re.compile(
    r'class="booking-code"[^>]*>.*?</span>([0-9A-Z-]{19})</p>', re.S
)


@pytest.fixture
def counsellor(make_counsellor, clock):
    return make_counsellor(languages="da,ar", start=time(9), end=time(12))


class Parent:
    """A parent going through the booking flow with the test client."""

    def __init__(self, client):
        self.client = client
        self.last_page = ""

    def get(self, url):
        response = self.client.get(url)
        self.last_page = response.get_data(as_text=True)
        return response

    def post(self, url, data, page=None):
        token = csrf_token_from(self.get(page or url).get_data(as_text=True))
        response = self.client.post(url, data={"csrf_token": token, **data})
        self.last_page = response.get_data(as_text=True)
        return response

    def answer_until_time(self, *, mode="centre", language="da", topic_text=""):
        assert (
            self.post("/anonym-raadgivning", {}, page="/anonym-raadgivning").status_code
            == 302
        )
        assert (
            self.post(
                "/anonym-raadgivning/emne", {"topic": "none", "topic_text": topic_text}
            ).status_code
            == 302
        )
        assert (
            self.post("/anonym-raadgivning/hvordan", {"mode": mode}).status_code == 302
        )
        assert (
            self.post("/anonym-raadgivning/sprog", {"language": language}).status_code
            == 302
        )

    def choose_time(self, starts_at: datetime):
        return self.post(
            "/anonym-raadgivning/tid",
            {"time": starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )

    def confirm(self):
        page = self.get("/anonym-raadgivning/tjek").get_data(as_text=True)
        key = re.search(r'idempotency_key[^>]*value="([^"]+)"', page).group(1)
        data = {"csrf_token": csrf_token_from(page), "idempotency_key": key}
        return self.client.post("/anonym-raadgivning/bekraeft", data=data), data

    def book(self, starts_at, *, mode="centre", contact=None, topic_text=""):
        self.answer_until_time(mode=mode, topic_text=topic_text)
        assert self.choose_time(starts_at).status_code == 302
        assert (
            self.post("/anonym-raadgivning/kontakt", contact or {}).status_code == 302
        )
        response, _data = self.confirm()
        assert response.status_code == 200, response.get_data(as_text=True)
        self.last_page = response.get_data(as_text=True)
        return CODE_IN_PAGE.search(response.get_data(as_text=True)).group(1)


@pytest.fixture
def parent(client):
    return Parent(client)


def courses(db_session):
    db_session.expire_all()
    return db_session.scalars(select(Course)).all()


def test_parent_books_and_gets_a_code_once(parent, counsellor, db_session):
    first = local(2026, 3, 25, 10)
    code = parent.book(first, topic_text="Min søn sover dårligt")
    page = parent.last_page
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    assert "onsdag den 25. marts 2026 kl. 10.00" in page
    assert "Vi kan ikke finde koden igen for dig" in page
    # The QR code's link carries the code only after "#".
    assert "<svg" in page
    [course] = courses(db_session)
    assert course.code_hash == codes.code_hash(code) and code not in course.code_hash
    assert course.topic_text == "Min søn sover dårligt"
    assert parent.get("/min-booking").status_code == 200
    assert "1 af 5 samtaler brugt" in parent.last_page


def test_going_back_keeps_every_answer(parent, counsellor):
    parent.answer_until_time(mode="phone", topic_text="Skilsmisse")
    assert "Skilsmisse" in parent.get("/anonym-raadgivning/emne").get_data(as_text=True)
    page = parent.get("/anonym-raadgivning/hvordan").get_data(as_text=True)
    assert re.search(r'value="phone"\s+checked', page)
    step_links = parent.get("/anonym-raadgivning/sprog").get_data(as_text=True)
    assert 'href="/anonym-raadgivning/emne"' in step_links


def test_steps_cannot_be_skipped(client, counsellor):
    response = client.get("/anonym-raadgivning/tid")
    assert response.status_code == 302
    # The topic is optional, so the furthest step without answers is the mode.
    assert response.headers["Location"] == "/anonym-raadgivning/hvordan"


def test_next_free_time_is_shown_first_in_danish(parent, counsellor):
    parent.answer_until_time()
    page = parent.get("/anonym-raadgivning/tid").get_data(as_text=True)
    first_free = page.index("Første ledige tid")
    # Minimum notice is 24 hours: Tuesday 24 March 09.00 is the first.
    assert page.index("tirsdag den 24. marts 2026 kl. 09.00") > first_free
    assert "Uge 13" in page


def test_slot_taken_meanwhile_offers_the_three_nearest(parent, counsellor, make_course):
    wanted = local(2026, 3, 25, 10)
    parent.answer_until_time(topic_text="Bekymret for min datter")
    make_course(wanted, now=NOW)  # someone else is faster
    response = parent.choose_time(wanted)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "nogen har lige taget den tid" in page
    offered = re.findall(r'id="near-\d" name="time" value="([^"]+)"', page)
    assert len(offered) == 3
    assert "2026-03-25T08:00:00Z" in offered  # 09.00 the same morning
    assert "Bekymret for min datter" in parent.get("/anonym-raadgivning/emne").get_data(
        as_text=True
    )


def test_a_time_is_held_for_ten_minutes(parent, counsellor, clock, db_session):
    wanted = local(2026, 3, 25, 10)
    parent.answer_until_time()
    parent.choose_time(wanted)
    other = Parent(parent.client.application.test_client())
    other.answer_until_time()
    assert other.choose_time(wanted).status_code == 409
    clock.shift(timedelta(minutes=11))
    assert other.choose_time(wanted).status_code == 302


def confirm_later(parent, clock, minutes, meanwhile=lambda: None):
    page = parent.get("/anonym-raadgivning/tjek").get_data(as_text=True)
    key = re.search(r'idempotency_key[^>]*value="([^"]+)"', page).group(1)
    clock.shift(timedelta(minutes=minutes))
    meanwhile()
    return parent.client.post(
        "/anonym-raadgivning/bekraeft",
        data={"csrf_token": csrf_token_from(page), "idempotency_key": key},
    )


def test_expired_hold_taken_by_another_sends_back_to_the_times(
    parent, counsellor, clock, make_course, db_session
):
    wanted = local(2026, 3, 25, 10)
    parent.answer_until_time(topic_text="Vores søn")
    parent.choose_time(wanted)
    parent.post("/anonym-raadgivning/kontakt", {"phone": "12345678"})
    response = confirm_later(
        parent,
        clock,
        11,
        meanwhile=lambda: make_course(wanted, now=NOW + timedelta(minutes=11)),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/anonym-raadgivning/tid"
    assert len(courses(db_session)) == 1  # only the other parent's
    page = parent.get("/anonym-raadgivning/tid").get_data(as_text=True)
    assert "Vi holder ikke længere" in page
    assert "Vores søn" in parent.get("/anonym-raadgivning/emne").get_data(as_text=True)


def test_expired_hold_is_still_honoured_when_nobody_took_the_time(
    parent, counsellor, clock, db_session
):
    parent.answer_until_time()
    parent.choose_time(local(2026, 3, 25, 10))
    parent.post("/anonym-raadgivning/kontakt", {})
    assert confirm_later(parent, clock, 11).status_code == 200
    assert len(courses(db_session)) == 1


def test_double_submitted_confirm_books_once(parent, counsellor, db_session):
    parent.answer_until_time()
    parent.choose_time(local(2026, 3, 25, 10))
    parent.post("/anonym-raadgivning/kontakt", {})
    first, data = parent.confirm()
    second = parent.client.post("/anonym-raadgivning/bekraeft", data=data)
    assert first.status_code == second.status_code == 200
    code = CODE_IN_PAGE.search(first.get_data(as_text=True)).group(1)
    assert CODE_IN_PAGE.search(second.get_data(as_text=True)).group(1) == code
    assert len(courses(db_session)) == 1
    assert len(db_session.scalars(select(CounsellingSession)).all()) == 1


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/anonym-raadgivning/hvordan", {"mode": "brevdue"}, "Vælg en af mulighederne"),
        ("/anonym-raadgivning/sprog", {"language": "tlh"}, "Vælg en af mulighederne"),
        ("/anonym-raadgivning/emne", {"topic_text": "x" * 501}, "Skriv højst 500 tegn"),
        ("/anonym-raadgivning/emne", {"topic": "9999"}, "Vælg en af mulighederne"),
    ],
)
def test_bad_answers_get_danish_field_errors(parent, counsellor, url, data, message):
    parent.answer_until_time()
    response = parent.post(url, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-03-20T09:00:00Z", "Den tid er gået"),
        ("2026-09-01T08:00:00Z", "Du kan ikke booke den tid"),
        ("i morgen", "Vælg en tid på listen"),
        ("2026-03-25T10:00:00", "Vælg en tid på listen"),
        ("", "Vælg en tid"),
    ],
)
def test_bad_times_are_refused(parent, counsellor, value, message):
    parent.answer_until_time()
    response = parent.post("/anonym-raadgivning/tid", {"time": value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "ikke en mail"}, "Skriv en gyldig e-mail"),
        ({"phone": "1234"}, "dansk telefonnummer med 8 cifre"),
        ({"wants_reminders": "y"}, "Skriv din e-mail, hvis du vil have en påmindelse"),
    ],
)
def test_bad_contact_details_keep_what_was_typed(parent, counsellor, data, message):
    parent.answer_until_time()
    parent.choose_time(local(2026, 3, 25, 10))
    response = parent.post("/anonym-raadgivning/kontakt", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    for value in data.values():
        if value != "y":
            assert f'value="{value}"' in page


def test_home_visit_needs_an_address_and_keeps_it_encrypted(
    parent, counsellor, db_session
):
    parent.answer_until_time(mode="home")
    parent.choose_time(local(2026, 3, 25, 10))
    missing = parent.post("/anonym-raadgivning/kontakt", {})
    assert missing.status_code == 400
    assert "Skriv adressen" in missing.get_data(as_text=True)
    assert (
        parent.post(
            "/anonym-raadgivning/kontakt", {"address": "Hyldebærvej 7, 7190 Billund"}
        ).status_code
        == 302
    )
    parent.confirm()
    stored = db_session.execute(
        text("SELECT address FROM counselling_sessions")
    ).scalar()
    assert stored and "Hyldebærvej" not in stored
    db_session.expire_all()
    assert db_session.scalar(select(CounsellingSession)).address.startswith(
        "Hyldebærvej"
    )


# --- Min booking ---------------------------------------------------------------


def open_my_booking(client, code):
    token = csrf_token_from(client.get("/min-booking").get_data(as_text=True))
    return client.post("/min-booking", data={"csrf_token": token, "code": code})


def test_code_works_in_any_case_with_or_without_dashes(app, parent, counsellor):
    code = parent.book(local(2026, 3, 25, 10))
    variants = [code, code.lower(), code.replace("-", ""), code.replace("-", " ")]
    if "0" in code:
        variants.append(code.replace("0", "O"))
    if "1" in code:
        variants.append(code.replace("1", "l"))
    for variant in variants:
        fresh = app.test_client()
        response = open_my_booking(fresh, variant)
        assert response.status_code == 302, variant
        assert response.headers["Location"] == "/min-booking"
        assert variant not in response.headers["Location"]


def test_unknown_and_deleted_codes_get_the_same_answer(app, parent, counsellor, client):
    code = parent.book(local(2026, 3, 25, 10))
    parent.post("/min-booking/slet", {})
    answers = set()
    for attempt in [code, "AB12-CD34-EF56-GH78", "kort", "UUUU-UUUU-UUUU-UUUU"]:
        response = open_my_booking(app.test_client(), attempt)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert attempt not in page  # the typed code is not echoed back
        answers.add(
            re.search(r"form-error-message[^>]*>(.*?)</span>", page, re.S).group(0)
            if "form-error-message" in page
            else page
        )
    assert len(answers) == 1


def test_code_look_up_is_throttled_well_before_100_attempts(client, counsellor):
    responses = [open_my_booking(client, f"AAAA-AAAA-AAAA-{n:04d}") for n in range(12)]
    statuses = [response.status_code for response in responses]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]
    assert "For mange forsøg" in responses[-1].get_data(as_text=True)


def test_my_booking_is_forgotten_after_30_idle_minutes(parent, counsellor, clock):
    parent.book(local(2026, 3, 25, 10))
    assert "1 af 5" in parent.get("/min-booking").get_data(as_text=True)
    clock.shift(timedelta(minutes=31))
    assert "Skriv den kode" in parent.get("/min-booking").get_data(as_text=True)


def test_closing_my_booking_makes_an_old_cookie_useless(app, parent, counsellor):
    parent.book(local(2026, 3, 25, 10))
    cookie = parent.client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    parent.post("/min-booking/luk", {}, page="/min-booking")
    assert "Skriv den kode" in parent.get("/min-booking").get_data(as_text=True)
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    assert "Skriv den kode" in thief.get("/min-booking").get_data(as_text=True)


def test_book_next_move_and_cancel(parent, counsellor, db_session):
    parent.book(local(2026, 3, 25, 10))
    assert parent.post("/min-booking/ny-samtale", {"mode": "centre"}).status_code == 302
    response = parent.post(
        "/min-booking/ny-samtale/tid", {"time": "2026-04-01T08:00:00Z"}
    )
    assert response.headers["Location"] == "/min-booking/ny-samtale/tjek"
    page = parent.get("/min-booking/ny-samtale/tjek").get_data(as_text=True)
    key = re.search(r'idempotency_key[^>]*value="([^"]+)"', page).group(1)
    done = parent.post("/min-booking/ny-samtale/tjek", {"idempotency_key": key})
    assert done.headers["Location"] == "/min-booking"
    assert "2 af 5 samtaler brugt" in parent.get("/min-booking").get_data(as_text=True)

    first = db_session.scalars(
        select(CounsellingSession).order_by(CounsellingSession.starts_at)
    ).first()
    moved = parent.post(
        f"/min-booking/flyt/{first.public_id}", {"time": "2026-03-26T10:00:00Z"}
    )
    assert moved.status_code == 302
    parent.post(f"/min-booking/flyt/{first.public_id}/tjek", {})
    db_session.expire_all()
    assert db_session.get(CounsellingSession, first.id).starts_at == datetime(
        2026, 3, 26, 10, tzinfo=UTC
    )

    parent.post(f"/min-booking/aflys/{first.public_id}", {})
    db_session.expire_all()
    assert (
        db_session.get(CounsellingSession, first.id).status == SessionStatus.CANCELLED
    )
    assert "1 af 5 samtaler brugt" in parent.get("/min-booking").get_data(as_text=True)


def test_cancel_is_refused_less_than_two_hours_before(
    parent, counsellor, clock, db_session
):
    code = parent.book(local(2026, 3, 25, 10))
    session = db_session.scalar(select(CounsellingSession))
    clock.move_to(local(2026, 3, 25, 8, 30))  # 90 minutes before
    assert open_my_booking(parent.client, code).status_code == 302
    response = parent.post(f"/min-booking/aflys/{session.public_id}", {})
    assert response.headers["Location"] == "/min-booking"
    assert "For sent" in parent.get("/min-booking").get_data(as_text=True) or (
        "for sent" in parent.last_page
    )
    db_session.expire_all()
    assert db_session.get(CounsellingSession, session.id).status == SessionStatus.BOOKED


def test_another_courses_session_is_not_found(app, parent, counsellor, make_course):
    other = make_course(local(2026, 3, 26, 10), now=NOW)
    parent.book(local(2026, 3, 25, 10))
    for url in [
        f"/min-booking/aflys/{other.session.public_id}",
        f"/min-booking/flyt/{other.session.public_id}",
    ]:
        assert parent.get(url).status_code == 404


# The five-session rule alone: all five may lie ahead here.
@pytest.mark.app_config(BOOKING_MAX_UPCOMING=5)
def test_after_five_sessions_the_page_explains_what_next(
    parent, counsellor, db_session, book_next
):
    parent.book(local(2026, 3, 25, 10))
    course = courses(db_session)[0]
    for day in (26, 27, 30, 31):
        book_next(course, local(2026, 3, day, 10), now=NOW)
    page = parent.get("/min-booking").get_data(as_text=True)
    assert "5 af 5 samtaler brugt" in page
    assert "Book en samtale mere" not in page
    assert '<a href="tel:116111">' in page  # a link a phone can call
    assert parent.get("/min-booking/ny-samtale").status_code == 302


def test_delete_everything_needs_a_second_page_and_leaves_a_cancelled_slot(
    parent, counsellor, db_session
):
    code = parent.book(local(2026, 3, 25, 10), contact={"email": "mor@example.dk"})
    page = parent.get("/min-booking/slet").get_data(as_text=True)
    assert "Det kan ikke fortrydes" in page
    assert len(courses(db_session)) == 1
    done = parent.post("/min-booking/slet", {})
    assert "Alt er slettet" in done.get_data(as_text=True)
    assert courses(db_session) == []
    slot = db_session.scalar(select(CounsellingSession))
    assert slot.course_id is None and slot.status == SessionStatus.CANCELLED
    assert slot.address is None
    assert open_my_booking(parent.client, code).status_code == 400


def test_no_trace_of_the_visitor_or_the_code(
    app, parent, counsellor, db_session, caplog
):
    caplog.set_level(logging.DEBUG)
    agent = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/99.0 Sporbar"
    parent.client.environ_base.update(
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT=agent,
        HTTP_REFERER="https://eksempel.dk/hemmelig-side",
    )
    code = parent.book(local(2026, 3, 25, 10), contact={"email": "far@example.dk"})
    open_my_booking(app.test_client(), code)
    dump = []
    with app.app_context():
        for table in inspect(db_session.get_bind()).get_table_names():
            for row in db_session.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                dump.append(" ".join(str(value) for value in row))
    everything = "\n".join(dump) + "\n" + caplog.text
    for secret in [
        "203.0.113.77",
        "TestBrowser",
        "Sporbar",
        "hemmelig-side",
        code,
        code.replace("-", ""),
        "far@example.dk",
    ]:
        assert secret not in everything, secret


def test_booking_pages_are_not_stored_by_caches(client, counsellor):
    assert client.get("/anonym-raadgivning").headers["Cache-Control"] == "no-store"
    assert client.get("/min-booking").headers["Cache-Control"] == "no-store"


def test_booking_in_arabic_is_right_to_left(client, counsellor):
    page = client.get("/anonym-raadgivning?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
