"""One thing per page, visible at once: on a 320 x 640 phone each booking step shows
its question and the first answer on the first screen (the steps collapse to
"Trin 4 af 6"); the question is asked once, as the legend and the heading together.
On a 1280 x 800 laptop the whole list of steps is shown.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, t
from tests.browser.test_booking_journey import demo_calendars  # noqa: F401

SMALL_PHONE = {**PHONE, "viewport": {"width": 320, "height": 640}}
# Per step: the question, and its first answer (what the parent acts on first).
STEPS = [
    ("emne", "main h1", "main input[type=radio]:first-of-type + label"),
    ("hvordan", "main h1", "main input[type=radio] + label >> nth=0"),
    ("sprog", "main h1", "main input[type=radio] + label >> nth=0"),
    ("tid", "main h1", ".first-free button"),
    ("kontakt", "main h1", "main form input:not([type=hidden]) >> nth=0"),
    ("tjek", "main h1", ".booking-summary .summary-row >> nth=0"),
]


def bottom(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


def walk_to(page, step: str) -> None:
    """Answer the steps before ``step`` with the first option and "Next"."""

    def submit(label: str) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=label).first.click()

    if step == "emne":
        return
    submit(t("Next"))
    if step == "hvordan":
        return
    page.locator("input[name=mode][value=phone]").check()
    submit(t("Next"))
    if step == "sprog":
        return
    submit(t("Next"))
    if step == "tid":
        return
    submit(t("Choose the first free time"))
    if step == "kontakt":
        return
    page.locator("#call_phone").fill("20304050")  # for a phone talk we call
    submit(t("Next"))


@pytest.mark.usefixtures("demo_calendars")
@pytest.mark.parametrize(("step", "question", "answer"), STEPS)
def test_question_and_first_answer_on_the_first_phone_screen(
    open_tab, step, question, answer
):
    tab = open_tab(**SMALL_PHONE)
    page = tab.page
    tab.goto("/anonym-raadgivning")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Start booking")).click()
    walk_to(page, step)
    expect(page).to_have_url(re.compile(rf"/anonym-raadgivning/{step}$"))
    steps = page.locator("nav.booking-steps")
    expect(steps.locator(".step-subheading")).to_be_visible()
    expect(steps.locator("ol")).to_be_hidden()  # the list does not push it down
    assert bottom(page, question) <= 640, (
        f"the question ends below the screen on {step}"
    )
    assert bottom(page, answer) <= 640, (
        f"the first answer is below the screen on {step}"
    )
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, "the page scrolls sideways"
    if step in ("emne", "hvordan", "sprog"):
        # Asked once: the h1 is the legend, no second heading repeats it.
        expect(page.locator("main fieldset > legend > h1")).to_have_count(1)
        expect(page.locator("main h1")).to_have_count(1)
    tab.check()


@pytest.mark.usefixtures("demo_calendars")
def test_the_laptop_shows_every_step(open_tab):
    tab = open_tab()
    page = tab.page
    tab.goto("/anonym-raadgivning")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Start booking")).click()
    steps = page.locator("nav.booking-steps ol > li")
    expect(steps).to_have_count(6)
    expect(steps.first).to_be_visible()
    expect(page.locator("main fieldset > legend > h1")).to_have_text(
        t("What would you like to talk about?")
    )
    tab.check()
