"""Which counsellors serve a family, and which of them is the primary contact the
family sees. A leader decides.

Rules: only active counsellors are assigned; when anyone is assigned, exactly one
is the primary (the database's partial unique index keeps it to at most one; this
module keeps it to at least one). Changing the primary takes two flushes, so the
index never sees two primaries within one statement order.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.families.models import Family, FamilyAssignment
from portal.families.records import RecordError, record_change

OBJECT_TYPE = "family_assignment"


def _assignment(family: Family, counsellor: User) -> FamilyAssignment | None:
    return next(
        (a for a in family.assignments if a.counsellor_id == counsellor.id), None
    )


def _make_primary(
    db_session: Session, family: Family, chosen: FamilyAssignment
) -> None:
    for assignment in family.assignments:
        assignment.is_primary = False
    db_session.flush()
    chosen.is_primary = True
    db_session.flush()


def assign(
    db_session: Session,
    leader: User,
    family: Family,
    counsellor: User,
    *,
    primary: bool = False,
) -> FamilyAssignment:
    """Assign ``counsellor``; the first one assigned is always the primary."""
    if counsellor.role != Role.COUNSELLOR or not counsellor.active:
        raise RecordError("not_a_counsellor", field="counsellor")
    if _assignment(family, counsellor) is not None:
        raise RecordError("already_assigned", field="counsellor")
    assignment = FamilyAssignment(
        counsellor=counsellor, assigned_by_id=leader.id, is_primary=False
    )
    family.assignments.append(assignment)
    db_session.flush()
    if primary or len(family.assignments) == 1:
        _make_primary(db_session, family, assignment)
    record_change(
        db_session,
        leader,
        AuditAction.CREATE,
        family,
        OBJECT_TYPE,
        counsellor.public_id,
        "primary" if assignment.is_primary else "",
    )
    return assignment


def make_primary(
    db_session: Session, leader: User, family: Family, counsellor: User
) -> None:
    assignment = _assignment(family, counsellor)
    if assignment is None:
        raise RecordError("not_assigned", field="counsellor")
    _make_primary(db_session, family, assignment)
    record_change(
        db_session,
        leader,
        AuditAction.UPDATE,
        family,
        OBJECT_TYPE,
        counsellor.public_id,
        "primary",
    )


def unassign(
    db_session: Session, leader: User, family: Family, counsellor: User
) -> None:
    """Remove ``counsellor``; if they were the primary, the longest-serving of the
    others becomes it."""
    assignment = _assignment(family, counsellor)
    if assignment is None:
        raise RecordError("not_assigned", field="counsellor")
    family.assignments.remove(assignment)
    db_session.flush()
    if assignment.is_primary and family.assignments:
        longest = min(family.assignments, key=lambda a: (a.assigned_at, a.id))
        _make_primary(db_session, family, longest)
    record_change(
        db_session,
        leader,
        AuditAction.DELETE,
        family,
        OBJECT_TYPE,
        counsellor.public_id,
    )
