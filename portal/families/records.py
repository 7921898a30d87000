"""Family records: the family, its children, ending a membership, and the purge.

Rules kept here (services flush, the view commits once):

* a closed family is read-only until it is reopened;
* a child's birth date is a real date and not in the future;
* a child or member who leaves the family keeps their row, with the date and the
  reason, so the family's history stays true; a member who leaves can no longer
  log in;
* ``FAMILY_READ_MONTHS_AFTER_CLOSE`` months after closing, ``erase_closed_families``
  erases the family: only the rows the append-only audit log refers to stay,
  without a name.

Every change by staff is written to the audit log, never with personal data in
its reason: the reason names what changed, not to what.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

# accounts.services as a module, not its function: it imports families.models,
# and this package's views (hence this module) load with that.
from portal import audit
from portal.accounts import services as account_services
from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.booking.models import CounsellingSession
from portal.db import utcnow
from portal.families.models import (
    Child,
    Family,
    FamilyAssignment,
    FamilyStatus,
    Invitation,
    custody,
    session_participants,
)
from portal.i18n import LOCAL
from portal.timeutil import add_months

#: Earlier than this, a birth date is a typing error.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


class RecordError(Exception):
    """A change to a family's record that the rules refuse. ``code`` says why (the
    view translates it, see ``families.messages``), ``field`` which form field."""

    def __init__(self, code: str, *, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field


def local_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(LOCAL).date()


def age_on(birth_date: date, day: date) -> int:
    """Whole years between ``birth_date`` and ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def record_change(
    db_session: Session,
    actor: User,
    action: AuditAction,
    family: Family,
    object_type: str,
    object_id: str,
    what: str = "",
) -> None:
    """The audit row of a staff change to ``family``; ``what`` is a field name or
    a state, never a value someone typed."""
    audit.record(
        db_session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        family=family,
        reason=what,
    )


def check_editable(family: Family) -> None:
    if family.is_closed:
        raise RecordError("family_closed")


def create_family(db_session: Session, actor: User, display_name: str) -> Family:
    """A new open family. A counsellor who creates it becomes its primary
    counsellor; a family a leader creates waits for the leader to assign one."""
    family = Family(display_name=display_name.strip())
    db_session.add(family)
    db_session.flush()
    if actor.role == Role.COUNSELLOR:
        db_session.add(
            FamilyAssignment(
                family=family,
                counsellor=actor,
                is_primary=True,
                assigned_by_id=actor.id,
            )
        )
    record_change(
        db_session, actor, AuditAction.CREATE, family, "family", family.public_id
    )
    return family


def _family_changed(
    db_session: Session, actor: User, family: Family, what: str
) -> None:
    record_change(
        db_session, actor, AuditAction.UPDATE, family, "family", family.public_id, what
    )


def rename_family(
    db_session: Session, actor: User, family: Family, display_name: str
) -> None:
    check_editable(family)
    family.display_name = display_name.strip()
    _family_changed(db_session, actor, family, "display_name")


def close_family(
    db_session: Session, actor: User, family: Family, now: datetime | None = None
) -> None:
    """Close the case: the members can still read for the configured months."""
    check_editable(family)
    family.status, family.closed_at = FamilyStatus.CLOSED, now or utcnow()
    _family_changed(db_session, actor, family, "closed")


def reopen_family(db_session: Session, actor: User, family: Family) -> None:
    if not family.is_closed:
        raise RecordError("family_open")
    family.status, family.closed_at = FamilyStatus.OPEN, None
    _family_changed(db_session, actor, family, "reopened")


def _check_birth_date(birth_date: date, now: datetime | None) -> None:
    if birth_date > local_today(now):
        raise RecordError("birth_date_future", field="birth_date")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise RecordError("birth_date_too_early", field="birth_date")


def _check_current_child(family: Family, child: Child) -> None:
    if child.family_id != family.id or child.is_removed:
        raise RecordError("child_not_in_family", field="child")


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
    db_session.add(child)
    db_session.flush()
    record_change(
        db_session, actor, AuditAction.CREATE, family, "child", child.public_id
    )
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
    _check_current_child(family, child)
    _check_birth_date(birth_date, now)
    child.first_name, child.birth_date = first_name.strip(), birth_date
    db_session.flush()
    record_change(
        db_session, actor, AuditAction.UPDATE, family, "child", child.public_id
    )


def _check_reason(reason: str) -> str:
    if not reason.strip():
        raise RecordError("reason_required", field="reason")
    return reason.strip()


def end_membership(
    db_session: Session, member: User, reason: str, now: datetime
) -> None:
    """The member leaves the family: logged out everywhere at once, unable to log
    in again, and no longer a custody holder; the row stays for the history.
    Their e-mail's log-in key is freed, so the address may be used again."""
    member.removed_at, member.removed_reason = now, reason
    member.login_key = None
    held = select(Child).join(custody).where(custody.c.member_id == member.id)
    for child in db_session.scalars(held).all():
        child.custody_holders.remove(member)
    account_services.end_all_sessions(db_session, member)


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
    _check_current_child(family, child)
    reason, now = _check_reason(reason), now or utcnow()
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


def erase_closed_families(db_session: Session, now: datetime | None = None) -> int:
    """The purge: erase each family closed ``FAMILY_READ_MONTHS_AFTER_CLOSE``
    months ago or more; return how many."""
    now = now or utcnow()
    months = int(current_app.config["FAMILY_READ_MONTHS_AFTER_CLOSE"])
    closed = db_session.scalars(
        select(Family).where(
            Family.status == FamilyStatus.CLOSED,
            Family.erased_at.is_(None),
            Family.closed_at.is_not(None),
            Family.closed_at <= now,
        )
    ).all()
    due = [
        family
        for family in closed
        if family.closed_at is not None and add_months(family.closed_at, months) <= now
    ]
    for family in due:
        erase_family(db_session, family, now)
    return len(due)


def erase_family(db_session: Session, family: Family, now: datetime) -> None:
    """Delete the family's children, custody, assignments, invitations and
    sessions; anonymise its members. The member rows and the family row stay
    without a name, because the append-only audit log refers to them."""
    member_ids = select(User.id).where(User.family_id == family.id)
    session_ids = select(CounsellingSession.id).where(
        CounsellingSession.family_id == family.id
    )
    child_ids = select(Child.id).where(Child.family_id == family.id)
    for statement in (
        delete(session_participants).where(
            session_participants.c.session_id.in_(session_ids)
        ),
        delete(CounsellingSession).where(CounsellingSession.family_id == family.id),
        delete(Invitation).where(Invitation.member_id.in_(member_ids)),
        delete(custody).where(custody.c.child_id.in_(child_ids)),
        delete(custody).where(custody.c.member_id.in_(member_ids)),
    ):
        db_session.execute(statement)
    for member in db_session.scalars(select(User).where(User.family_id == family.id)):
        member.name, member.email = "", None
        member.contact_email = member.phone = member.removed_reason = None
        member.login_key = member.mitid_subject = member.password_hash = None
        member.child_id, member.wants_reminders, member.active = None, False, False
        member.session_version += 1
    db_session.flush()
    for statement in (
        delete(Child).where(Child.family_id == family.id),
        delete(FamilyAssignment).where(FamilyAssignment.family_id == family.id),
    ):
        db_session.execute(statement)
    db_session.expire(family)
    family.display_name, family.erased_at = "", now
    db_session.flush()
    audit.record(
        db_session,
        actor=None,
        action=AuditAction.DELETE,
        object_type="family",
        object_id=family.public_id,
        family=family,
        reason="erased",
    )
