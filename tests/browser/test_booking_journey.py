"""Anonymous booking and Min booking in a real browser, by keyboard only.

A parent who cannot use a mouse books a talk with Tab, Shift+Tab, Enter, Space and
the arrow keys, in Danish and in Arabic (right to left), opens Min booking with the
code, cancels the talk and deletes everything. Every page is screenshotted into
``test-artifacts/screenshots/`` and checked with axe (WCAG 2.0/2.1 A and AA) by
``Tab.check()``.

The live server runs on real time, so nothing here knows the date: the tests read
what the pages offer (which week, which times) and check what comes back.
"""

from __future__ import annotations

import io
import re
from urllib.parse import unquote, urlsplit

import pytest
import segno
from playwright.sync_api import expect

from portal import demo
from portal.accounts.models import User
from portal.booking import demo as booking_demo
from portal.booking import demo_data as booking_demo_data
from tests.browser.conftest import PHONE

CODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}")
CONFIRM_BUTTON = "form[action$='/anonym-raadgivning/bekraeft'] button[type=submit]"
STEP_SUBMIT = "main form:not([action$='/log-ud']) button[type=submit]"
TIME_RADIOS = "input[type=radio][name=time]"


@pytest.fixture
def demo_calendars(db_session):
    """The demo counsellors' calendars (Mon-Fri spans, all four modes and Danish,
    English and Arabic between them), the topics and the two demo courses, as
    ``portal.demo.seed`` makes them, committed so the server thread sees them.

    The counsellors get accounts that cannot log in: hashing the demo passwords
    with argon2 would cost a second per test for nothing.
    """
    calendar_owners = {email for email, *_ in booking_demo_data.CALENDARS}
    for email, name, role in demo.STAFF:
        if email in calendar_owners:
            db_session.add(User(email=email, name=name, role=role, password_hash="!"))
    db_session.flush()
    booking_demo.seed_booking(db_session)
    db_session.commit()


# --- the keyboard ----------------------------------------------------------------


