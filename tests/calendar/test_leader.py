"""The leader's overview: numbers per ISO week, no personal data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.booking.models import Course
from portal.calendar import services, stats
from tests.calendar.conftest import t
from tests.factories import local


def test_percentile_is_a_value_that_occurred():
    assert stats.percentile([], 90) is None
    assert stats.percentile([5.0], 90) == 5.0
    assert stats.percentile([float(d) for d in range(1, 11)], 90) == 9.0
    assert stats.percentile([1.0, 2.0, 30.0], 90) == 30.0


# The five-session rule alone: all five may lie ahead here.
@pytest.mark.app_config(BOOKING_MAX_UPCOMING=5)
def test_weekly_numbers(db_session, counsellor, colleague, book, book_more, clock):
    first = book(counsellor, local(2026, 3, 24, 10))  # week 13, created Monday 23rd
    for day in (25, 26, 27, 30):
        book_more(first.course, counsellor, local(2026, 3, day, 10))
    second = book(colleague, local(2026, 3, 31, 10))  # week 14
    third = book(colleague, local(2026, 3, 26, 11))  # week 13, then cancelled
    services.cancel_by_counsellor(db_session, third.session, "Syg")
    clock.move_to(local(2026, 3, 24, 12))
    services.mark_outcome(db_session, first.session, "held")
    clock.move_to(local(2026, 3, 25, 12))
    services.mark_outcome(db_session, first.course.sessions[1], "no_show")
    db_session.commit()

    overview = stats.overview(db_session, date(2026, 3, 23), 2)
    week13, week14 = overview.weeks
    assert (week13.week_number, week14.week_number) == (13, 14)
    assert (week13.held, week13.no_show, week13.booked, week13.cancelled) == (
        1,
        1,
        2,
        1,
    )
    assert (week14.booked, week14.cancelled) == (2, 0)
    # Created Monday 09.00, first session Tuesday 10.00: 1.04 days.
    assert week13.days_to_first == [25 / 24]
    assert week13.median_days == 1.0 and week13.p90_days == 1.0
    assert week14.days_to_first == [8.0]  # summer time began on the 29th
    # The fifth counted session of the first course is on Monday 30th (week 14).
    assert (week13.reached_five, week14.reached_five) == (0, 1)
    assert overview.per_counsellor == [("Anna Andersen", [4, 1]), ("Bo Berg", [0, 1])]
    assert second.course.sessions_counted == 1


def test_overview_page_has_numbers_but_no_pseudonyms(
    client, auth, db_session, leader, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10))
    auth.login(leader)
    page = client.get("/leder").get_data(as_text=True)
    assert t("Week %(number)s", number=13) in page
    assert t("Talks per counsellor") in page
    assert "Anna Andersen" in page
    course = db_session.get(Course, made.course.id)
    assert course.pseudonym not in page
    earlier = client.get("/leder?til=2026-01-05").get_data(as_text=True)
    assert t("Week %(number)s", number=2) in earlier


def test_staff_start_page_links(client, auth, leader, counsellor):
    auth.login(leader)
    page = client.get("/medarbejder").get_data(as_text=True)
    for link in ('href="/leder"', 'href="/kalender"', 'href="/leder/medarbejdere"'):
        assert link in page
    auth.logout()
    response = auth.login(counsellor)
    assert response.headers["Location"] == "/oversigt"


def test_timedelta_days_are_rounded_for_display():
    week = stats.WeekStats(date(2026, 3, 23), days_to_first=[1.04, 2.0, 40.5])
    assert week.median_days == 2.0
    assert week.p90_days == 40.5
    assert week.monday + timedelta(days=6) == date(2026, 3, 29)


def test_median_of_an_even_count_is_the_middle_pair_averaged_then_rounded():
    # Two days and two hours, and three days: the middle pair of four.
    week = stats.WeekStats(
        date(2026, 3, 23), days_to_first=[40.5, 3.0, 1.0, 2 + 2 / 24]
    )
    # (2.083 + 3.0) / 2 = 2.54: not the lower 2.1, the upper 3.0 or 2.54.
    assert week.median_days == 2.5
    assert week.p90_days == 40.5
    week.days_to_first = [1.0, 25 / 24, 26 / 24, 10.0]  # 1.0625 rounds up
    assert week.median_days == 1.1
