"""Availability changes that can take time away, and the booked sessions in
their way.

A change is a new absence or a weekly span added, edited or removed. A booked
session is in the way when the change would leave it outside the counsellor's
availability: inside the new absence, or covered by a span (with its mode)
before the change and by none after it (``blocker``; the calendar finds those
sessions). Changes travel between requests as
plain dicts (``change_to_dict`` / ``change_from_dict``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.availability.models import AvailabilitySpan
from portal.i18n import LOCAL


@dataclass(frozen=True)
class NewAbsence:
    starts_at: datetime
    ends_at: datetime
    reason: str = ""
    kind: str = field(default="absence", init=False)


@dataclass(frozen=True)
class SpanChange:
    """Add (``span_id`` None), edit or (``delete``) remove a weekly span."""

    span_id: int | None
    weekday: int
    start_time: time
    end_time: time
    modes: tuple[str, ...]
    location: str = ""
    delete: bool = False
    kind: str = field(default="span", init=False)


Change = NewAbsence | SpanChange
#: ``blocks(starts_at, ends_at, mode)``: would a pending change take that time away?
Blocker = Callable[[datetime, datetime, str], bool]


def change_to_dict(change: Change) -> dict[str, Any]:
    data = asdict(change)
    for key, value in data.items():
        if isinstance(value, datetime | time):
            data[key] = value.isoformat()
        elif isinstance(value, tuple):
            data[key] = list(value)
    return data


def change_from_dict(data: dict[str, Any]) -> Change:
    data = dict(data)
    kind = data.pop("kind")
    if kind == "absence":
        return NewAbsence(
            starts_at=datetime.fromisoformat(data["starts_at"]),
            ends_at=datetime.fromisoformat(data["ends_at"]),
            reason=data.get("reason", ""),
        )
    return SpanChange(
        span_id=data["span_id"],
        weekday=int(data["weekday"]),
        start_time=time.fromisoformat(data["start_time"]),
        end_time=time.fromisoformat(data["end_time"]),
        modes=tuple(data["modes"]),
        location=data.get("location", ""),
        delete=bool(data.get("delete")),
    )


def absence_from_local(
    start_day: date,
    end_day: date,
    start_time: time | None = None,
    end_time: time | None = None,
    reason: str = "",
) -> NewAbsence:
    """An absence from Copenhagen dates and optional times: without times it
    covers whole days, ``end_day`` included."""
    starts = datetime.combine(start_day, start_time or time(0), tzinfo=LOCAL)
    if end_time is None:
        ends = datetime.combine(end_day + timedelta(days=1), time(0), tzinfo=LOCAL)
    else:
        ends = datetime.combine(end_day, end_time, tzinfo=LOCAL)
    return NewAbsence(
        starts_at=starts.astimezone(UTC),
        ends_at=ends.astimezone(UTC),
        reason=(reason or "").strip(),
    )


def _covers(
    spans: Sequence[_Span], local_start: datetime, local_end: datetime, mode: str
) -> bool:
    if local_start.date() != local_end.date() and local_end.time() != time(0):
        return False
    end = local_end.time() if local_end.date() == local_start.date() else time.max
    return any(
        span.weekday == local_start.weekday()
        and span.start_time <= local_start.time()
        and end <= span.end_time
        and mode in span.modes
        for span in spans
    )


@dataclass(frozen=True)
class _Span:
    weekday: int
    start_time: time
    end_time: time
    modes: tuple[str, ...]


def _before_and_after(
    db: Session, counsellor_id: int, change: SpanChange
) -> tuple[list[_Span], list[_Span]]:
    current = db.scalars(
        select(AvailabilitySpan).where(AvailabilitySpan.counsellor_id == counsellor_id)
    ).all()
    before = [
        _Span(s.weekday, s.start_time, s.end_time, tuple(s.mode_list)) for s in current
    ]
    after = [
        _Span(s.weekday, s.start_time, s.end_time, tuple(s.mode_list))
        for s in current
        if s.id != change.span_id
    ]
    if not change.delete:
        after.append(
            _Span(change.weekday, change.start_time, change.end_time, change.modes)
        )
    return before, after


def blocker(db: Session, counsellor_id: int, change: Change) -> Blocker:
    """A test ``blocks(starts_at, ends_at, mode)``: would the change take that
    time away? Used to offer only times the pending change leaves free."""
    if isinstance(change, NewAbsence):
        return lambda start, end, _mode: (
            start < change.ends_at and change.starts_at < end
        )
    before, after = _before_and_after(db, counsellor_id, change)

    def blocks(start: datetime, end: datetime, mode: str) -> bool:
        local_start, local_end = start.astimezone(LOCAL), end.astimezone(LOCAL)
        return _covers(before, local_start, local_end, mode) and not _covers(
            after, local_start, local_end, mode
        )

    return blocks
