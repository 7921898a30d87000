"""TOTP log-in for staff: codes that work once, and a lock-out after five wrong ones.

A code works once, even when two requests bring it at the same moment, and an
account gets five wrong codes per password step, however many addresses try.
"""

from __future__ import annotations

from sqlalchemy import or_, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

from portal.accounts.models import User
from portal.accounts.totp_codes import matching_step
from portal.db import rows_changed

#: Wrong codes allowed per password step, counted on the account.
TOTP_MAX_FAILURES = 5


class TotpLockedOut(Exception):
    """Five wrong codes since the password step: the log-in starts over.

    ``tried`` says whether this request's code was checked (and was wrong)."""

    def __init__(self, *, tried: bool):
        super().__init__()
        self.tried = tried


def start_totp_attempts(db_session: Session, user: User) -> None:
    """The password was right: the account gets five codes for this log-in."""
    user.totp_failures = 0
    db_session.flush()


def _updated_rows(db_session: Session, statement: Update) -> int:
    """Run a conditional UPDATE and say how many rows it changed."""
    return rows_changed(
        db_session.execute(statement.execution_options(synchronize_session=False))
    )


def verify_totp(db_session: Session, user: User, code: str) -> bool:
    """Check a log-in code; each code works once. Raises TotpLockedOut when the
    account had no attempt left, or this wrong code was its fifth.

    Both counters live in the user's row and change by conditional UPDATEs, so
    concurrent requests cannot share an attempt or a code: the first UPDATE holds
    the row lock until commit, and the second matches only a step not yet used.
    """
    reserved = _updated_rows(
        db_session,
        update(User)
        .where(User.id == user.id, User.totp_failures < TOTP_MAX_FAILURES)
        .values(totp_failures=User.totp_failures + 1),
    )
    db_session.expire(user, ["totp_failures"])
    if reserved != 1:
        raise TotpLockedOut(tried=False)
    step = None
    if user.totp_secret is not None:
        step = matching_step(user.totp_secret, code, user.totp_last_step)
    if step is not None and _claim_step(db_session, user, step):
        return True
    if user.totp_failures >= TOTP_MAX_FAILURES:
        raise TotpLockedOut(tried=True)
    return False


def _claim_step(db_session: Session, user: User, step: int) -> bool:
    """Mark ``step`` used and clear the failures, unless it (or a later one) was
    used already; the rowcount says which."""
    claimed = _updated_rows(
        db_session,
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step, totp_failures=0),
    )
    db_session.expire(user, ["totp_failures", "totp_last_step"])
    return claimed == 1
