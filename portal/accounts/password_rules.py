"""Password strength (OWASP ASVS 5.0): at least 8 characters, up to 128, common
passwords and the person's own name or e-mail refused, no composition rules.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext

MIN_PASSWORD_LENGTH = 8


MAX_PASSWORD_LENGTH = 128


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
