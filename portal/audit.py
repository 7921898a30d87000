"""The append-only log: every time staff read or change a family's data, and the
security events a leader reviews (ASVS 5.0 16.3).

Families see the access part ("Hvem har set vores data"). It never holds an IP
address, a user agent, a password or a booking code. Rows are only ever
inserted: the ORM refuses updates and deletes, and database triggers refuse
them, and on PostgreSQL TRUNCATE, too.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask import has_request_context, request
from sqlalchemy import DDL, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column, relationship

from portal.db import Base, utcnow

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.families.models import Family


class AuditAction(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    SHARE = "share"
    # Security events (ASVS 5.0 16.3), shown to leaders on /leder/sikkerhed.
    LOG_IN = "log_in"
    LOG_IN_FAILED = "log_in_failed"
    TOTP_FAILED = "totp_failed"
    LOCKED_OUT = "locked_out"
    RATE_LIMITED = "rate_limited"
    CSRF_FAILED = "csrf_failed"
    FORBIDDEN = "forbidden"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event, not a secret
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    FEED_CREATED = "feed_created"
    FEED_REVOKED = "feed_revoked"


SECURITY_ACTIONS = (
    AuditAction.LOG_IN,
    AuditAction.LOG_IN_FAILED,
    AuditAction.TOTP_FAILED,
    AuditAction.LOCKED_OUT,
    AuditAction.RATE_LIMITED,
    AuditAction.CSRF_FAILED,
    AuditAction.FORBIDDEN,
    AuditAction.PASSWORD_CHANGED,
    AuditAction.ACCOUNT_CREATED,
    AuditAction.ACCOUNT_DEACTIVATED,
    AuditAction.FEED_CREATED,
    AuditAction.FEED_REVOKED,
)


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The role is kept as it was at the time, so the family sees "counsellor" even if
    # the staff member later changes role or leaves.
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    # Why a member of staff opened a family they do not serve (a leader's own
    # words); the family reads it beside the row.
    stated_reason: Mapped[str | None] = mapped_column(String(500))

    actor: Mapped[User | None] = relationship(lazy="joined")


class AuditLogIsAppendOnly(RuntimeError):
    pass


def record(
    db_session: Session,
    *,
    actor: User | None,
    action: AuditAction,
    object_type: str,
    object_id: str | int,
    family: Family | None = None,
    reason: str = "",
    actor_role: str = "system",
    stated_reason: str | None = None,
) -> AuditEvent:
    """Log that ``actor`` did ``action`` on an object, optionally of a family.

    Call this from every service that lets staff read or change a family's data.
    Without an actor, ``actor_role`` says who it was ("system", "anonymous").
    ``stated_reason`` is what the actor wrote about why (shown to the family).
    """
    event_row = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_role=actor.role if actor is not None else actor_role,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        family_id=family.id if family is not None else None,
        reason=reason,
        stated_reason=stated_reason,
    )
    db_session.add(event_row)
    db_session.flush()
    return event_row


def record_security_event(
    db_session: Session,
    action: AuditAction,
    *,
    actor: User | None = None,
    account: User | None = None,
) -> AuditEvent:
    """Log a security event about ``account`` (if one is known) by ``actor``.

    The page is kept as its URL rule (``/kalender/feed/<token>.ics``), never the
    path, so no token or code in an address reaches the log. An anonymous client
    is recorded as "anonymous": never its address or user agent.
    """
    page = ""
    if has_request_context() and request.url_rule is not None:
        page = request.url_rule.rule[:500]
    return record(
        db_session,
        actor=actor,
        action=action,
        object_type="account",
        object_id=account.public_id if account is not None else "",
        reason=page,
        actor_role="anonymous",
    )


@event.listens_for(Session, "before_flush")
def _refuse_changes(
    db_session: Session, _context: UOWTransaction, _instances: object
) -> None:
    for obj in (*db_session.dirty, *db_session.deleted):
        if isinstance(obj, AuditEvent) and (
            obj in db_session.deleted or db_session.is_modified(obj)
        ):
            raise AuditLogIsAppendOnly("audit_event rows cannot be changed or deleted")


# The same rule in the database, for anything that bypasses the ORM.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
]
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]
# TRUNCATE skips row triggers; a statement trigger refuses it (added in 0008).
POSTGRESQL_TRUNCATE_TRIGGER = (
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
)
for _statement in SQLITE_TRIGGERS:
    event.listen(
        AuditEvent.__table__,
        "after_create",
        # SQLAlchemy's DDL constructor has no annotations.
        DDL(_statement).execute_if(dialect="sqlite"),  # type: ignore[no-untyped-call]
    )
for _statement in [*POSTGRESQL_TRIGGERS, POSTGRESQL_TRUNCATE_TRIGGER]:
    event.listen(
        AuditEvent.__table__,
        "after_create",
        # SQLAlchemy's DDL constructor has no annotations.
        DDL(_statement).execute_if(dialect="postgresql"),  # type: ignore[no-untyped-call]
    )
