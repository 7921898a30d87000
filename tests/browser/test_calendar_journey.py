"""The counsellor's calendar in a real browser: log in with TOTP, add an absence that
collides with booked talks, resolve it (cancel one, move the other by keyboard),
and axe-check every calendar view and form on the way.

Texts are looked up through the catalogue (Danish, or the English message id until
it is translated), so the test follows the words the page really uses.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import Role
from portal.availability.models import Absence, AvailabilitySpan, CounsellorSettings
from portal.booking import courses, holds
from portal.booking.models import CounsellingSession
from portal.booking.slots import free_slots
from portal.db import utcnow
from portal.i18n import LOCAL
from tests.browser.conftest import PHONE, log_in_staff, t


def counsellor_with_two_talks(make_user, db_session):
    """A counsellor free every day 08-18, with two talks on the first day that
    has at least three free times (so one can move within the week)."""
    user = make_user(Role.COUNSELLOR, name="Anna Andersen")
    db_session.add(CounsellorSettings(counsellor_id=user.id, languages="da"))
    for weekday in range(7):
        db_session.add(
            AvailabilitySpan(
                counsellor_id=user.id,
                weekday=weekday,
                start_time=time(8),
                end_time=time(18),
                modes="centre,phone",
                location="Familiehuset",
            )
        )
    db_session.commit()
    now = utcnow()
    slots = free_slots(
        db_session, now, now + timedelta(days=14), mode="phone", language="da"
    )
    by_day: dict = {}
    for slot in slots:
        by_day.setdefault(slot.starts_at.astimezone(LOCAL).date(), []).append(slot)
    # The first day may hold a single time late in the afternoon, depending on
    # when the test runs; take the first day with room for the scenario.
    day, on_day = next((d, s) for d, s in by_day.items() if len(s) >= 3)
    talks = []
    for slot in on_day[:2]:
        hold = holds.hold_slot(
            db_session, starts_at=slot.starts_at, mode="phone", language="da"
        )
        talks.append(
            courses.create_course(
                db_session,
                hold_token=hold.token,
                language="da",
                call_phone="20304050",
            )
        )
    db_session.commit()
    return user, day, talks


def test_counsellor_resolves_an_absence_and_moves_a_talk_by_keyboard(
    tab, make_user, db_session
):
    user, day, (first, second) = counsellor_with_two_talks(make_user, db_session)
    page = tab.page
    log_in_staff(tab, user, db_session)
    tab.check()

    # The three views of the talks' day, each axe-clean.
    week_number = day.isocalendar().week
    tab.goto(f"/kalender?dato={day.isoformat()}")
    expect(page.get_by_role("heading", level=2).first).to_contain_text(
        t("Week %(number)s", number=week_number)
    )
    expect(
        page.get_by_text(t("Course %(name)s", name=first.course.pseudonym))
    ).to_be_visible()
    tab.check()
    page.get_by_role("navigation", name=t("Calendar view")).get_by_role(
        "link", name=t("Day")
    ).click()
    expect(page).to_have_url(re.compile(r"/kalender/dag\?dato="))
    expect(
        page.get_by_text(t("Course %(name)s", name=second.course.pseudonym))
    ).to_be_visible()
    tab.check()
    page.get_by_role("navigation", name=t("Calendar view")).get_by_role(
        "link", name=t("List")
    ).click()
    expect(page).to_have_url(re.compile(r"/kalender/liste\?dato="))
    tab.check()

    # The date picker works without JavaScript: a plain GET form.
    page.locator("#dato").fill((day + timedelta(days=7)).isoformat())
    page.get_by_role("button", name=t("Show")).click()
    expect(page).to_have_url(re.compile(rf"dato={day + timedelta(days=7)}"))

    # An absence on the talks' day: nothing is dropped, the talks are shown.
    page.get_by_role("navigation", name=t("Calendar menu")).get_by_role(
        "link", name=t("Available times")
    ).click()
    tab.check()
    page.get_by_role("link", name=t("Add absence")).click()
    tab.check()
    page.locator("#start_date").fill(day.isoformat())
    page.locator("#end_date").fill(day.isoformat())
    page.locator("#reason").fill("Kursus")
    page.locator("#reason").press("Enter")
    expect(page).to_have_url(re.compile(r"/kalender/tilgaengelighed/konflikter$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Talks are booked in that time")
    )
    tab.check()
    assert db_session.scalar(select(Absence)) is None

    # Cancel the first talk with a reason.
    page.locator("li", has_text=first.course.pseudonym).get_by_role(
        "link", name=re.compile(t("Cancel"))
    ).click()
    tab.check()
    page.locator("#reason").fill("Kursus hele dagen")
    page.locator("#reason").press("Enter")
    expect(page).to_have_url(re.compile(r"/kalender/tilgaengelighed/konflikter$"))

    # Move the second talk with the keyboard alone: Enter on the link, arrow keys
    # in the list of free times, Tab to the button, Enter.
    move_link = page.locator("li", has_text=second.course.pseudonym).get_by_role(
        "link", name=re.compile(t("Move"))
    )
    move_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/flyt\?tilbage=konflikter$"))
    tab.check()
    radios = page.locator("input[name=time]")
    expect(radios.first).to_be_visible()
    radios.first.focus()
    page.keyboard.press("ArrowDown")
    chosen = page.locator("input[name=time]:checked").get_attribute("value")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=t("Move the talk"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kalender/tilgaengelighed/konflikter$"))
    expect(page.get_by_role("status").first).to_be_visible()
    tab.check()

    # Nothing is in the way any more: save the absence.
    page.get_by_role("button", name=t("Save the change")).click()
    expect(page).to_have_url(re.compile(r"/kalender/tilgaengelighed$"))
    tab.check()

    db_session.expire_all()
    absence = db_session.scalar(select(Absence))
    assert absence is not None and absence.reason == "Kursus"
    cancelled = db_session.get(CounsellingSession, first.session.id)
    moved = db_session.get(CounsellingSession, second.session.id)
    assert cancelled.status == "cancelled"
    assert moved.status == "booked"
    assert moved.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") == chosen
    assert moved.starts_at.astimezone(LOCAL).date() != day
    assert not (absence.starts_at <= moved.starts_at < absence.ends_at)


def test_booking_pages_and_leader_overview_are_accessible(
    open_tab, make_user, db_session
):
    user, day, (first, _second) = counsellor_with_two_talks(make_user, db_session)
    leader = make_user(Role.LEADER, name="Lone Leder")
    tab = open_tab()
    page = tab.page
    log_in_staff(tab, user, db_session)
    tab.goto(f"/kalender/samtale/{first.session.public_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Course %(name)s", name=first.course.pseudonym)
    )
    tab.check()
    for path in (
        "/kalender/book?mode=phone",
        "/kalender/book/kode",
        "/kalender/tilgaengelighed/tid/ny",
        "/kalender/tilgaengelighed/indstillinger",
    ):
        tab.goto(path)
        tab.check()

    # Book for a caller and see the code once.
    tab.goto("/kalender/book?mode=phone")
    page.locator("input[name=time]").first.check()
    page.get_by_label(t("The phone number we call the parent on")).fill("20304050")
    page.get_by_role("button", name=t("Book the talk")).click()
    code = page.locator(".cal-code")
    expect(code).to_have_text(re.compile(r"[0-9A-Z]{4}( - [0-9A-Z]{4}){3}"))
    tab.check()

    # The leader on a phone: the week stacks its days, nothing scrolls sideways.
    leader_tab = open_tab(**PHONE)
    log_in_staff(leader_tab, leader, db_session, lands_on=r"/medarbejder$")
    leader_page = leader_tab.page
    leader_tab.check()
    leader_page.get_by_role(
        "link", name=t("Overview of the anonymous counselling")
    ).click()
    expect(leader_page).to_have_url(re.compile(r"/leder$"))
    leader_tab.check()
    leader_tab.goto(f"/kalender?dato={day.isoformat()}")
    expect(leader_page.get_by_text(first.course.pseudonym, exact=False)).to_be_visible()
    leader_tab.check()
    assert leader_page.evaluate("document.documentElement.scrollWidth") <= 375
