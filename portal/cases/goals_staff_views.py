"""The staff's goal pages of a family: all goals with their charts, scores and
the family's words; a new goal; changing a goal and its status; a score. Each
opens the family through ``open_family`` (audited) and the goal through it."""

from __future__ import annotations

from collections.abc import Callable

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from portal import db
from portal.cases import bp, goals
from portal.cases.forms_goals import GoalEditForm, GoalForm
from portal.cases.goals_models import Goal, GoalStatus
from portal.cases.goals_web import family_row, save_or_show, score_page
from portal.families.models import Child, Family
from portal.families.web import Page, open_family, show, staff_only
from portal.forms import validated


def _to_goals(family: Family) -> WerkzeugResponse:
    return redirect(url_for("cases.goals_staff", family_id=family.public_id))


@bp.get("/familier/<family_id>/maal")
@staff_only
def goals_staff(family_id: str) -> Page:
    family = open_family(family_id, "goals")
    return show(
        "cases/goals_staff.html",
        family=family,
        goals=db.session().scalars(goals.family_goals(family)).all(),
    )


def _goal_to_change(family_id: str, goal_id: str, what: str) -> tuple[Family, Goal]:
    """The family opened to change its records, and its goal (else 404)."""
    family = open_family(family_id, what, to_change=True)
    return family, family_row(Goal, family, goal_id)


def _children(form: GoalForm, family: Family) -> dict[str, Child]:
    current = {c.public_id: c for c in family.children if not c.is_removed}
    form.child.choices = [SelectChoice("", _("The whole family"))] + [
        SelectChoice(public_id, child.first_name)
        for public_id, child in current.items()
    ]
    return current


def _text(form: GoalForm, children: dict[str, Child]) -> goals.GoalText:
    return goals.GoalText(
        title=validated(form.title.data),
        change=validated(form.change.data),
        why=validated(form.why.data),
        how_we_know=validated(form.how_we_know.data),
        target_date=validated(form.target_date.data),
        child=children.get(form.child.data or ""),
    )


def _goal_form(
    family_id: str,
    family: Family,
    form: GoalForm,
    change: Callable[[], object],
    heading: str,
) -> Page:
    """A new or changed goal: saved, then the family's goals; or the form again."""
    return save_or_show(
        form,
        change,
        _("The goal has been saved."),
        lambda: _to_goals(family),
        lambda what: open_family(family_id, what),
        "cases/goal_form.html",
        family=family,
        heading=heading,
    )


@bp.route("/familier/<family_id>/maal/ny", methods=["GET", "POST"])
@staff_only
def goal_new(family_id: str) -> Page:
    family = open_family(family_id, "goal: new", to_change=True)
    form = GoalForm()
    children = _children(form, family)
    return _goal_form(
        family_id,
        family,
        form,
        lambda: goals.create_goal(
            db.session(), current_user, family, _text(form, children)
        ),
        _("New goal"),
    )


@bp.route("/familier/<family_id>/maal/<goal_id>", methods=["GET", "POST"])
@staff_only
def goal_edit(family_id: str, goal_id: str) -> Page:
    family, goal = _goal_to_change(family_id, goal_id, "goal: change")
    form = GoalEditForm(obj=goal)
    children = _children(form, family)
    if not form.is_submitted():
        form.child.data = goal.child.public_id if goal.child else ""
    return _goal_form(
        family_id,
        family,
        form,
        lambda: goals.update_goal(
            db.session(),
            current_user,
            family,
            goal,
            _text(form, children),
            status=GoalStatus(form.status.data),
            reason=form.status_reason.data or "",
        ),
        _("Change the goal"),
    )


@bp.route("/familier/<family_id>/maal/<goal_id>/score", methods=["GET", "POST"])
@staff_only
def goal_score_staff(family_id: str, goal_id: str) -> Page:
    family, goal = _goal_to_change(family_id, goal_id, "goal: score")
    return score_page(
        family,
        goal,
        _("The score has been saved."),
        url_for("cases.goals_staff", family_id=family.public_id),
        lambda what: open_family(family_id, what),
    )
