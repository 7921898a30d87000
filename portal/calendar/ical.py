"""A counsellor's sessions as an iCalendar (RFC 5545) feed for Outlook or Google.

Only what a shared calendar may show: the time, the course's pseudonym ("Forløb Blå
Ugle") or, for a known family, only "Familiesamtale" (a family's name is personal
data, and a phone's calendar is seen by many), and the way of talking. Never an
address, a topic, a note or a contact detail. Every event is CLASS:PRIVATE, so a
calendar shared with colleagues shows only "busy".

Clients keep a subscription in step by UID: the session's ``public_id`` (stable when
the session moves). A cancelled session stays in the feed with STATUS:CANCELLED,
so the client removes it rather than keeping a stale copy. With METHOD:PUBLISH,
DTSTAMP is the time the feed was made.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from icalendar import CLASS, STATUS, TRANSP, Calendar, Event, Timezone, vDuration

from portal.booking.models import CounsellingSession, SessionStatus
from portal.calendar.words import session_title
from portal.i18n import LOCAL, mode_name

TZID = "Europe/Copenhagen"
#: What the feed lists, around now.
PAST = timedelta(weeks=2)
AHEAD = timedelta(weeks=8)
#: How often clients that honour it fetch again.
REFRESH = timedelta(hours=1)


def window(now: datetime) -> tuple[datetime, datetime]:
    """The sessions the feed lists: starting in [now - 2 weeks, now + 8 weeks)."""
    return now - PAST, now + AHEAD


@functools.lru_cache(maxsize=8)
def _vtimezone(first_year: int, last_year: int) -> Timezone:
    # Building the transitions takes a while; a feed asks for the same years all day.
    return Timezone.from_tzid(
        TZID, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
    )


def _summary(session: CounsellingSession) -> str:
    if session.family_id is not None:
        title = _("Family session")
    else:
        title = session_title(session)
        title = title[:1].upper() + title[1:]
    named = session.course is not None or session.family_id is not None
    if session.status == SessionStatus.CANCELLED and named:
        title = _("Cancelled: %(title)s", title=title)
    # i18n: a calendar event's title: the course's pseudonym, then the way of talking.
    summary: str = _(
        "%(title)s (%(mode)s)", title=title, mode=str(mode_name(session.mode))
    )
    return summary


def _event(session: CounsellingSession, *, host: str, now: datetime) -> Event:
    cancelled = session.status == SessionStatus.CANCELLED
    event = Event.new(
        uid=f"{session.public_id}@{host}",
        start=session.starts_at.astimezone(LOCAL),
        end=session.ends_at.astimezone(LOCAL),
        stamp=now,
        created=session.created_at,
        summary=_summary(session),
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        transparency=TRANSP.TRANSPARENT if cancelled else TRANSP.OPAQUE,
        classification=CLASS.PRIVATE,
        # Grows with every move and with the cancellation (RFC 5545, 3.8.7.4).
        sequence=session.revision,
    )
    if session.changed_at is not None:
        event.add("LAST-MODIFIED", session.changed_at)
    return event


def build_feed(
    sessions: Iterable[CounsellingSession],
    *,
    name: str,
    uid: str,
    host: str,
    now: datetime,
) -> bytes:
    """The sessions as an iCalendar file. ``host`` makes UIDs globally unique;
    ``uid`` identifies the feed itself. Call inside ``force_locale``."""
    first, last = window(now)
    calendar = Calendar.new(
        prodid="-//Familieportalen//Kalender//DA",
        name=name,
        uid=uid,
        method="PUBLISH",
        calscale="GREGORIAN",
    )
    calendar.add("X-WR-TIMEZONE", TZID)
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))  # Outlook and Apple
    # Always there, so even a feed without sessions is a valid calendar (RFC 5545
    # wants at least one component) and X-WR-TIMEZONE names something defined.
    calendar.add_component(_vtimezone(first.year - 1, last.year + 1))
    for session in sessions:
        calendar.add_component(_event(session, host=host, now=now))
    feed: bytes = calendar.to_ical()  # icalendar leaves to_ical unannotated
    return feed
