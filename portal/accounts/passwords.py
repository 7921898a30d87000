"""Password rules: strength, hashing and the temporary password's lifetime.

Passwords follow OWASP ASVS 5.0: argon2id, at least 8 characters, up to 128,
common passwords refused, no composition rules. A temporary password a leader
issues works for 72 hours and must be replaced at the first log-in.
"""

from __future__ import annotations

import functools
import gzip
from datetime import timedelta
from pathlib import Path
from typing import TypeGuard

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.accounts.models import User

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
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


def problem_message(code: str) -> str:
    """The words for a PasswordProblem, in the current language."""
    messages: dict[str, str] = {
        "too_short": ngettext(
            "The password must be at least %(num)s character.",
            "The password must be at least %(num)s characters.",
            MIN_PASSWORD_LENGTH,
        ),
        "too_long": ngettext(
            "The password can be at most %(num)s character.",
            "The password can be at most %(num)s characters.",
            MAX_PASSWORD_LENGTH,
        ),
        "common": _("That password is too common. Choose another one."),
        "personal": _("The password must not be your name or your e-mail."),
    }
    return messages[code]
