"""``free_slots`` agrees with a slow, obviously correct reference, DST nights included.

The reference steps through each span's wall times on local datetimes, converts
each with ``zoneinfo`` and checks every rule by brute force. Scenarios are drawn by
Hypothesis, with dates biased to the last Sundays of March and October.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import count

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.accounts.models import Role, User
from portal.availability.models import (
    Absence,
    AvailabilitySpan,
    CounsellorSettings,
    Mode,
)
from portal.booking.models import CounsellingSession, SessionStatus, SlotHold
from portal.booking.slots import free_slots
from tests.factories import LOCAL

MINUTE = timedelta(minutes=1)
FRACTIONS = [
    timedelta(0),
    timedelta(seconds=0.5),
    timedelta(seconds=-0.5),
    timedelta(microseconds=1),
]
MODES = [Mode.HOME, Mode.CENTRE, Mode.PHONE]
#: Daylight-saving change days: the last Sundays of March and October.
CHANGE_DAYS = [
    date(year, month, day)
    for year in range(2025, 2031)
    for month in (3, 10)
    for day in range(25, 32)
    if date(year, month, day).weekday() == 6
]


@dataclass(frozen=True)
class Counsellor:
    session_minutes: int
    buffer_minutes: int
    notice_hours: int
    horizon_weeks: int
    spans: tuple[tuple[int, time, time, tuple[Mode, ...], str], ...]


@dataclass(frozen=True)
class Busy:
    """A session, hold or absence of counsellor ``who`` (an index)."""

    who: int
    starts_at: datetime
    ends_at: datetime
    mode: Mode
    live: bool  # session not cancelled, hold not expired


@dataclass(frozen=True)
class Scenario:
    counsellors: tuple[Counsellor, ...]
    sessions: tuple[Busy, ...]
    holds: tuple[Busy, ...]
    absences: tuple[Busy, ...]
    start: datetime
    end: datetime
    now: datetime
    mode: Mode | None
    closed_dates: frozenset[str]


def quarter_hours(low: int, high: int):
    return st.integers(low, high).map(lambda n: n * 15)


def wall(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def counsellors(draw, day: date):
    """Spans mostly on ``day``'s weekday, sometimes the next day's or a Sunday's."""
    weekdays = [day.weekday(), (day.weekday() + 1) % 7, 6]
    spans = []
    for weekday in draw(
        st.lists(st.sampled_from(weekdays), min_size=1, max_size=2, unique=True)
    ):
        night = quarter_hours(0, 24)  # mostly the night's first six hours
        points = draw(
            st.lists(
                st.one_of(night, quarter_hours(0, 95)),
                min_size=2,
                max_size=6,
                unique=True,
            )
        )
        points = sorted(points)[: len(points) // 2 * 2]
        for start, end in zip(points[::2], points[1::2], strict=True):
            modes = draw(st.lists(st.sampled_from(MODES), min_size=1, unique=True))
            spans.append(
                (weekday, wall(start), wall(end), tuple(modes), f"Sted {start}")
            )
    return Counsellor(
        session_minutes=draw(st.sampled_from([15, 30, 45, 60, 75, 90, 120])),
        buffer_minutes=draw(st.sampled_from([0, 15, 30])),
        notice_hours=draw(st.sampled_from([0, 0, 1, 24])),
        horizon_weeks=draw(st.sampled_from([1, 2])),
        spans=tuple(spans),
    )


@st.composite
def scenarios(draw):
    day = draw(
        st.one_of(
            st.sampled_from(CHANGE_DAYS), st.dates(date(2025, 1, 1), date(2030, 12, 31))
        )
    )
    midnight = datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(UTC)
    people = draw(st.lists(counsellors(day), min_size=1, max_size=2))

    def moment(low_minutes, high_minutes, *, fractions=False):
        at = midnight + draw(st.integers(low_minutes, high_minutes)) * MINUTE
        return at + draw(st.sampled_from(FRACTIONS)) if fractions else at

    def busy(kind, *, fractions=False):
        """Up to three, on the quarter hours where slots start and end; with
        ``fractions`` each bound may be off by a fraction of a second."""
        items, taken = [], set()
        for _ in range(draw(st.integers(0, 3))):
            starts_at = midnight + 15 * MINUTE * draw(st.integers(-4, 40))
            ends_at = starts_at + 15 * MINUTE * draw(st.integers(1, 8))
            if fractions:
                starts_at += draw(st.sampled_from(FRACTIONS))
                ends_at += draw(st.sampled_from(FRACTIONS))
            who = draw(st.integers(0, len(people) - 1))
            if kind != "absence" and (who, starts_at) in taken:
                continue  # one live session or hold per counsellor and start
            taken.add((who, starts_at))
            live = draw(st.booleans()) if kind != "absence" else True
            if kind == "session" and live:
                # The database refuses overlapping live sessions of one counsellor.
                live = not any(
                    b.live
                    and b.who == who
                    and b.starts_at < ends_at
                    and starts_at < b.ends_at
                    for b in items
                )
            items.append(
                Busy(
                    who=who,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    mode=draw(st.sampled_from(MODES)),
                    live=live,
                )
            )
        return tuple(items)

    start = moment(-6 * 60, 3 * 60, fractions=True)
    # Mostly the whole night and the day after, sometimes a short period.
    end = start + MINUTE * draw(
        st.one_of(st.integers(24 * 60, 36 * 60), st.integers(1, 36 * 60))
    )
    # Mostly a few days before the period, sometimes in it or before the horizon.
    now = (
        start
        + draw(
            st.one_of(st.integers(-3 * 24 * 60, 0), st.integers(-15 * 24 * 60, 36 * 60))
        )
        * MINUTE
        + draw(st.sampled_from([timedelta(0), timedelta(seconds=0.5)]))
    )
    neighbours = [day + timedelta(days=n) for n in (-1, 0, 1)]
    closed = draw(st.sampled_from([[], [], *([f"{d:%m-%d}"] for d in neighbours)]))
    return Scenario(
        counsellors=tuple(people),
        sessions=busy("session"),
        holds=busy("hold"),
        absences=busy("absence", fractions=True),
        start=start,
        end=end,
        now=now,
        mode=draw(st.sampled_from([None, None, *MODES])),
        closed_dates=frozenset(closed),
    )


# --- the reference ---------------------------------------------------------------


def first_reading(day: date, clock: time) -> datetime:
    """The first minute when Copenhagen clocks on ``day`` read ``clock`` or later."""
    wanted = datetime.combine(day, clock)
    moment = datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(UTC)
    while moment.astimezone(LOCAL).replace(tzinfo=None) < wanted:
        moment += MINUTE
    return moment


def reference(scenario: Scenario) -> list[tuple]:
    found = []
    first_day = scenario.start.astimezone(LOCAL).date() - timedelta(days=1)
    days = (scenario.end.astimezone(LOCAL).date() - first_day).days + 2
    for who, person in enumerate(scenario.counsellors):
        length = timedelta(minutes=person.session_minutes)
        buffer = timedelta(minutes=person.buffer_minutes)
        busy = [
            b for b in scenario.sessions + scenario.holds if b.live and b.who == who
        ]
        blocked = [
            (b.starts_at, b.ends_at + (buffer if b.mode == Mode.HOME else timedelta(0)))
            for b in busy
        ] + [(a.starts_at, a.ends_at) for a in scenario.absences if a.who == who]

        def free(starts_at, ends_at, blocked=blocked):
            return all(
                not (b_start < ends_at and starts_at < b_end)
                for b_start, b_end in blocked
            )

        for n in range(days):
            day = first_day + timedelta(days=n)
            if day in holidays.country_holidays("DK", years=day.year) or (
                f"{day:%m-%d}" in scenario.closed_dates
            ):
                continue
            for weekday, span_start, span_end, modes, location in person.spans:
                if weekday != day.weekday():
                    continue
                closing = first_reading(day, span_end)
                local_start = datetime.combine(day, span_start)
                while local_start < datetime.combine(day, span_end):
                    starts_at = local_start.replace(tzinfo=LOCAL).astimezone(UTC)
                    exists = (
                        starts_at.astimezone(LOCAL).replace(tzinfo=None) == local_start
                    )
                    ends_at = starts_at + length
                    if (
                        exists
                        and ends_at <= closing
                        and scenario.start <= starts_at < scenario.end
                        and starts_at
                        >= scenario.now + timedelta(hours=person.notice_hours)
                        and starts_at
                        < scenario.now + timedelta(weeks=person.horizon_weeks)
                    ):
                        for mode in modes:
                            if scenario.mode not in (None, mode):
                                continue
                            if free(starts_at, ends_at) and (
                                mode != Mode.HOME or free(starts_at, ends_at + buffer)
                            ):
                                found.append((starts_at, ends_at, mode, who, location))
                    local_start += length
    return sorted(found, key=lambda slot: slot[:2] + (slot[2].value, slot[3]))


# --- the comparison --------------------------------------------------------------


def store(db, scenario: Scenario) -> list[int]:
    """Flush the scenario's rows; the counsellors' ids by index."""
    ids = []
    for person in scenario.counsellors:
        user = User(
            email=f"r{len(ids)}@example.dk",
            name="Rådgiver",
            role=Role.COUNSELLOR,
            password_hash="!",
        )
        db.add(user)
        db.flush()
        ids.append(user.id)
        db.add(
            CounsellorSettings(
                counsellor_id=user.id,
                languages="da",
                session_minutes=person.session_minutes,
                home_visit_buffer_minutes=person.buffer_minutes,
                minimum_notice_hours=person.notice_hours,
                horizon_weeks=person.horizon_weeks,
            )
        )
        for weekday, start, end, modes, location in person.spans:
            db.add(
                AvailabilitySpan(
                    counsellor_id=user.id,
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                    modes=",".join(modes),
                    location=location,
                )
            )
    for b in scenario.sessions:
        db.add(
            CounsellingSession(
                counsellor_id=ids[b.who],
                starts_at=b.starts_at,
                ends_at=b.ends_at,
                mode=b.mode,
                status=SessionStatus.BOOKED if b.live else SessionStatus.CANCELLED,
            )
        )
    tokens = count()
    for b in scenario.holds:
        expires = timedelta(minutes=5) if b.live else timedelta(0)
        db.add(
            SlotHold(
                token=f"t{next(tokens)}",
                counsellor_id=ids[b.who],
                starts_at=b.starts_at,
                ends_at=b.ends_at,
                mode=b.mode,
                expires_at=scenario.now + expires,
            )
        )
    for b in scenario.absences:
        db.add(
            Absence(counsellor_id=ids[b.who], starts_at=b.starts_at, ends_at=b.ends_at)
        )
    db.flush()
    return ids


def found_slots(db, scenario: Scenario) -> list[tuple]:
    """``free_slots`` on the scenario's stored rows, in the reference's terms."""
    ids = store(db, scenario)
    slots = free_slots(
        db,
        scenario.start,
        scenario.end,
        mode=scenario.mode,
        now=scenario.now,
        closed_dates=scenario.closed_dates,
    )
    assert len(set(slots)) == len(slots)
    return [
        (s.starts_at, s.ends_at, s.mode, ids.index(s.counsellor_id), s.location)
        for s in slots
    ]


@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
def test_free_slots_agree_with_the_reference(db_session, scenario):
    try:
        found = found_slots(db_session, scenario)
    finally:
        db_session.rollback()
    assert found == reference(scenario)


def dense_scenario() -> Scenario:
    """Two busy weeks: four counsellors, two spans a weekday in several modes,
    and sessions, cancelled sessions, live and expired holds every 55 minutes
    (off the slot grid), absences, Easter, a closed day and the spring change."""
    monday = date(2026, 3, 23)

    def at(day: date, minutes: int) -> datetime:
        wall_time = datetime.combine(day, time(0)) + minutes * MINUTE
        return wall_time.replace(tzinfo=LOCAL).astimezone(UTC)

    settings_per_person = [(45, 0, 0), (60, 15, 1), (60, 30, 24), (90, 15, 0)]
    people = tuple(
        Counsellor(
            session_minutes=length,
            buffer_minutes=buffer,
            notice_hours=notice,
            horizon_weeks=2,
            spans=tuple(
                span
                for weekday in range(5)
                for span in (
                    (weekday, time(7), time(12), (Mode.CENTRE, Mode.HOME), "Huset"),
                    (weekday, time(12, 30), time(18), (Mode.PHONE, Mode.HOME), "Tlf"),
                )
            ),
        )
        for length, buffer, notice in settings_per_person
    )
    sessions, holds, absences = [], [], []
    for who in range(len(people)):
        for n in range(14):
            day = monday + timedelta(days=n)
            for i, minutes in enumerate(range(7 * 60 + 10 * who, 18 * 60, 55)):
                busy = Busy(
                    who=who,
                    starts_at=at(day, minutes),
                    ends_at=at(day, minutes + 50),
                    mode=MODES[(i + n + who) % 3],
                    live=i % 8 != 5,
                )
                if i % 4 == 0:
                    sessions.append(busy)
                elif i % 4 == 1:
                    sessions.append(replace(busy, live=False))
                elif i % 4 == 2:
                    holds.append(replace(busy, live=i % 8 == 2))
        absences.append(
            Busy(
                who,
                at(monday, (30 + who) * 60),
                at(monday, (36 + who) * 60),
                Mode.CENTRE,
                True,
            )
        )
    return Scenario(
        counsellors=people,
        sessions=tuple(sessions),
        holds=tuple(holds),
        absences=tuple(absences),
        start=at(monday, 0),
        end=at(monday, 14 * 24 * 60),
        now=at(monday, 8 * 60 + 10),
        mode=None,
        closed_dates=frozenset({"03-26"}),
    )


def test_a_dense_fortnight_agrees_with_the_reference(db_session):
    """Many bookings at once: every rule meets many others. (How fast free_slots
    is with 5,000 sessions is measured by `make bench`, not here.)"""
    scenario = dense_scenario()
    found = found_slots(db_session, scenario)
    expected = reference(scenario)
    # Dense, yet every counsellor and every mode keeps free times to compare.
    assert len(expected) > 50
    assert {slot[3] for slot in expected} == set(range(len(scenario.counsellors)))
    assert {slot[2] for slot in expected} == set(MODES)
    assert found == expected
