"""A counsellor asks a family for consent, or cancels the question.

Rules (services flush, the view commits once):

* only for a current child of an open family, to a recipient and information
  from the leader's lists in use (plus free text), with a purpose;
* for a period of at most ``MAX_MONTHS`` months, from its first day to its last;
* who must answer is fixed now: every current custody holder of the child, and
  the young person when they are a member aged ``YOUNG_PERSON_AGE`` or more;
* the family hears of it by the neutral "there is news" e-mail only;
* a request is cancelled only while it is pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.audit import AuditAction
from portal.consent.history import add_event, locked_state
from portal.consent.models import Askee, ConsentRequest, EventKind, ListItem, ListKind
from portal.consent.state import ConsentState
from portal.families.members import YOUNG_PERSON_AGE
from portal.families.models import Child, Family
from portal.families.news import tell_members_of_news
from portal.families.records import (
    RecordError,
    check_current_child,
    check_editable,
    record_change,
)
from portal.timeutil import age_on, local_today

MAX_MONTHS = 12
MAX_PURPOSE = 2000
MAX_DETAIL = 300


@dataclass
class RequestText:
    """What a counsellor fills in to ask for consent."""

    child: Child
    recipient: ListItem
    purpose: str
    starts_on: date
    ends_on: date
    information: Sequence[ListItem] = field(default_factory=list)
    recipient_detail: str = ""
    information_detail: str = ""


def last_day_allowed(starts_on: date) -> date:
    """The latest last day of a period that starts on ``starts_on``: the day
    before the same date ``MAX_MONTHS`` months later."""
    year = starts_on.year + MAX_MONTHS // 12
    try:
        same_day = starts_on.replace(year=year)
    except ValueError:  # 29 February
        same_day = starts_on.replace(year=year, day=28)
    return same_day - timedelta(days=1)


def _check_item(item: ListItem, kind: ListKind, field: str) -> None:
    if item.kind != kind or item.is_retired:
        raise RecordError("item_not_in_use", field=field)


def check_text(family: Family, text: RequestText, today: date) -> None:
    check_current_child(family, text.child)
    _check_item(text.recipient, ListKind.RECIPIENT, "recipient")
    for item in text.information:
        _check_item(item, ListKind.INFORMATION, "information")
    if not text.information and not text.information_detail.strip():
        raise RecordError("information_required", field="information")
    if not text.purpose.strip():
        raise RecordError("purpose_required", field="purpose")
    if len(text.purpose) > MAX_PURPOSE:
        raise RecordError("purpose_too_long", field="purpose")
    if max(len(text.recipient_detail), len(text.information_detail)) > MAX_DETAIL:
        raise RecordError("detail_too_long", field="recipient_detail")
    if text.starts_on < today:
        raise RecordError("start_in_past", field="starts_on")
    if text.ends_on < text.starts_on:
        raise RecordError("end_before_start", field="ends_on")
    if text.ends_on > last_day_allowed(text.starts_on):
        raise RecordError("period_too_long", field="ends_on")


def who_must_answer(db: Session, family: Family, child: Child, on: date) -> list[Askee]:
    """The custody holders still in the family, and the young person aged 15
    or more if they are a member."""
    askees = [
        Askee(member_id=holder.id)
        for holder in child.custody_holders
        if holder.removed_at is None and holder.family_id == family.id
    ]
    if age_on(child.birth_date, on) >= YOUNG_PERSON_AGE:
        young = db.scalars(
            select(User.id).where(
                User.family_id == family.id,
                User.child_id == child.id,
                User.removed_at.is_(None),
            )
        )
        askees += [Askee(member_id=id_, as_young_person=True) for id_ in young]
    if not askees:
        raise RecordError("no_one_to_ask", field="child")
    return askees


def create_request(
    db: Session, actor: User, family: Family, text: RequestText, now: datetime
) -> ConsentRequest:
    check_editable(family)
    check_text(family, text, local_today(now))
    request = ConsentRequest(
        family_id=family.id,
        child=text.child,
        recipient=text.recipient,
        recipient_detail=text.recipient_detail.strip(),
        information=list(text.information),
        information_detail=text.information_detail.strip(),
        purpose=text.purpose.strip(),
        starts_on=text.starts_on,
        ends_on=text.ends_on,
        created_by_id=actor.id,
        askees=who_must_answer(db, family, text.child, text.starts_on),
        created_at=now,
    )
    db.add(request)
    db.flush()
    add_event(db, request, EventKind.REQUESTED, actor, now)
    record_change(db, actor, AuditAction.CREATE, family, "consent", request.public_id)
    tell_members_of_news(db, family)
    return request


def cancel_request(
    db: Session, actor: User, family: Family, request: ConsentRequest, now: datetime
) -> None:
    """Cancel a request nobody has finished answering (pending only)."""
    check_editable(family)
    if locked_state(db, request, now) != ConsentState.PENDING:
        raise RecordError("not_pending")
    add_event(db, request, EventKind.CANCELLED, actor, now)
    record_change(
        db, actor, AuditAction.UPDATE, family, "consent", request.public_id, "cancelled"
    )
