"""What every feedback form shares: scores from 0 to 10 for the items it asks,
and a row stored once however many submits race for it (a unique key refuses
the second insert inside a savepoint, so the caller's transaction survives)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.db import Base
from portal.feedback.errors import FeedbackError
from portal.feedback.models import MAX_SCORE, MIN_SCORE

Row = TypeVar("Row", bound=Base)


def checked_scores(
    scores: Mapping[str, int | None], items: Iterable[str]
) -> dict[str, int]:
    """Every item given and within 0-10; else FeedbackError ``score_out_of_range``
    on the first item that is not."""
    checked: dict[str, int] = {}
    for item in items:
        value = scores.get(item)
        if value is None or not MIN_SCORE <= value <= MAX_SCORE:
            raise FeedbackError("score_out_of_range", field=item)
        checked[item] = value
    return checked


def insert_once(db: Session, row: Row, refused: str) -> Row:
    """Add and flush ``row``; a unique key's refusal becomes FeedbackError
    ``refused`` and nothing is stored."""
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        raise FeedbackError(refused) from None
    return row
