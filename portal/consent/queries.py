"""Reading a family's consents for the pages: each request with its state at
``now``, its events (the timeline the family and the counsellor both see) and
its disclosures, in a fixed number of statements; and the disclosures made on
a statutory basis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import User
from portal.consent.disclosure_models import (
    Basis,
    Disclosure,
)
from portal.consent.history import state_of
from portal.consent.models import (
    DECISIONS,
    Askee,
    ConsentEvent,
    ConsentRequest,
    EventKind,
)
from portal.consent.state import ConsentState
from portal.families.models import Child, Family


@dataclass
class ConsentView:
    request: ConsentRequest
    state: ConsentState
    events: list[ConsentEvent]

    def answer_of(self, member: User) -> ConsentEvent | None:
        return next(
            (e for e in self.events if e.actor_id == member.id and e.kind in DECISIONS),
            None,
        )

    def is_asked(self, member: User) -> bool:
        return any(askee.member_id == member.id for askee in self.request.askees)

    def visible_to(self, member: User) -> bool:
        """Only the persons asked, the custody holders of the child concerned
        and the young person themself see a consent."""
        child = self.request.child
        return (
            self.is_asked(member)
            or member.child_id == child.id
            or any(holder.id == member.id for holder in child.custody_holders)
        )

    def waits_for(self, member: User) -> bool:
        return (
            self.state == ConsentState.PENDING
            and self.is_asked(member)
            and self.answer_of(member) is None
        )

    def may_withdraw(self, member: User) -> bool:
        answer = self.answer_of(member)
        return (
            self.state in (ConsentState.PENDING, ConsentState.ACTIVE)
            and answer is not None
            and answer.kind == EventKind.GRANTED
        )


def family_consents(db: Session, family: Family, now: datetime) -> list[ConsentView]:
    requests = db.scalars(
        select(ConsentRequest)
        .where(ConsentRequest.family_id == family.id)
        .options(
            selectinload(ConsentRequest.askees).selectinload(Askee.member),
            selectinload(ConsentRequest.events).selectinload(ConsentEvent.actor),
            selectinload(ConsentRequest.events).selectinload(ConsentEvent.disclosure),
            selectinload(ConsentRequest.information),
            selectinload(ConsentRequest.recipient),
            selectinload(ConsentRequest.child).selectinload(Child.custody_holders),
        )
        .order_by(ConsentRequest.created_at.desc(), ConsentRequest.id.desc())
        # Events are append-only, but this session may hold an older list.
        .execution_options(populate_existing=True)
    )
    return [
        ConsentView(
            request, state_of(request, list(request.events), now), list(request.events)
        )
        for request in requests
    ]


def consent_of(views: list[ConsentView], public_id: str) -> ConsentView | None:
    return next((v for v in views if v.request.public_id == public_id), None)


def family_disclosures(db: Session, family: Family) -> list[Disclosure]:
    return list(
        db.scalars(
            select(Disclosure)
            .where(Disclosure.family_id == family.id)
            .options(
                selectinload(Disclosure.information),
                selectinload(Disclosure.recipient),
                selectinload(Disclosure.statute),
            )
            .order_by(Disclosure.shared_on.desc(), Disclosure.id.desc())
        )
    )


def statutory_disclosures(db: Session) -> list[Disclosure]:
    """Every disclosure without consent, newest first, for the leader's page."""
    return list(
        db.scalars(
            select(Disclosure)
            .where(Disclosure.basis == Basis.STATUTE)
            .options(
                selectinload(Disclosure.statute), selectinload(Disclosure.recipient)
            )
            .order_by(Disclosure.recorded_at.desc(), Disclosure.id.desc())
        )
    )
