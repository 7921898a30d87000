"""Issue 10's main journey in Chromium: a member sees the new note under "Nyt
siden sidst", reads it, answers it and asks for a correction, says they disagree
with a goal and sees its chart; the counsellor starts on their overview, sees both
and answers the request; the member reads the answer. Every page is axe-clean
(``Tab.check()``)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.cases import goals, goals_progress, notes
from portal.cases.notes_models import NoteKind
from tests.browser.conftest import log_in_staff, t
from tests.factories import NOW, PASSWORD

pytestmark = pytest.mark.usefixtures("clock")


def test_a_member_answers_a_note_and_a_goal_and_the_counsellor_responds(
    open_tab, db_session, make_user, make_known_family
):
    counsellor = make_user(Role.COUNSELLOR, name="Anna Andersen")
    family = make_known_family(
        "Familien Holm", counsellor=counsellor, adults=("Mette Holm",)
    )
    member = family.members[0]
    member.last_login_at = NOW - timedelta(days=3)
    note = notes.create_draft(
        db_session,
        counsellor,
        family,
        NoteKind.CONVERSATION,
        "Vi talte om **morgenerne**.",
    )
    notes.publish(db_session, counsellor, note)
    goal = goals.create_goal(
        db_session,
        counsellor,
        family,
        goals.GoalText(
            title="Roligere morgener",
            change="Morgenerne bliver roligere.",
            why="Der er mange konflikter før skole.",
            how_we_know="Emma kommer i skole til tiden.",
            target_date=date(2026, 9, 1),
        ),
    )
    for day, score in ((date(2026, 2, 2), 3), (date(2026, 3, 2), 5)):
        goals_progress.add_score(
            db_session, counsellor, family, goal, score=score, scored_on=day
        )
    db_session.commit()

    parent = open_tab()
    page = parent.page
    parent.goto("/log-ind")
    page.locator("#email").fill(member.contact_email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    expect(page).to_have_url(re.compile(r"/familie$"))
    expect(page.locator("main")).to_contain_text(t("A new note."))
    parent.check()

    page.get_by_role("link", name=t("A new note.")).click()
    expect(page.locator("main strong")).to_contain_text("morgenerne")
    parent.check()
    page.get_by_role("link", name=t("Write an answer")).click()
    parent.check()
    page.locator("#body").fill("Det passer godt.")
    page.get_by_role("button", name=t("Send")).click()
    expect(page.locator("main")).to_contain_text("Det passer godt.")
    page.get_by_role("link", name=t("Ask us to fix the note")).click()
    page.locator("#body").fill("Det var aftenerne, ikke morgenerne.")
    page.get_by_role("button", name=t("Send")).click()
    expect(page.locator("main")).to_contain_text("Det var aftenerne")
    parent.check()

    parent.goto("/familie/maal")
    chart = page.locator("main svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_contain_text("3")
    parent.check()
    page.get_by_role("link", name=t("Say what you think")).first.click()
    page.get_by_label(t("No, we do not agree")).check()
    page.locator("#words").fill("Morgenerne er ikke problemet.")
    page.get_by_role("button", name=t("Save")).click()
    expect(page.locator("main")).to_contain_text("Morgenerne er ikke problemet.")
    parent.check()

    staff = open_tab()
    log_in_staff(staff, counsellor, db_session)
    overview = staff.page.locator("main")
    expect(overview).to_contain_text(
        t(
            "The family does not agree with the goal “%(title)s”.",
            title="Roligere morgener",
        )
    )
    staff.check()
    staff.page.get_by_role("link", name=t("Answer")).first.click()
    staff.check()
    staff.page.locator("#reason").fill("Tak. Vi retter det, når vi ses.")
    staff.page.get_by_role("button").last.click()
    expect(staff.page.get_by_role("status")).to_contain_text(
        t("The family can now see your answer.")
    )

    parent.goto("/familie/notater")
    expect(page.locator("main")).to_contain_text("Tak. Vi retter det, når vi ses.")
    parent.check()
