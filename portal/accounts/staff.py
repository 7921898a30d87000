"""Staff accounts a leader manages: created with a temporary password, deactivated
with every session ended at once. Both are security events in the audit log."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import STAFF_ROLES, Role, User
from portal.accounts.passwords import TEMPORARY_PASSWORD_LIFETIME
from portal.accounts.services import create_user, end_all_sessions
from portal.audit import AuditAction
from portal.db import utcnow


class CannotDeactivate(Exception):
    """A leader cannot deactivate their own account, nor a family member's."""


def create_staff_account(
    db_session: Session, leader: User, *, email: str, name: str, role: Role
) -> tuple[User, str]:
    """Create a staff account with a temporary password; return it to show once.

    The password works for 72 hours and must be changed at the first log-in.
    Raises ValueError if the e-mail is taken."""
    if role not in STAFF_ROLES:
        raise ValueError("not a staff role")
    password = secrets.token_urlsafe(12)
    user = create_user(db_session, email=email, name=name, role=role, password=password)
    user.password_expires_at = utcnow() + TEMPORARY_PASSWORD_LIFETIME
    db_session.flush()
    audit.record_security_event(
        db_session, AuditAction.ACCOUNT_CREATED, actor=leader, account=user
    )
    return user, password


def deactivate_staff_account(db_session: Session, leader: User, user: User) -> None:
    """Stop ``user`` logging in and end every session they have, at once."""
    if user.id == leader.id or user.role not in STAFF_ROLES:
        raise CannotDeactivate()
    user.active = False
    end_all_sessions(db_session, user)
    audit.record_security_event(
        db_session, AuditAction.ACCOUNT_DEACTIVATED, actor=leader, account=user
    )