def describe_focus(page) -> str:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el) return "nothing";
          const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
          return `${el.tagName.toLowerCase()}#${el.id}[name=${el.name || ""}] `
            + `"${(label || el.innerText || el.value || "").trim().slice(0, 60)}"`;
        }"""
    )


def has_focus(page, target) -> bool:
    """``target`` is a CSS selector (any match) or a locator (exactly one element)."""
    if isinstance(target, str):
        return page.evaluate(
            "selector => !!document.activeElement"
            " && document.activeElement.matches(selector)",
            target,
        )
    return target.evaluate("element => element === document.activeElement")


def assert_focus_visible(page) -> None:
    """WCAG 2.4.7: the focused element shows it (radios and checkboxes are drawn by
    their label's ::before, the input itself is invisible)."""
    shown = page.evaluate(
        """() => {
          const el = document.activeElement;
          const drawn = (el.type === "radio" || el.type === "checkbox")
            ? getComputedStyle(el.labels[0], "::before") : getComputedStyle(el);
          return (drawn.outlineStyle !== "none" && drawn.outlineWidth !== "0px")
            || drawn.boxShadow !== "none";
        }"""
    )
    assert shown, f"no visible focus on {describe_focus(page)}"


def tab_to(page, target, *, backwards: bool = False, limit: int = 60) -> int:
    """Press Tab (or Shift+Tab) until ``target`` has focus, which must be visible;
    the number of presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if has_focus(page, target):
            assert_focus_visible(page)
            return presses
    raise AssertionError(
        f"{target!r} not reached with {limit} x {key}; focus: {describe_focus(page)}"
    )


def press_and_load(page, key: str = "Enter") -> None:
    """Press a key that follows a link or submits a form, and wait for the page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def checked_radio(page, name: str) -> dict | None:
    return page.evaluate(
        """name => {
          const radio = document.querySelector(
            `input[type=radio][name="${name}"]:checked`);
          const label = radio && radio.labels[0].textContent.replace(/\\s+/g, " ");
          return radio && {value: radio.value, label: label.trim(),
                           focused: radio === document.activeElement};
        }""",
        name,
    )


def choose_radio(page, name: str, *, value: str | None = None, nth: int = 0) -> dict:
    """Tab into a radio group, then choose with Space and the arrow keys: the option
    with ``value``, or the ``nth`` (0-based) option."""
    tab_to(page, f"input[type=radio][name='{name}']")
    values = page.eval_on_selector_all(
        f"input[type=radio][name='{name}']", "radios => radios.map(r => r.value)"
    )
    if checked_radio(page, name) is None:
        page.keyboard.press("Space")  # the first option has focus: choose it
    wanted = value if value is not None else values[nth]
    for _ in range(len(values)):
        if checked_radio(page, name)["value"] == wanted:
            break
        page.keyboard.press("ArrowDown")  # next option; the same in both directions
    chosen = checked_radio(page, name)
    assert chosen["value"] == wanted and chosen["focused"], chosen
    return chosen


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def submit_step(page) -> None:
    """Tab forward to the page's (one) submit button and press Enter on it."""
    tab_to(page, page.locator(STEP_SUBMIT))
    press_and_load(page)


# --- one parent ------------------------------------------------------------------


class KeyboardParent:
    """A parent in one browser tab, using only the keyboard after the first page."""

    def __init__(self, tab, *, language: str = "da", every_page: bool = True) -> None:
        self.tab = tab
        self.page = tab.page
        self.language = language
        #: Screenshot and axe on every page; tests that walk the same pages again
        #: to get somewhere else check only the pages they are about.
        self.every_page = every_page

    def check(self, *, always: bool = False) -> None:
        """A page: the reader's language and direction, then screenshot and axe."""
        html = self.page.locator("html")
        expect(html).to_have_attribute("lang", self.language)
        expect(html).to_have_attribute("dir", "rtl" if self.language == "ar" else "ltr")
        if self.every_page or always:
            self.tab.check()

    def step(self, number: int, *, always: bool = False) -> None:
        """A step of the flow: the step indicator says which and marks it current."""
        steps = self.page.locator("nav.booking-steps")
        expect(steps.locator("[aria-current=step]")).to_have_count(1)
        expect(steps.locator("ol > li").nth(number - 1)).to_have_class("current")
        expect(steps.locator(".step-subheading")).to_contain_text(f"{number}")
        self.check(always=always)

    def answer_topic(self, *, nth: int | None, text: str = "") -> None:
        page = self.page
        expect(page).to_have_url(re.compile(r"/anonym-raadgivning/emne$"))
        self.step(1)
        if nth is not None:
            choose_radio(page, "topic", nth=nth)
        if text:
            type_into(page, "#topic_text", text)
        submit_step(page)

    def chosen(self, name: str) -> None:
        """After choosing with the keyboard: right to left, the circle, its dot and
        the gap to the text are on the right; a picture of the focused choice."""
        if self.language == "ar":
            assert_radio_mirrored(self.page, name)
        if self.every_page:
            self.tab.screenshot()

    def answer_mode(self, mode: str) -> None:
        expect(self.page).to_have_url(re.compile(r"/anonym-raadgivning/hvordan$"))
        self.step(2)
        choose_radio(self.page, "mode", value=mode)
        self.chosen("mode")
        submit_step(self.page)

    def answer_language(self, language: str) -> None:
        expect(self.page).to_have_url(re.compile(r"/anonym-raadgivning/sprog$"))
        self.step(3)
        choose_radio(self.page, "language", value=language)
        submit_step(self.page)

    def time_page(self) -> None:
        expect(self.page).to_have_url(re.compile(r"/anonym-raadgivning/tid"))
        self.step(4)

    def choose_time_from_week(self, nth: int = 2) -> dict:
        return self.pick_from_next_week(nth, on_page=self.time_page)

    def pick_from_next_week(self, nth: int, *, on_page) -> dict:
        """Page to next week with its link, then choose the ``nth`` free time there
        with the arrow keys; the chosen radio's value (UTC) and label."""
        page = self.page
        on_page()
        heading = page.locator("#week-heading").inner_text()
        tab_to(page, page.locator(".week-nav a[href*='uge=1']"))
        press_and_load(page)
        expect(page.locator("#week-heading")).not_to_have_text(heading)
        assert urlsplit(page.url).fragment == "week-heading"
        on_page()
        # The week link lands on the week: the next Tab goes on from there.
        page.keyboard.press("Tab")
        assert has_focus(page, ".week-nav a"), describe_focus(page)
        count = page.locator(TIME_RADIOS).count()
        assert count >= 1, "no free times next week"
        chosen = choose_radio(page, "time", nth=min(nth, count - 1))
        self.chosen("time")
        tab_to(page, page.locator(f"form:has({TIME_RADIOS}) button[type=submit]"))
        press_and_load(page)
        return chosen

    def choose_first_free_time(self) -> str:
        page = self.page
        self.time_page()
        first = page.locator(".first-free-time").inner_text()
        tab_to(page, page.locator(".first-free button[type=submit]"))
        press_and_load(page)
        return first

    def contact_page(self, *, always: bool = False) -> None:
        expect(self.page).to_have_url(re.compile(r"/anonym-raadgivning/kontakt$"))
        expect(self.page.locator(".hold-notice")).to_be_visible()
        self.step(5, always=always)

    def review_page(self, *, always: bool = False) -> None:
        expect(self.page).to_have_url(re.compile(r"/anonym-raadgivning/tjek$"))
        self.step(6, always=always)

    def confirm(self) -> str:
        """Confirm on the review page; the booking code from the confirmation."""
        page = self.page
        tab_to(page, page.locator(CONFIRM_BUTTON))
        press_and_load(page)
        code_box = page.locator(".booking-code")
        expect(code_box).to_be_visible()
        self.check(always=True)
        code = CODE.search(code_box.inner_text()).group(0)
        return code

    def open_my_booking(self, code: str) -> None:
        """Type the code into Min booking's form and press Enter."""
        page = self.page
        type_into(page, "#code", code)
        press_and_load(page)
        expect(page).to_have_url(re.compile(r"/min-booking$"))
        expect(page.locator(".sessions-used")).to_be_visible()
        self.check()

    def cancel_first_talk(self) -> None:
        page = self.page
        tab_to(page, page.locator("a[href*='/min-booking/aflys/']").first)
        press_and_load(page)
        expect(page).to_have_url(re.compile(r"/min-booking/aflys/"))
        self.check()
        submit_step(page)
        expect(page).to_have_url(re.compile(r"/min-booking$"))
        expect(page.get_by_role("status").first).to_be_visible()
        self.check()

    def delete_everything(self) -> None:
        page = self.page
        tab_to(page, page.locator("a[href$='/min-booking/slet']"))
        press_and_load(page)
        expect(page).to_have_url(re.compile(r"/min-booking/slet$"))
        expect(page.get_by_role("alert")).to_be_visible()
        self.check()
        submit_step(page)
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator(".sessions-used")).to_have_count(0)
        self.check()


