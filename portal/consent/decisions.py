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

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.consent.history import add_event, events_of, lock, state_of
from portal.consent.models import DECISIONS, ConsentRequest, EventKind
from portal.consent.state import ConsentState
from portal.consent.text import consent_text, text_hash
from portal.families.records import RecordError
from portal.login_sessions import HowLoggedIn
from portal.mail.models import MessageKind
from portal.mail.outbox import enqueue

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
    tell_counsellors(db, request)


def tell_counsellors(db: Session, request: ConsentRequest) -> None:
    """A neutral e-mail to each counsellor of the family: a consent was taken
    back (the overview says which)."""
    base = str(current_app.config["PORTAL_BASE_URL"]).rstrip("/")
    with force_locale("da"):
        subject = _("A consent has been withdrawn")
        # i18n: an e-mail to staff: no names, no details.
        body = _(
            "Hello\n\nA family has withdrawn a consent.\n"
            "See your overview:\n%(link)s\n\nFamilieportalen",
            link=base + "/oversigt",
        )
    for assignment in request.family.assignments:
        email = assignment.counsellor.email
        if email:
            enqueue(
                db,
                kind=MessageKind.NEWS,
                dedupe_key=(
                    f"consent-withdrawn:{request.public_id}:"
                    f"{assignment.counsellor.public_id}"
                ),
                recipient=email,
                subject=subject,
                body=body,
            )
