"""A family member's contact details: an e-mail address that is valid and that no
other current member has (members are found at "Log ind uden MitID" by its keyed
hash, ``login_key``, which the database keeps unique), and a Danish phone number
(eight digits, optionally +45)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.accounts.services import login_key
from portal.booking.contact_checks import validate_email_address, validate_phone
from portal.booking.errors import InvalidBooking
from portal.families.records import RecordError

Contact = tuple[str | None, str | None]


def checked_contact(
    db_session: Session, email: str, phone: str, member: User | None = None
) -> Contact:
    """The e-mail and phone as stored (or None when left empty); refuses a
    malformed one and an e-mail another current member has."""
    try:
        address = validate_email_address(email) if email.strip() else None
    except InvalidBooking:
        raise RecordError("invalid_email", field="email") from None
    try:
        number = validate_phone(phone) if phone.strip() else None
    except InvalidBooking:
        raise RecordError("invalid_phone", field="phone") from None
    if address is not None:
        taken = db_session.scalar(
            select(User.id).where(
                User.login_key == login_key(address),
                User.id != (member.id if member is not None else None),
            )
        )
        if taken is not None:
            raise RecordError("email_taken", field="email")
    return address, number


def set_contact(member: User, contact: Contact) -> None:
    """Store checked contact details with the e-mail's log-in key."""
    address, number = contact
    member.contact_email, member.phone = address, number
    member.login_key = login_key(address) if address is not None else None
