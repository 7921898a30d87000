"""A family's interventions: the rules (services flush, the view commits once).

* Only the family's assigned counsellors make and change them (the view opens
  the family ``to_change``: 403 for a leader); a closed family is read-only.
* The type is one the leader keeps; a retired type is refused for a new
  intervention, or for an old one that did not already have it.
* It ends on or after the day it starts (the database checks it too).
* Its goals are the same family's (a goal of another family is refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import User
from portal.audit import AuditAction
from portal.cases.goals_models import Goal
from portal.cases.interventions_models import (
    Intervention,
    InterventionStatus,
    InterventionType,
)
from portal.families.models import Family
from portal.families.news import tell_members_of_news
from portal.families.records import RecordError, check_editable, record_change


@dataclass
class InterventionText:
    """What a counsellor writes about an intervention."""

    type: InterventionType
    provider: str
    description: str
    starts_on: date
    ends_on: date | None
    status: InterventionStatus
    goals: Sequence[Goal] = field(default_factory=list)


def family_interventions(family: Family) -> Select[Intervention]:
    """The family's interventions with their types and goals, in two more
    statements however many there are."""
    return (
        select(Intervention)
        .where(Intervention.family_id == family.id)
        .options(selectinload(Intervention.type), selectinload(Intervention.goals))
        .order_by(Intervention.starts_on.desc(), Intervention.id)
    )


def check_goals(family: Family, goals: Sequence[Goal]) -> None:
    if any(goal.family_id != family.id for goal in goals):
        raise RecordError("goal_not_in_family", field="goals")


def _apply(family: Family, row: Intervention, text: InterventionText) -> None:
    if text.type.is_retired and row.type_id != text.type.id:
        raise RecordError("type_retired", field="type")
    if text.ends_on is not None and text.ends_on < text.starts_on:
        raise RecordError("end_before_start", field="ends_on")
    check_goals(family, text.goals)
    row.type, row.status = text.type, text.status
    row.provider, row.description = text.provider.strip(), text.description.strip()
    row.starts_on, row.ends_on = text.starts_on, text.ends_on
    row.goals = list(text.goals)


def create_intervention(
    db: Session, actor: User, family: Family, text: InterventionText
) -> Intervention:
    check_editable(family)
    row = Intervention(family_id=family.id, created_by_id=actor.id)
    _apply(family, row, text)
    db.add(row)
    db.flush()
    record_change(db, actor, AuditAction.CREATE, family, "intervention", row.public_id)
    tell_members_of_news(db, family)
    return row


def update_intervention(
    db: Session,
    actor: User,
    family: Family,
    row: Intervention,
    text: InterventionText,
) -> None:
    check_editable(family)
    _apply(family, row, text)
    db.flush()
    record_change(
        db,
        actor,
        AuditAction.UPDATE,
        family,
        "intervention",
        row.public_id,
        f"status: {text.status}",
    )


def interventions_for_export(db: Session, family: Family) -> list[dict[str, Any]]:
    """The family's interventions for their data export (ISO dates, public ids)."""
    return [
        {
            "id": row.public_id,
            "type": row.type.name,
            "provider": row.provider,
            "description": row.description,
            "starts_on": row.starts_on.isoformat(),
            "ends_on": row.ends_on.isoformat() if row.ends_on else None,
            "status": str(row.status),
            "goals": [goal.public_id for goal in row.goals],
        }
        for row in db.scalars(family_interventions(family))
    ]
