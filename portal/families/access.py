"""Who may open which family: the one home of the object-level rule.

* A family member: only their own family, while they are an active member (not
  removed) and, once the family is closed, for ``FAMILY_READ_MONTHS_AFTER_CLOSE``
  months (default 12) after the closing date.
* A counsellor: only the families they are assigned to.
* A leader: reads any family (the role assigns counsellors), and every opening
  is written to the audit log, which the family sees, with the reason the
  leader gave (``needs_reason``; ``web.open_family`` asks for it). Changing a
  family's records is the assigned counsellors' work: a leader is refused (403).

Views never query families themselves: they call ``family_for_staff`` or
``family_for_member``, which answer 404 for anything not visible, so an id of
another family looks exactly like an id that does not exist.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app
from sqlalchemy import Select, exists, false, select
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import Role, User
from portal.db import utcnow
from portal.families.models import Family, FamilyAssignment
from portal.timeutil import add_months

OBJECT_TYPE = "family"


def visible_families(viewer: User) -> Select[Family]:
    """The families ``viewer`` (staff) may list, not erased, by display name."""
    query = select(Family).where(Family.erased_at.is_(None))
    if viewer.role == Role.LEADER:
        return query.order_by(Family.display_name, Family.id)
    if viewer.role != Role.COUNSELLOR:
        return query.where(false())
    assigned = exists().where(
        FamilyAssignment.family_id == Family.id,
        FamilyAssignment.counsellor_id == viewer.id,
    )
    return query.where(assigned).order_by(Family.display_name, Family.id)


def is_assigned(db_session: Session, counsellor: User, family: Family) -> bool:
    return (
        db_session.scalar(
            select(FamilyAssignment.id).where(
                FamilyAssignment.family_id == family.id,
                FamilyAssignment.counsellor_id == counsellor.id,
            )
        )
        is not None
    )


def visible_family(
    db_session: Session, viewer: User, family_public_id: str
) -> Family | None:
    """The family if it is in ``viewer``'s list; not logged: callers either log
    the opening (``family_for_staff``) or show no more than the list does."""
    return db_session.scalar(
        visible_families(viewer)
        .where(Family.public_id == family_public_id)
        .order_by(None)
    )


def needs_reason(viewer: User) -> bool:
    """Whether ``viewer`` must say why before reading a family: staff who are not
    assigned to it. Only leaders read families they do not serve (a counsellor
    gets 404), and no leader is ever assigned."""
    return viewer.role == Role.LEADER


def family_for_staff(
    db_session: Session,
    viewer: User,
    family_public_id: str,
    *,
    what: str,
    to_change: bool = False,
    stated_reason: str | None = None,
) -> Family:
    """The family if ``viewer`` may open it, with the access written to the audit
    log (``what`` says which page or data, for the family's "who has seen our
    data"; ``stated_reason`` why, in the viewer's words); otherwise 404.
    ``to_change``: only an assigned counsellor (403 for a leader)."""
    if to_change and viewer.role == Role.LEADER:
        abort(403)
    family = visible_family(db_session, viewer, family_public_id)
    if family is None:
        abort(404)
    record_opening(db_session, viewer, family, what, stated_reason)
    return family


def record_opening(
    db_session: Session,
    viewer: User,
    family: Family,
    what: str,
    stated_reason: str | None = None,
) -> audit.AuditEvent:
    """The audit row of a staff member opening ``family``: the family reads
    ``what`` and, from a leader, ``stated_reason`` in its access log."""
    return audit.record(
        db_session,
        actor=viewer,
        action=audit.AuditAction.VIEW,
        object_type=OBJECT_TYPE,
        object_id=family.public_id,
        family=family,
        reason=what[:500],
        stated_reason=stated_reason,
    )


def member_may_read(member: User, now: datetime | None = None) -> bool:
    """Whether a family member may still log in and read their family's pages."""
    family = member.family
    if (
        member.role != Role.FAMILY
        or family is None
        or member.removed_at is not None
        or family.erased_at is not None
    ):
        return False
    if family.closed_at is None:
        return True
    months = int(current_app.config["FAMILY_READ_MONTHS_AFTER_CLOSE"])
    return (now or utcnow()) < add_months(family.closed_at, months)


def may_log_in(user: User, now: datetime | None = None) -> bool:
    """The families' log-in check (``accounts.services.LOG_IN_CHECKS``): staff
    pass; a member only while they may read."""
    return user.role != Role.FAMILY or member_may_read(user, now)


def family_for_member(member: User) -> Family:
    """The logged-in member's own family, or 404 when they may no longer read it."""
    if not member_may_read(member) or member.family is None:
        abort(404)
    return member.family
