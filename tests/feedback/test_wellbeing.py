"""How things are going: a known family answers four 0-10 items at most once per
held session, and sees the trend next to its goals (so does the counsellor).
Bad input: a Danish message and nothing stored."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.booking.models import SessionStatus
from portal.feedback import wellbeing
from portal.feedback.errors import FeedbackError
from portal.feedback.family_models import WellbeingAnswer
from tests.conftest import csrf_token_from

GOOD = {"own": 4, "together": 6, "daily": 7, "overall": 5}


def answers(db_session) -> list[WellbeingAnswer]:
    db_session.expire_all()
    return list(db_session.scalars(select(WellbeingAnswer)))


def post_answer(client, url, **data):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **GOOD, **data})


# --- the rule, without HTTP -------------------------------------------------------


def test_a_family_answers_once_per_held_session(db_session, make_session, family):
    session = make_session(family=family)
    row = wellbeing.answer(db_session, family, session, GOOD)
    db_session.commit()
    assert row.scores() == GOOD and str(row.answered_for) == "2026-03-16"
    with pytest.raises(FeedbackError) as refused:
        wellbeing.answer(db_session, family, session, {**GOOD, "overall": 9})
    assert refused.value.code == "already_answered"
    db_session.rollback()
    assert [a.overall for a in answers(db_session)] == [5]


def test_the_unique_key_keeps_one_answer_when_the_python_check_is_passed(
    db_session, make_session, family, monkeypatch
):
    session = make_session(family=family)
    wellbeing.answer(db_session, family, session, GOOD)
    db_session.commit()
    monkeypatch.setattr(wellbeing, "answer_of", lambda *_args: None)
    with pytest.raises(FeedbackError) as refused:
        wellbeing.answer(db_session, family, session, GOOD)
    assert refused.value.code == "already_answered"
    db_session.rollback()
    assert len(answers(db_session)) == 1


@pytest.mark.parametrize("bad", [-1, 11, None])
def test_scores_outside_zero_to_ten_or_missing_are_refused(
    db_session, make_session, family, bad
):
    session = make_session(family=family)
    with pytest.raises(FeedbackError) as refused:
        wellbeing.answer(db_session, family, session, {**GOOD, "daily": bad})
    assert (refused.value.code, refused.value.field) == ("score_out_of_range", "daily")
    assert answers(db_session) == []


def test_an_unheld_or_another_familys_session_is_refused(
    db_session, make_session, family, make_known_family
):
    booked = make_session(family=family, status=SessionStatus.BOOKED)
    other = make_known_family("Familien Berg", adults=("Sara Berg",))
    theirs = make_session(family=other)
    for session in (booked, theirs):
        with pytest.raises(FeedbackError) as refused:
            wellbeing.answer(db_session, family, session, GOOD)
        assert refused.value.code == "not_held"
    assert answers(db_session) == []


def test_the_family_is_asked_about_its_latest_held_talk_only(
    db_session, make_session, family
):
    older = make_session(family=family)
    latest = make_session(family=family)
    make_session(family=family, status=SessionStatus.NO_SHOW)
    past = sorted([older, latest], key=lambda s: s.starts_at, reverse=True)
    assert wellbeing.session_to_answer(db_session, past) == latest
    wellbeing.answer(db_session, family, latest, GOOD)
    assert wellbeing.session_to_answer(db_session, past) is None


# --- the pages --------------------------------------------------------------------


def test_a_member_answers_from_familie_and_sees_the_trend_by_the_goals(
    client, auth, db_session, make_session, family, clock
):
    first = make_session(family=family)
    wellbeing.answer(db_session, family, first, {**GOOD, "overall": 3})
    second = make_session(family=family)
    db_session.commit()
    auth.login(family.members[0])
    url = f"/familie/samtaler/{second.public_id}/trivsel"
    assert url in client.get("/familie").get_data(as_text=True)
    response = post_answer(client, url, overall="8")
    assert response.status_code == 302 and response.headers["Location"] == "/familie"
    assert url not in client.get("/familie").get_data(as_text=True)

    goals = client.get("/familie/maal").get_data(as_text=True)
    chart = re.search(r"<svg[^>]*role=\"img\".*?</svg>", goals, re.S).group(0)
    # The chart draws the stored "all in all" answers, 3 then 8, on a 0-10 scale.
    assert chart.count("<circle") == 2
    assert "3 af 10" in chart and "8 af 10" in chart
    table = goals[goals.index("Sådan går det") :]
    assert [a.overall for a in answers(db_session)] == [3, 8]
    assert "<td>3</td>" in table and "<td>8</td>" in table


def test_a_second_answer_and_bad_scores_are_refused_on_the_page(
    client, auth, db_session, make_session, family, clock
):
    session = make_session(family=family)
    auth.login(family.members[0])
    url = f"/familie/samtaler/{session.public_id}/trivsel"
    bad = post_answer(client, url, own="11")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Der er en fejl i formularen" in page and 'id="own-error"' in page
    missing = post_answer(client, url, daily="")
    assert missing.status_code == 400
    assert answers(db_session) == []
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    tabs = [client.post(url, data={"csrf_token": token, **GOOD}) for _ in "ab"]
    assert [t.status_code for t in tabs] == [302, 302]
    assert len(answers(db_session)) == 1
    assert "allerede svaret" in client.get("/familie").get_data(as_text=True)


def test_another_familys_session_is_not_found(
    client, auth, db_session, make_session, family, make_known_family
):
    session = make_session(family=family)
    other = make_known_family("Familien Berg", adults=("Sara Berg",))
    auth.login(other.members[0])
    url = f"/familie/samtaler/{session.public_id}/trivsel"
    assert client.get(url).status_code == 404
    assert db_session.scalar(select(func.count(WellbeingAnswer.id))) == 0


def test_the_counsellor_sees_the_trend_on_the_familys_goals(
    client, auth, db_session, make_session, family, counsellor, clock
):
    session = make_session(family=family)
    wellbeing.answer(db_session, family, session, {**GOOD, "overall": 2})
    db_session.commit()
    auth.login(counsellor)
    page = client.get(f"/familier/{family.public_id}/maal").get_data(as_text=True)
    assert "<svg" in page and "2 af 10" in page
