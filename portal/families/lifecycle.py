"""A family from opening to closing: create (a counsellor who creates it is its
primary counsellor), rename, close (the members read on for a while), reopen.
Each change is audited through ``records.record_change``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.db import utcnow
from portal.families.models import Family, FamilyAssignment, FamilyStatus
from portal.families.records import RecordError, check_editable, record_change


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
