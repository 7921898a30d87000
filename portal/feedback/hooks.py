"""What feedback lends the pages below it, without their importing it: Min
booking and ``/familie`` include ``feedback/_to_rate.html``, which asks
``sessions_to_rate`` which of their past sessions can still be rated;
``/familie`` includes ``feedback/_family_asks.html``; the goal pages include
``feedback/_wellbeing.html`` (the trend) and the staff's interventions page
``feedback/_review.html`` (the family's word on an ended intervention)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import format_date as babel_date
from flask_babel import gettext as _
from markupsafe import Markup

from portal import db
from portal.booking.models import CounsellingSession
from portal.cases.chart import score_chart
from portal.cases.interventions_models import Intervention
from portal.families.models import Family
from portal.feedback import bp, ratings, reviews, wellbeing
from portal.feedback.family_models import InterventionReview, WellbeingAnswer


@bp.app_template_global()
def sessions_to_rate(
    sessions: Iterable[CounsellingSession],
) -> list[CounsellingSession]:
    """The held, unrated sessions among ``sessions`` (one query)."""
    return ratings.to_rate(db.session(), sessions)


@dataclass(frozen=True)
class FamilyAsks:
    wellbeing: CounsellingSession | None
    reviews: list[Intervention]


@bp.app_template_global()
def family_asks(family: Family, past: Sequence[CounsellingSession]) -> FamilyAsks:
    """What the family can answer now: how things are going at their latest held
    talk, and each ended intervention (two queries)."""
    return FamilyAsks(
        wellbeing.session_to_answer(db.session(), past),
        reviews.to_review(db.session(), family),
    )


@dataclass(frozen=True)
class Trend:
    answers: list[WellbeingAnswer]
    chart: Markup


@bp.app_template_global()
def wellbeing_trend(family: Family) -> Trend:
    """The family's answers and the chart of "all in all" (one query)."""
    answers = wellbeing.trend(db.session(), family)
    if not answers:
        return Trend(answers, Markup(""))
    first, latest = answers[0], answers[-1]
    title = _(
        "How things are going, all in all. First answer: %(first)s of 10, "
        "%(first_date)s. Latest answer: %(latest)s of 10, %(latest_date)s.",
        first=first.overall,
        first_date=babel_date(first.answered_for, "long"),
        latest=latest.overall,
        latest_date=babel_date(latest.answered_for, "long"),
    )
    chart = score_chart(
        [(row.answered_for, row.overall) for row in answers],
        chart_id="chart-wellbeing",
        title=title,
        first_label=babel_date(first.answered_for, "medium"),
        last_label=babel_date(latest.answered_for, "medium"),
        lowest=0,
    )
    return Trend(answers, chart)


@bp.app_template_global()
def intervention_reviews(family: Family) -> dict[int, InterventionReview]:
    """The family's answers about ended interventions, by intervention id."""
    return reviews.family_reviews(db.session(), family)