def start_from(parent: KeyboardParent, path: str) -> None:
    """Open the start page and press its "Start booking" button by keyboard."""
    parent.tab.goto(path)
    expect(parent.page).to_have_url(re.compile(r"/anonym-raadgivning(\?.*)?$"))
    parent.check()
    submit_step(parent.page)


# --- the journeys ----------------------------------------------------------------


def test_danish_parent_books_manages_and_deletes_by_keyboard(open_tab, demo_calendars):
    tab = open_tab()
    parent = KeyboardParent(tab)
    page = tab.page

    tab.goto("/")
    parent.check()
    book = page.get_by_role("link", name="Book anonym rådgivning")
    tab_to(page, book)
    press_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tal med os uden at sige dit navn"
    )
    parent.check()
    submit_step(page)

    parent.answer_topic(nth=1, text="Vores søn på 9 sover dårligt.")
    parent.answer_mode("centre")
    parent.answer_language("da")
    chosen = parent.choose_time_from_week(nth=2)
    # The radio's label: "09.30" and, for screen readers, ", mandag den 30. november".
    hour, day = re.fullmatch(r"(\d\d\.\d\d), (.+)", chosen["label"]).groups()

    parent.contact_page()
    submit_step(page)  # nothing given: contact is optional

    parent.review_page()
    summary = page.locator(".booking-summary")
    expect(summary).to_contain_text(f"{day} kl. {hour}")
    expect(summary).to_contain_text("I familiehuset")
    expect(summary).to_contain_text("Dansk")
    expect(summary).to_contain_text("Vores søn på 9 sover dårligt.")
    # Changing an answer is one Shift+Tab back from the button: the last "Ret".
    tab_to(page, page.locator(CONFIRM_BUTTON))
    change_phone = page.get_by_role("link", name="Ret Telefon")
    assert tab_to(page, change_phone, backwards=True) == 1
    code = parent.confirm()
    expect(page.locator(".alert-success")).to_contain_text(f"{day} kl. {hour}")

    # Min booking in a browser that has never seen the booking: type the code.
    other = KeyboardParent(open_tab())
    other.tab.goto("/min-booking")
    other.check()
    other.open_my_booking(code)
    expect(other.page.locator(".sessions-used")).to_have_text("1 af 5 samtaler brugt")
    expect(other.page.locator(".session-card")).to_contain_text(f"{day} kl. {hour}")

    other.cancel_first_talk()
    expect(other.page.get_by_role("status").first).to_contain_text("Samtalen er aflyst")
    expect(other.page.locator(".sessions-used")).to_have_text("0 af 5 samtaler brugt")

    other.delete_everything()
    expect(other.page.get_by_role("heading", level=1)).to_have_text("Alt er slettet")


