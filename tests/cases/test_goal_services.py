"""The goal rules, without HTTP: goals per family or child, a stopped goal's
reason, scores (range, date in Copenhagen, note length), the family's words as a
history, the disagreement query and the export."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.cases import goals, goals_progress
from portal.cases.goals_export import goals_for_export
from portal.cases.goals_models import Agreement, GoalScore, GoalStatus
from portal.cases.goals_overview import goals_family_disagrees_with
from portal.families import lifecycle
from portal.families.records import RecordError
from tests.factories import local

pytestmark = pytest.mark.usefixtures("clock")


def _text(**changes):
    return goals.GoalText(
        **{
            "title": "Ro om morgenen",
            "change": "Morgenerne er rolige.",
            "why": "Der er ofte råb før skole.",
            "how_we_know": "Emma kommer glad i skole.",
            "target_date": date(2026, 6, 1),
            **changes,
        }
    )


def _refused(code, call, *args, **kwargs):
    with pytest.raises(RecordError) as refused:
        call(*args, **kwargs)
    assert refused.value.code == code


def test_a_goal_is_the_familys_or_one_current_childs(
    db_session, family, counsellor, make_known_family
):
    emma = family.children[0]
    goal = goals.create_goal(db_session, counsellor, family, _text(child=emma))
    assert goal.child is emma and goal.status == GoalStatus.ACTIVE
    other = make_known_family("Familien Anden", children=(("Ida", date(2016, 1, 1)),))
    _refused(
        "child_not_in_family",
        goals.create_goal,
        db_session,
        counsellor,
        family,
        _text(child=other.children[0]),
    )
    emma.removed_at = local(2026, 3, 1, 9)
    _refused(
        "child_not_in_family",
        goals.create_goal,
        db_session,
        counsellor,
        family,
        _text(child=emma),
    )


def test_a_stopped_goal_needs_a_reason_and_others_drop_it(
    db_session, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    _refused(
        "reason_required",
        goals.update_goal,
        db_session,
        counsellor,
        family,
        goal,
        _text(),
        status=GoalStatus.STOPPED,
        reason="  ",
    )
    goals.update_goal(
        db_session,
        counsellor,
        family,
        goal,
        _text(),
        status=GoalStatus.STOPPED,
        reason="Familien er flyttet.",
    )
    assert goal.status_reason == "Familien er flyttet."
    goals.update_goal(
        db_session, counsellor, family, goal, _text(), status=GoalStatus.ACHIEVED
    )
    assert goal.status_reason is None


def test_the_database_keeps_a_stopped_goals_reason_and_the_score_range(
    db_session, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    goal.status = GoalStatus.STOPPED
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()
    db_session.add(GoalScore(goal_id=goal.id, score=11, scored_on=date(2026, 3, 1)))
    with pytest.raises(IntegrityError):
        db_session.flush()


@pytest.mark.parametrize("score", [0, 11, -3])
def test_a_score_is_one_to_ten(db_session, family, counsellor, make_goal, score):
    goal = make_goal(family, counsellor)
    _refused(
        "score_range",
        goals_progress.add_score,
        db_session,
        counsellor,
        family,
        goal,
        score=score,
        scored_on=date(2026, 3, 1),
    )


def test_a_score_is_not_dated_after_today_in_copenhagen(
    db_session, family, counsellor, make_goal, clock
):
    goal = make_goal(family, counsellor)
    member = family.members[0]
    # 23.30 UTC on 23 March is already 24 March in Copenhagen.
    clock.move_to(local(2026, 3, 24, 0, 30))
    goals_progress.add_score(
        db_session, member, family, goal, score=4, scored_on=date(2026, 3, 24)
    )
    _refused(
        "score_date_future",
        goals_progress.add_score,
        db_session,
        member,
        family,
        goal,
        score=4,
        scored_on=date(2026, 3, 25),
    )


def test_a_scores_note_is_short(db_session, family, counsellor, make_goal):
    goal = make_goal(family, counsellor)
    goals_progress.add_score(
        db_session,
        counsellor,
        family,
        goal,
        score=5,
        scored_on=date(2026, 3, 1),
        note="x" * goals_progress.MAX_NOTE,
    )
    _refused(
        "note_too_long",
        goals_progress.add_score,
        db_session,
        counsellor,
        family,
        goal,
        score=5,
        scored_on=date(2026, 3, 1),
        note="x" * (goals_progress.MAX_NOTE + 1),
    )


def test_a_closed_family_takes_no_scores_or_goals(
    db_session, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    lifecycle.close_family(db_session, counsellor, family)
    _refused(
        "family_closed",
        goals_progress.add_score,
        db_session,
        family.members[0],
        family,
        goal,
        score=5,
        scored_on=date(2026, 3, 1),
    )
    _refused(
        "family_closed", goals.create_goal, db_session, counsellor, family, _text()
    )


def test_the_familys_words_are_a_history_newest_first(
    db_session, family, counsellor, make_goal
):
    goal = make_goal(family, counsellor)
    mette, jonas = family.members
    goals_progress.add_statement(
        db_session,
        mette,
        family,
        goal,
        words="Vi er ikke enige.",
        agreement=Agreement.DISAGREE,
    )
    goals_progress.add_statement(
        db_session,
        jonas,
        family,
        goal,
        words="Det giver mening nu.",
        agreement=Agreement.PARTLY,
    )
    db_session.commit()
    db_session.expire_all()
    assert [s.agreement for s in goal.statements] == ["partly", "disagree"]
    assert goal.latest_statement.author is jonas
    _refused(
        "member_not_in_family",
        goals_progress.add_statement,
        db_session,
        counsellor,
        family,
        goal,
        words="Ord",
        agreement=Agreement.AGREE,
    )
    _refused(
        "words_required",
        goals_progress.add_statement,
        db_session,
        mette,
        family,
        goal,
        words="  ",
        agreement=Agreement.AGREE,
    )


def test_disagreement_is_the_newest_word_on_active_goals(
    db_session, family, counsellor, make_goal, make_known_family
):
    mette = family.members[0]
    disputed, settled, stopped = (
        make_goal(family, counsellor, title=title) for title in ("A", "B", "C")
    )
    for goal, said in [
        (disputed, [Agreement.AGREE, Agreement.DISAGREE]),
        (settled, [Agreement.DISAGREE, Agreement.AGREE]),
        (stopped, [Agreement.DISAGREE]),
    ]:
        for agreement in said:
            goals_progress.add_statement(
                db_session, mette, family, goal, words="Ord", agreement=agreement
            )
    goals.update_goal(
        db_session,
        counsellor,
        family,
        stopped,
        _text(),
        status=GoalStatus.STOPPED,
        reason="Ikke aktuelt",
    )
    other = make_known_family("Familien Anden", counsellor=counsellor)
    other_goal = make_goal(other, counsellor)
    db_session.commit()

    found = goals_family_disagrees_with(db_session, [family.id, other.id])
    assert found == {family.id: [disputed]}
    goals_progress.add_statement(
        db_session,
        other.members[0],
        other,
        other_goal,
        words="Nej",
        agreement=Agreement.DISAGREE,
    )
    assert goals_family_disagrees_with(db_session, [family.id]) == {
        family.id: [disputed]
    }
    assert goals_family_disagrees_with(db_session, []) == {}


def test_the_export_has_the_familys_goals_only(
    db_session, family, counsellor, make_goal, make_known_family
):
    goal = make_goal(family, counsellor, scores=[(date(2026, 3, 2), 4)])
    goals_progress.add_statement(
        db_session,
        family.members[0],
        family,
        goal,
        words="Godt mål",
        agreement=Agreement.AGREE,
    )
    other = make_known_family("Familien Anden", counsellor=counsellor)
    make_goal(other, counsellor, title="Andet mål")
    [exported] = goals_for_export(db_session, family)
    assert exported["id"] == goal.public_id
    assert exported["target_date"] == "2026-06-30"
    assert exported["scores"] == [
        {
            "date": "2026-03-02",
            "score": 4,
            "note": None,
            "by": {"name": "Anna Andersen", "role": "counsellor"},
        }
    ]
    assert exported["family_words"][0]["words"] == "Godt mål"
    assert "Andet mål" not in str(goals_for_export(db_session, family))
    assert "family_id" not in exported and goal.id not in exported.values()


def test_the_demo_family_has_goals_with_scores_and_an_intervention(db_session):
    from portal.cases.goals_models import Goal
    from portal.cases.interventions_models import Intervention
    from portal.demo import seed

    for _ in range(2):
        seed(db_session)
        db_session.commit()
    demo_goals = db_session.scalars(select(Goal)).all()
    assert len(demo_goals) == 2
    assert [s.score for s in demo_goals[0].scores] == [3, 4, 4, 6, 7]
    [intervention] = db_session.scalars(select(Intervention)).all()
    assert intervention.goals == demo_goals
