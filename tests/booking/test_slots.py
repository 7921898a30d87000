"""Free slots: availability minus sessions, buffers, absences, holds and closed days."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from portal.availability.models import Absence, Mode
from portal.booking import timepicker
from portal.booking.models import CounsellingSession, SessionStatus, SlotHold
from portal.booking.slots import free_slots
from portal.booking.timepicker import distinct_times, times_by_day
from portal.i18n import LOCAL
from tests.factories import NOW, local


def local_starts(slots):
    return [s.starts_at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M") for s in slots]


def week(db_session, monday: datetime, **kwargs):
    return free_slots(db_session, monday, monday + timedelta(days=7), now=NOW, **kwargs)


def test_a_week_of_weekday_spans_is_cut_into_session_length_slots(
    db_session, make_counsellor
):
    counsellor = make_counsellor(modes="centre")
    slots = week(db_session, local(2026, 4, 20, 0))
    assert len(slots) == 15  # 5 days x 09, 10, 11
    assert slots[0].starts_at == datetime(2026, 4, 20, 7, tzinfo=UTC)  # 09:00 CEST
    assert slots[0].ends_at - slots[0].starts_at == timedelta(minutes=60)
    assert {slot.counsellor_id for slot in slots} == {counsellor.id}
    assert slots == sorted(slots)
    assert all(slot.mode == Mode.CENTRE for slot in slots)


def test_session_length_comes_from_the_counsellor_settings(db_session, make_counsellor):
    make_counsellor(modes="phone", session_minutes=45)
    slots = week(db_session, local(2026, 4, 20, 0))
    assert local_starts(slots)[:4] == [
        "2026-04-20 09:00",
        "2026-04-20 09:45",
        "2026-04-20 10:30",
        "2026-04-20 11:15",
    ]


def test_spring_daylight_saving_change_keeps_local_nine_oclock(
    db_session, make_counsellor
):
    make_counsellor(modes="centre")
    slots = free_slots(
        db_session, local(2026, 3, 27, 0), local(2026, 3, 31, 0), now=NOW
    )
    friday = [s for s in slots if s.starts_at.astimezone(LOCAL).day == 27]
    monday = [s for s in slots if s.starts_at.astimezone(LOCAL).day == 30]
    assert friday[0].starts_at == datetime(2026, 3, 27, 8, tzinfo=UTC)  # CET, +1
    assert monday[0].starts_at == datetime(2026, 3, 30, 7, tzinfo=UTC)  # CEST, +2
    assert {s.starts_at.astimezone(LOCAL).hour for s in slots} == {9, 10, 11}


def test_autumn_daylight_saving_change_keeps_local_nine_oclock(
    db_session, make_counsellor
):
    make_counsellor(modes="centre")
    now = datetime(2026, 10, 19, 8, tzinfo=UTC)
    slots = free_slots(
        db_session, local(2026, 10, 23, 0), local(2026, 10, 27, 0), now=now
    )
    friday = [s for s in slots if s.starts_at.astimezone(LOCAL).day == 23]
    monday = [s for s in slots if s.starts_at.astimezone(LOCAL).day == 26]
    assert friday[0].starts_at == datetime(2026, 10, 23, 7, tzinfo=UTC)  # CEST
    assert monday[0].starts_at == datetime(2026, 10, 26, 8, tzinfo=UTC)  # CET
    assert {s.starts_at.astimezone(LOCAL).hour for s in slots} == {9, 10, 11}


def test_easter_holidays_are_closed(db_session, make_counsellor):
    make_counsellor(modes="centre")
    slots = free_slots(
        db_session, local(2026, 3, 30, 0), local(2026, 4, 11, 0), now=NOW
    )
    days = {s.starts_at.astimezone(LOCAL).date().isoformat() for s in slots}
    assert days == {
        "2026-03-30",
        "2026-03-31",
        "2026-04-01",
        "2026-04-07",
        "2026-04-08",
        "2026-04-09",
        "2026-04-10",
    }


def test_configured_closed_dates_are_closed(app, db_session, make_counsellor):
    make_counsellor(modes="centre")
    now = datetime(2026, 12, 14, 8, tzinfo=UTC)
    slots = free_slots(
        db_session, local(2026, 12, 21, 0), local(2027, 1, 2, 0), now=now
    )
    days = {s.starts_at.astimezone(LOCAL).date().isoformat() for s in slots}
    # 24 and 31 December (configuration), 25 December (holiday) are closed.
    assert days == {
        "2026-12-21",
        "2026-12-22",
        "2026-12-23",
        "2026-12-28",
        "2026-12-29",
        "2026-12-30",
    }
    app.config["BOOKING_CLOSED_DATES"] = []
    slots = free_slots(
        db_session, local(2026, 12, 24, 0), local(2026, 12, 25, 0), now=now
    )
    assert len(slots) == 3


def test_absences_remove_overlapping_slots(db_session, make_counsellor):
    counsellor = make_counsellor(modes="centre")
    db_session.add(
        Absence(
            counsellor_id=counsellor.id,
            reason="Kursus",
            starts_at=local(2026, 4, 21, 10, 30),
            ends_at=local(2026, 4, 21, 12),
        )
    )
    db_session.commit()
    slots = free_slots(
        db_session, local(2026, 4, 21, 0), local(2026, 4, 22, 0), now=NOW
    )
    assert local_starts(slots) == ["2026-04-21 09:00"]


def add_session(db_session, counsellor, starts_at, mode, status=SessionStatus.BOOKED):
    db_session.add(
        CounsellingSession(
            counsellor_id=counsellor.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            mode=mode,
            status=status,
        )
    )
    db_session.commit()


def test_booked_sessions_and_the_buffer_after_a_home_visit_are_busy(
    db_session, make_counsellor
):
    counsellor = make_counsellor(modes="home,phone", end=time(14))
    add_session(db_session, counsellor, local(2026, 4, 21, 9), Mode.HOME)
    add_session(db_session, counsellor, local(2026, 4, 21, 13), Mode.PHONE)
    slots = free_slots(
        db_session, local(2026, 4, 21, 0), local(2026, 4, 22, 0), now=NOW
    )
    by_time = {}
    for slot in slots:
        by_time.setdefault(
            slot.starts_at.astimezone(LOCAL).strftime("%H:%M"), set()
        ).add(slot.mode)
    # 10:00 lies in the 30 minutes' travel after the 09:00 home visit; a home visit
    # at 12:00 would need its own buffer until 13:30, into the 13:00 phone call.
    assert by_time == {"11:00": {Mode.HOME, Mode.PHONE}, "12:00": {Mode.PHONE}}


def test_cancelled_sessions_do_not_block(db_session, make_counsellor):
    counsellor = make_counsellor(modes="centre")
    add_session(
        db_session,
        counsellor,
        local(2026, 4, 21, 9),
        Mode.CENTRE,
        SessionStatus.CANCELLED,
    )
    slots = free_slots(
        db_session, local(2026, 4, 21, 0), local(2026, 4, 22, 0), now=NOW
    )
    assert len(slots) == 3


def test_minimum_notice_is_honoured(db_session, make_counsellor):
    make_counsellor(modes="centre")
    slots = free_slots(
        db_session, NOW - timedelta(days=1), NOW + timedelta(days=2), now=NOW
    )
    # Now is Monday 09:00; 24 hours' notice makes Tuesday 09:00 the first time.
    assert local_starts(slots)[0] == "2026-03-24 09:00"


def test_booking_horizon_is_honoured(db_session, make_counsellor):
    make_counsellor(modes="centre", horizon_weeks=1, minimum_notice_hours=0)
    slots = free_slots(db_session, NOW, NOW + timedelta(weeks=4), now=NOW)
    assert slots[-1].starts_at < NOW + timedelta(weeks=1)
    # Now + 1 week is Monday 10:00 summer time, one hour later than it was.
    assert local_starts(slots)[-1] == "2026-03-30 09:00"


def test_language_and_mode_filters(db_session, make_counsellor):
    danish = make_counsellor(languages="da", modes="centre,home")
    arabic = make_counsellor(languages="da,ar", modes="phone,video")
    monday = local(2026, 4, 20, 0)
    assert {s.counsellor_id for s in week(db_session, monday, language="ar")} == {
        arabic.id
    }
    assert {s.counsellor_id for s in week(db_session, monday, mode="home")} == {
        danish.id
    }
    assert week(db_session, monday, mode="video", language="en") == []
    assert {s.mode for s in week(db_session, monday)} == {
        Mode.CENTRE,
        Mode.HOME,
        Mode.PHONE,
        Mode.VIDEO,
    }


def test_unexpired_holds_block_and_expired_ones_do_not(db_session, make_counsellor):
    counsellor = make_counsellor(modes="centre")
    for token, starts, expires in [
        ("live", local(2026, 4, 21, 9), NOW + timedelta(minutes=5)),
        ("gone", local(2026, 4, 21, 10), NOW - timedelta(minutes=1)),
    ]:
        db_session.add(
            SlotHold(
                token=token,
                counsellor_id=counsellor.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                mode=Mode.CENTRE,
                expires_at=expires,
            )
        )
    db_session.commit()
    day = (local(2026, 4, 21, 0), local(2026, 4, 22, 0))
    assert local_starts(free_slots(db_session, *day, now=NOW)) == [
        "2026-04-21 10:00",
        "2026-04-21 11:00",
    ]
    assert len(free_slots(db_session, *day, now=NOW, ignore_hold_token="live")) == 3


def test_parents_see_distinct_times_and_the_nearest_ones(db_session, make_counsellor):
    make_counsellor(modes="centre")
    make_counsellor(modes="centre")
    slots = free_slots(
        db_session, local(2026, 4, 21, 0), local(2026, 4, 23, 0), now=NOW
    )
    assert len(slots) == 12
    times = distinct_times(slots)
    assert len(times) == 6
    nearest = timepicker.nearest(times, local(2026, 4, 21, 21, 30), n=3)
    assert [t.local_start.strftime("%d %H:%M") for t in nearest] == [
        "21 10:00",
        "21 11:00",
        "22 09:00",
    ]
    grouped = times_by_day(times)
    assert [d.isoformat() for d in grouped] == ["2026-04-21", "2026-04-22"]


def test_inactive_counsellors_and_empty_periods_give_nothing(
    db_session, make_counsellor
):
    counsellor = make_counsellor(modes="centre")
    monday = local(2026, 4, 20, 0)
    assert free_slots(db_session, monday, monday, now=NOW) == []
    counsellor.active = False
    db_session.commit()
    assert week(db_session, monday) == []
