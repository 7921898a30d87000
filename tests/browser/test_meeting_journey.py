"""Where and how we meet, in the browser: the print page (no script needed, black
on white when printed) and moving a talk to the time it already has."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_booking_journey import (  # noqa: F401 (fixture)
    KeyboardParent,
    demo_calendars,
    submit_step,
)

CENTRE = "Vi mødes i familiehuset"


def book_centre_talk(parent: KeyboardParent) -> tuple[str, dict]:
    page = parent.page
    parent.tab.goto("/anonym-raadgivning")
    submit_step(page)
    parent.answer_topic(nth=None)
    parent.answer_mode("centre")
    parent.answer_language("da")
    chosen = parent.choose_time_from_week(nth=1)
    parent.contact_page()
    submit_step(page)
    parent.review_page()
    expect(page.locator(".meeting-place")).to_contain_text(CENTRE)
    return parent.confirm(), chosen


def test_print_page_and_moving_to_the_same_time(open_tab, demo_calendars):  # noqa: F811
    tab = open_tab()
    parent = KeyboardParent(tab)
    page = tab.page
    code, chosen = book_centre_talk(parent)
    expect(page.locator(".meeting-place")).to_contain_text(CENTRE)

    page.get_by_role(
        "link", name="En side til print med koden, tiden og stedet"
    ).click()
    sheet = page.locator(".print-sheet")
    expect(sheet.locator(".booking-code")).to_contain_text(code)
    expect(sheet.locator("svg")).to_have_count(1)
    expect(sheet).to_contain_text(CENTRE)
    expect(sheet.locator(".print-address")).to_contain_text("/min-booking")
    tab.check()
    page.emulate_media(media="print")
    colour = sheet.locator(".booking-code").evaluate(
        "element => getComputedStyle(element).color"
    )
    assert colour == "rgb(0, 0, 0)"
    expect(page.locator("header").first).to_be_hidden()
    page.emulate_media(media="screen")

    tab.goto("/min-booking")
    expect(page.locator(".session-card .meeting-place")).to_contain_text(CENTRE)
    page.locator("a[href*='/min-booking/flyt/']").first.click()
    expect(page.locator(".current-time")).to_contain_text("Din samtale er nu")
    first_free = page.locator(".first-free input[name=time]")
    if first_free.count():
        assert first_free.get_attribute("value") != chosen["value"]
    tab.check()
    page.goto(page.url + "?uge=1")  # the talk is next week
    radio = page.locator(f"input[name=time][value='{chosen['value']}']")
    radio.check()
    page.locator("form:has(input[name=time][type=radio]) button[type=submit]").click()
    expect(page.get_by_role("status").first).to_contain_text("intet er ændret")
    expect(page.locator(".session-card")).to_have_count(1)
