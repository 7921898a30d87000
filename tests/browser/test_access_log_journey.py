"""A member sees who has seen the family's data, downloads it as CSV, and gets
the family's data as JSON and as a printed page. Every page goes through
``Tab.check()`` (screenshot, axe); the printed view is also screenshotted as
printed (``test-artifacts/screenshots/``), with navigation hidden."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal import audit
from portal.accounts.models import Role
from tests.browser.conftest import t
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("clock")


def test_member_sees_the_access_log_and_gets_the_familys_data(
    tab, db_session, make_user, make_known_family, tmp_path
):
    family = make_known_family("Familien Holm", adults=("Mette Holm",))
    member = family.members[0]
    leader = make_user(Role.LEADER, name="Lone Leder")
    audit.record(
        db_session,
        actor=leader,
        action=audit.AuditAction.VIEW,
        object_type="family",
        object_id=family.public_id,
        family=family,
        stated_reason="Familien har klaget",
    )
    db_session.commit()
    page = tab.page
    tab.goto("/log-ind")
    page.locator("#email").fill(member.contact_email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    expect(page).to_have_url(re.compile(r"/familie$"))

    page.get_by_role("link", name=t("Who has seen our data")).click()
    expect(page.locator("main table")).to_contain_text("Familien har klaget")
    tab.check()
    with page.expect_download() as csv_file:
        page.get_by_role("link", name=t("All months as a file for Excel (CSV)")).click()
    assert "Lone Leder" in Path(csv_file.value.path()).read_text("utf-8-sig")

    tab.goto("/familie")
    page.get_by_role("link", name=t("Get our data")).click()
    tab.check()
    with page.expect_download() as json_file:
        page.get_by_role("link", name=t("Get all your data as a file (JSON)")).click()
    data = json.loads(Path(json_file.value.path()).read_text("utf-8"))
    assert data["family"]["name"] == "Familien Holm"

    page.get_by_role("link", name=t("Show all your data on one page")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("All your data"))
    tab.check()
    page.emulate_media(media="print")
    expect(page.locator("header.header")).to_be_hidden()
    expect(page.locator(".back-link")).to_be_hidden()
    tab.screenshot()  # the printed view, as an artefact
