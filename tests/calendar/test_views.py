"""Day, week and list views: contents, Danish week numbers, closed days, roles,
and a constant number of SQL queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.accounts.models import Role
from portal.availability.models import Absence
from portal.booking.models import CounsellingSession
from portal.booking.privacy import delete_course
from tests.calendar.conftest import t
from tests.conftest import count_queries
from tests.factories import local


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_week_view_shows_sessions_with_time_mode_and_pseudonym(
    client, auth, counsellor, book
):
    centre = book(counsellor, local(2026, 3, 24, 10))
    home = book(counsellor, local(2026, 3, 26, 13), mode="home")
    auth.login(counsellor)
    page = page_of(client.get("/kalender"))
    assert t("Week %(number)s", number=13) in page
    assert t("Course %(name)s", name=centre.course.pseudonym) in page
    assert t("Course %(name)s", name=home.course.pseudonym) in page
    assert "10.00–11.00" in page and "13.00–14.00" in page
    assert t("Family centre") in page
    # A home visit is marked (in bold, with the house icon), never its address.
    assert f"<strong>{t('Home visit')}</strong>" in page
    assert 'href="#home"' in page
    assert "Eksempelvej" not in page
    # Monday first, then the rest of the week in order.
    days = re.findall(r'id="day-(\d{4}-\d\d-\d\d)"', page)
    assert days == [f"2026-03-{d}" for d in range(23, 30)]
    # Default hours 07-20: 52 rows of 15 minutes.
    assert "cal-rows-52" in page


@pytest.mark.parametrize(
    ("chosen", "week", "monday"),
    [
        ("2026-12-28", 53, "2026-12-28"),
        ("2027-01-01", 53, "2026-12-28"),
        ("2027-01-03", 53, "2026-12-28"),
        ("2027-01-04", 1, "2027-01-04"),
    ],
)
def test_week_numbers_around_new_year(
    client, auth, make_user, give_calendar, chosen, week, monday
):
    counsellor = give_calendar(make_user(Role.COUNSELLOR))
    auth.login(counsellor)
    page = page_of(client.get(f"/kalender?dato={chosen}"))
    heading = re.search(r'<h2 class="cal-week-heading">([^<]*)</h2>', page).group(1)
    assert heading.startswith(t("Week %(number)s", number=week) + ",")
    first_day = re.search(r'id="day-(\d{4}-\d\d-\d\d)"', page).group(1)
    assert first_day == monday


def test_closed_days_are_shaded_holidays_closed_dates_and_absences(
    client, auth, make_user, give_calendar, db_session
):
    counsellor = give_calendar(make_user(Role.COUNSELLOR))
    db_session.add(
        Absence(
            counsellor_id=counsellor.id,
            starts_at=local(2026, 12, 21, 0),
            ends_at=local(2026, 12, 22, 0),
            reason="Ferie",
        )
    )
    db_session.commit()
    auth.login(counsellor)
    page = page_of(client.get("/kalender?dato=2026-12-23"))
    closed = re.findall(
        r'<section class="cal-day cal-closed[^"]*" aria-labelledby="day-([\d-]+)"', page
    )
    # Monday (absent), Thursday 24th (closed date), Friday and Saturday (holidays).
    assert closed == ["2026-12-21", "2026-12-24", "2026-12-25", "2026-12-26"]
    assert t("Closed: %(holiday)s", holiday="Juledag") in page
    assert t("Absent all day") in page
    assert "Ferie" not in page  # the reason is for leaders only


def test_leader_sees_the_absence_reason(client, auth, counsellor, leader, db_session):
    db_session.add(
        Absence(
            counsellor_id=counsellor.id,
            starts_at=local(2026, 3, 24, 12),
            ends_at=local(2026, 3, 24, 14),
            reason="Kursus",
        )
    )
    db_session.commit()
    auth.login(counsellor)
    assert "Kursus" not in page_of(client.get("/kalender"))
    auth.logout()
    auth.login(leader)
    page = page_of(client.get(f"/kalender?raadgiver={counsellor.public_id}"))
    assert "Kursus" in page
    assert t("Calendar of %(name)s", name="Anna Andersen") in page


def test_deleted_course_shows_as_cancelled_course_deleted(
    client, auth, counsellor, book, db_session
):
    made = book(counsellor, local(2026, 3, 25, 10))
    delete_course(db_session, made.course)
    db_session.commit()
    db_session.expire_all()  # the requests share this session; see tests/conftest
    auth.login(counsellor)
    page = page_of(client.get("/kalender"))
    assert t("cancelled – course deleted") in page
    assert made.course.pseudonym not in page


def test_day_and_list_views_and_navigation_work_without_javascript(
    client, auth, counsellor, book
):
    made = book(counsellor, local(2026, 3, 24, 10), mode="phone")
    auth.login(counsellor)
    day = page_of(client.get("/kalender/dag?dato=2026-03-24"))
    assert t("Course %(name)s", name=made.course.pseudonym) in day
    assert "/kalender/dag?dato=2026-03-23" in day  # previous day
    assert "/kalender/dag?dato=2026-03-25" in day  # next day
    assert 'type="date" id="dato" name="dato" value="2026-03-24"' in day
    listing = page_of(client.get("/kalender/liste?dato=2026-03-23"))
    assert t("Course %(name)s", name=made.course.pseudonym) in listing
    assert t("Phone") in listing
    week = page_of(client.get("/kalender?dato=2026-03-25"))
    assert "/kalender?dato=2026-03-16" in week and "/kalender?dato=2026-03-30" in week
    assert '/kalender?dato=2026-03-23"' in week  # today
    # Nonsense dates fall back to today.
    assert "day-2026-03-23" in page_of(client.get("/kalender?dato=nonsense"))


def test_hours_grow_to_show_an_early_session(
    client, auth, make_user, give_calendar, book, clock
):
    from datetime import time

    early = give_calendar(
        make_user(Role.COUNSELLOR),
        spans=[(2, time(6), time(8), "phone")],
    )
    book(early, local(2026, 3, 25, 6), mode="phone")
    auth.login(early)
    page = page_of(client.get("/kalender"))
    assert "cal-rows-56" in page  # 06-20
    assert "06.00–07.00" in page


# --- who sees what --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (Role.FAMILY, "/kalender", 403),
        (Role.FAMILY, "/kalender/dag", 403),
        (Role.FAMILY, "/kalender/liste", 403),
        (Role.FAMILY, "/kalender/tilgaengelighed", 403),
        (Role.FAMILY, "/kalender/book", 403),
        (Role.FAMILY, "/leder", 403),
        (Role.COUNSELLOR, "/leder", 403),
        (Role.COUNSELLOR, "/kalender", 200),
        (Role.LEADER, "/leder", 200),
        (Role.LEADER, "/kalender", 200),
    ],
)
def test_role_guard(client, auth, make_user, role, path, status):
    auth.login(make_user(role))
    assert client.get(path).status_code == status


def test_logged_out_visitors_are_sent_to_the_staff_log_in(client):
    response = client.get("/kalender")
    assert response.status_code == 302
    assert response.headers["Location"] == "/medarbejder/log-ind"


def test_a_counsellor_sees_only_their_own_calendar_and_sessions(
    client, auth, counsellor, colleague, book
):
    theirs = book(colleague, local(2026, 3, 24, 10))
    auth.login(counsellor)
    assert client.get(f"/kalender?raadgiver={colleague.public_id}").status_code == 403
    assert (
        client.get(f"/kalender/tilgaengelighed?raadgiver={colleague.public_id}")
    ).status_code == 403
    own_week = page_of(client.get("/kalender"))
    assert theirs.course.pseudonym not in own_week
    session_url = f"/kalender/samtale/{theirs.session.public_id}"
    assert client.get(session_url).status_code == 404
    for action in ("flyt", "aflys"):
        assert client.get(f"{session_url}/{action}").status_code == 404
    response = auth.post_form(
        f"{session_url}/aflys", {"reason": "test"}, page="/kalender"
    )
    assert response.status_code == 404


def test_a_family_cannot_open_a_session(client, auth, make_user, counsellor, book):
    made = book(counsellor, local(2026, 3, 24, 10))
    auth.login(make_user(Role.FAMILY))
    assert client.get(f"/kalender/samtale/{made.session.public_id}").status_code == 403


def test_a_leader_chooses_any_counsellor(
    client, auth, leader, counsellor, colleague, book
):
    made = book(colleague, local(2026, 3, 24, 10))
    auth.login(leader)
    page = page_of(client.get(f"/kalender?raadgiver={colleague.public_id}"))
    assert made.course.pseudonym in page
    assert f'<option value="{colleague.public_id}" selected>' in page
    assert client.get("/kalender?raadgiver=unknown").status_code == 404
    assert client.get(f"/kalender/samtale/{made.session.public_id}").status_code == 200


# --- no N+1 ---------------------------------------------------------------------------


def test_week_view_uses_a_constant_number_of_queries(
    app, client, auth, counsellor, db_session
):
    auth.login(counsellor)
    week = [local(2026, 3, 24 + d // 10, 7) + timedelta(hours=d % 10) for d in range(3)]

    def add_sessions(starts):
        from portal.booking.models import Course

        for start in starts:
            course = Course(
                code_hash=start.isoformat() + str(counsellor.id),
                pseudonym=f"Test {start:%d%H}",
            )
            db_session.add(course)
            db_session.add(
                CounsellingSession(
                    course=course,
                    counsellor_id=counsellor.id,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=45),
                    mode="home",
                )
            )
        db_session.commit()

    add_sessions(week[:1])
    few = count_queries(app, client, "/kalender")
    more = [
        local(2026, 3, 24 + d // 10, 7) + timedelta(hours=d % 10) for d in range(1, 30)
    ]
    add_sessions(more)
    many = count_queries(app, client, "/kalender")
    assert many == few, (few, many)
    assert few <= 8
