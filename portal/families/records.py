"""Family records: what every change to a family's records shares.

Rules kept here (services flush, the view commits once):

* a closed family is read-only until it is reopened;
* every change by staff is written to the audit log, never with personal data in
  its reason: the reason names what changed, not to what.

The family itself is ``lifecycle``, children ``children``, members ``members``,
the purge ``erasure``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.audit import AuditAction
from portal.families.models import Child, Family


class RecordError(Exception):
    """A change to a family's record that the rules refuse. ``code`` says why (the
    view translates it, see ``families.messages``), ``field`` which form field."""

    def __init__(self, code: str, *, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field


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
