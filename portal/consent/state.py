"""The state of a consent, derived from its events: the one place the rule lives.

* One decline declines; a cancel (only while pending), a withdrawal and an
  expiry end the consent for good. The first of these wins.
* Otherwise the consent is active when every person asked has granted, and
  pending until then.
* Either way it has ended once its period is over: at the end of its last day
  in Europe/Copenhagen (``period_end``), whatever the clock says in UTC.

Everything that acts on a consent (a decision, a withdrawal, a disclosure)
asks this function first, under the request's row lock.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.consent.models import EventKind
from portal.timeutil import local_midnight


class ConsentState(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


#: Events that end a consent for good, and the state each leaves.
ENDINGS = {
    EventKind.DECLINED: ConsentState.DECLINED,
    EventKind.WITHDRAWN: ConsentState.WITHDRAWN,
    EventKind.EXPIRED: ConsentState.EXPIRED,
    EventKind.CANCELLED: ConsentState.CANCELLED,
}


@dataclass(frozen=True)
class Fact:
    """What the rule needs of one event: its kind and who did it."""

    kind: EventKind
    actor_id: int | None


def period_end(ends_on: date) -> datetime:
    """The first moment after the last day, ``ends_on``, in Copenhagen (UTC)."""
    return local_midnight(ends_on + timedelta(days=1))


def derive_state(
    asked: Iterable[int], facts: Iterable[Fact], ends_on: date, now: datetime
) -> ConsentState:
    """The state of a consent whose askees are ``asked`` (member ids), after
    ``facts`` (its events, oldest first), at ``now``."""
    waiting = set(asked)
    everyone = bool(waiting)
    for fact in facts:
        if fact.kind in ENDINGS:
            return ENDINGS[fact.kind]
        if fact.kind == EventKind.GRANTED:
            waiting.discard(fact.actor_id or 0)
    if now >= period_end(ends_on):
        return ConsentState.EXPIRED
    return ConsentState.ACTIVE if everyone and not waiting else ConsentState.PENDING


#: States in which the family is still asked to answer.
OPEN = (ConsentState.PENDING,)
#: States a consent never leaves.
ENDED = tuple(ENDINGS.values())
