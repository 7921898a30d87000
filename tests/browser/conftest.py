"""Browser tests: Debian's Chromium driven by Playwright, pages checked with axe-core.

Each test gets the per-test ``app`` (fresh database) served by a real HTTP server in
a thread, and a new browser context. Every page a test looks at goes through
``Tab.check()``: a full-page screenshot into ``test-artifacts/screenshots/``, axe with
the WCAG 2.0/2.1 A and AA rules, no console errors (CSP violations are console
errors) and no request to any other host.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser import html_checker
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = (
    "Chromium not installed at /usr/bin/chromium (apt-get install -y chromium)"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items) -> None:
    """Without Chromium, skip every test in this folder (and only those)."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)


# --- axe ------------------------------------------------------------------------

_axe = None


def assert_accessible(page) -> None:
    """Zero axe-core violations of WCAG 2.0/2.1 level A and AA on the current page."""
    global _axe
    from axe_playwright_python.sync_playwright import Axe

    if _axe is None:
        _axe = Axe()
    results = _axe.run(page, options=AXE_OPTIONS)
    if results.violations_count:
        print(results.generate_report())
    ids = [violation["id"] for violation in results.response["violations"]]
    assert results.violations_count == 0, f"axe violations on {page.url}: {ids}"


# --- browser and live server ----------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server_url(app) -> Iterator[str]:
    """The test's app on a real HTTP server; data must be committed before use.

    Its address is the portal's public one: QR codes and feed addresses use it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PORTAL_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


class Tab:
    """One browser page plus what it did: requests, console errors, screenshots."""

    def __init__(self, page, base_url: str, name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.name = name
        self.shots = 0
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.expected_errors: list[re.Pattern] = []
        self.other_sites: set[str] = set()
        self.saved_pages: list[Path] = []
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"JS: {error}"))

    def _on_request(self, request) -> None:
        if not self._on_other_site(request.frame.url):
            self.requests.append(request.url)

    def _on_other_site(self, url: str) -> bool:
        return urlsplit(url).netloc in self.other_sites

    def _on_console(self, message) -> None:
        if message.type == "error" and not self._on_other_site(self.page.url):
            where = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({where})")

    def expect_console_error(self, pattern: str) -> None:
        """Allow a console error the test causes on purpose (e.g. a 404 document)."""
        self.expected_errors.append(re.compile(pattern))

    def visits(self, url: str) -> None:
        """The tab is sent to another site on purpose (the local MitID provider):
        going there is allowed, and what that site's pages load or log is theirs."""
        self.other_sites.add(urlsplit(url).netloc)

    def goto(self, path: str):
        return self.page.goto(path)

    def foreign_requests(self) -> list[str]:
        host = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).netloc not in {host, *self.other_sites}
        ]

    def unexpected_console_errors(self) -> list[str]:
        return [
            error
            for error in self.console_errors
            if not any(pattern.search(error) for pattern in self.expected_errors)
        ]

    def screenshot(self) -> Path:
        self.shots += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{self.shots}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_clean(self) -> None:
        assert self.unexpected_console_errors() == [], "console errors"
        assert self.foreign_requests() == [], "requests to other hosts"

    def check(self) -> None:
        """Every page visited: screenshot, axe, no console errors, no other hosts."""
        self.page.wait_for_load_state("load")
        self.screenshot()
        self.saved_pages.append(
            html_checker.save(f"{self.name}-{self.shots}", self.page.content())
        )
        assert_accessible(self.page)
        self.assert_clean()


def t(message: str, **values) -> str:
    """A text as the Danish pages show it (the catalogue's words, or the English
    message id until it is translated), so tests follow the real wording."""
    with force_locale("da"):
        return gettext(message, **values)


def log_in_staff(tab, user, db_session, *, lands_on: str = r"/oversigt$") -> None:
    """Log a staff member in as they do: password, then this moment's TOTP code."""
    page = tab.page
    tab.goto("/medarbejder/log-ind")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    expect(page).to_have_url(re.compile(r"/medarbejder/log-ind/kode$"))
    db_session.refresh(user)
    page.locator("#code").fill(pyotp.TOTP(user.totp_secret).now())
    page.locator("#code").press("Enter")
    expect(page).to_have_url(re.compile(lands_on))


def _test_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")


LAPTOP = {"locale": "da-DK", "viewport": {"width": 1280, "height": 800}}
PHONE = {
    "locale": "da-DK",
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def open_tab(browser, live_server_url, request) -> Iterator:
    """Open a tab in a new browser context (a Danish laptop unless told otherwise);
    at the end, fail on console errors or requests to other hosts, and close it."""
    opened: list[tuple] = []

    def open_(**context_options) -> Tab:
        context = browser.new_context(
            base_url=live_server_url, **{**LAPTOP, **context_options}
        )
        context.set_default_timeout(10_000)
        if not opened:  # the pictures of an earlier run would mix with this one's
            for old in SCREENSHOTS.glob(f"{_test_name(request)}-*.png"):
                old.unlink()
            html_checker.clear(_test_name(request))
        name = _test_name(request) + (f"-tab{len(opened) + 1}" if opened else "")
        tab = Tab(context.new_page(), live_server_url, name)
        opened.append((context, tab))
        return tab

    try:
        yield open_
        for _context, tab in opened:
            tab.assert_clean()
        # Valid HTML on every page checked (test_html_checker.py says why not,
        # when Java or the checker is missing).
        if html_checker.missing() is None:
            saved = [path for _context, tab in opened for path in tab.saved_pages]
            found = html_checker.errors(saved)
            assert found == [], "the Nu HTML Checker found:\n" + "\n".join(found)
    finally:
        for context, _tab in opened:
            context.close()


@pytest.fixture
def tab(open_tab) -> Tab:
    return open_tab()


@pytest.fixture
def demo_accounts(db_session) -> list[dict]:
    """The demo municipality's log-ins, committed so the server thread sees them."""
    from portal import demo

    accounts = demo.seed(db_session)
    db_session.commit()
    return accounts
