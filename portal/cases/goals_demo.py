"""Demo data (``flask seed-demo``): two goals with scores and the family's words
and one intervention for Familien Jensen, relative to the demo's today, so
``make run`` shows the goal pages. Idempotent: a family with goals is left."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.cases import goals, goals_progress, interventions
from portal.cases.goals_models import Agreement, Goal
from portal.cases.interventions_models import InterventionStatus, InterventionType
from portal.cases.interventions_types import DEFAULT_TYPES, ensure_types
from portal.families.models import Family
from portal.families.sessions import active_members, primary_counsellor
from portal.timeutil import local_today

DEMO_FAMILY = "Familien Jensen"
#: (title, what should change, why, how we will know, scores weeks ago -> score)
GOALS = (
    (
        "Rolige morgener",
        "Morgenerne er rolige, og alle kommer i skole til tiden.",
        "Der er ofte råb om morgenen. Emma kommer for sent flere dage om ugen.",
        "Emma kommer til tiden mindst fire dage om ugen.",
        ((8, 3), (6, 4), (4, 4), (2, 6), (0, 7)),
    ),
    (
        "Mere tid sammen",
        "I har en aften om ugen, hvor I laver noget sammen.",
        "Børnene siger, at de savner tid med jer.",
        "I har haft en fælles aften i fire uger i træk.",
        ((4, 2), (1, 3)),
    ),
)


def seed_goals(db: Session, now: datetime | None = None) -> None:
    """Flushes; needs the demo families (``portal.demo.seed_families``)."""
    ensure_types(db)
    family = db.scalar(
        select(Family).where(
            Family.display_name == DEMO_FAMILY,
            Family.erased_at.is_(None),
            ~exists().where(Goal.family_id == Family.id),
        )
    )
    if family is None:
        return
    counsellor = primary_counsellor(db, family)
    if counsellor is None:
        return
    today, member = local_today(now), active_members(family)[0]
    made = [_goal(db, family, counsellor, today, spec) for spec in GOALS]
    goals_progress.add_statement(
        db,
        member,
        family,
        made[0],
        agreement=Agreement.PARTLY,
        words="Vi vil gerne have rolige morgener. Men det er svært, når Oskar er træt.",
    )
    interventions.create_intervention(
        db,
        counsellor,
        family,
        interventions.InterventionText(
            type=db.scalars(
                select(InterventionType).where(
                    InterventionType.name == DEFAULT_TYPES[0]
                )
            ).one(),
            provider="Familiehuset, Anna Andersen",
            description="Vi mødes med jer hver anden uge og taler om hverdagen.",
            starts_on=today - timedelta(weeks=8),
            ends_on=today + timedelta(weeks=16),
            status=InterventionStatus.ACTIVE,
            goals=made,
        ),
    )
    db.flush()


Spec = tuple[str, str, str, str, tuple[tuple[int, int], ...]]


def _goal(
    db: Session, family: Family, counsellor: User, today: date, spec: Spec
) -> Goal:
    title, change, why, know, scores = spec
    goal = goals.create_goal(
        db,
        counsellor,
        family,
        goals.GoalText(
            title=title,
            change=change,
            why=why,
            how_we_know=know,
            target_date=today + timedelta(weeks=16),
        ),
    )
    for weeks_ago, score in scores:
        goals_progress.add_score(
            db,
            counsellor,
            family,
            goal,
            score=score,
            scored_on=today - timedelta(weeks=weeks_ago),
        )
    return goal
