"""A counsellor's weekly spans cut into slots, and one day's free ones.

Slots step in wall-clock time from the span's start by the session length, so
they are the same offsets from local midnight every week except on a
daylight-saving change day (``slot_days.change_day_times``).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import time

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from portal.availability.models import AvailabilitySpan, Mode, split_codes
from portal.booking.busy_time import BusyTime

#: A weekly span as read for the computation: (counsellor, weekday, start, end,
#: modes, location).
SpanRow = Row[int, int, time, time, str, str]
#: Per weekday: (location, modes, [(start, end)], (span start, span end)), all
#: in seconds from local midnight.
Template = tuple[str, tuple[Mode, ...], list[tuple[int, int]], tuple[int, int]]
#: A free slot while it is computed: (start, end, mode, counsellor, location).
Found = tuple[int, int, Mode, int, str]


def weekly_spans(
    db: Session, counsellor_ids: Sequence[int]
) -> dict[int, dict[int, list[SpanRow]]]:
    """The counsellors' weekly spans, per counsellor and weekday."""
    spans: dict[int, dict[int, list[SpanRow]]] = defaultdict(lambda: defaultdict(list))
    for span in db.execute(
        select(
            AvailabilitySpan.counsellor_id,
            AvailabilitySpan.weekday,
            AvailabilitySpan.start_time,
            AvailabilitySpan.end_time,
            AvailabilitySpan.modes,
            AvailabilitySpan.location,
        ).where(AvailabilitySpan.counsellor_id.in_(counsellor_ids))
    ):
        spans[span.counsellor_id][span.weekday].append(span)
    return spans


def weekly_templates(
    spans_by_weekday: Mapping[int, list[SpanRow]],
    length: int,
    wanted_mode: Mode | None,
) -> dict[int, list[Template]]:
    """Per weekday: (location, modes, [(start, end) as seconds from midnight],
    (span start, span end) as seconds from midnight).

    Slots step in wall-clock time from the span's start, so they are the same
    offsets from local midnight every week except on a daylight-saving change
    day, which starts again from the span's bounds.
    """
    templates: dict[int, list[Template]] = {}
    for weekday, day_spans in spans_by_weekday.items():
        for span in sorted(day_spans, key=operator.attrgetter("start_time")):
            modes = tuple(
                Mode(m) for m in split_codes(span.modes) if wanted_mode in (None, m)
            )
            if not modes:
                continue
            span_start = span.start_time.hour * 3600 + span.start_time.minute * 60
            span_end = span.end_time.hour * 3600 + span.end_time.minute * 60
            walls = [
                (wall, wall + length)
                for wall in range(span_start, span_end - length + 1, length)
            ]
            templates.setdefault(weekday, []).append(
                (span.location, modes, walls, (span_start, span_end))
            )
    return templates


def add_day_slots(
    found: list[Found],
    offset: int,
    walls: Sequence[tuple[int, int]],
    location: str,
    modes: tuple[Mode, ...],
    cid: int,
    buffer: int,
    window: tuple[int, int],
    busy: BusyTime,
) -> None:
    """Append the day's free (start, end, mode, counsellor, location) to ``found``;
    ``walls`` are (start, end) in POSIX seconds minus ``offset``."""
    earliest, latest = window
    home = Mode.HOME in modes
    for wall_start, wall_end in walls:
        slot_start = offset + wall_start
        slot_end = offset + wall_end
        if not earliest <= slot_start < latest:
            continue  # outside notice/horizon
        plain_free = not busy.overlaps(slot_start, slot_end)
        home_free = (
            home and plain_free and not busy.overlaps(slot_start, slot_end + buffer)
        )
        for mode in modes:
            if home_free if mode == Mode.HOME else plain_free:
                found.append((slot_start, slot_end, mode, cid, location))
