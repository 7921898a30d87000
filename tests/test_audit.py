"""The audit log only grows: no update or delete, through the ORM or plain SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from portal import audit
from portal.accounts.models import Role
from tests.conftest import requires_postgresql


def test_record_keeps_actor_role_object_and_reason(db_session, make_user, make_family):
    counsellor = make_user(Role.COUNSELLOR)
    family = make_family()
    event = audit.record(
        db_session,
        actor=counsellor,
        action=audit.AuditAction.VIEW,
        object_type="family",
        object_id=family.public_id,
        family=family,
        reason="Forberedelse af samtale",
    )
    db_session.commit()
    stored = db_session.scalar(
        select(audit.AuditEvent).where(audit.AuditEvent.id == event.id)
    )
    assert (stored.actor_role, stored.action, stored.family_id) == (
        "counsellor",
        "view",
        family.id,
    )
    assert stored.reason == "Forberedelse af samtale"
    assert stored.occurred_at.tzinfo is not None
    columns = {column.name for column in audit.AuditEvent.__table__.columns}
    assert not any("ip" in name.split("_") or "agent" in name for name in columns)


def test_orm_refuses_to_change_or_delete(db_session, make_user):
    event = audit.record(
        db_session,
        actor=make_user(Role.LEADER),
        action=audit.AuditAction.EXPORT,
        object_type="report",
        object_id=1,
    )
    db_session.commit()
    event.reason = "skjult"
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db_session.flush()
    db_session.rollback()
    db_session.delete(event)
    with pytest.raises(audit.AuditLogIsAppendOnly):
        db_session.flush()
    db_session.rollback()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event"]
)
def test_database_refuses_to_change_or_delete(db_session, make_user, statement):
    audit.record(
        db_session,
        actor=make_user(Role.LEADER),
        action=audit.AuditAction.VIEW,
        object_type="family",
        object_id=1,
    )
    db_session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db_session.execute(text(statement))
    db_session.rollback()
    assert db_session.scalar(text("SELECT count(*) FROM audit_event")) == 1


@requires_postgresql
@pytest.mark.parametrize(
    "statement", ["TRUNCATE audit_event", "TRUNCATE users, audit_event CASCADE"]
)
def test_postgresql_refuses_to_truncate(db_session, make_user, statement):
    audit.record(
        db_session,
        actor=make_user(Role.LEADER),
        action=audit.AuditAction.VIEW,
        object_type="family",
        object_id=1,
    )
    db_session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db_session.execute(text(statement))
    db_session.rollback()
    assert db_session.scalar(text("SELECT count(*) FROM audit_event")) == 1
