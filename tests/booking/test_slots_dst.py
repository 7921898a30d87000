"""Slots on the two daylight-saving nights, and exact comparisons with absences.

A slot lasts exactly the session length in real time and ends within its span; a
wall time the clock skips gives no slot; a repeated wall time means its first
occurrence."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from portal.availability.models import Absence
from portal.booking.slots import free_slots
from tests.factories import LOCAL, local

SUNDAY = 6
HOUR = timedelta(hours=1)


def utc(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def night_slots(db_session, make_counsellor, night, start, end, minutes):
    """The free slots of one counsellor with one Sunday span on ``night``."""
    make_counsellor(
        spans=[(SUNDAY, start, end, "centre")],
        session_minutes=minutes,
        minimum_notice_hours=0,
    )
    ymd = (night.year, night.month, night.day)
    period = (local(*ymd, 0), local(*ymd, 12))
    slots = free_slots(db_session, *period, now=period[0] - timedelta(days=7))
    return [(slot.starts_at, slot.ends_at) for slot in slots]


@pytest.mark.parametrize(
    ("night", "start", "end", "expected"),
    [
        (  # 01:00 CEST, 02:00 CEST (the first of the two), 03:00 CET
            datetime(2026, 10, 25),
            time(1),
            time(4),
            [utc(2026, 10, 24, 23), utc(2026, 10, 25, 0), utc(2026, 10, 25, 2)],
        ),
        (  # 01:45 CEST, 02:45 CEST; 03:45 CET would end after 04:15
            datetime(2027, 10, 31),
            time(1, 45),
            time(4, 15),
            [utc(2027, 10, 30, 23, 45), utc(2027, 10, 31, 0, 45)],
        ),
    ],
)
def test_autumn_slots_in_the_repeated_hour_last_one_real_hour(
    db_session, make_counsellor, night, start, end, expected
):
    slots = night_slots(db_session, make_counsellor, night.date(), start, end, 60)
    assert slots == [(starts, starts + HOUR) for starts in expected]


def test_autumn_hold_in_the_repeated_hour_keeps_one_real_hour(
    db_session, make_counsellor, hold
):
    make_counsellor(
        spans=[(SUNDAY, time(1), time(4), "centre")], minimum_notice_hours=0
    )
    now = utc(2026, 10, 20, 8)
    held = hold(utc(2026, 10, 25, 0), now=now)  # 02:00 CEST
    assert held.ends_at - held.starts_at == HOUR
    night = (local(2026, 10, 25, 0), local(2026, 10, 25, 12))
    left = free_slots(db_session, *night, now=now)
    assert [slot.starts_at for slot in left] == [
        utc(2026, 10, 24, 23),  # 01:00 CEST
        utc(2026, 10, 25, 2),  # 03:00 CET
    ]


def test_autumn_repeated_hour_makes_room_for_a_longer_slot(db_session, make_counsellor):
    # 90 minutes from 02:30 CEST end at 03:00 CET: in the span in real time.
    slots = night_slots(
        db_session, make_counsellor, datetime(2026, 10, 25).date(), time(1), time(3), 90
    )
    assert slots == [
        (utc(2026, 10, 24, 23), utc(2026, 10, 25, 0, 30)),
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 2)),
    ]


def test_spring_start_in_the_skipped_hour_gives_no_slot(db_session, make_counsellor):
    # 02:15 does not exist on 30 March 2025; 03:30-04:45 CEST is the only slot.
    slots = night_slots(
        db_session,
        make_counsellor,
        datetime(2025, 3, 30).date(),
        time(2, 15),
        time(5, 15),
        75,
    )
    assert slots == [(utc(2025, 3, 30, 1, 30), utc(2025, 3, 30, 2, 45))]


def test_spring_half_hours_are_listed_once(db_session, make_counsellor):
    slots = night_slots(
        db_session, make_counsellor, datetime(2026, 3, 29).date(), time(1), time(4), 30
    )
    # 01:00 and 01:30 CET, then 03:00 and 03:30 CEST; 02:00 and 02:30 do not exist.
    starts = [utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 30)]
    starts += [utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30)]
    assert slots == [(s, s + timedelta(minutes=30)) for s in starts]


def test_spring_slot_across_the_skipped_hour_is_not_an_hour_short(
    db_session, make_counsellor
):
    # 01:30 CET plus 90 minutes is 04:00 CEST, the end of the span.
    slots = night_slots(
        db_session,
        make_counsellor,
        datetime(2026, 3, 29).date(),
        time(1, 30),
        time(4),
        90,
    )
    assert slots == [(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 2))]


def test_spring_no_slot_ends_after_its_span(db_session, make_counsellor):
    # 75 minutes from 01:00 CET end at 03:15 CEST, after the span's 03:00.
    slots = night_slots(
        db_session, make_counsellor, datetime(2026, 3, 29).date(), time(1), time(3), 75
    )
    assert slots == []


def test_spring_span_ending_in_the_skipped_hour_ends_at_the_jump(
    db_session, make_counsellor
):
    # 01:45 CET plus 45 minutes is 03:30 CEST, after a span ending at 02:30.
    slots = night_slots(
        db_session,
        make_counsellor,
        datetime(2026, 3, 29).date(),
        time(1),
        time(2, 30),
        45,
    )
    assert slots == [(utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 45))]


HALF_SECOND = timedelta(seconds=0.5)


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "free"),
    [
        # Ends half a second into 10:00: the 10:00 slot is taken too.
        (local(2026, 4, 21, 9), local(2026, 4, 21, 10) + HALF_SECOND, ["11:00"]),
        # Starts half a second before 10:00: the 09:00 slot is taken.
        (
            local(2026, 4, 21, 10) - HALF_SECOND,
            local(2026, 4, 21, 10),
            ["10:00", "11:00"],
        ),
    ],
)
def test_absences_with_fractions_of_a_second_are_compared_exactly(
    db_session, make_counsellor, starts_at, ends_at, free
):
    counsellor = make_counsellor(modes="centre")
    db_session.add(
        Absence(counsellor_id=counsellor.id, starts_at=starts_at, ends_at=ends_at)
    )
    db_session.commit()
    now = local(2026, 4, 14, 9)
    slots = free_slots(
        db_session, local(2026, 4, 21, 0), local(2026, 4, 22, 0), now=now
    )
    assert [f"{s.starts_at.astimezone(LOCAL):%H:%M}" for s in slots] == free
