"""The foundation in a real browser: languages, staff log-in with TOTP, public pages.

Every page visited is screenshotted and checked with axe (WCAG 2.1 A/AA), for console
errors (the strict CSP reports violations there) and for requests to other hosts.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal import demo
from portal.accounts.models import Role, User
from tests.browser.conftest import PHONE
from tests.conftest import PASSWORD

STAFF_EMAIL = "anna@demokommune.dk"


def totp_secret_of(db_session, email: str) -> str:
    """The secret as stored in the database (the server thread wrote it there)."""
    db_session.expire_all()
    user = db_session.scalar(select(User).where(User.email == email))
    assert user is not None and user.totp_secret
    return user.totp_secret


def log_in_with_password(tab, email: str, password: str) -> None:
    page = tab.page
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("#password").press("Enter")


def test_languages_and_staff_log_in(tab, demo_accounts, db_session):
    page = tab.page

    tab.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hjælp til din familie")
    tab.check()

    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    expect(page.locator(".skipnav")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()

    # The language switcher (a navigation landmark), used with the keyboard.
    languages = page.get_by_role("navigation", name="Vælg sprog")
    languages.get_by_role("link", name="English").press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Help for your family")
    tab.check()

    page.get_by_role("navigation", name="Choose language").get_by_role(
        "link", name="Dansk"
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hjælp til din familie")

    # Staff log-in: password first, then a code from the authenticator app.
    page.get_by_role("link", name="Log ind som medarbejder").click()
    expect(page).to_have_url(re.compile(r"/medarbejder/log-ind$"))
    tab.check()
    log_in_with_password(tab, STAFF_EMAIL, demo.DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/medarbejder/log-ind/kode$"))
    tab.check()
    code = pyotp.TOTP(totp_secret_of(db_session, STAFF_EMAIL)).now()
    page.locator("#code").fill(code)
    page.locator("#code").press("Enter")

    # A counsellor starts on their families; the staff page greets them by name.
    expect(page).to_have_url(re.compile(r"/oversigt$"))
    tab.check()
    tab.goto("/medarbejder")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goddag, Anna Andersen")
    tab.check()

    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("status")).to_contain_text("Du er logget ud.")
    expect(page.get_by_role("button", name="Log ud")).to_have_count(0)
    tab.check()


def test_totp_enrolment_shows_a_qr_code(tab, make_user, db_session):
    user = make_user(
        Role.COUNSELLOR, email="ny@demokommune.dk", name="Nina Ny", totp=False
    )
    page = tab.page

    tab.goto("/medarbejder/log-ind")
    log_in_with_password(tab, user.email or user.contact_email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/medarbejder/log-ind/kode$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sæt godkendelses-app op")
    qr = page.locator(".totp-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and box["width"] >= 150 and box["height"] >= 150, box
    tab.check()

    # Type the key shown under the QR code into "the app", and finish with its code.
    secret = page.locator(".totp-secret code").inner_text().replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.locator("#code").press("Enter")
    expect(page).to_have_url(re.compile(r"/oversigt$"))
    expect(page.get_by_role("status")).to_contain_text("Godkendelses-appen er sat op")
    tab.check()
    assert totp_secret_of(db_session, user.email) == secret


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/log-ind", "Log ind som familie"),
        ("/privatliv", "Privatliv og dine data"),
        ("/tilgaengelighed", "Tilgængelighedserklæring"),
    ],
)
def test_public_pages(tab, path, heading):
    response = tab.goto(path)
    assert response.status == 200
    expect(tab.page.locator("html")).to_have_attribute("lang", "da")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(heading)
    tab.check()


def test_arabic_is_right_to_left(tab, make_user):
    """Arabic mirrors the layout: service name on the right, "Log out" on the left."""
    user = make_user(Role.FAMILY)
    page = tab.page
    tab.goto("/log-ind?lang=ar")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    tab.check()
    log_in_with_password(tab, user.email or user.contact_email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/familie$"))
    tab.check()

    def box(selector):
        return page.locator(selector).first.bounding_box()

    width = page.viewport_size["width"]
    assert box(".solution-heading")["x"] > width / 2
    assert box(".additional-info")["x"] < width / 2
    assert box(".portal-user")["x"] < width / 2
    assert box(".portal-name")["x"] > width / 2


def test_not_found_page(tab):
    tab.expect_console_error(r"status of 404 .*/findes-ikke")
    response = tab.goto("/findes-ikke")
    assert response.status == 404
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    tab.check()


def test_family_log_in_error_is_announced(tab, make_user):
    user = make_user(Role.FAMILY)
    page = tab.page
    tab.expect_console_error(r"status of 400 .*/log-ind")
    tab.goto("/log-ind")
    log_in_with_password(tab, user.contact_email, "forkert adgangskode")
    expect(page.get_by_role("alert")).to_contain_text("Forkert e-mail eller")
    tab.check()

    log_in_with_password(tab, user.email or user.contact_email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/familie$"))
    tab.check()


def test_phone(open_tab, make_user):
    """375 px wide: no sideways scrolling, axe clean, and "Log out" is reachable."""
    user = make_user(Role.FAMILY, name="Mette Jensen")
    tab = open_tab(**PHONE)
    page = tab.page

    tab.goto("/")
    tab.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="Log ind som familie").first.click()
    log_in_with_password(tab, user.email or user.contact_email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/familie$"))
    tab.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    log_out = page.get_by_role("button", name="Log ud")
    expect(log_out).to_be_visible()
    log_out.click()
    expect(page.get_by_role("status")).to_contain_text("Du er logget ud.")
