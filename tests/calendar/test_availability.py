"""Availability rules: a change never silently drops a booked session."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from portal.availability import settings as availability_settings
from portal.availability.changes import SpanChange, absence_from_local
from portal.availability.errors import AvailabilityError
from portal.availability.models import Absence, AvailabilitySpan
from portal.booking.models import CounsellingSession, SessionStatus
from portal.calendar import availability_changes as availability
from portal.calendar.availability_changes import Conflicts
from portal.calendar.settings_changes import change_settings
from portal.mail.models import MessageKind, OutboxMessage
from tests.calendar.conftest import START, t, tn
from tests.factories import local


def tuesday_span(db_session, counsellor) -> AvailabilitySpan:
    return db_session.scalar(
        select(AvailabilitySpan).where(
            AvailabilitySpan.counsellor_id == counsellor.id,
            AvailabilitySpan.weekday == 1,
        )
    )


def span_change(span, **changes) -> SpanChange:
    values = {
        "span_id": span.id,
        "weekday": span.weekday,
        "start_time": span.start_time,
        "end_time": span.end_time,
        "modes": tuple(str(m) for m in span.mode_list),
        "location": span.location,
    }
    values.update(changes)
    return SpanChange(**values)


# --- services -------------------------------------------------------------------------


def test_absence_over_a_booked_session_is_refused_and_nothing_changes(
    db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10))
    change = absence_from_local(date(2026, 3, 24), date(2026, 3, 24))
    with pytest.raises(Conflicts) as raised:
        availability.apply_change(db_session, counsellor.id, change, now=START)
    assert [s.id for s in raised.value.sessions] == [made.session.id]
    db_session.rollback()
    assert db_session.scalar(select(Absence)) is None
    assert db_session.get(CounsellingSession, made.session.id).status == "booked"


def test_absence_beside_bookings_is_saved(db_session, counsellor, book):
    book(counsellor, local(2026, 3, 24, 10))
    change = absence_from_local(
        date(2026, 3, 24), date(2026, 3, 24), time(11), time(13), "Kursus"
    )
    assert availability.apply_change(db_session, counsellor.id, change, now=START) == []
    absence = db_session.scalar(select(Absence))
    assert (absence.starts_at, absence.ends_at) == (
        local(2026, 3, 24, 11),
        local(2026, 3, 24, 13),
    )
    assert absence.reason == "Kursus"


def test_cancel_and_notify_cancels_each_and_queues_a_discreet_message(
    db_session, counsellor, book
):
    with_mail = book(
        counsellor,
        local(2026, 3, 25, 10),
        contact_email="mor@example.dk",
        topic_text="Skilsmisse og samvær",
    )
    with_phone = book(counsellor, local(2026, 3, 25, 12), contact_phone="12345678")
    change = absence_from_local(date(2026, 3, 25), date(2026, 3, 25), reason="Syg")
    cancelled = availability.apply_change(
        db_session, counsellor.id, change, cancel_reason="Sygdom", now=START
    )
    db_session.commit()
    assert {s.id for s in cancelled} == {with_mail.session.id, with_phone.session.id}
    for made in (with_mail, with_phone):
        db_session.refresh(made.session)
        assert made.session.status == SessionStatus.CANCELLED
        assert made.session.cancelled_by == "counsellor"
        assert made.session.cancel_reason == "Sygdom"
        db_session.refresh(made.course)
        assert made.course.sessions_counted == 0
    messages = db_session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 1  # only the family with an e-mail
    message = messages[0]
    assert message.kind == MessageKind.CANCELLED
    assert message.recipient == "mor@example.dk"
    assert message.subject == t("Familieportalen: your talk is cancelled")
    assert "/min-booking" in message.body
    for secret in (
        "Skilsmisse",
        with_mail.course.pseudonym,
        "Sygdom",
        "Syg",
        counsellor.name,
    ):
        assert secret not in message.body and secret not in message.subject
    assert db_session.scalar(select(Absence)) is not None


@pytest.mark.parametrize(
    ("changes", "conflict"),
    [
        ({"end_time": time(10)}, True),  # shrunk below the 10-11 session
        ({"start_time": time(11)}, True),  # shrunk above it
        ({"modes": ("phone", "video")}, True),  # the session's mode removed
        ({"delete": True}, True),
        ({"weekday": 5}, True),  # moved to Saturday
        ({"end_time": time(12)}, False),  # still covers 10-11
        ({"start_time": time(8), "end_time": time(16)}, False),  # grown
        ({"location": "Rådhuset"}, False),
    ],
)
def test_span_changes_surface_the_sessions_they_would_drop(
    db_session, counsellor, book, changes, conflict
):
    made = book(counsellor, local(2026, 3, 24, 10))  # a Tuesday, centre
    change = span_change(tuesday_span(db_session, counsellor), **changes)
    found = availability.conflicts(db_session, counsellor.id, change, now=START)
    assert ([s.id for s in found] == [made.session.id]) is conflict
    if conflict:
        with pytest.raises(Conflicts):
            availability.apply_change(db_session, counsellor.id, change, now=START)
    else:
        availability.apply_change(db_session, counsellor.id, change, now=START)


def test_past_and_cancelled_sessions_are_not_in_the_way(
    db_session, counsellor, book, clock
):
    made = book(counsellor, local(2026, 3, 24, 10))
    clock.move_to(local(2026, 3, 24, 12))
    change = span_change(tuesday_span(db_session, counsellor), delete=True)
    assert availability.conflicts(db_session, counsellor.id, change) == []
    assert made.session.status == SessionStatus.BOOKED


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"start_time": time(12), "end_time": time(11)}, "span_order"),
        ({"modes": ()}, "no_modes"),
        ({"modes": ("boat",)}, "unknown_mode"),
        (
            {"span_id": None, "start_time": time(14), "end_time": time(16)},
            "span_overlap",
        ),
        ({"location": "x" * 201}, "location_too_long"),
    ],
)
def test_bad_spans_are_refused(db_session, counsellor, changes, code):
    change = span_change(tuesday_span(db_session, counsellor), **changes)
    with pytest.raises(AvailabilityError) as raised:
        availability.apply_change(db_session, counsellor.id, change, now=START)
    assert raised.value.code == code


def test_another_counsellors_span_cannot_be_changed(db_session, counsellor, colleague):
    change = span_change(tuesday_span(db_session, colleague), end_time=time(10))
    with pytest.raises(AvailabilityError) as raised:
        availability.apply_change(db_session, counsellor.id, change, now=START)
    assert raised.value.code == "not_found"


def settings_change(**changes) -> availability_settings.SettingsChange:
    values = {
        "session_minutes": 60,
        "home_visit_buffer_minutes": 30,
        "horizon_weeks": 6,
        "minimum_notice_hours": 24,
        "languages": ("da",),
    }
    values.update(changes)
    return availability_settings.SettingsChange(**values)


def test_settings_are_checked_and_saved(db_session, counsellor):
    with pytest.raises(AvailabilityError):
        change_settings(db_session, counsellor.id, settings_change(session_minutes=5))
    saved = change_settings(
        db_session,
        counsellor.id,
        settings_change(
            session_minutes=45,
            home_visit_buffer_minutes=15,
            horizon_weeks=8,
            minimum_notice_hours=48,
            languages=("ar", "da"),
        ),
    )
    assert (saved.session_minutes, saved.languages) == (45, "da,ar")


def test_a_shorter_travel_buffer_frees_time_after_booked_home_visits(
    db_session, counsellor, book
):
    over = book(counsellor, local(2026, 3, 24, 10), mode="home").session
    visit = book(counsellor, local(2026, 3, 25, 10), mode="home").session
    talk = book(counsellor, local(2026, 3, 26, 10)).session
    assert visit.busy_until == visit.ends_at + timedelta(minutes=30)
    shorter = settings_change(home_visit_buffer_minutes=10)
    change_settings(db_session, counsellor.id, shorter, now=over.busy_until)
    assert visit.busy_until == visit.ends_at + timedelta(minutes=10)
    assert talk.busy_until == talk.ends_at
    # A visit whose busy time is over keeps its record as it was.
    assert over.busy_until == over.ends_at + timedelta(minutes=30)
    # A longer buffer applies to new bookings only: nothing booked comes into conflict.
    change_settings(
        db_session, counsellor.id, settings_change(home_visit_buffer_minutes=60)
    )
    assert visit.busy_until == visit.ends_at + timedelta(minutes=10)


# --- through the screens --------------------------------------------------------------


def test_absence_conflict_is_shown_then_resolved_by_cancelling_one(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 26, 10), contact_email="far@example.dk")
    auth.login(counsellor)
    form = {"start_date": "2026-03-26", "end_date": "2026-03-27", "reason": "Ferie"}
    response = auth.post_form("/kalender/tilgaengelighed/fravaer/ny", form)
    assert response.headers["Location"] == "/kalender/tilgaengelighed/konflikter"
    page = client.get("/kalender/tilgaengelighed/konflikter").get_data(as_text=True)
    assert t("Course %(name)s", name=made.course.pseudonym) in page
    assert (
        tn(
            "%(num)d talk is booked in the time you take away. Move or cancel it "
            "first, or cancel all and tell the families.",
            "%(num)d talks are booked in the time you take away. Move or cancel "
            "each first, or cancel all and tell the families.",
            1,
        )
        in page
    )
    assert db_session.scalar(select(Absence)) is None  # not saved yet
    # "Save" is refused while the session is in the way.
    refused = auth.post_form(
        "/kalender/tilgaengelighed/konflikter", {"action": "apply"}
    )
    assert refused.status_code == 409
    assert db_session.scalar(select(Absence)) is None
    # Cancel that one session from the list; we come back to the conflicts.
    cancel_url = f"/kalender/samtale/{made.session.public_id}/aflys?tilbage=konflikter"
    response = auth.post_form(cancel_url, {"reason": "Ferie"})
    assert response.headers["Location"] == "/kalender/tilgaengelighed/konflikter"
    page = client.get("/kalender/tilgaengelighed/konflikter").get_data(as_text=True)
    assert t("No talks are in the way any more. You can save the change.") in page
    response = auth.post_form(
        "/kalender/tilgaengelighed/konflikter", {"action": "apply"}
    )
    assert response.status_code == 302
    db_session.expire_all()
    absence = db_session.scalar(select(Absence))
    assert absence.starts_at == local(2026, 3, 26, 0)
    assert absence.ends_at == local(2026, 3, 28, 0)
    assert db_session.scalar(select(OutboxMessage)).recipient == "far@example.dk"


def test_cancel_all_and_notify_from_the_conflicts_page(
    client, auth, db_session, counsellor, book
):
    sessions = [book(counsellor, local(2026, 3, 26, h)).session for h in (10, 12)]
    auth.login(counsellor)
    auth.post_form(
        "/kalender/tilgaengelighed/fravaer/ny",
        {"start_date": "2026-03-26", "end_date": "2026-03-26"},
    )
    no_reason = auth.post_form(
        "/kalender/tilgaengelighed/konflikter", {"action": "cancel_all", "reason": ""}
    )
    assert no_reason.status_code == 400
    done = auth.post_form(
        "/kalender/tilgaengelighed/konflikter",
        {"action": "cancel_all", "reason": "Syg"},
    )
    assert done.headers["Location"] == "/kalender/tilgaengelighed"
    db_session.expire_all()
    assert all(db_session.get(CounsellingSession, s.id).is_cancelled for s in sessions)
    assert db_session.scalar(select(Absence)) is not None


def test_moving_from_the_conflicts_page_offers_only_times_outside_the_change(
    client, auth, db_session, counsellor, book
):
    made = book(counsellor, local(2026, 3, 26, 10))
    auth.login(counsellor)
    auth.post_form(
        "/kalender/tilgaengelighed/fravaer/ny",
        {"start_date": "2026-03-26", "end_date": "2026-03-26"},
    )
    move_url = f"/kalender/samtale/{made.session.public_id}/flyt?tilbage=konflikter"
    page = client.get(move_url).get_data(as_text=True)
    assert 'value="2026-03-25T09:00:00Z"' in page  # Wednesday 10.00 is free
    assert 'value="2026-03-26T12:00:00Z"' not in page  # Thursday is taken away
    plain = client.get(f"/kalender/samtale/{made.session.public_id}/flyt")
    assert 'value="2026-03-26T12:00:00Z"' in plain.get_data(as_text=True)
    # Posting a time inside the absence anyway is refused.
    refused = auth.post_form(move_url, {"time": "2026-03-26T12:00:00Z"})
    assert refused.status_code == 409
    moved = auth.post_form(move_url, {"time": "2026-03-25T09:00:00Z"})
    assert moved.headers["Location"] == "/kalender/tilgaengelighed/konflikter"
    response = auth.post_form(
        "/kalender/tilgaengelighed/konflikter", {"action": "apply"}
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(Absence)) is not None
    assert db_session.get(CounsellingSession, made.session.id).starts_at == local(
        2026, 3, 25, 10
    )


def test_deleting_a_span_with_bookings_waits_for_a_decision(
    client, auth, db_session, counsellor, book
):
    book(counsellor, local(2026, 3, 24, 10))
    span = tuesday_span(db_session, counsellor)
    auth.login(counsellor)
    response = auth.post_form(
        f"/kalender/tilgaengelighed/tid/{span.id}/slet",
        {},
        page="/kalender/tilgaengelighed",
    )
    assert response.headers["Location"] == "/kalender/tilgaengelighed/konflikter"
    assert db_session.get(AvailabilitySpan, span.id) is not None
    dropped = auth.post_form(
        "/kalender/tilgaengelighed/konflikter", {"action": "discard"}
    )
    assert dropped.status_code == 302
    assert client.get("/kalender/tilgaengelighed/konflikter").status_code == 302


def test_span_form_adds_edits_and_refuses_overlaps(
    client, auth, db_session, counsellor
):
    auth.login(counsellor)
    added = auth.post_form(
        "/kalender/tilgaengelighed/tid/ny",
        {
            "weekday": "5",
            "start_time": "10:00",
            "end_time": "12:00",
            "modes": ["phone", "video"],
            "location": "",
        },
    )
    assert added.status_code == 302
    saturday = db_session.scalar(
        select(AvailabilitySpan).where(AvailabilitySpan.weekday == 5)
    )
    assert saturday.modes == "phone,video"
    overlap = auth.post_form(
        "/kalender/tilgaengelighed/tid/ny",
        {
            "weekday": "5",
            "start_time": "11:00",
            "end_time": "13:00",
            "modes": ["phone"],
        },
    )
    assert overlap.status_code == 400
    assert t("The time overlaps another time on the same weekday.") in (
        overlap.get_data(as_text=True)
    )
    no_mode = auth.post_form(
        "/kalender/tilgaengelighed/tid/ny",
        {"weekday": "6", "start_time": "11:00", "end_time": "13:00"},
    )
    assert no_mode.status_code == 400
    edited = auth.post_form(
        f"/kalender/tilgaengelighed/tid/{saturday.id}",
        {
            "weekday": "5",
            "start_time": "09:00",
            "end_time": "12:00",
            "modes": ["phone"],
            "location": "Telefon",
        },
    )
    assert edited.status_code == 302
    db_session.refresh(saturday)
    assert (saturday.start_time, saturday.modes) == (time(9), "phone")
    page = client.get("/kalender/tilgaengelighed").get_data(as_text=True)
    assert "09.00–12.00" in page


def test_settings_screen(client, auth, db_session, counsellor, book):
    visit = book(counsellor, local(2026, 3, 24, 10), mode="home").session
    auth.login(counsellor)
    page = client.get("/kalender/tilgaengelighed/indstillinger").get_data(as_text=True)
    assert 'value="60"' in page
    bad = auth.post_form(
        "/kalender/tilgaengelighed/indstillinger",
        {
            "session_minutes": "5",
            "home_visit_buffer_minutes": "30",
            "horizon_weeks": "6",
            "minimum_notice_hours": "24",
            "languages": ["da"],
        },
    )
    assert bad.status_code == 400
    good = auth.post_form(
        "/kalender/tilgaengelighed/indstillinger",
        {
            "session_minutes": "45",
            "home_visit_buffer_minutes": "20",
            "horizon_weeks": "8",
            "minimum_notice_hours": "12",
            "languages": ["da", "en"],
        },
    )
    assert good.status_code == 302
    settings = availability_settings.settings_for(db_session, counsellor.id)
    db_session.refresh(settings)
    assert (settings.session_minutes, settings.languages) == (45, "da,en")
    db_session.refresh(visit)
    assert visit.busy_until == visit.ends_at + timedelta(minutes=20)


def test_leader_edits_a_counsellors_availability(
    client, auth, db_session, leader, counsellor
):
    auth.login(leader)
    url = f"/kalender/tilgaengelighed/fravaer/ny?raadgiver={counsellor.public_id}"
    response = auth.post_form(
        url,
        {
            "start_date": "2026-04-06",
            "end_date": "2026-04-10",
            "reason": "Efteruddannelse",
        },
    )
    assert response.headers["Location"] == (
        f"/kalender/tilgaengelighed?raadgiver={counsellor.public_id}"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Efteruddannelse" in page
    assert db_session.scalar(select(Absence)).counsellor_id == counsellor.id


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2100-01-01"])
def test_an_absence_beyond_the_calendars_years_is_refused(
    client, auth, db_session, counsellor, day
):
    auth.login(counsellor)
    response = auth.post_form(
        "/kalender/tilgaengelighed/fravaer/ny", {"start_date": day, "end_date": day}
    )
    assert response.status_code == 400
    message = t(
        "Write a day between the years %(first)s and %(last)s.", first=2000, last=2099
    )
    assert message in response.get_data(as_text=True)
    assert db_session.scalar(select(Absence)) is None
