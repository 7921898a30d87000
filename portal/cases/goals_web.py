"""What the goal and intervention views share: loading a goal or an
intervention through its family (anything else is 404), a form that saves in
one transaction or shows why not, the score form (the family's and the
staff's), and a goal's chart with its text alternative."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from flask import abort, redirect
from flask_babel import format_date as babel_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from portal import db
from portal.cases import bp, goals_progress
from portal.cases.chart import score_chart
from portal.cases.forms_goals import ScoreForm
from portal.cases.goals_messages import error_message
from portal.cases.goals_models import Goal
from portal.cases.interventions_models import Intervention
from portal.families import web
from portal.families.models import Family
from portal.families.web import Page
from portal.forms import validated
from portal.i18n import format_date
from portal.timeutil import local_today

Row = TypeVar("Row", Goal, Intervention)


def family_row(model: type[Row], family: Family, public_id: str) -> Row:
    """``model``'s row with ``public_id`` if it is ``family``'s, else 404."""
    row = db.session().scalar(
        select(model).where(model.family_id == family.id, model.public_id == public_id)
    )
    if row is None:
        abort(404)
    return row


#: ``families.web.save_or_show`` with the goals' and interventions' words for a refusal.
save_or_show = partial(web.save_or_show, messages=error_message)


def score_page(
    family: Family,
    goal: Goal,
    done: str,
    goals_page: str,
    reopen: Callable[[str], Family],
) -> Page:
    """A score for ``goal`` by the logged-in user, family member or counsellor
    alike; saved, or refused, as ``save_or_show`` does, then back to
    ``goals_page``."""
    form = ScoreForm(data={"scored_on": local_today()})
    return save_or_show(
        form,
        lambda: goals_progress.add_score(
            db.session(),
            current_user,
            family,
            goal,
            score=validated(form.score.data),
            scored_on=validated(form.scored_on.data),
            note=form.note.data or "",
        ),
        done,
        lambda: redirect(goals_page),
        reopen,
        "cases/goal_score.html",
        family=family,
        goal=goal,
        back=goals_page,
    )


@bp.app_template_global()
def goal_chart(goal: Goal) -> Markup:
    """The goal's scores as a chart whose text alternative gives the first and
    the latest score; empty when there are none (the page says so)."""
    scores = goal.scores
    if not scores:
        return Markup("")
    first, latest = scores[0], scores[-1]
    title = _(
        "Scores for the goal %(goal)s. First score: %(first)s of 10, "
        "%(first_date)s. Latest score: %(latest)s of 10, %(latest_date)s.",
        goal=goal.title,
        first=first.score,
        first_date=format_date(first.scored_on),
        latest=latest.score,
        latest_date=format_date(latest.scored_on),
    )
    return score_chart(
        [(score.scored_on, score.score) for score in scores],
        chart_id=f"chart-{goal.public_id}",
        title=title,
        first_label=babel_date(first.scored_on, "medium"),
        last_label=babel_date(latest.scored_on, "medium"),
    )
