"""What the counsellor does in the case shows on /familie under "Nyt siden sidst"
and, for members who asked, queues the one neutral e-mail; what the family did
itself is not news to them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.cases import corrections, goals_progress, interventions
from portal.cases.interventions_models import InterventionStatus
from portal.cases.interventions_types import add_type
from portal.mail.models import MessageKind, OutboxMessage
from tests.calendar.conftest import t
from tests.factories import NOW

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def member(family, db_session):
    mette = next(m for m in family.members if m.name == "Mette Sørensen")
    mette.last_login_at = NOW - timedelta(days=2)  # the visit before this one
    db_session.commit()
    return mette


def test_the_counsellors_work_is_news_on_the_family_page(
    client, auth, db_session, family, counsellor, member, make_goal, write_note
):
    note = write_note(counsellor, family, "Vi talte om skolen.")
    asked = corrections.request_correction(db_session, member, note, "Forkert")
    corrections.answer(
        db_session,
        counsellor,
        asked,
        body="Vi talte om skolen.",
        reason="Det står rigtigt.",
    )
    goal = make_goal(
        family, counsellor, title="Mindre råben", scores=[(date(2026, 3, 20), 5)]
    )
    goals_progress.add_score(
        db_session, member, family, goal, score=7, scored_on=date(2026, 3, 21)
    )
    interventions.create_intervention(
        db_session,
        counsellor,
        family,
        interventions.InterventionText(
            type=add_type(db_session, "Familiebehandling"),
            provider="Familiehuset",
            description="Samtaler hver uge",
            starts_on=date(2026, 3, 1),
            ends_on=None,
            status=InterventionStatus.ACTIVE,
            goals=[goal],
        ),
    )
    db_session.commit()
    auth.login(member)
    page = client.get("/familie").get_data(as_text=True)
    for news in (
        t("A new note."),
        t("We have answered your wish for a correction."),
        t("A new goal: %(title)s.", title="Mindre råben"),
        t("A new score for the goal %(title)s.", title="Mindre råben"),
        t("New help for you is written down."),
    ):
        assert news in page, news
    assert (
        page.count(t("A new score for the goal %(title)s.", title="Mindre råben")) == 1
    )


def test_a_published_note_tells_members_who_asked_once(
    db_session, family, counsellor, member, write_note
):
    member.wants_news = True
    db_session.commit()
    write_note(counsellor, family, "Første note")
    write_note(counsellor, family, "Anden note")
    write_note(counsellor, family, "Kladde", publish=False)
    mails = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.NEWS)
    ).all()
    assert [mail.recipient for mail in mails] == [member.contact_email]
    assert "note" not in mails[0].body.lower()
