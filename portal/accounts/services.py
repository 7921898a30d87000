"""Account rules: log-in, session versions, password changes, new accounts.

Password strength and hashing live in ``passwords``, log-in codes in ``totp``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from portal import audit
from portal.accounts import password_rules, passwords
from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.crypto import lookup_hash
from portal.db import utcnow

if TYPE_CHECKING:
    from portal.families.models import Family


class InvalidCredentials(Exception):
    """Wrong e-mail or password; deliberately says nothing about which.

    ``account`` is the account the e-mail named, if any, for the security log."""

    def __init__(self, account: User | None = None):
        super().__init__()
        self.account = account


class TemporaryPasswordExpired(InvalidCredentials):
    """The right temporary password, but more than 72 hours old."""


def find_user_by_email(db_session: Session, email: str) -> User | None:
    """A staff member by their work address (family members have none)."""
    return db_session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower())
    )


def login_key(email: str) -> str:
    """The keyed hash that finds a family member by their e-mail address: the
    address itself is stored only encrypted (``User.contact_email``)."""
    return lookup_hash("email", email.strip().lower())


def find_member_by_email(db_session: Session, email: str) -> User | None:
    """A family member by the e-mail address they log in with ("uden MitID")."""
    return db_session.scalar(
        select(User).where(User.login_key == login_key(email), User.role == Role.FAMILY)
    )


#: ``app.extensions`` key: checks ``(user, now) -> bool`` that features above
#: accounts add at start-up, so every log-in asks them too (families: a removed
#: member, or one whose family closed longer ago than the read period, may not).
LOG_IN_CHECKS = "portal.log_in_checks"


def may_log_in(user: User, now: datetime | None = None) -> bool:
    """Whether ``user`` may start a session now: active, and every feature's
    check agrees."""
    checks = current_app.extensions.get(LOG_IN_CHECKS, ())
    return user.active and all(check(user, now) for check in checks)


def authenticate(
    db_session: Session,
    email: str,
    password: str,
    now: datetime | None = None,
    *,
    family: bool = False,
) -> User:
    """Return the active user with these credentials, or raise InvalidCredentials
    (TemporaryPasswordExpired for a right but expired temporary password). A family
    member is found by ``login_key``, staff by their work e-mail."""
    finder = find_member_by_email if family else find_user_by_email
    user = finder(db_session, email)
    if not passwords.verify_password(user, password) or not user.active:
        raise InvalidCredentials(user)
    if user.password_expires_at is not None and (now or utcnow()) >= (
        user.password_expires_at
    ):
        raise TemporaryPasswordExpired(user)
    if user.password_hash and passwords.password_hasher.check_needs_rehash(
        user.password_hash
    ):
        user.password_hash = passwords.hash_password(password)
        db_session.flush()
    return user


def record_log_in(db_session: Session, user: User, now: datetime | None = None) -> None:
    """Log a successful log-in, and remember the one before it: a family's page
    shows what is new since the member's last visit."""
    user.previous_login_at = user.last_login_at
    user.last_login_at = now or utcnow()
    audit.record_security_event(
        db_session, AuditAction.LOG_IN, actor=user, account=user
    )


def load_user_from_session_id(db_session: Session, session_id: str) -> User | None:
    """Resolve Flask-Login's stored id; a stale session version gives no user."""
    public_id, _, version = session_id.partition(":")
    # A member's family comes in the same statement: every family page needs it.
    user = db_session.scalar(
        select(User).where(User.public_id == public_id).options(joinedload(User.family))
    )
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


def end_all_sessions(db_session: Session, user: User) -> None:
    """Invalidate every session of ``user`` (log-out, password change)."""
    user.session_version += 1
    db_session.flush()


def change_password(db_session: Session, user: User, new_password: str) -> None:
    """Set the user's own password (ending a temporary one) and end other sessions."""
    password_rules.check_password_rules(
        new_password, email=user.email or user.contact_email or "", name=user.name
    )
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    user.password_expires_at = None
    end_all_sessions(db_session, user)
    audit.record_security_event(
        db_session, AuditAction.PASSWORD_CHANGED, actor=user, account=user
    )


def create_user(
    db_session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    family: Family | None = None,
) -> User:
    """Create an account; family members need a family, staff must not have one.

    Staff log in with ``email``. A family member's address is kept encrypted as
    ``contact_email`` and found by its ``login_key``; ``users.email`` stays empty."""
    member = role == Role.FAMILY
    if member and family is None:
        raise ValueError("a family member needs a family")
    if not member and family is not None:
        raise ValueError("staff do not belong to a family")
    finder = find_member_by_email if member else find_user_by_email
    if finder(db_session, email) is not None:
        raise ValueError("email already in use")
    password_rules.check_password_rules(password, email=email, name=name)
    address = email.strip().lower()
    user = User(
        email=None if member else address,
        contact_email=address if member else None,
        login_key=login_key(address) if member else None,
        name=name.strip(),
        role=role,
        password_hash=passwords.hash_password(password),
        family=family,
    )
    db_session.add(user)
    db_session.flush()
    return user
