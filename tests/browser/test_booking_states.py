"""States that never contradict, in a real browser: a hold that runs out on the
review page, Back after booking, and the skip link at the start edge.

The live server runs on real time: the hold's end is moved in the database (the
server's "time travel" for one hold) instead of waiting ten minutes.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from portal.booking.models import Course, SlotHold
from portal.db import utcnow
from tests.browser.conftest import PHONE, t
from tests.browser.test_booking_journey import demo_calendars  # noqa: F401
from tests.browser.test_booking_steps_fit import SMALL_PHONE, walk_to


def to_review(tab) -> None:
    page = tab.page
    tab.goto("/anonym-raadgivning")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Start booking")).click()
    walk_to(page, "tjek")
    expect(page).to_have_url(re.compile(r"/anonym-raadgivning/tjek$"))


def move_hold_end(db_session, seconds: float) -> None:
    db_session.execute(
        update(SlotHold).values(expires_at=utcnow() + timedelta(seconds=seconds))
    )
    db_session.commit()


@pytest.mark.usefixtures("demo_calendars")
def test_a_hold_that_runs_out_on_the_review_page_is_said_once(open_tab, db_session):
    tab = open_tab(**SMALL_PHONE)
    page = tab.page
    to_review(tab)
    held = page.locator(".booking-summary .summary-row").first.inner_text()
    move_hold_end(db_session, 2)
    page.reload()
    notice = page.locator(".hold-text")
    expired = t("The time is no longer kept. Choose it again.")
    expect(notice).to_have_text(expired, timeout=8_000)  # the countdown ended
    expect(notice).not_to_contain_text(t("Minutes left:"))
    tab.check()

    page.reload()  # the server knows too: back to the times, said once
    expect(page).to_have_url(re.compile(r"/anonym-raadgivning/tid$"))
    problem = page.locator(".alert-warning .alert-heading")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text(re.compile(r"^Vi holder ikke længere"))
    expect(page.locator(".hold-notice")).to_have_count(0)
    # The same time is offered again, chosen; one press books it again.
    chosen = page.locator("input[id^=near-]:checked + label")
    expect(chosen).to_have_count(1)
    assert chosen.inner_text().split()[-1] in held
    tab.check()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Choose this time")).click()
    expect(page).to_have_url(re.compile(r"/anonym-raadgivning/kontakt$"))


@pytest.mark.usefixtures("demo_calendars")
def test_back_after_booking_says_the_booking_is_made(open_tab, db_session):
    tab = open_tab(**PHONE)
    page = tab.page
    to_review(tab)
    before = len(db_session.scalars(select(Course)).all())  # the demo's own
    with page.expect_navigation():
        page.get_by_role("button", name=t("Confirm the booking")).click()
    expect(page.locator(".booking-code")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/min-booking$"))
    expect(page.get_by_role("main")).to_contain_text(
        t(
            "Your booking is made. Type your booking code in My booking "
            "to see, move or cancel it."
        )
    )
    expect(page.get_by_role("main")).not_to_contain_text(
        t("We could not keep the time any longer. Choose a time again.")
    )
    tab.check()
    page.go_back()  # further back: still the booking made, never a second one
    expect(page).to_have_url(re.compile(r"/min-booking$"))
    db_session.expire_all()
    assert len(db_session.scalars(select(Course)).all()) == before + 1


@pytest.mark.parametrize("viewport", [SMALL_PHONE, {}], ids=["phone", "laptop"])
def test_the_skip_link_sits_at_the_start_edge(open_tab, viewport):
    for language, at_start in (("da", "left"), ("ar", "right")):
        tab = open_tab(**viewport)
        page = tab.page
        tab.goto(f"/anonym-raadgivning?lang={language}")
        page.keyboard.press("Tab")
        link = page.locator(".skipnav")
        expect(link).to_be_focused()
        box = link.bounding_box()
        width = page.viewport_size["width"]
        if at_start == "left":
            assert box["x"] < 40, box
        else:
            assert width - (box["x"] + box["width"]) < 40, (box, width)
        tab.check()
