"""What about consents asks for a counsellor's attention on their overview:
requests still waiting for an answer, consents ending within ``SOON_DAYS``,
and consents taken back or run out in the last ``SOON_DAYS``. Two statements
however many families there are."""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.consent.history import state_of
from portal.consent.models import ConsentRequest, EventKind
from portal.consent.state import ConsentState, period_end

SOON_DAYS = 30


class Why(enum.StrEnum):
    PENDING = "pending"
    ENDING = "ending"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ConsentAttention:
    request: ConsentRequest
    why: Why


def _why(request: ConsentRequest, now: datetime) -> Why | None:
    events = list(request.events)
    state = state_of(request, events, now)
    soon = timedelta(days=SOON_DAYS)
    if state == ConsentState.PENDING:
        return Why.PENDING
    if state == ConsentState.ACTIVE and period_end(request.ends_on) - now <= soon:
        return Why.ENDING
    if state == ConsentState.WITHDRAWN and any(
        e.kind == EventKind.WITHDRAWN and now - e.at <= soon for e in events
    ):
        return Why.WITHDRAWN
    if state == ConsentState.EXPIRED and now - period_end(request.ends_on) <= soon:
        return Why.EXPIRED
    return None


def consents_needing_attention(
    db: Session, family_ids: list[int], now: datetime
) -> dict[int, list[ConsentAttention]]:
    """Family id -> its consents that ask for attention, newest request first."""
    if not family_ids:
        return {}
    found: dict[int, list[ConsentAttention]] = defaultdict(list)
    requests = db.scalars(
        select(ConsentRequest)
        .where(ConsentRequest.family_id.in_(family_ids))
        .options(
            selectinload(ConsentRequest.events),
            selectinload(ConsentRequest.askees),
            selectinload(ConsentRequest.recipient),
        )
        .order_by(ConsentRequest.created_at.desc(), ConsentRequest.id.desc())
        # Events are append-only, but this session may hold an older list.
        .execution_options(populate_existing=True)
    )
    for request in requests:
        why = _why(request, now)
        if why is not None:
            found[request.family_id].append(ConsentAttention(request, why))
    return dict(found)
