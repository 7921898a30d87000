"""A family member answers a consent request, or takes back their yes.

Rules (services flush, the view commits once):

* only a person asked answers, once (a unique index keeps it to once), and
  only while the request is pending; a grant stores the words they saw and
  their SHA-256 (``text``);
* each answer records who, when and how they logged in (MitID and its
  assurance level, or a password);
* a person who said yes takes it back with one action while the consent is
  pending or active; it ends at once, for everyone, and the counsellors
  are told (a neutral e-mail; the overview lists it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.consent.history import add_event, events_of, lock, state_of
from portal.consent.models import DECISIONS, ConsentRequest, EventKind
from portal.consent.notify import tell_counsellors
from portal.consent.state import ConsentState
from portal.consent.text import consent_text, text_hash
from portal.families.records import RecordError
from portal.login_sessions import HowLoggedIn

MAX_COMMENT = 1000
#: What a refused answer says, by the state the request is in.
NOT_OPEN = {
    ConsentState.ACTIVE: "already_active",
    ConsentState.DECLINED: "already_declined",
    ConsentState.WITHDRAWN: "already_withdrawn",
    ConsentState.EXPIRED: "already_expired",
    ConsentState.CANCELLED: "already_cancelled",
}


def _asked(request: ConsentRequest, member: User) -> None:
    if member.id not in {askee.member_id for askee in request.askees}:
        raise RecordError("not_asked")


def decide(
    db: Session,
    member: User,
    request: ConsentRequest,
    *,
    grant: bool,
    comment: str,
    how: HowLoggedIn,
    now: datetime,
) -> None:
    """Record ``member``'s yes (``grant``) or no, with an optional comment."""
    _asked(request, member)
    if len(comment) > MAX_COMMENT:
        raise RecordError("comment_too_long", field="comment")
    lock(db, request)
    events = events_of(db, request)
    if any(e.actor_id == member.id and e.kind in DECISIONS for e in events):
        raise RecordError("already_answered")
    state = state_of(request, events, now)
    if state != ConsentState.PENDING:
        raise RecordError(NOT_OPEN[state])
    words = consent_text(request) if grant else None
    add_event(
        db,
        request,
        EventKind.GRANTED if grant else EventKind.DECLINED,
        member,
        now,
        how=how,
        comment=comment.strip() or None,
        consent_text=words,
        text_sha256=text_hash(words) if words is not None else None,
    )


def withdraw(
    db: Session, member: User, request: ConsentRequest, how: HowLoggedIn, now: datetime
) -> None:
    """Take back ``member``'s yes: the consent ends at once."""
    _asked(request, member)
    lock(db, request)
    events = events_of(db, request)
    state = state_of(request, events, now)
    gave_yes = any(
        e.actor_id == member.id and e.kind == EventKind.GRANTED for e in events
    )
    if state not in (ConsentState.PENDING, ConsentState.ACTIVE) or not gave_yes:
        raise RecordError(NOT_OPEN.get(state, "nothing_to_withdraw"))
    add_event(db, request, EventKind.WITHDRAWN, member, now, how=how)
    tell_counsellors(db, request, EventKind.WITHDRAWN)
