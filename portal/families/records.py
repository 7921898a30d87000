"""Family records: the family itself (create, rename, close, reopen) and what
every change to a family's records shares.

Rules kept here (services flush, the view commits once):

* a closed family is read-only until it is reopened;
* every change by staff is written to the audit log, never with personal data in
  its reason: the reason names what changed, not to what.

Children are ``children``, members ``members``, the purge ``erasure``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.db import utcnow
from portal.families.models import Child, Family, FamilyAssignment, FamilyStatus
from portal.i18n import LOCAL


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
    """The audit row of what staff did to ``family``'s data; ``what`` is a field
    name or a state, never a value someone typed."""
    audit.record(
        db_session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        family=family,
        reason=what,
    )


def record_created(
    db_session: Session, actor: User, family: Family, row: Child | User, kind: str
) -> None:
    """Store a new child or member and log its creation under its public id."""
    db_session.add(row)
    db_session.flush()
    record_change(db_session, actor, AuditAction.CREATE, family, kind, row.public_id)


def check_editable(family: Family) -> None:
    if family.is_closed:
        raise RecordError("family_closed")


def check_current_child(family: Family, child: Child, field: str = "child") -> None:
    if child.family_id != family.id or child.is_removed:
        raise RecordError("child_not_in_family", field=field)


def check_reason(reason: str) -> str:
    """A removal's reason, which the family's history keeps; never empty."""
    if not reason.strip():
        raise RecordError("reason_required", field="reason")
    return reason.strip()


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
