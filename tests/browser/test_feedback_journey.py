"""Issue 12 in Chromium: a parent rates a held talk by keyboard only, from Min
booking in Danish and in Arabic and from ``/familie``; the counsellor sees it on
``/vurderinger`` and the leader on the statistics page. Every page is axe-clean
and the family's rating page reads at LIX 35 or lower."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import Role
from portal.booking import codes
from portal.booking.models import CounsellingSession, Course, SessionStatus
from portal.feedback import ratings
from portal.feedback.models import ITEMS, SessionRating
from tests.browser.conftest import log_in_staff, t
from tests.browser.test_booking_journey import (
    KeyboardParent,
    press_and_load,
    submit_step,
    tab_to,
)
from tests.conftest import PASSWORD
from tests.factories import NOW
from tests.readability import lix

pytestmark = pytest.mark.usefixtures("clock")


def held_session(db_session, counsellor, *, course=None, family=None, days_ago=3):
    held_at = NOW - timedelta(days=days_ago)
    session = CounsellingSession(
        course_id=course.id if course else None,
        family_id=family.id if family else None,
        counsellor_id=counsellor.id,
        starts_at=held_at,
        ends_at=held_at + timedelta(minutes=50),
        mode="centre",
        status=SessionStatus.HELD,
    )
    db_session.add(session)
    db_session.commit()
    return session


def anonymous_course(db_session, counsellor, language: str) -> str:
    """A course with one held talk; its booking code."""
    code = codes.new_code()
    course = Course(
        code_hash=codes.code_hash(code), pseudonym="Blå Ugle", language=language
    )
    db_session.add(course)
    db_session.commit()
    held_session(db_session, counsellor, course=course)
    return code


def rate_by_keyboard(parent, *, ups: int, downs: int) -> None:
    """On the rating page: every slider moved with the arrow keys (Up raises in
    both directions of text), a few words typed, the form sent with Enter."""
    page = parent.page
    if parent.language == "da":  # LIX counts Danish words
        assert lix(page.content()) <= 35
    for field in ("#heard", "#focus", "#method", "#overall"):
        tab_to(page, field)
        for _ in range(ups):
            page.keyboard.press("ArrowUp")
        for _ in range(downs):
            page.keyboard.press("ArrowDown")
    expect(page.locator("#heard")).to_have_value(str(5 + ups - downs))
    expect(page.locator("output[for=heard]")).to_have_text(str(5 + ups - downs))
    tab_to(page, "#comment")
    page.keyboard.type("Tak <b>for</b> snakken")
    submit_step(page)


def stored_ratings(db_session) -> list[SessionRating]:
    db_session.expire_all()
    return list(db_session.scalars(select(SessionRating)))


@pytest.mark.parametrize("language", ["da", "ar"])
def test_an_anonymous_parent_rates_a_held_talk_from_min_booking_by_keyboard(
    open_tab, db_session, make_user, language
):
    counsellor = make_user(Role.COUNSELLOR, name="Anna Rådgiver")
    code = anonymous_course(db_session, counsellor, language)
    parent = KeyboardParent(open_tab(), language=language)
    page = parent.page
    parent.tab.goto(f"/min-booking?lang={language}")
    parent.check()
    parent.open_my_booking(code)

    tab_to(page, page.locator("a[href*='/min-booking/vurdering/']"))
    press_and_load(page)
    expect(page).to_have_url(re.compile(r"/min-booking/vurdering/"))
    parent.check()
    rate_by_keyboard(parent, ups=3, downs=0)
    expect(page).to_have_url(re.compile(r"/min-booking$"))
    parent.check()
    expect(page.locator("a[href*='/min-booking/vurdering/']")).to_have_count(0)

    [rating] = stored_ratings(db_session)
    assert rating.scores() == {"heard": 8, "focus": 8, "method": 8, "overall": 8}
    assert rating.anonymous and rating.comment == "Tak for snakken"


def test_a_family_rates_from_familie_and_the_counsellor_and_leader_see_it(
    open_tab, db_session, make_user, make_known_family
):
    counsellor = make_user(Role.COUNSELLOR, name="Anna Rådgiver")
    family = make_known_family(
        "Familien Holm", counsellor=counsellor, adults=("Mette Holm",)
    )
    held_session(db_session, counsellor, family=family)
    member = family.members[0]

    tab = open_tab()
    parent = KeyboardParent(tab)
    page = tab.page
    tab.goto("/log-ind")
    page.locator("#email").fill(member.contact_email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    expect(page).to_have_url(re.compile(r"/familie$"))
    tab.check()
    tab_to(page, page.locator("a[href$='/vurdering']"))
    press_and_load(page)
    tab.check()
    rate_by_keyboard(parent, ups=0, downs=2)  # 3: a low rating
    expect(page).to_have_url(re.compile(r"/familie$"))
    expect(page.get_by_role("status").first).to_contain_text(
        t("Thank you. Your answer is saved.")
    )
    tab.check()

    [rating] = stored_ratings(db_session)
    assert not rating.anonymous and rating.lowest() == 3

    # How things are going: the same sliders, then the trend beside the goals.
    tab_to(page, page.locator("a[href$='/trivsel']"))
    press_and_load(page)
    tab.check()
    assert lix(page.content()) <= 35
    tab_to(page, "#overall")
    page.keyboard.press("ArrowUp")
    submit_step(page)
    expect(page).to_have_url(re.compile(r"/familie$"))
    tab.goto("/familie/maal")
    expect(page.locator("main svg[role=img] title")).to_contain_text("6")
    tab.check()

    staff = open_tab()
    log_in_staff(staff, counsellor, db_session)
    staff.goto("/vurderinger")
    expect(staff.page.locator("main")).to_contain_text(t("Low rating"))
    expect(staff.page.locator("main")).to_contain_text("Tak for snakken")
    staff.check()

    for days_ago in range(4, 9):  # five more: the month's group is shown
        other = held_session(db_session, counsellor, family=family, days_ago=days_ago)
        ratings.rate_session(db_session, other, dict.fromkeys(ITEMS, 7), "")
    db_session.commit()
    leader = make_user(Role.LEADER, name="Lise Leder")
    boss = open_tab()
    log_in_staff(boss, leader, db_session, lands_on=r"/medarbejder$")
    boss.goto("/leder/vurderinger")
    expect(boss.page.locator("main svg[role=img] rect")).to_have_count(2)
    boss.check()
    boss.goto("/leder/vurderinger?efter=mode")
    boss.check()
