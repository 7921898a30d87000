"""The family's own goal pages, ``/familie/maal``: every goal with its chart
and its scores as a table, a score of their own, and their own words about a
goal with whether they agree. The family is the member's own
(``family_for_member``) and a goal only one of theirs (else 404); a member
changes no goal text: there is no route for it here."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role
from portal.cases import bp, goals, goals_progress
from portal.cases.forms_goals import StatementForm
from portal.cases.goals_models import Agreement, Goal
from portal.cases.goals_web import family_row, save_or_show, score_page
from portal.families.access import family_for_member
from portal.families.models import Family
from portal.families.web import Page, show
from portal.forms import validated
from portal.security import mark_no_store, roles_required

family_only = roles_required(Role.FAMILY)


def _own_family(_what: str = "") -> Family:
    mark_no_store()
    return family_for_member(current_user)


def _own_goal(goal_id: str) -> tuple[Family, Goal]:
    family = _own_family()
    return family, family_row(Goal, family, goal_id)


def _to_goals() -> WerkzeugResponse:
    return redirect(url_for("cases.family_goals"))


@bp.get("/familie/maal")
@family_only
def family_goals() -> Page:
    family = _own_family()
    return show(
        "cases/goals_family.html",
        family=family,
        goals=db.session().scalars(goals.family_goals(family)).all(),
    )


@bp.route("/familie/maal/<goal_id>/score", methods=["GET", "POST"])
@family_only
def family_goal_score(goal_id: str) -> Page:
    family, goal = _own_goal(goal_id)
    return score_page(
        family,
        goal,
        _("Thank you. Your score is saved."),
        url_for("cases.family_goals"),
        _own_family,
    )


@bp.route("/familie/maal/<goal_id>/ord", methods=["GET", "POST"])
@family_only
def family_goal_words(goal_id: str) -> Page:
    family, goal = _own_goal(goal_id)
    return save_or_show(
        form := StatementForm(),
        lambda: goals_progress.add_statement(
            db.session(),
            current_user,
            family,
            goal,
            words=validated(form.words.data),
            agreement=Agreement(form.agreement.data),
        ),
        _("Thank you. Your words are saved."),
        _to_goals,
        _own_family,
        "cases/goal_words.html",
        family=family,
        goal=goal,
    )
