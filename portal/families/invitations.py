"""Invitations: how a family member logs in for the first time.

A counsellor invites a member; the portal mails a link with a random token to
the member's own address (nothing about the case in it). The link works once and
for seven days, and only its SHA-256 is stored, so a copy of the database opens
nothing. A new invitation revokes the older ones. Opening the link, the member
either logs in with MitID, which links their MitID identity (only its keyed hash)
to the member, or chooses a password for "Log ind uden MitID".

Using an invitation is one conditional UPDATE (``_use``): two tabs, or a link
replayed after use, cannot both succeed.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts import password_rules, passwords, services
from portal.accounts.models import User
from portal.db import rows_changed
from portal.families.models import Invitation
from portal.mail.models import MessageKind
from portal.mail.outbox import enqueue
from portal.security import public_url

LIFETIME = timedelta(days=7)
OBJECT_TYPE = "invitation"


class InvitationUnusable(Exception):
    """The link cannot be used: ``code`` is unknown, expired, used or revoked."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class NoEmail(Exception):
    """The member has no e-mail address to send the invitation to."""


class IdentityTaken(Exception):
    """This MitID identity is already linked to another member."""


class MemberState(enum.StrEnum):
    ACTIVE = "active"
    INVITED = "invited"
    INVITATION_EXPIRED = "invitation_expired"
    NEVER_LOGGED_IN = "never_logged_in"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _end_open(
    db_session: Session,
    *where: ColumnElement[bool],
    sync: Literal["fetch", False] = False,
    **ended: datetime,
) -> int:
    """Mark the invitations matching ``where`` that are neither used nor revoked
    as ``ended`` (used or revoked) in one conditional UPDATE, so two requests
    cannot both end the same one; returns how many."""
    return rows_changed(
        db_session.execute(
            update(Invitation)
            .where(
                Invitation.used_at.is_(None), Invitation.revoked_at.is_(None), *where
            )
            .values(**ended)
            .execution_options(synchronize_session=sync)
        )
    )


def _record(
    db_session: Session, action: audit.AuditAction, by: User, member: User, of: str
) -> None:
    """The audit row of an invitation to ``member``, which their family sees."""
    audit.record(
        db_session,
        actor=by,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=of,
        family=member.family,
    )


def revoke(db_session: Session, member: User, *, by: User, now: datetime) -> int:
    """Revoke the member's unused invitations; returns how many."""
    revoked = _end_open(
        db_session, Invitation.member_id == member.id, revoked_at=now, sync="fetch"
    )
    if revoked:
        _record(db_session, audit.AuditAction.DELETE, by, member, member.public_id)
    return revoked


def send(db_session: Session, member: User, *, by: User, now: datetime) -> Invitation:
    """Invite ``member`` (again): older invitations are revoked, a new link is
    mailed through the outbox to the member's own address. Raises NoEmail."""
    address = member.contact_email
    if not address:
        raise NoEmail
    revoke(db_session, member, by=by, now=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        member_id=member.id,
        token_hash=token_hash(token),
        expires_at=now + LIFETIME,
        created_by_id=by.id,
    )
    db_session.add(invitation)
    db_session.flush()
    # Danish: the member has not chosen a language yet. Neutral words only, since
    # someone else may read the mail.
    with force_locale("da"):
        subject = _("Familieportalen: your invitation")
        body = _(
            "Hello\n\n"
            "You are invited to log in to Familieportalen.\n"
            "Open the link to log in for the first time. "
            "It works once and for %(days)s days:\n%(link)s\n\n"
            "Kind regards\nFamilieportalen",
            days=LIFETIME.days,
            link=public_url("families.invitation", token=token),
        )
    enqueue(
        db_session,
        kind=MessageKind.INVITATION,
        dedupe_key=f"invitation:{invitation.public_id}",
        recipient=address,
        subject=subject,
        body=body,
    )
    _record(db_session, audit.AuditAction.CREATE, by, member, invitation.public_id)
    return invitation


def usable(db_session: Session, token: str, now: datetime) -> Invitation:
    """The invitation of this link, if it can still be used; else
    InvitationUnusable saying why."""
    invitation = db_session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    return check_usable(invitation, now)


def check_usable(invitation: Invitation | None, now: datetime) -> Invitation:
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.used_at is not None:
        raise InvitationUnusable("used")
    if invitation.revoked_at is not None:
        raise InvitationUnusable("revoked")
    if invitation.expires_at <= now:
        raise InvitationUnusable("expired")
    member = invitation.member
    if member.removed_at is not None or not member.active:
        raise InvitationUnusable("revoked")
    return invitation


def _use(db_session: Session, invitation: Invitation, now: datetime) -> None:
    """Mark the invitation used, unless someone used, revoked or outlived it
    meanwhile (then InvitationUnusable): the single-use rule, in one UPDATE."""
    used = _end_open(
        db_session,
        Invitation.id == invitation.id,
        Invitation.expires_at > now,
        used_at=now,
    )
    if used != 1:
        raise InvitationUnusable("used")
    db_session.expire(invitation)


def choose_password(
    db_session: Session, invitation: Invitation, password: str, now: datetime
) -> User:
    """Use the invitation to set the member's password (the password rules apply:
    PasswordProblem); they then log in with their e-mail "uden MitID"."""
    member = invitation.member
    address = member.contact_email or ""
    password_rules.check_password_rules(password, email=address, name=member.name)
    _use(db_session, invitation, now)
    member.password_hash = passwords.hash_password(password)
    member.password_changed_at = now
    if address and member.login_key is None:
        member.login_key = services.login_key(address)
    services.end_all_sessions(db_session, member)
    return member


def link_mitid(
    db_session: Session, invitation_id: str, subject_key: str, now: datetime
) -> User:
    """Use the invitation (by public id, from the flow this browser started) to
    link a MitID identity to its member. An identity linked to another member is
    refused (IdentityTaken); relinking the same member is harmless."""
    invitation = check_usable(
        db_session.scalar(
            select(Invitation).where(Invitation.public_id == invitation_id)
        ),
        now,
    )
    member = invitation.member
    holder = db_session.scalar(select(User).where(User.mitid_subject == subject_key))
    if holder is not None and holder.id != member.id:
        raise IdentityTaken
    _use(db_session, invitation, now)
    member.mitid_subject = subject_key
    db_session.flush()
    return member


def latest_by_member(
    db_session: Session, members: Sequence[User]
) -> dict[int, Invitation]:
    """Each member's newest invitation, by member id, in one query for a whole
    family's page (members never invited are missing)."""
    newest: dict[int, Invitation] = {}
    for invitation in db_session.scalars(
        select(Invitation)
        .where(Invitation.member_id.in_([member.id for member in members]))
        .order_by(Invitation.created_at, Invitation.id)
    ):
        newest[invitation.member_id] = invitation  # a later one replaces it
    return newest


def member_state(
    member: User, now: datetime, invitation: Invitation | None
) -> MemberState:
    """What the counsellor sees: active (has logged in), invited (a link that
    still works), the invitation expired, or never logged in; ``invitation`` is
    the member's newest (``latest_by_member``)."""
    if member.last_login_at is not None:
        return MemberState.ACTIVE
    if invitation is None or invitation.revoked_at is not None:
        return MemberState.NEVER_LOGGED_IN
    if invitation.used_at is not None:
        return MemberState.ACTIVE
    if invitation.expires_at <= now:
        return MemberState.INVITATION_EXPIRED
    return MemberState.INVITED
