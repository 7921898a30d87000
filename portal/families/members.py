"""A family's members: adults with contact details and custody, and young people
(15 or older) who are also one of the family's children.

Rules kept here (services flush, the view commits once):

* an e-mail address is valid, and no other current member has it: members are
  found at "Log ind uden MitID" by its keyed hash (``login_key``), which the
  database keeps unique;
* a phone number is Danish (eight digits, optionally +45);
* only an adult member of the family holds custody, only of the family's current
  children;
* a young person becomes a member from the age of 15.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.accounts.services import login_key
from portal.audit import AuditAction
from portal.booking.contact import validate_email_address, validate_phone
from portal.booking.errors import InvalidBooking
from portal.db import utcnow
from portal.families.models import Child, Family
from portal.families.records import (
    RecordError,
    age_on,
    check_editable,
    end_membership,
    local_today,
    record_change,
)

YOUNG_PERSON_AGE = 15


def _contact(
    db_session: Session, email: str, phone: str, member: User | None = None
) -> tuple[str | None, str | None]:
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


def is_adult_member(family: Family, member: User) -> bool:
    return (
        member.role == Role.FAMILY
        and member.family_id == family.id
        and member.child_id is None
        and member.removed_at is None
    )


def set_custody(
    db_session: Session, family: Family, member: User, children: Sequence[Child]
) -> None:
    """Make ``member`` a custody holder of exactly ``children`` among the family's
    children. Only an adult member of the family, only of its current children."""
    if children and not is_adult_member(family, member):
        raise RecordError("custody_not_adult", field="custody")
    if any(child.family_id != family.id or child.is_removed for child in children):
        raise RecordError("child_not_in_family", field="custody")
    for child in family.children:
        holds = member in child.custody_holders
        if child in children and not holds:
            child.custody_holders.append(member)
        elif child not in children and holds:
            child.custody_holders.remove(member)
    db_session.flush()


def _set_contact(member: User, address: str | None, number: str | None) -> None:
    member.contact_email, member.phone = address, number
    member.login_key = login_key(address) if address is not None else None


def add_adult(
    db_session: Session,
    actor: User,
    family: Family,
    *,
    name: str,
    email: str,
    phone: str,
    custody_of: Sequence[Child],
) -> User:
    """A new adult member. Without MitID or a password they cannot log in yet:
    an invitation sets that up."""
    check_editable(family)
    address, number = _contact(db_session, email, phone)
    member = User(role=Role.FAMILY, name=name.strip(), family=family)
    _set_contact(member, address, number)
    db_session.add(member)
    db_session.flush()
    set_custody(db_session, family, member, custody_of)
    record_change(
        db_session, actor, AuditAction.CREATE, family, "member", member.public_id
    )
    return member


def update_member(
    db_session: Session,
    actor: User,
    family: Family,
    member: User,
    *,
    name: str,
    email: str,
    phone: str,
    custody_of: Sequence[Child],
) -> None:
    """Change a current member's name, contact details and (adults) custody."""
    check_editable(family)
    if member.family_id != family.id or member.removed_at is not None:
        raise RecordError("member_not_in_family")
    address, number = _contact(db_session, email, phone, member)
    member.name = name.strip()
    _set_contact(member, address, number)
    set_custody(db_session, family, member, custody_of)
    record_change(
        db_session, actor, AuditAction.UPDATE, family, "member", member.public_id
    )


def add_young_person(
    db_session: Session,
    actor: User,
    family: Family,
    child: Child,
    *,
    email: str,
    phone: str,
    now: datetime | None = None,
) -> User:
    """Let one of the family's children aged 15 or more become a member (needed
    to answer consent requests about themselves later)."""
    check_editable(family)
    if child.family_id != family.id or child.is_removed:
        raise RecordError("child_not_in_family", field="child")
    if age_on(child.birth_date, local_today(now)) < YOUNG_PERSON_AGE:
        raise RecordError("too_young", field="child")
    already = db_session.scalar(
        select(User.id).where(User.child_id == child.id, User.removed_at.is_(None))
    )
    if already is not None:
        raise RecordError("already_member", field="child")
    address, number = _contact(db_session, email, phone)
    member = User(role=Role.FAMILY, name=child.first_name, family=family, child=child)
    _set_contact(member, address, number)
    db_session.add(member)
    db_session.flush()
    record_change(
        db_session, actor, AuditAction.CREATE, family, "member", member.public_id
    )
    return member


def remove_member(
    db_session: Session,
    actor: User,
    family: Family,
    member: User,
    *,
    reason: str,
    now: datetime | None = None,
) -> None:
    check_editable(family)
    if member.family_id != family.id or member.removed_at is not None:
        raise RecordError("member_not_in_family")
    if not reason.strip():
        raise RecordError("reason_required", field="reason")
    end_membership(db_session, member, reason.strip(), now or utcnow())
    record_change(
        db_session, actor, AuditAction.DELETE, family, "member", member.public_id
    )