def test_arabic_parent_books_manages_and_deletes_by_keyboard(open_tab, demo_calendars):
    """The same journey right to left. The Arabic catalogue is still being written,
    so this checks structure, direction and order, not words."""
    tab = open_tab()
    parent = KeyboardParent(tab, language="ar")
    page = tab.page

    start_from(parent, "/anonym-raadgivning?lang=ar")
    parent.answer_topic(nth=0, text="ابني لا ينام جيدا")
    parent.answer_mode("centre")
    parent.answer_language("ar")
    parent.choose_time_from_week(nth=1)

    parent.contact_page()
    submit_step(page)
    parent.review_page()
    summary = page.locator(".booking-summary")
    expect(summary).to_contain_text("ابني لا ينام جيدا")
    assert_mirrored(page)
    code = parent.confirm()
    code_box = page.locator(".booking-code").bounding_box()
    main = page.locator("main").bounding_box()
    # The code box starts at the right edge of the content, and reads left to right.
    assert abs((code_box["x"] + code_box["width"]) - (main["x"] + main["width"])) < 40
    assert (
        page.locator(".booking-code").evaluate("el => getComputedStyle(el).direction")
        == "ltr"
    )

    other = KeyboardParent(open_tab(), language="ar")
    other.tab.goto("/min-booking?lang=ar")
    other.check()
    other.open_my_booking(code)
    expect(other.page.locator(".sessions-used")).to_contain_text("1")
    expect(other.page.locator(".session-card")).to_have_count(1)
    other.cancel_first_talk()
    expect(other.page.locator(".session-card")).to_have_count(0)
    other.delete_everything()


