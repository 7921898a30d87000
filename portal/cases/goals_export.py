"""The family's goals in their data export: JSON-ready dicts with ISO dates and
public ids, nothing of another family and no internal ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.cases.goals import family_goals
from portal.families.models import Family


def _who(user: User | None) -> dict[str, str]:
    if user is None:
        return {"name": "", "role": ""}
    return {"name": user.name, "role": str(user.role)}


def goals_for_export(db: Session, family: Family) -> list[dict[str, Any]]:
    return [
        {
            "id": goal.public_id,
            "child": goal.child.public_id if goal.child else None,
            "title": goal.title,
            "what_should_change": goal.change,
            "why": goal.why,
            "how_we_will_know": goal.how_we_know,
            "target_date": goal.target_date.isoformat(),
            "status": str(goal.status),
            "status_reason": goal.status_reason,
            "created_at": goal.created_at.isoformat(),
            "scores": [
                {
                    "date": score.scored_on.isoformat(),
                    "score": score.score,
                    "by": _who(score.author),
                    "note": score.note,
                }
                for score in goal.scores
            ],
            "family_words": [
                {
                    "written_at": statement.created_at.isoformat(),
                    "by": _who(statement.author),
                    "words": statement.words,
                    "agreement": str(statement.agreement),
                }
                for statement in reversed(goal.statements)
            ],
        }
        for goal in db.scalars(family_goals(family))
    ]
