"""The family's access log: which staff read or changed the family's data,
when, and why (a leader's reason), by month.

Only staff rows are shown (counsellors and leaders, by the role they had then):
the page answers "who has seen our data", so the family's own actions (their
downloads) and the system's (the purge) stay out. The rows come from the
append-only ``audit_event`` table, found by its indexed ``family_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.accounts.models import Role
from portal.audit import AuditEvent
from portal.families.models import Family
from portal.i18n import LOCAL

STAFF_ROLES = (str(Role.COUNSELLOR), str(Role.LEADER))
#: Rows on one page of the log; the page links to the next.
PAGE_SIZE = 100


@dataclass(frozen=True)
class LogPage:
    entries: list[AuditEvent]
    month: date | None
    page: int
    more: bool


def _staff_rows(family: Family) -> Select[AuditEvent]:
    return select(AuditEvent).where(
        AuditEvent.family_id == family.id, AuditEvent.actor_role.in_(STAFF_ROLES)
    )


def months(db_session: Session, family: Family) -> list[date]:
    """The months (their first day, Copenhagen time) with staff rows, newest
    first. Reads only the times, one query."""
    times = db_session.scalars(
        _staff_rows(family).with_only_columns(AuditEvent.occurred_at)
    )
    return sorted({_local(time).date().replace(day=1) for time in times}, reverse=True)


def parse_month(text: str | None, known: list[date]) -> date | None:
    """``YYYY-MM`` if it is one of ``known``; else the newest (or None)."""
    for month in known:
        if text == month.strftime("%Y-%m"):
            return month
    return known[0] if known else None


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first and the next month's first moment, Copenhagen time, in
    UTC (a month's edge is midnight where the family lives)."""
    after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return _midnight(month), _midnight(after)


def entries(
    db_session: Session, family: Family, month: date | None, page: int = 1
) -> LogPage:
    """One page of staff rows, newest first; every month when ``month`` is None.
    One query: the actor comes joined."""
    rows = list(
        db_session.scalars(
            _in_month(_staff_rows(family), month)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        ).unique()
    )
    return LogPage(rows[:PAGE_SIZE], month, page, len(rows) > PAGE_SIZE)


def every_entry(
    db_session: Session, family: Family, month: date | None = None
) -> list[AuditEvent]:
    """All staff rows (of ``month`` if given), oldest first: the export and the
    CSV, which are files, not pages."""
    query = _in_month(_staff_rows(family), month)
    return list(
        db_session.scalars(
            query.order_by(AuditEvent.occurred_at, AuditEvent.id)
        ).unique()
    )


def _in_month(query: Select[AuditEvent], month: date | None) -> Select[AuditEvent]:
    if month is None:
        return query
    start, end = month_bounds(month)
    return query.where(AuditEvent.occurred_at >= start, AuditEvent.occurred_at < end)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL).astimezone(UTC)