def assert_radio_mirrored(page, name: str) -> None:
    found = page.evaluate(
        """name => {
          const radio = document.querySelector(
            `input[type=radio][name="${name}"]:checked`);
          const label = radio.labels[0];
          return {
            radio: radio.getBoundingClientRect().right,
            label: label.getBoundingClientRect().right,
            circle: getComputedStyle(label, "::before").right,
            dot: getComputedStyle(label, "::after").right,
            gap: getComputedStyle(label).paddingRight,
          };
        }""",
        name,
    )
    assert abs(found["radio"] - found["label"]) < 2, found
    assert (found["circle"], found["dot"], found["gap"]) == ("0px", "6px", "32px")


def assert_mirrored(page) -> None:
    """Right to left on the review page: step numbers right of their titles, radio
    circles and labels, terms right of their values, "Change" links on the left."""

    def box(locator):
        found = locator.bounding_box()
        assert found, locator
        return found

    first_step = page.locator(".step-indicator li").first
    number = box(first_step.locator(".step-icon, .step-number").first)
    title = box(first_step.locator(".step-title"))
    assert number["x"] > title["x"] + title["width"] - 1, (number, title)

    row = page.locator(".booking-summary .summary-row").first
    term, value = box(row.locator("dt")), box(row.locator("dd").first)
    change = box(row.locator(".summary-change a"))
    assert term["x"] > value["x"], (term, value)
    assert change["x"] < value["x"], (change, value)


def test_min_booking_next_talk_move_and_contact_details_by_keyboard(
    open_tab, demo_calendars
):
    tab = open_tab()
    parent = KeyboardParent(tab, every_page=False)  # the booking pages: see above
    page = tab.page
    start_from(parent, "/anonym-raadgivning")
    parent.answer_topic(nth=None)
    parent.answer_mode("phone")
    parent.answer_language("da")
    parent.choose_first_free_time()
    parent.contact_page()
    type_into(page, "#call_phone", "20304050")  # for a phone talk we call
    submit_step(page)
    parent.review_page()
    parent.confirm()
    parent.every_page = True

    def at(path: str) -> None:
        expect(page).to_have_url(re.compile(path))
        parent.check()

    # The confirmation's own way in: the course is remembered, no code needed.
    tab_to(page, page.get_by_role("link", name="Gå til Min booking"))
    press_and_load(page)
    at(r"/min-booking$")
    expect(page.locator(".sessions-used")).to_have_text("1 af 5 samtaler brugt")

    # Another talk: the last talk's way is chosen already; a time next week.
    tab_to(page, page.get_by_role("link", name="Book en samtale mere"))
    press_and_load(page)
    at(r"/min-booking/ny-samtale$")
    expect(page.locator("input[name=mode][value=phone]")).to_be_checked()
    submit_step(page)
    parent.pick_from_next_week(1, on_page=lambda: at(r"/min-booking/ny-samtale/tid"))
    at(r"/min-booking/ny-samtale/tjek$")
    type_into(page, "#visit-call_phone", "20304050")
    submit_step(page)
    at(r"/min-booking$")
    expect(page.get_by_role("status").first).to_contain_text("Din næste samtale")
    expect(page.locator(".sessions-used")).to_have_text("2 af 5 samtaler brugt")
    expect(page.locator(".session-card")).to_have_count(2)

    # Move the first talk to a time next week.
    tab_to(page, page.locator("a[href*='/min-booking/flyt/']").first)
    press_and_load(page)
    moving = urlsplit(page.url).path
    chosen = parent.pick_from_next_week(2, on_page=lambda: at(re.escape(moving)))
    at(re.escape(moving) + "/tjek$")
    hour, day = re.fullmatch(r"(\d\d\.\d\d), (.+)", chosen["label"]).groups()
    expect(page.locator(".booking-summary")).to_contain_text(f"{day} kl. {hour}")
    submit_step(page)
    at(r"/min-booking$")
    expect(page.get_by_role("status").first).to_contain_text("Din samtale er flyttet")
    expect(page.locator(".session-list")).to_contain_text(f"{day} kl. {hour}")
    expect(page.locator(".sessions-used")).to_have_text("2 af 5 samtaler brugt")

    # Contact details: an e-mail, a reminder (Space on the checkbox), a phone.
    tab_to(page, page.get_by_role("link", name=re.compile("kontaktoplysninger")))
    press_and_load(page)
    at(r"/min-booking/kontakt$")
    type_into(page, "#email", "mor@example.dk")
    tab_to(page, "#wants_reminders")
    page.keyboard.press("Space")
    expect(page.locator("#wants_reminders")).to_be_checked()
    type_into(page, "#phone", "12345678")
    submit_step(page)
    at(r"/min-booking$")
    expect(page.get_by_role("status").first).to_contain_text(
        "kontaktoplysninger er gemt"
    )

    # Close Min booking: back to the code form.
    tab_to(page, page.get_by_role("button", name="Luk Min booking"))
    press_and_load(page)
    at(r"/min-booking$")
    expect(page.locator("#code")).to_be_visible()


