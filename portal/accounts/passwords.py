"""Passwords: hashing, checking and the temporary password's lifetime.

Passwords are hashed with argon2id (OWASP ASVS 5.0); the strength rules are in
``password_rules``. A temporary password a leader issues works for 72 hours and
must be replaced at the first log-in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeGuard

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal.accounts.models import User

TEMPORARY_PASSWORD_LIFETIME = timedelta(hours=72)

# argon2-cffi's defaults are RFC 9106's low-memory profile: argon2id, 64 MiB,
# 3 iterations, 4 lanes, above ASVS's minimum (19 MiB, 2 iterations, 1 lane).
password_hasher = PasswordHasher()
# Verifying against this when the user is unknown takes as long as a real check,
# so response time does not reveal whether an account exists.
_DUMMY_HASH = password_hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def verify_password(user: User | None, password: str) -> TypeGuard[User]:
    """True only for an existing user and their password (then ``user`` is a User).

    A user without a password (a family member who logs in with MitID only) is
    checked against a dummy hash, so the answer takes as long as a real check.
    """
    try:
        return (
            password_hasher.verify(
                user.password_hash if user and user.password_hash else _DUMMY_HASH,
                password,
            )
            and user is not None
            and user.password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def must_change_password(user: User) -> bool:
    """A temporary password must be replaced before anything else is done."""
    return user.password_expires_at is not None
