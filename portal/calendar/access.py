"""Who sees what: which calendar and which session a member of staff may open (the
audit line for what staff did to a session is ``session_log``).

A counsellor sees and changes only their own sessions; a leader any. Staff never
see a booking code except once, right after booking on behalf of a caller, and
never anything derived from it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.accounts.models import Role, User
from portal.booking.models import CounsellingSession


def counsellors(db: Session) -> list[User]:
    """Active counsellors, by name (a leader chooses among them)."""
    return list(
        db.scalars(
            select(User)
            .where(User.role == Role.COUNSELLOR, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def calendar_owner(db: Session, viewer: User, public_id: str | None) -> User | None:
    """The counsellor whose calendar ``viewer`` may see.

    A counsellor: only themselves (asking for someone else raises PermissionError).
    A leader: the counsellor asked for, else the first; None if there is none.
    """
    if viewer.role == Role.COUNSELLOR:
        if public_id and public_id != viewer.public_id:
            raise PermissionError("a counsellor sees only their own calendar")
        return viewer
    if viewer.role != Role.LEADER:
        raise PermissionError("only staff have calendars")
    if public_id:
        chosen = db.scalar(
            select(User).where(
                User.public_id == public_id, User.role == Role.COUNSELLOR
            )
        )
        if chosen is None:
            raise LookupError(public_id)
        return chosen
    everyone = counsellors(db)
    return everyone[0] if everyone else None


def visible_session(
    db: Session, viewer: User, public_id: str
) -> CounsellingSession | None:
    """The session if ``viewer`` may open it: its own counsellor or a leader."""
    query = (
        select(CounsellingSession)
        .options(
            joinedload(CounsellingSession.course),
            joinedload(CounsellingSession.family),
            joinedload(CounsellingSession.counsellor),
        )
        .where(CounsellingSession.public_id == public_id)
    )
    if viewer.role == Role.COUNSELLOR:
        query = query.where(CounsellingSession.counsellor_id == viewer.id)
    elif viewer.role != Role.LEADER:
        return None
    return db.scalar(query)
