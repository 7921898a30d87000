"""Log-in and the anonymous booking in a browser, behind a TLS-terminating proxy.

The server believes it is behind HTTPS as in production: one trusted proxy
(TRUSTED_PROXIES=1) and the browser sending ``X-Forwarded-Proto: https`` on every
request, production's secure ``__Host-`` session cookie, and the portal's
``Referrer-Policy: no-referrer``, so no form post carries a Referer.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from tests.browser.conftest import log_in_staff, t
from tests.browser.test_booking_journey import (  # noqa: F401 - a fixture
    KeyboardParent,
    demo_calendars,
    start_from,
    submit_step,
    type_into,
)

pytestmark = pytest.mark.app_config(TRUSTED_PROXIES=1, SESSION_COOKIE_SECURE=True)
BEHIND_HTTPS = {"extra_http_headers": {"X-Forwarded-Proto": "https"}}


def session_cookie(tab) -> dict:
    [cookie] = [
        cookie
        for cookie in tab.page.context.cookies()
        if cookie["name"] == "__Host-familieportalen"
    ]
    return cookie


def test_staff_log_in_and_out_behind_https(open_tab, make_user, db_session):
    tab = open_tab(**BEHIND_HTTPS)
    posts = []
    tab.page.on(
        "request",
        lambda request: request.method == "POST" and posts.append(request),
    )
    counsellor = make_user(Role.COUNSELLOR)
    log_in_staff(tab, counsellor, db_session)
    tab.check()
    assert session_cookie(tab)["secure"]
    assert posts and all("referer" not in post.headers for post in posts)

    tab.page.get_by_role("button", name=t("Log out")).click()
    expect(tab.page.locator(".alert-success")).to_contain_text(t("You are logged out."))
    tab.goto("/kalender")
    expect(tab.page).to_have_url(re.compile(r"/medarbejder/log-ind$"))


def test_anonymous_booking_behind_https(open_tab, demo_calendars):  # noqa: F811
    tab = open_tab(**BEHIND_HTTPS)
    parent = KeyboardParent(tab, every_page=False)
    start_from(parent, "/anonym-raadgivning")
    parent.answer_topic(nth=0)
    parent.answer_mode("phone")
    parent.answer_language("da")
    parent.choose_time_from_week(nth=0)
    parent.contact_page()
    type_into(tab.page, "#call_phone", "20304050")  # for a phone talk we call
    submit_step(tab.page)
    parent.review_page()
    code = parent.confirm()
    assert session_cookie(tab)["secure"]

    other = KeyboardParent(open_tab(**BEHIND_HTTPS), every_page=False)
    other.tab.goto("/min-booking")
    other.open_my_booking(code)
    expect(other.page.locator(".sessions-used")).to_have_text("1 af 5 samtaler brugt")
