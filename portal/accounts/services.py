"""Account rules: password strength and hashing, log-in, TOTP, session versions.

Passwords follow OWASP ASVS 5.0: argon2id, at least 8 characters, up to 128,
common passwords refused, no composition rules. A temporary password a leader
issues works for 72 hours and must be replaced at the first log-in. A TOTP code
works once, even when two requests bring it at the same moment, and an account
gets five wrong codes per password step, however many addresses try.
"""

from __future__ import annotations

import functools
import gzip
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeGuard, cast

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

from portal import audit
from portal.accounts.models import Family, Role, User
from portal.audit import AuditAction
from portal.db import utcnow

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
TOTP_ISSUER = "Familieportalen"
#: Wrong codes allowed per password step, counted on the account.
TOTP_MAX_FAILURES = 5
TEMPORARY_PASSWORD_LIFETIME = timedelta(hours=72)

# argon2-cffi's defaults are RFC 9106's low-memory profile: argon2id, 64 MiB,
# 3 iterations, 4 lanes, above ASVS's minimum (19 MiB, 2 iterations, 1 lane).
password_hasher = PasswordHasher()
# Verifying against this when the user is unknown takes as long as a real check,
# so response time does not reveal whether an account exists.
_DUMMY_HASH = password_hasher.hash("not a real password, only for timing")

# Danish favourites that the English-language list misses.
_DANISH_COMMON = {
    "kodeord",
    "kodeord1",
    "adgangskode",
    "hemmelig",
    "hejmeddig",
    "family",
    "sommer2024",
    "sommer2025",
    "sommer2026",
    "vinter2025",
    "vinter2026",
    "danmark1",
    "mitkodeord",
    "kode1234",
    "velkommen",
    "velkommen1",
}


class PasswordProblem(ValueError):
    """The password breaks a rule; ``code`` tells the form which message to show."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class InvalidCredentials(Exception):
    """Wrong e-mail or password; deliberately says nothing about which.

    ``account`` is the account the e-mail named, if any, for the security log."""

    def __init__(self, account: User | None = None):
        super().__init__()
        self.account = account


class TemporaryPasswordExpired(InvalidCredentials):
    """The right temporary password, but more than 72 hours old."""


class TotpLockedOut(Exception):
    """Five wrong codes since the password step: the log-in starts over.

    ``tried`` says whether this request's code was checked (and was wrong)."""

    def __init__(self, *, tried: bool):
        super().__init__()
        self.tried = tried


@functools.cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        words = {line.strip() for line in handle if line.strip()}
    return frozenset(words | _DANISH_COMMON)


def check_password_rules(password: str, *, email: str = "", name: str = "") -> None:
    """Raise PasswordProblem if the password is too short, too long or too common."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordProblem("too_short")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordProblem("too_long")
    lowered = password.lower()
    if lowered in _common_passwords():
        raise PasswordProblem("common")
    personal = {email.lower(), email.split("@")[0].lower(), name.lower()} - {""}
    if lowered in personal:
        raise PasswordProblem("personal")


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def verify_password(user: User | None, password: str) -> TypeGuard[User]:
    """True only for an existing user and their password (then ``user`` is a User)."""
    try:
        return (
            password_hasher.verify(
                user.password_hash if user else _DUMMY_HASH, password
            )
            and user is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def find_user_by_email(db_session: Session, email: str) -> User | None:
    return db_session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower())
    )


def authenticate(
    db_session: Session, email: str, password: str, now: datetime | None = None
) -> User:
    """Return the active user with these credentials, or raise InvalidCredentials
    (TemporaryPasswordExpired for a right but expired temporary password)."""
    user = find_user_by_email(db_session, email)
    if not verify_password(user, password) or not user.active:
        raise InvalidCredentials(user)
    if user.password_expires_at is not None and (now or utcnow()) >= (
        user.password_expires_at
    ):
        raise TemporaryPasswordExpired(user)
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db_session.flush()
    return user


def load_user_from_session_id(db_session: Session, session_id: str) -> User | None:
    """Resolve Flask-Login's stored id; a stale session version gives no user."""
    public_id, _, version = session_id.partition(":")
    user = db_session.scalar(select(User).where(User.public_id == public_id))
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


def end_all_sessions(db_session: Session, user: User) -> None:
    """Invalidate every session of ``user`` (log-out, password change)."""
    user.session_version += 1
    db_session.flush()


def change_password(db_session: Session, user: User, new_password: str) -> None:
    """Set the user's own password (ending a temporary one) and end other sessions."""
    check_password_rules(new_password, email=user.email, name=user.name)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.password_expires_at = None
    end_all_sessions(db_session, user)
    audit.record_security_event(
        db_session, AuditAction.PASSWORD_CHANGED, actor=user, account=user
    )


def must_change_password(user: User) -> bool:
    """A temporary password must be replaced before anything else is done."""
    return user.password_expires_at is not None


def create_user(
    db_session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    family: Family | None = None,
) -> User:
    """Create an account; family members need a family, staff must not have one."""
    if role == Role.FAMILY and family is None:
        raise ValueError("a family member needs a family")
    if role != Role.FAMILY and family is not None:
        raise ValueError("staff do not belong to a family")
    if find_user_by_email(db_session, email) is not None:
        raise ValueError("email already in use")
    check_password_rules(password, email=email, name=name)
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        role=role,
        password_hash=hash_password(password),
        family=family,
    )
    db_session.add(user)
    db_session.flush()
    return user


# --- TOTP ---------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str, title: str) -> str:
    """The enrolment QR code as inline SVG: no request leaves the page."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, title=title, dark="#000", light="#fff"
    )


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (±1 step of clock drift), unless used."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def confirm_totp_enrolment(
    db_session: Session, user: User, secret: str, code: str
) -> bool:
    """Save ``secret`` for ``user`` only if ``code`` proves the app has it."""
    step = _matching_step(secret, code, None)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_last_step = step
    db_session.flush()
    return True


def start_totp_attempts(db_session: Session, user: User) -> None:
    """The password was right: the account gets five codes for this log-in."""
    user.totp_failures = 0
    db_session.flush()


def _updated_rows(db_session: Session, statement: Update) -> int:
    """Run a conditional UPDATE and say how many rows it changed.

    An UPDATE's result is a CursorResult; ``Session.execute`` is typed for SELECTs."""
    result = db_session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


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
        step = _matching_step(user.totp_secret, code, user.totp_last_step)
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
