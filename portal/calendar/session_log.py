"""The audit line for what staff did to a session, or saw in it (a home visit's
address); nothing when the parent did it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.booking.models import CounsellingSession

OBJECT_TYPE = "counselling_session"


def record_view(db: Session, viewer: User, session: CounsellingSession) -> None:
    """Log that staff saw a home-visit address."""
    log_session_action(
        db, viewer, session, "home visit address", action=audit.AuditAction.VIEW
    )


def log_session_action(
    db: Session,
    actor: User | None,
    session: CounsellingSession,
    reason: str,
    *,
    action: audit.AuditAction = audit.AuditAction.UPDATE,
) -> None:
    """Audit what staff did to a session; nothing when the parent did it. A family
    session's line names the family, which sees it in its access log."""
    if actor is not None:
        audit.record(
            db,
            actor=actor,
            action=action,
            object_type=OBJECT_TYPE,
            object_id=session.public_id,
            family=session.family,
            reason=reason,
        )
