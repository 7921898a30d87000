"""Free slots: weekly availability minus everything that makes a time unbookable.

The period's sessions, absences and holds are read with one query each and the
rest is computed in Python, so a six-week view over twenty counsellors takes a few
milliseconds. Weekly spans are Europe/Copenhagen wall time, so a 09:00 span stays
09:00 on both sides of a daylight-saving change. Slots start at wall times stepped
by the session length from the span's start and last the session length in real
time; on the two change nights a start the clock skips gives no slot, a repeated
start means its first occurrence, and a slot must end by the moment the clock first
reads the span's end. What keeps a counsellor busy is read by ``busy_time``;
weekly spans are cut into slots by ``span_slots``.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.availability.models import (
    CounsellorSettings,
    Mode,
    split_codes,
)
from portal.booking import slot_days
from portal.booking.busy_time import busy_times
from portal.booking.slot_days import change_day_times, seconds
from portal.booking.span_slots import (
    Found,
    add_day_slots,
    weekly_spans,
    weekly_templates,
)
from portal.db import utcnow
from portal.i18n import LOCAL


@dataclass(frozen=True, order=True)
class Slot:
    """A bookable time with one counsellor in one mode (UTC times)."""

    starts_at: datetime
    ends_at: datetime
    mode: Mode
    counsellor_id: int
    location: str = field(default="", compare=False)


@dataclass(frozen=True, order=True)
class FreeTime:
    """What the parent sees: a time, without the counsellor behind it."""

    starts_at: datetime
    ends_at: datetime

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(LOCAL)


def free_slots(
    db: Session,
    start: datetime,
    end: datetime,
    *,
    mode: Mode | str | None = None,
    language: str | None = None,
    now: datetime | None = None,
    counsellor_ids: Iterable[int] | None = None,
    ignore_hold_token: str | None = None,
    ignore_session_id: int | None = None,
    closed_dates: Iterable[str] | None = None,
) -> list[Slot]:
    """Every bookable slot starting in ``[start, end)``, sorted by time.

    Rules: each active counsellor's weekly spans (Copenhagen time), cut into
    slots of their session length; only modes the span offers and counsellors who
    speak ``language``; minus non-cancelled sessions plus the buffer after a home
    visit (a home-visit slot also needs its own buffer free afterwards); minus
    absences, unexpired holds (except ``ignore_hold_token``), Danish public
    holidays and ``BOOKING_CLOSED_DATES``; starting no earlier than the
    counsellor's minimum notice and before their booking horizon.
    """
    now = now or utcnow()
    wanted_mode = Mode(mode) if mode else None
    if closed_dates is None:
        closed_dates = current_app.config["BOOKING_CLOSED_DATES"]
    closed_dates = frozenset(closed_dates)

    # Plain rows, not ORM objects: this runs for every free-time computation.
    query = (
        select(
            CounsellorSettings.counsellor_id,
            CounsellorSettings.languages,
            CounsellorSettings.session_minutes,
            CounsellorSettings.home_visit_buffer_minutes,
            CounsellorSettings.minimum_notice_hours,
            CounsellorSettings.horizon_weeks,
        )
        .join(User, User.id == CounsellorSettings.counsellor_id)
        .where(User.active.is_(True), User.role == Role.COUNSELLOR)
    )
    if counsellor_ids is not None:
        query = query.where(CounsellorSettings.counsellor_id.in_(list(counsellor_ids)))
    settings = {
        row.counsellor_id: row
        for row in db.execute(query)
        if language is None or language in split_codes(row.languages)
    }
    if not settings or start >= end:
        return []
    ids = list(settings)

    spans = weekly_spans(db, ids)
    buffers = {
        cid: setting.home_visit_buffer_minutes * 60 for cid, setting in settings.items()
    }
    busy_by_counsellor = busy_times(
        db,
        buffers,
        start,
        end,
        now=now,
        ignore_hold_token=ignore_hold_token,
        ignore_session_id=ignore_session_id,
    )
    found: list[Found] = []
    open_days = slot_days.open_days(
        start.astimezone(LOCAL).date(), end.astimezone(LOCAL).date(), closed_dates
    )
    for cid, setting in settings.items():
        earliest = max(start, now + timedelta(hours=setting.minimum_notice_hours))
        latest = min(end, now + timedelta(weeks=setting.horizon_weeks))
        if earliest >= latest or cid not in spans:
            continue
        window = (seconds(earliest), seconds(latest))
        busy = busy_by_counsellor[cid]
        length = setting.session_minutes * 60
        templates = weekly_templates(spans[cid], length, wanted_mode)
        first = bisect_left(open_days, (earliest.astimezone(LOCAL).date(),))
        last = bisect_right(open_days, (latest.astimezone(LOCAL).date(), 7))
        for day, weekday, midnight in open_days[first:last]:
            for location, modes, walls, bounds in templates.get(weekday, ()):
                if midnight is None:  # a change day: real times, worked out afresh
                    offset, walls = 0, change_day_times(day, *bounds, length)
                else:
                    offset = midnight
                add_day_slots(
                    found,
                    offset,
                    walls,
                    location,
                    modes,
                    cid,
                    buffers[cid],
                    window,
                    busy,
                )
    found.sort(key=_SLOT_ORDER)
    moments: dict[int, datetime] = {}

    def moment(seconds: int) -> datetime:
        if seconds not in moments:
            moments[seconds] = datetime.fromtimestamp(seconds, UTC)
        return moments[seconds]

    return [
        Slot(moment(s_start), moment(s_end), mode, cid, location)
        for s_start, s_end, mode, cid, location in found
    ]


#: Time, end, mode, counsellor: the order of Slot's own comparison.
_SLOT_ORDER = operator.itemgetter(0, 1, 2, 3)
