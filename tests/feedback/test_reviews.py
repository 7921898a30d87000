"""An intervention that ended: the family is asked on /familie whether it made a
difference (0-10), what helped and what should change; once; the counsellor
sees the answer on the family's interventions page. Bad input: a Danish
message and nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.cases.interventions_models import InterventionStatus
from portal.feedback import reviews
from portal.feedback.errors import FeedbackError
from portal.feedback.family_models import InterventionReview

GOOD = {"difference": "7", "helped": "Faste morgener", "change": "Flere møder"}


def stored(db_session) -> list[InterventionReview]:
    db_session.expire_all()
    return list(db_session.scalars(select(InterventionReview)))


def test_an_ended_intervention_is_answered_once(db_session, family, make_intervention):
    row = make_intervention()
    answer = reviews.review(db_session, family, row, 7, "<i>Ro</i>", "")
    db_session.commit()
    assert (answer.difference, answer.helped, answer.type_id) == (7, "Ro", row.type_id)
    assert reviews.to_review(db_session, family) == []
    with pytest.raises(FeedbackError) as refused:
        reviews.review(db_session, family, row, 3, "", "")
    assert refused.value.code == "already_answered"
    db_session.rollback()
    assert [r.difference for r in stored(db_session)] == [7]


def test_the_unique_key_keeps_one_answer_when_the_python_check_is_passed(
    db_session, family, make_intervention, monkeypatch
):
    row = make_intervention()
    reviews.review(db_session, family, row, 7, "", "")
    db_session.commit()
    monkeypatch.setattr(reviews, "review_of", lambda *_args: None)
    with pytest.raises(FeedbackError) as refused:
        reviews.review(db_session, family, row, 2, "", "")
    assert refused.value.code == "already_answered"
    db_session.rollback()
    assert len(stored(db_session)) == 1


@pytest.mark.parametrize(
    "status", [InterventionStatus.PLANNED, InterventionStatus.ACTIVE]
)
def test_an_intervention_that_has_not_ended_is_refused(
    db_session, family, make_intervention, status
):
    row = make_intervention(status=status)
    assert reviews.to_review(db_session, family) == []
    with pytest.raises(FeedbackError) as refused:
        reviews.review(db_session, family, row, 5, "", "")
    assert refused.value.code == "not_ended"
    assert stored(db_session) == []


@pytest.mark.parametrize(
    ("difference", "helped", "field"),
    [(11, "", "difference"), (None, "", "difference"), (5, "x" * 1001, "helped")],
)
def test_bad_scores_and_long_words_are_refused(
    db_session, family, make_intervention, difference, helped, field
):
    row = make_intervention()
    with pytest.raises(FeedbackError) as refused:
        reviews.review(db_session, family, row, difference, helped, "")
    assert refused.value.field == field
    assert stored(db_session) == []


def test_another_familys_intervention_is_refused(
    db_session, family, make_intervention, make_known_family
):
    other = make_known_family("Familien Berg", adults=("Sara Berg",))
    theirs = make_intervention(of=other)
    with pytest.raises(FeedbackError):
        reviews.review(db_session, family, theirs, 5, "", "")
    assert stored(db_session) == []


def test_the_family_answers_from_familie_and_the_counsellor_sees_it(
    client, auth, db_session, family, counsellor, make_intervention, clock
):
    row = make_intervention()
    make_intervention(kind="Skolestøtte", status=InterventionStatus.ACTIVE)
    auth.login(family.members[0])
    url = f"/familie/indsatser/{row.public_id}/vurdering"
    home = client.get("/familie").get_data(as_text=True)
    assert url in home and "Skolestøtte" not in home
    bad = auth.post_form(url, {**GOOD, "difference": "12"})
    assert bad.status_code == 400 and "Faste morgener" in bad.get_data(as_text=True)
    response = auth.post_form(url, {**GOOD, "helped": "<script>x</script>Ro"})
    assert response.status_code == 302 and response.headers["Location"] == "/familie"
    assert url not in client.get("/familie").get_data(as_text=True)
    again = auth.post_form(url, GOOD, page="/familie")
    assert again.status_code == 302
    [answer] = stored(db_session)
    assert (answer.difference, answer.helped) == (7, "xRo")
    auth.logout()

    auth.login(counsellor)
    page = client.get(f"/familier/{family.public_id}/indsatser").get_data(as_text=True)
    assert "Familiens svar" in page and "xRo" in page and "Flere møder" in page


def test_another_familys_member_gets_not_found(
    client, auth, db_session, make_intervention, make_known_family
):
    row = make_intervention()
    other = make_known_family("Familien Berg", adults=("Sara Berg",))
    auth.login(other.members[0])
    url = f"/familie/indsatser/{row.public_id}/vurdering"
    assert client.get(url).status_code == 404
    assert stored(db_session) == []
