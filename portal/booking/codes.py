"""Booking codes: the anonymous parent's username and password at once.

A code is 80 random bits from ``secrets`` written as 16 Crockford base32 characters
in groups of four (``K7QM-4XRT-9PLA-2VDH``). Because an attacker guesses against
every live code together, 80 bits keeps guessing hopeless even at scale. Only an
HMAC-SHA256 of the normalised code is stored, keyed from configuration
(``BOOKING_CODE_KEY``), so a copy of the database does not reveal or test codes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 16
CODE_BITS = 80
GROUP = 4
# Letters people confuse with digits are read as the digit, as Crockford specifies.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\t\u00a0\u2010\u2011\u2012\u2013\u2014")


class MalformedCode(ValueError):
    """Not something that could ever be a booking code."""


def _encode(number: int) -> str:
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        chars.append(ALPHABET[index])
    return "".join(reversed(chars))


def format_code(normalised: str) -> str:
    """``K7QM4XRT9PLA2VDH`` -> ``K7QM-4XRT-9PLA-2VDH``."""
    return "-".join(normalised[i : i + GROUP] for i in range(0, len(normalised), GROUP))


def new_code() -> str:
    """A fresh code, formatted for display; 80 bits from the OS's random source."""
    return format_code(_encode(secrets.randbits(CODE_BITS)))


def code_from_seed(seed: str) -> str:
    """A code derived from a secret random seed with the configured key.

    Used for the idempotency key of the confirm form: a double-submitted confirm
    gets the same code back without the code ever being stored. The seed must
    itself be secret and random (``secrets.token_urlsafe(32)``).
    """
    digest = hmac.new(_key(), b"code-seed:" + seed.encode(), hashlib.sha256).digest()
    return format_code(_encode(int.from_bytes(digest[: CODE_BITS // 8], "big")))


def normalise(code: str) -> str:
    """Upper case, without dashes or spaces, O->0 and I/L->1; raise MalformedCode.

    ``U`` is not in Crockford's alphabet and is refused, as is any other character
    outside it or a wrong length.
    """
    if not isinstance(code, str) or len(code) > 64:
        raise MalformedCode("length")
    cleaned = code.translate(_SEPARATORS).upper().translate(_CONFUSABLE)
    if len(cleaned) != CODE_LENGTH:
        raise MalformedCode("length")
    if any(char not in ALPHABET for char in cleaned):
        raise MalformedCode("alphabet")
    return cleaned


def _key() -> bytes:
    key: str = current_app.config["BOOKING_CODE_KEY"]
    return key.encode()


def code_hash(code: str) -> str:
    """HMAC-SHA256 (hex) of the normalised code; raises MalformedCode."""
    return hmac.new(_key(), normalise(code).encode(), hashlib.sha256).hexdigest()