# --- the QR code -------------------------------------------------------------------


class RequestLog:
    """What the server received: method, path, query, headers and body of every
    request (recorded in front of the app, so nothing the browser says is missed)."""

    def __init__(self, app) -> None:
        self.seen: list[dict] = []
        self.wsgi_app = app.wsgi_app
        app.wsgi_app = self

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        self.seen.append(
            {
                "method": environ["REQUEST_METHOD"],
                "path": environ.get("PATH_INFO", ""),
                "query": environ.get("QUERY_STRING", ""),
                "headers": " ".join(
                    f"{key}={value}"
                    for key, value in environ.items()
                    if key.startswith("HTTP_")
                ),
                "body": body.decode("utf-8", "replace"),
            }
        )
        return self.wsgi_app(environ, start_response)


def code_variants(code: str) -> list[str]:
    compact = code.replace("-", "")
    return [code, compact, code.lower(), compact.lower()]


def contains_code(text: str, code: str) -> bool:
    text = unquote(text).upper()
    return any(variant.upper() in text for variant in code_variants(code))


def test_qr_link_fills_the_form_and_the_code_travels_only_in_one_post(
    app, open_tab, demo_calendars, live_server_url
):
    received = RequestLog(app)
    sent: list[dict] = []  # what both browser tabs asked for

    def record(request) -> None:
        sent.append(
            {
                "method": request.method,
                "url": request.url,
                "type": request.resource_type,
                "post": request.post_data or "",
                "headers": " ".join(f"{k}={v}" for k, v in request.headers.items()),
            }
        )

    tab = open_tab(**PHONE)  # booked on a phone, with a keyboard attached
    tab.page.on("request", record)
    parent = KeyboardParent(tab, every_page=False)  # the journey tests check them
    start_from(parent, "/anonym-raadgivning")
    parent.answer_topic(nth=None)
    parent.answer_mode("video")
    parent.answer_language("da")
    parent.choose_first_free_time()
    parent.contact_page()
    submit_step(tab.page)
    parent.review_page()
    code = parent.confirm()
    # On a phone too the code is on one line (broken after a dash, it is easily
    # copied wrongly) and nothing scrolls sideways.
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 375
    code_box = tab.page.locator(".booking-code")
    line = code_box.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    padding = code_box.evaluate(
        "el => parseFloat(getComputedStyle(el).paddingTop) * 2 + 4"
    )
    assert code_box.bounding_box()["height"] < 2 * line + padding
    assert code_box.bounding_box()["width"] <= 375 - 2 * 16

    # The QR code is the link to Min booking with the code after "#": the same
    # modules as segno draws for that link.
    link = f"{live_server_url}/min-booking#{code}"
    expected = re.search(
        r'<path class="qrline"[^>]* d="([^"]+)"',
        segno.make(link, error="m").svg_inline(scale=4, dark="#000", light="#fff"),
    ).group(1)
    drawn = tab.page.locator(".booking-qr svg path.qrline").get_attribute("d")
    assert drawn == expected

    # "Scanning" it on another phone: the script moves the code into the form and
    # takes it out of the address bar, so it is not in the history either.
    scanner = KeyboardParent(open_tab())
    scanner.page.on("request", record)
    # A mangled link is ignored quietly (no script error: the tab checks that).
    scanner.page.goto(f"{live_server_url}/min-booking#%E2%8")
    expect(scanner.page.locator("#code")).to_have_value("")
    scanner.page.goto("about:blank")  # so the next link loads the page afresh
    scanner.page.goto(link)
    code_field = scanner.page.locator("#code")
    expect(code_field).to_have_value(code)
    expect(code_field).to_be_focused()
    expect(scanner.page).to_have_url(f"{live_server_url}/min-booking")
    assert scanner.page.evaluate("location.hash") == ""
    assert scanner.page.evaluate("history.state") is None
    scanner.check()
    press_and_load(scanner.page)  # Enter in the filled field opens Min booking
    expect(scanner.page.locator(".sessions-used")).to_have_text("1 af 5 samtaler brugt")
    scanner.check()

    # The browser sent the code once: in the body of the form's POST.
    carrying = [
        request
        for request in sent
        if contains_code(request["url"].split("#")[0], code)
        or contains_code(request["post"], code)
        or contains_code(request["headers"], code)
    ]
    assert [(r["method"], urlsplit(r["url"]).path, r["type"]) for r in carrying] == [
        ("POST", "/min-booking", "document")
    ]
    assert not contains_code(carrying[0]["url"], code)
    assert re.search(r"(^|&)code=", carrying[0]["post"])
    # The server agrees: no path, query or header had it, one body did.
    assert [
        (r["method"], r["path"])
        for r in received.seen
        if any(contains_code(r[part], code) for part in ("path", "query", "headers"))
    ] == []
    assert [
        (r["method"], r["path"])
        for r in received.seen
        if contains_code(r["body"], code)
    ] == [("POST", "/min-booking")]


