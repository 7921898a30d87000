"""Issue 11's journey in Chromium: a parent answers a consent request with a
yes, sees the disclosure we made under it, prints what they agreed to and takes
the yes back, with the keyboard only; every page is axe-clean (``Tab.check()``)
and the family's pages read at LIX 35 or lower. The counsellor's and the
leader's consent pages are axe-clean too."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.consent import lists, requests
from portal.consent.disclosure_models import (
    Channel,
)
from portal.consent.models import (
    ListKind,
)
from tests.browser.conftest import log_in_staff, t
from tests.browser.test_booking_journey import press_and_load, tab_to
from tests.consent.conftest import share
from tests.factories import NOW, PASSWORD
from tests.readability import lix

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def asked(db_session, make_user, make_known_family):
    counsellor = make_user(Role.COUNSELLOR, name="Anna Andersen")
    family = make_known_family(
        "Familien Holm", counsellor=counsellor, adults=("Mette Holm",)
    )
    lists.ensure_items(db_session)
    named = {item.name: item for item in lists.items(db_session, ListKind.RECIPIENT)}
    wellbeing = lists.items(db_session, ListKind.INFORMATION)[0]
    request = requests.create_request(
        db_session,
        counsellor,
        family,
        requests.RequestText(
            child=family.children[0],
            recipient=named["Skole"],
            information=[wellbeing],
            purpose="Så lærerne kan hjælpe Emma, når hun er ked af det.",
            starts_on=date(2026, 3, 23),
            ends_on=date(2027, 3, 22),
        ),
        NOW,
    )
    db_session.commit()
    return family, counsellor, request


def _readable(page) -> None:
    assert lix(page.content()) <= 35, page.url


def test_a_parent_grants_sees_a_disclosure_and_withdraws_by_keyboard(
    open_tab, db_session, asked
):
    family, counsellor, request = asked
    member = family.members[0]
    parent = open_tab()
    page = parent.page
    parent.goto("/log-ind")
    tab_to(page, "#email")
    page.keyboard.type(member.contact_email)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    press_and_load(page)
    expect(page).to_have_url(re.compile(r"/familie$"))
    tab_to(page, page.get_by_role("link", name=t("Consent"), exact=True))
    press_and_load(page)
    expect(page).to_have_url(re.compile(r"/familie/samtykke$"))
    expect(page.locator("main")).to_contain_text(t("Waiting for your answer"))
    parent.check()
    _readable(page)

    tab_to(page, "#comment")
    page.keyboard.type("Det er fint.")
    tab_to(page, page.get_by_role("button", name=t("Yes, you may share")))
    press_and_load(page)
    expect(page.locator("main")).to_contain_text(t("Thank you. We have your answer."))
    expect(page.locator("main")).to_contain_text(t("In force"))
    parent.check()
    _readable(page)

    share(
        db_session,
        counsellor,
        family,
        request,
        NOW,
        what="Emma er ked af det i frikvarteret",
        channel=Channel.MEETING,
    )
    db_session.commit()
    page.reload()
    expect(page.locator("main")).to_contain_text("Emma er ked af det i frikvarteret")
    expect(page.locator("main")).to_contain_text(t("You said yes to this."))
    parent.check()

    tab_to(page, page.get_by_role("link", name=t("Print what you said yes to")))
    press_and_load(page)
    expect(page.locator("main")).to_contain_text("Skole")
    parent.check()
    _readable(page)
    page.go_back()

    tab_to(page, page.get_by_role("button", name=t("Take back my yes")))
    press_and_load(page)
    expect(page.locator("main")).to_contain_text(
        t("Your yes is taken back. We will not share any more.")
    )
    expect(page.locator("main")).to_contain_text(t("Taken back"))
    parent.check()
    _readable(page)


def test_the_staff_consent_pages_are_accessible(open_tab, db_session, make_user, asked):
    family, counsellor, request = asked
    staff = open_tab()
    log_in_staff(staff, counsellor, db_session)
    base = f"/familier/{family.public_id}"
    for path in (
        f"{base}/samtykke",
        f"{base}/samtykke/ny",
        f"{base}/samtykke/{request.public_id}",
        f"{base}/videregivelser/ny",
        "/oversigt",
    ):
        staff.goto(path)
        staff.check()
    leader = make_user(Role.LEADER, name="Lone Leder")
    db_session.commit()
    boss = open_tab()
    log_in_staff(boss, leader, db_session, lands_on=r"/medarbejder$")
    for path in ("/samtykkelister", "/leder/videregivelser"):
        boss.goto(path)
        boss.check()
