"""Every form with a choice question: the error summary's links lead somewhere.

A radio or checkbox question has no element of its own with the question's id (the
options have ``mode-0``, ``mode-1`` ...): the link must point at the first option,
and following it must move focus to a real field. Each form is sent without an
answer, then every link in the summary is followed by keyboard.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, log_in_staff, t
from tests.browser.test_booking_journey import demo_calendars  # noqa: F401
from tests.browser.test_calendar_journey import counsellor_with_two_talks

FIELDS = ("INPUT", "SELECT", "TEXTAREA")


def follow_every_error_link(tab, *, at_least: int = 1) -> list[str]:
    """Each link in the error summary: its target exists once, and Enter on the
    link gives that field focus. The targets, in order."""
    page = tab.page
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    tab.check()
    links = summary.locator("a")
    assert links.count() >= at_least
    targets = []
    for index in range(links.count()):
        link = links.nth(index)
        target = (link.get_attribute("href") or "").removeprefix("#")
        assert page.locator(f"[id='{target}']").count() == 1, f"no #{target}"
        link.focus()
        page.keyboard.press("Enter")
        focused = page.evaluate(
            "() => [document.activeElement.id, document.activeElement.tagName]"
        )
        assert focused == [target, focused[1]] and focused[1] in FIELDS, (
            f"link #{target} moved focus to {focused}"
        )
        targets.append(target)
    return targets


def send(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


@pytest.mark.usefixtures("demo_calendars")
def test_booking_questions_link_their_first_option(open_tab):
    for options in ({}, PHONE):
        tab = open_tab(**options)
        tab.expect_console_error(r"status of 400")
        page = tab.page
        tab.goto("/anonym-raadgivning")
        send(page, t("Start booking"))
        send(page, t("Next"))  # the topic is optional
        expect(page).to_have_url(re.compile(r"/hvordan$"))
        send(page, t("Next"))
        assert follow_every_error_link(tab) == ["mode-0"]
        # The summary says what to do, not the question again.
        expect(page.locator("#error-summary a")).to_have_text(
            t("Choose how you would like to talk.")
        )
        page.locator("#mode-1").check()
        send(page, t("Next"))
        expect(page).to_have_url(re.compile(r"/sprog$"))
        # The reader's language is chosen for them; a parent may clear it (a
        # stale form, a screen reader's quirk): the server must still ask.
        page.eval_on_selector_all(
            "input[name=language]", "radios => radios.forEach(r => r.checked = false)"
        )
        send(page, t("Next"))
        assert follow_every_error_link(tab) == ["language-0"]


def test_staff_choice_questions_link_their_first_option(
    open_tab, make_user, db_session
):
    user, _day, _talks = counsellor_with_two_talks(make_user, db_session)
    tab = open_tab()
    tab.expect_console_error(r"status of 400")
    page = tab.page
    log_in_staff(tab, user, db_session)

    tab.goto("/kalender/tilgaengelighed/tid/ny")
    for box in page.locator("input[name=modes]:checked").all():
        box.uncheck()
    send(page, t("Save"))
    assert "modes-0" in follow_every_error_link(tab)

    tab.goto("/kalender/tilgaengelighed/indstillinger")
    for box in page.locator("input[name=languages]:checked").all():
        box.uncheck()
    send(page, t("Save"))
    assert "languages-0" in follow_every_error_link(tab)

    tab.goto("/kalender/book?mode=phone")
    first_time = page.locator("input[name=time]").first.get_attribute("id")
    send(page, t("Book the talk"))
    assert first_time in follow_every_error_link(tab)