# --- a home visit ------------------------------------------------------------------


def test_home_visit_needs_an_address_and_the_error_is_reachable_by_keyboard(
    open_tab, demo_calendars
):
    tab = open_tab()
    tab.expect_console_error(r"status of 400 .*/anonym-raadgivning/kontakt")
    parent = KeyboardParent(tab, every_page=False)  # but the pages of a home visit
    page = tab.page
    start_from(parent, "/anonym-raadgivning")
    parent.answer_topic(nth=4)
    parent.answer_mode("home")
    parent.answer_language("da")
    first_free = parent.choose_first_free_time()

    parent.contact_page(always=True)
    address = page.locator("#address")
    expect(address).to_be_visible()
    label = page.locator("label[for=address]")
    expect(label).to_have_text("Adresse til hjemmebesøget")  # not "(frivilligt)"
    expect(address).to_have_attribute("aria-required", "true")
    submit_step(page)  # without the address

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # read out first, by any screen reader
    expect(summary).to_contain_text("Skriv adressen, hvor vi skal besøge dig.")
    expect(address).to_have_attribute("aria-invalid", "true")
    parent.step(5, always=True)
    error_link = summary.locator("a[href='#address']")
    page.keyboard.press("Tab")
    expect(error_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(address).to_be_focused()
    page.keyboard.type("Hyldebærvej 7, 1. th.\n7190 Billund")
    tab_to(page, page.locator(STEP_SUBMIT))
    press_and_load(page)

    parent.review_page(always=True)
    summary_list = page.locator(".booking-summary")
    expect(summary_list).to_contain_text("Hjemme hos dig")
    expect(summary_list).to_contain_text("Hyldebærvej 7, 1. th.")
    expect(summary_list).to_contain_text(first_free)
    parent.confirm()
    expect(page.locator(".alert-success")).to_contain_text("Hjemme hos dig")
