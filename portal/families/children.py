"""A family's children: added, changed, and removed with a reason.

Rules kept here (services flush, the view commits once):

* a child's birth date is a real date and not in the future;
* a child who leaves the family keeps their row, with the date and the reason, so
  the family's history stays true; a young person who is also a member leaves
  with them and can no longer log in.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit import AuditAction
from portal.db import utcnow
from portal.families.members import end_membership
from portal.families.models import Child, Family
from portal.families.records import (
    RecordError,
    check_current_child,
    check_editable,
    check_reason,
    record_change,
    record_created,
)
from portal.timeutil import local_today

#: Earlier than this, a birth date is a typing error.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _check_birth_date(birth_date: date, now: datetime | None) -> None:
    if birth_date > local_today(now):
        raise RecordError("birth_date_future", field="birth_date")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise RecordError("birth_date_too_early", field="birth_date")


def add_child(
    db_session: Session,
    actor: User,
    family: Family,
    *,
    first_name: str,
    birth_date: date,
    now: datetime | None = None,
) -> Child:
    check_editable(family)
    _check_birth_date(birth_date, now)
    child = Child(family=family, first_name=first_name.strip(), birth_date=birth_date)
    record_created(db_session, actor, family, child, "child")
    return child


def update_child(
    db_session: Session,
    actor: User,
    family: Family,
    child: Child,
    *,
    first_name: str,
    birth_date: date,
    now: datetime | None = None,
) -> None:
    check_editable(family)
    check_current_child(family, child)
    _check_birth_date(birth_date, now)
    child.first_name, child.birth_date = first_name.strip(), birth_date
    db_session.flush()
    record_change(
        db_session, actor, AuditAction.UPDATE, family, "child", child.public_id
    )


def remove_child(
    db_session: Session,
    actor: User,
    family: Family,
    child: Child,
    *,
    reason: str,
    now: datetime | None = None,
) -> None:
    """Remove a child from the family; a young person who is also a member
    leaves with them."""
    check_editable(family)
    check_current_child(family, child)
    reason, now = check_reason(reason), now or utcnow()
    child.removed_at, child.removed_reason = now, reason
    for member in db_session.scalars(
        select(User).where(
            User.family_id == family.id,
            User.child_id == child.id,
            User.removed_at.is_(None),
        )
    ):
        end_membership(db_session, member, reason, now)
        record_change(
            db_session, actor, AuditAction.DELETE, family, "member", member.public_id
        )
    db_session.flush()
    record_change(
        db_session, actor, AuditAction.DELETE, family, "child", child.public_id
    )
