"""The purge of closed families: ``FAMILY_READ_MONTHS_AFTER_CLOSE`` months after
closing, a family is erased. Only the rows the append-only audit log refers to
stay, without a name."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
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
from portal.timeutil import add_months

#: ``app.extensions`` key: functions ``(db_session, family)`` of the features
#: above families (a case's goals and notes) that delete what they hold about a
#: family, run first by ``erase_family``.
ERASERS = "families.erasers"


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
    for erase_more in current_app.extensions.get(ERASERS, []):
        erase_more(db_session, family)
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
