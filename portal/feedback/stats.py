"""The leader's statistics of session ratings: averages per month, mode, topic or
counsellor, never for a group of fewer than K answers (k-anonymity).

The threat is pointing at a family through a small group. Three lines:

* one dimension at a time, so no cross-tab makes small cells;
* a group under K answers is hidden and says why;
* no subtraction: the total is shown, so the hidden groups together must hold
  either no answers or at least K; when they do not, the smallest shown groups
  are hidden too (complementary suppression).

Free text is never shown here. The database does the aggregation (one GROUP BY
with sums), so the page costs the same few queries for any number of ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal.accounts.models import User
from portal.booking.models import Topic
from portal.feedback.models import ITEMS, SessionRating

#: The smallest group shown.
K = 5
#: The dimensions a leader can group by (the URL's word -> the column).
DIMENSIONS = ("month", "mode", "topic", "counsellor")


@dataclass(frozen=True)
class Group:
    key: str  # the month, mode, topic id or counsellor id as text ("" for none)
    answers: int
    sums: tuple[int, ...]
    hidden: bool = False

    def averages(self) -> tuple[float, ...]:
        return tuple(round(total / self.answers, 1) for total in self.sums)


@dataclass(frozen=True)
class Table:
    dimension: str
    groups: list[Group]
    total: Group | None  # None when all answers together are fewer than K


def _column(dimension: str) -> InstrumentedAttribute[Any]:
    columns: dict[str, InstrumentedAttribute[Any]] = {
        "month": SessionRating.month,
        "mode": SessionRating.mode,
        "topic": SessionRating.topic_id,
        "counsellor": SessionRating.counsellor_id,
    }
    return columns[dimension]


def _suppress(groups: list[Group]) -> list[Group]:
    """Hide groups under K; then hide the smallest shown ones until the hidden
    answers are none or at least K, so the total cannot reveal them."""
    hidden = {g.key for g in groups if g.answers < K}
    shown = sorted((g for g in groups if g.key not in hidden), key=lambda g: g.answers)
    hidden_answers = sum(g.answers for g in groups if g.key in hidden)
    while 0 < hidden_answers < K and shown:
        smallest = shown.pop(0)
        hidden.add(smallest.key)
        hidden_answers += smallest.answers
    return [Group(g.key, g.answers, g.sums, hidden=g.key in hidden) for g in groups]


def rating_table(db: Session, dimension: str) -> Table:
    """Answers and the sum of each item per group: one query."""
    column = _column(dimension)
    rows = db.execute(
        select(
            column,
            func.count(SessionRating.id),
            *(func.sum(getattr(SessionRating, item)) for item in ITEMS),
        )
        .group_by(column)
        .order_by(column)
    ).all()
    groups = [
        Group(
            "" if key is None else str(key),
            int(answers),
            tuple(int(total) for total in sums),
        )
        for key, answers, *sums in rows
    ]
    answers = sum(g.answers for g in groups)
    total = None
    if answers >= K:
        total = Group(
            "",
            answers,
            tuple(sum(g.sums[i] for g in groups) for i in range(len(ITEMS))),
        )
    return Table(dimension, _suppress(groups), total)


def names(db: Session, table: Table) -> dict[str, str]:
    """The topics' or counsellors' names for the table's keys: one query."""
    if table.dimension not in ("topic", "counsellor"):
        return {}
    ids = [int(g.key) for g in table.groups if g.key]
    if table.dimension == "topic" and ids:
        return {
            str(topic.id): topic.name_da
            for topic in db.scalars(select(Topic).where(Topic.id.in_(ids)))
        }
    if table.dimension == "counsellor" and ids:
        return {
            str(user_id): name
            for user_id, name in db.execute(
                select(User.id, User.name).where(User.id.in_(ids))
            )
        }
    return {}
