"""The leader's statistics: session ratings per month, mode, topic or counsellor,
and families' answers about ended interventions per intervention type; averages
and the distribution of one score over bands (``BANDS``), never for a group of
fewer than K answers (k-anonymity).

The threat is pointing at a family through a small group. Three lines:

* one dimension at a time, so no cross-tab makes small cells;
* a group under K answers is hidden and says why;
* no subtraction: the total is shown, so the hidden groups together must hold
  either no answers or at least K; when they do not, the smallest shown groups
  are hidden too (complementary suppression).

Free text is never shown here. The database does the aggregation (one GROUP BY
with sums and counts per band), so the page costs the same few queries for any
number of ratings. Each worker keeps the last table per dimension while the
newest answer's id is the same (``cached_table``): 60,000 ratings cost tens of
milliseconds to aggregate, the id one index look-up. ``CACHE_SECONDS`` bounds how
long a deletion (a purge) can go unnoticed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal.accounts.models import User
from portal.booking.models import Topic
from portal.cases.interventions_models import InterventionType
from portal.feedback.family_models import InterventionReview
from portal.feedback.models import ITEMS, SessionRating

#: The smallest group shown.
K = 5
#: The dimensions a leader can group by (the URL's words).
DIMENSIONS = ("month", "mode", "topic", "counsellor", "intervention")
#: The distribution counts answers whose banded score (a rating's "overall", an
#: intervention's "difference") lies in each of these ranges.
BANDS = ((0, 3), (4, 5), (6, 7), (8, 10))
#: The longest a worker reuses a table while no new answer arrived.
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Group:
    key: str  # the month, mode, topic, counsellor or type id as text ("" for none)
    answers: int
    sums: tuple[int, ...]
    bands: tuple[int, ...]  # answers per band of BANDS
    hidden: bool = False

    def averages(self) -> tuple[float, ...]:
        return tuple(round(total / self.answers, 1) for total in self.sums)


@dataclass(frozen=True)
class Table:
    dimension: str
    groups: list[Group]
    total: Group | None  # None when all answers together are fewer than K


@dataclass(frozen=True)
class Source:
    """What a dimension counts: the table, its grouping column, the items
    averaged and the item whose scores are banded."""

    model: type[SessionRating] | type[InterventionReview]
    column: InstrumentedAttribute[Any]
    items: tuple[str, ...]
    banded: str


def source(dimension: str) -> Source:
    if dimension == "intervention":
        return Source(
            InterventionReview,
            InterventionReview.type_id,
            ("difference",),
            "difference",
        )
    columns: dict[str, InstrumentedAttribute[Any]] = {
        "month": SessionRating.month,
        "mode": SessionRating.mode,
        "topic": SessionRating.topic_id,
        "counsellor": SessionRating.counsellor_id,
    }
    return Source(SessionRating, columns[dimension], ITEMS, "overall")


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
    return [
        Group(g.key, g.answers, g.sums, g.bands, hidden=g.key in hidden) for g in groups
    ]


def _summed(values: list[tuple[int, ...]], width: int) -> tuple[int, ...]:
    return tuple(sum(v[i] for v in values) for i in range(width))


def rating_table(db: Session, dimension: str) -> Table:
    """Answers, the sum of each item and the answers per band, per group: one
    query."""
    found = source(dimension)
    banded = getattr(found.model, found.banded)
    rows = db.execute(
        select(
            found.column,
            func.count(found.model.id),
            *(func.sum(getattr(found.model, item)) for item in found.items),
            *(
                func.sum(case((banded.between(low, high), 1), else_=0))
                for low, high in BANDS
            ),
        )
        .group_by(found.column)
        .order_by(found.column)
    ).all()
    width = len(found.items)
    groups = [
        Group(
            "" if key is None else str(key),
            int(answers),
            tuple(int(total) for total in sums[:width]),
            tuple(int(count) for count in sums[width:]),
        )
        for key, answers, *sums in rows
    ]
    answers = sum(g.answers for g in groups)
    total = None
    if answers >= K:
        total = Group(
            "",
            answers,
            _summed([g.sums for g in groups], width),
            _summed([g.bands for g in groups], len(BANDS)),
        )
    return Table(dimension, _suppress(groups), total)


def cached_table(db: Session, dimension: str) -> Table:
    """``rating_table``, reused while the newest answer is the same one and for
    at most CACHE_SECONDS; one query when reused. Kept per app (per worker)."""
    model = source(dimension).model
    newest = db.scalar(select(func.max(model.id)))
    cache: dict[str, tuple[int | None, float, Table]] = (
        current_app.extensions.setdefault("feedback_stats_tables", {})
    )
    found = cache.get(dimension)
    now = time.monotonic()
    if found is not None and found[0] == newest and now - found[1] < CACHE_SECONDS:
        return found[2]
    table = rating_table(db, dimension)
    cache[dimension] = (newest, now, table)
    return table


def names(db: Session, table: Table) -> dict[str, str]:
    """The topics', counsellors' or types' names for the table's keys: one
    query."""
    if table.dimension not in ("topic", "counsellor", "intervention"):
        return {}
    ids = [int(g.key) for g in table.groups if g.key]
    if table.dimension == "intervention" and ids:
        return {
            str(kind_id): name
            for kind_id, name in db.execute(
                select(InterventionType.id, InterventionType.name).where(
                    InterventionType.id.in_(ids)
                )
            )
        }
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
