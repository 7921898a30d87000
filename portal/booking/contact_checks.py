"""What a contact detail must look like before it is stored: a Danish phone number,
a well-formed e-mail address, and a home visit's address (required for a home
visit, at most MAX_ADDRESS characters).
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from portal.availability.models import Mode
from portal.booking.errors import InvalidBooking

_PHONE_NOISE = re.compile(r"[\s\-.()/]")
MAX_ADDRESS = 300


def validate_phone(raw: str) -> str:
    """A Danish number: 8 digits, optionally with +45 or 0045; stored as +45XXXXXXXX."""
    number = _PHONE_NOISE.sub("", raw or "")
    for prefix in ("+45", "0045"):
        if number.startswith(prefix) and len(number) == len(prefix) + 8:
            number = number[len(prefix) :]
    if not re.fullmatch(r"[1-9]\d{7}", number):
        raise InvalidBooking("invalid_phone", field="phone")
    return "+45" + number


def validate_email_address(raw: str) -> str:
    """A syntactically valid e-mail address (no DNS look-up), normalised."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidBooking("invalid_email", field="email") from None
    if len(result.normalized) > 254:
        raise InvalidBooking("invalid_email", field="email")
    return result.normalized


def check_address(mode: Mode, address: str | None) -> str | None:
    if mode != Mode.HOME:
        return None
    address = (address or "").strip()
    if not address:
        raise InvalidBooking("address_required", field="address")
    if len(address) > MAX_ADDRESS:
        raise InvalidBooking("address_too_long", field="address")
    return address
