"""The leader's security log in the browser: reachable, filterable by keyboard,
free of axe violations; a day out of range is refused in Danish, and the filter
the leader typed is kept."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from portal.accounts.models import Role
from tests.browser.conftest import log_in_staff


def test_leader_filters_the_security_log_by_keyboard(tab, make_user, db_session):
    leader = make_user(Role.LEADER, name="Lone Leder")
    counsellor = make_user(Role.COUNSELLOR, name="Anna Andersen")
    log_in_staff(tab, leader, db_session, lands_on=r"/medarbejder$")
    page = tab.page

    tab.goto("/leder/sikkerhed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sikkerhedslog")
    # The leader's own log-in is there.
    expect(page.get_by_role("region", name="Sikkerhedslog")).to_contain_text(
        "Lone Leder"
    )
    tab.check()

    # A filter that finds nothing, submitted with the keyboard alone.
    page.get_by_label("E-mail").fill(counsellor.email)
    page.get_by_label("E-mail").press("Enter")
    expect(page).to_have_url(re.compile(r"/leder/sikkerhed\?"))
    expect(page.get_by_role("status")).to_have_text("0 hændelser")
    tab.check()

    # A day the calendar does not know: a Danish message, the typed e-mail kept.
    tab.expect_console_error(r"status of 400 .*/leder/sikkerhed")
    page.get_by_label("Fra (dato)").fill("0001-01-01")
    page.get_by_label("Fra (dato)").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("2000")
    expect(page.get_by_label("E-mail")).to_have_value(counsellor.email)
    tab.check()
