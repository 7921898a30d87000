"""The time page computes free times only up to the week it shows (``make bench``),
and still shows what computing all seven weeks showed."""

from __future__ import annotations

from datetime import time

import pytest

from portal.availability.models import Absence
from portal.booking import timepicker
from tests.factories import NOW, local


def all_weeks(db_session, offset, **kwargs):
    """What the page showed when it computed all seven weeks."""
    times = timepicker.free_times(db_session, mode="centre", language="da", **kwargs)
    return timepicker.week_of_times(times, offset, NOW)


def page(db_session, offset, **kwargs):
    return timepicker.page_context(
        db_session, mode="centre", language="da", offset=offset, **kwargs
    )


@pytest.mark.parametrize("offset", [0, 1, 3, 6, 9])
def test_each_week_shows_the_same_times_and_first_free_time(
    db_session, make_counsellor, clock, offset
):
    make_counsellor(start=time(9), end=time(12))
    make_counsellor(languages="da,en", start=time(13), end=time(15), modes="centre")
    shown = page(db_session, offset)["week"]
    expected = all_weeks(db_session, offset)
    assert shown == expected
    assert shown.first_free is not None


def test_first_free_time_after_a_fully_booked_week_is_still_found(
    db_session, make_counsellor, clock
):
    counsellor = make_counsellor(start=time(9), end=time(12))
    db_session.add(
        Absence(
            counsellor_id=counsellor.id,
            starts_at=local(2026, 3, 23, 0),
            ends_at=local(2026, 4, 7, 0),
        )
    )
    db_session.commit()
    shown = page(db_session, 0)["week"]
    assert shown.days == {}
    assert shown.first_free is not None
    assert shown.first_free.starts_at == local(2026, 4, 7, 9)  # Tuesday after Easter
    assert shown == all_weeks(db_session, 0)


def test_no_free_time_at_all(db_session, make_counsellor, clock):
    make_counsellor(modes="phone")
    shown = page(db_session, 0)["week"]
    assert shown.days == {} and shown.first_free is None


def test_nearest_times_when_the_chosen_time_was_taken(
    db_session, make_counsellor, clock
):
    make_counsellor(start=time(9), end=time(12))
    around = local(2026, 4, 15, 10)
    context = page(db_session, 0, around=around)
    times = timepicker.free_times(db_session, mode="centre", language="da")
    assert context["nearest"] == timepicker.nearest(times, around)
    assert [t.starts_at for t in context["nearest"]] == [
        local(2026, 4, 15, 9),
        around,
        local(2026, 4, 15, 11),
    ]
