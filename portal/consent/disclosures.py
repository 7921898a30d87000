"""A counsellor records a disclosure (videregivelse): information actually
shared, with its legal basis.

Rules (services flush, the view commits once):

* on consent (the normal basis): only while that consent is active at the
  moment of recording, read under the request's row lock, so a withdrawal at
  the same moment comes either after it or refuses it; the recipient must be
  the consent's, and each category of information one the consent names;
* on a statutory basis: a basis from the leader's list in use and a written
  justification; the leader's page flags it;
* either way the day it was shared is not in the future, and the family
  sees it and its basis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit import AuditAction
from portal.consent.disclosure_models import (
    Basis,
    Channel,
    Disclosure,
)
from portal.consent.history import add_event, locked_state
from portal.consent.models import (
    ConsentRequest,
    EventKind,
    ListItem,
    ListKind,
)
from portal.consent.state import ConsentState
from portal.families.models import Family
from portal.families.news import tell_members_of_news
from portal.families.records import RecordError, check_editable, record_change
from portal.timeutil import local_today

MAX_WHAT = 2000
#: Why a consent-based disclosure is refused, by the consent's state.
REFUSALS = {
    ConsentState.PENDING: "consent_pending",
    ConsentState.DECLINED: "consent_declined",
    ConsentState.WITHDRAWN: "consent_withdrawn",
    ConsentState.EXPIRED: "consent_expired",
    ConsentState.CANCELLED: "consent_cancelled",
}


@dataclass
class DisclosureText:
    """What was shared, with whom, when and how; ``consent`` or ``statute``."""

    recipient: ListItem
    what: str
    shared_on: date
    channel: Channel
    information: Sequence[ListItem] = field(default_factory=list)
    consent: ConsentRequest | None = None
    statute: ListItem | None = None
    justification: str = ""


def _check_common(text: DisclosureText, now: datetime) -> None:
    if not text.what.strip():
        raise RecordError("what_required", field="what")
    if len(text.what) > MAX_WHAT:
        raise RecordError("what_too_long", field="what")
    if text.shared_on > local_today(now):
        raise RecordError("shared_in_future", field="shared_on")
    if not text.information:
        raise RecordError("information_required", field="information")


def _check_consent(
    db: Session, family: Family, text: DisclosureText, now: datetime
) -> None:
    consent = text.consent
    if consent is None or consent.family_id != family.id:
        raise RecordError("consent_required", field="consent")
    state = locked_state(db, consent, now)
    if state != ConsentState.ACTIVE:
        raise RecordError(REFUSALS[state], field="consent")
    if text.recipient.id != consent.recipient_id:
        raise RecordError("recipient_outside", field="recipient")
    allowed = {item.id for item in consent.information}
    if any(item.id not in allowed for item in text.information):
        raise RecordError("information_outside", field="information")


def _check_statute(text: DisclosureText) -> None:
    statute = text.statute
    if statute is None or statute.kind != ListKind.STATUTE or statute.is_retired:
        raise RecordError("statute_required", field="statute")
    if not text.justification.strip():
        raise RecordError("justification_required", field="justification")
    if len(text.justification) > MAX_WHAT:
        raise RecordError("justification_too_long", field="justification")
    for item in (text.recipient, *text.information):
        if item.is_retired:
            raise RecordError("item_not_in_use", field="recipient")


def record_disclosure(
    db: Session, actor: User, family: Family, text: DisclosureText, now: datetime
) -> Disclosure:
    check_editable(family)
    _check_common(text, now)
    if text.statute is None:
        _check_consent(db, family, text, now)
    else:
        _check_statute(text)
    row = Disclosure(
        family_id=family.id,
        basis=Basis.CONSENT if text.statute is None else Basis.STATUTE,
        request_id=text.consent.id if text.statute is None and text.consent else None,
        statute_id=text.statute.id if text.statute else None,
        justification=text.justification.strip() or None if text.statute else None,
        recipient_id=text.recipient.id,
        information=list(text.information),
        what=text.what.strip(),
        shared_on=text.shared_on,
        channel=text.channel,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    db.add(row)
    db.flush()
    if text.consent is not None and text.statute is None:
        add_event(
            db, text.consent, EventKind.DISCLOSURE, actor, now, disclosure_id=row.id
        )
    record_change(db, actor, AuditAction.SHARE, family, "disclosure", row.public_id)
    tell_members_of_news(db, family)
    return row
