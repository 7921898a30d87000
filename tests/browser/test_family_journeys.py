"""Known families in a real browser: a member accepts an invitation and logs in
with MitID at the local provider; a counsellor creates a family and books a family
session from the calendar; a leader assigns counsellors. Every page of ours on the
way goes through ``Tab.check()`` (axe WCAG 2.0/2.1 A and AA, no console errors,
no other hosts; the provider's own page is the only other site allowed).

The clock is stopped (``clock``: Monday 23 March 2026, 09:00 in Copenhagen) for
the test and the live server thread alike, so the weeks and times are known.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import Role
from portal.calendar.family_sessions import book_family_session
from portal.families.models import Family
from portal.families.sessions import family_sessions
from portal.i18n import format_datetime
from tests.browser.conftest import log_in_staff, t
from tests.factories import NOW, local
from tests.families.conftest import (  # noqa: F401 - mitid, oidc_issuer: fixtures
    invitation_token,
    mitid,
    oidc_issuer,
)

pytestmark = pytest.mark.usefixtures("clock")

FAMILY = "Familien Holm"
#: The local provider's own page loads its stylesheet from a CDN; no network here.
PROVIDER_CDN = "https://cdn.jsdelivr.net/**"


def danish_time(moment) -> str:
    with force_locale("da"):
        return format_datetime(moment)


@pytest.fixture
def counsellor(make_user, give_calendar):
    """A counsellor who can log in, free Mon-Fri 09-15 in every mode."""
    return give_calendar(make_user(Role.COUNSELLOR, name="Anna Andersen"))


def test_member_accepts_an_invitation_with_mitid_and_sees_the_next_talk(
    open_tab,
    db_session,
    make_known_family,
    counsellor,
    mitid,  # noqa: F811 - the fixture
):
    family = make_known_family(
        FAMILY, counsellor=counsellor, adults=("Mette Holm", "Jonas Holm")
    )
    member = next(m for m in family.members if m.name == "Mette Holm")
    talk = book_family_session(
        db_session,
        counsellor,
        family,
        starts_at=local(2026, 3, 24, 10),
        mode="centre",
        participants=[m.public_id for m in family.members],
        idempotency_key="journey-talk",
        now=NOW,
    )
    db_session.commit()

    # The counsellor sends the invitation from the family's page.
    staff = open_tab()
    log_in_staff(staff, counsellor, db_session)
    staff.goto("/familier")
    staff.check()
    staff.page.get_by_role("link", name=FAMILY).click()
    expect(staff.page.get_by_role("heading", level=1)).to_have_text(FAMILY)
    staff.check()
    staff.page.get_by_role(
        "button", name=f"{t('Send invitation')} {t('to %(name)s', name=member.name)}"
    ).click()
    expect(
        staff.page.get_by_text(t("The invitation is sent. The link works for 7 days."))
    ).to_be_visible()
    staff.check()
    token = invitation_token(db_session)

    # The member opens the link from the e-mail and chooses MitID.
    tab = open_tab()
    page = tab.page
    page.context.route(
        PROVIDER_CDN, lambda route: route.fulfill(content_type="text/css", body="")
    )
    tab.visits(mitid.issuer)
    tab.goto(f"/invitation/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Welcome to Familieportalen")
    )
    tab.check()
    page.get_by_role("button", name=t("Log in with MitID")).click()

    # At the provider: type the MitID identity's sub and authorize.
    expect(page).to_have_url(re.compile("^" + re.escape(mitid.issuer)))
    page.locator("input[name=sub]").fill(mitid.identity())
    page.locator("input[name=sub]").press("Enter")

    # Back in the portal, logged in, on the family's page with the next talk.
    expect(page).to_have_url(re.compile(r"/familie$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)
    expect(page.get_by_role("heading", name=t("Your next talks"))).to_be_visible()
    expect(page.locator("main li").first).to_contain_text(danish_time(talk.starts_at))
    expect(page.get_by_text(t("We meet at the family centre."))).to_be_visible()
    # Two sentences, not "...@example.dk.Eller ring": the space survives the template.
    write = t("Write to %(email)s.", email=counsellor.email)
    call = t("Or call us on %(phone)s.", phone="").split()[0]
    expect(page.locator("main")).to_contain_text(f"{write} {call}")
    tab.check()

    # Log-out ends the session at the provider too, which sends the member back.
    page.get_by_role("button", name=t("Log out")).click()
    expect(page).to_have_url(
        re.compile(re.escape(mitid.issuer) + "/oauth2/end_session")
    )
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_url(re.compile(re.escape(tab.base_url) + r"/(\?|$)"))
    expect(page.get_by_text(t("You are logged out."))).to_be_visible()
    tab.check()
    tab.goto("/familie")
    expect(page).to_have_url(re.compile(r"/log-ind"))

    # The link worked once: opened again in another browser it says what to do.
    again = open_tab()
    again.expect_console_error(r"status of 410")
    again.goto(f"/invitation/{token}")
    expect(again.page.get_by_role("heading", level=1)).to_have_text(
        t("The invitation does not work")
    )
    again.check()


def test_counsellor_creates_a_family_and_books_a_family_session(
    tab, db_session, counsellor
):
    page = tab.page
    log_in_staff(tab, counsellor, db_session)

    # A new family: the name, a child, an adult with custody.
    tab.goto("/familier")
    page.get_by_role("link", name=t("New family")).click()
    tab.check()
    page.get_by_label(t("The family's name")).fill(FAMILY)
    page.get_by_role("button", name=t("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)
    tab.check()

    page.get_by_role("link", name=t("Add a child")).click()
    tab.check()
    page.get_by_label(t("First name")).fill("Emma")
    page.get_by_label(t("Birth date")).fill(date(2016, 5, 1).isoformat())
    page.get_by_role("button", name=t("Save")).click()
    expect(page.get_by_role("cell", name="Emma", exact=True)).to_be_visible()

    page.get_by_role("link", name=t("Add an adult")).click()
    tab.check()
    page.get_by_label(t("Name"), exact=True).fill("Mette Holm")
    page.get_by_label(t("E-mail")).fill("mette.holm@example.dk")
    page.get_by_label("Emma").check()
    page.get_by_role("button", name=t("Save")).click()
    members = page.get_by_role("region", name=t("Members"))
    expect(members.get_by_role("cell", name="Mette Holm", exact=True)).to_be_visible()
    children = page.get_by_role("region", name=t("Children"))
    expect(children.get_by_role("row", name="Emma")).to_contain_text("Mette Holm")
    tab.check()

    # From the calendar: "Book familiesamtale", the family, the first free time.
    tab.goto("/kalender")
    page.get_by_role("link", name=t("Book a family session")).click()
    tab.check()
    page.get_by_role("link", name=FAMILY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Book a family session")
    )
    tab.check()
    first_time = page.locator("input[name=time]").first
    chosen = first_time.get_attribute("value")
    first_time.check()
    page.get_by_role("button", name=t("Book the talk")).click()
    expect(page.get_by_text(t("The family session is booked."))).to_be_visible()
    tab.check()

    db_session.expire_all()
    family = db_session.scalars(select(Family)).one()
    (booked,) = family_sessions(db_session, family)
    assert booked.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") == chosen
    assert [p.name for p in booked.participants] == ["Mette Holm"]

    # The week view shows it with the family's name.
    tab.goto(f"/kalender?dato={booked.starts_at.date().isoformat()}")
    expect(page.locator("main").get_by_text(FAMILY)).to_be_visible()
    tab.check()


def test_leader_assigns_a_counsellor_on_an_accessible_page(
    tab, db_session, make_user, make_known_family, counsellor
):
    leader = make_user(Role.LEADER, name="Lone Leder")
    family = make_known_family(FAMILY)
    page = tab.page
    log_in_staff(tab, leader, db_session, lands_on=r"/medarbejder$")
    tab.goto(f"/familier/{family.public_id}")
    # A leader says why first (the family reads it in its access log).
    why = t("Why are you opening the family's case?")
    expect(page.get_by_role("heading", level=1)).to_have_text(why)
    tab.check()
    page.get_by_label(why).fill("Fordeling af en ny sag")
    page.get_by_role("button", name=t("Open the case")).click()
    page.get_by_role("link", name=t("Assign counsellors")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Counsellors for %(family)s", family=FAMILY)
    )
    tab.check()
    page.get_by_label(t("Counsellor")).select_option(label=counsellor.name)
    page.get_by_label(t("Primary contact for the family")).check()
    page.get_by_role("button", name=t("Assign")).click()
    expect(page.locator("main li").filter(has_text=counsellor.name)).to_contain_text(
        t("primary contact")
    )
    tab.check()
