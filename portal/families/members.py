"""A family's members: adults with custody, and young people (15 or older) who
are also one of the family's children. Their contact details are
``member_contact``.

Rules kept here (services flush, the view commits once):

* only an adult member of the family holds custody, only of the family's current
  children;
* a young person becomes a member from the age of 15;
* a member who leaves the family keeps their row, with the date and the reason,
  and can no longer log in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

# accounts.services as a module, not its function: it imports families.models,
# and this package's views (hence this module) load with that.
from portal.accounts import services as account_services
from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.db import utcnow
from portal.families.member_contact import checked_contact, set_contact
from portal.families.models import Child, Family, custody
from portal.families.records import (
    RecordError,
    check_current_child,
    check_editable,
    check_reason,
    record_change,
    record_created,
)
from portal.timeutil import age_on, local_today

YOUNG_PERSON_AGE = 15


def is_adult_member(family: Family, member: User) -> bool:
    return (
        member.role == Role.FAMILY
        and member.family_id == family.id
        and member.child_id is None
        and member.removed_at is None
    )


def _check_current_member(family: Family, member: User) -> None:
    if member.family_id != family.id or member.removed_at is not None:
        raise RecordError("member_not_in_family")


def set_custody(
    db_session: Session, family: Family, member: User, children: Sequence[Child]
) -> None:
    """Make ``member`` a custody holder of exactly ``children`` among the family's
    children. Only an adult member of the family, only of its current children."""
    if children and not is_adult_member(family, member):
        raise RecordError("custody_not_adult", field="custody")
    for child in children:
        check_current_child(family, child, field="custody")
    for child in family.children:
        holds = member in child.custody_holders
        if child in children and not holds:
            child.custody_holders.append(member)
        elif child not in children and holds:
            child.custody_holders.remove(member)
    db_session.flush()


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
    contact = checked_contact(db_session, email, phone)
    member = User(role=Role.FAMILY, name=name.strip(), family=family)
    set_contact(member, contact)
    record_created(db_session, actor, family, member, "member")
    set_custody(db_session, family, member, custody_of)
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
    _check_current_member(family, member)
    contact = checked_contact(db_session, email, phone, member)
    member.name = name.strip()
    set_contact(member, contact)
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
    check_current_child(family, child)
    if age_on(child.birth_date, local_today(now)) < YOUNG_PERSON_AGE:
        raise RecordError("too_young", field="child")
    already = db_session.scalar(
        select(User.id).where(User.child_id == child.id, User.removed_at.is_(None))
    )
    if already is not None:
        raise RecordError("already_member", field="child")
    contact = checked_contact(db_session, email, phone)
    member = User(role=Role.FAMILY, name=child.first_name, family=family, child=child)
    set_contact(member, contact)
    record_created(db_session, actor, family, member, "member")
    return member


def end_membership(
    db_session: Session, member: User, reason: str, now: datetime
) -> None:
    """The member leaves the family: logged out everywhere at once, unable to log
    in again, and no longer a custody holder; the row stays for the history.
    Their e-mail's log-in key is freed, so the address may be used again."""
    member.removed_at, member.removed_reason = now, reason
    member.login_key = None
    held = select(Child).join(custody).where(custody.c.member_id == member.id)
    for child in db_session.scalars(held).all():
        child.custody_holders.remove(member)
    account_services.end_all_sessions(db_session, member)


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
    _check_current_member(family, member)
    end_membership(db_session, member, check_reason(reason), now or utcnow())
    record_change(
        db_session, actor, AuditAction.DELETE, family, "member", member.public_id
    )
