"""Staff words for a session: its title (a pseudonym or a family's name, never a
booking code) and its status, one at a time or translated once per calendar page.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from portal.availability.models import Mode
from portal.booking.models import COURSE_DELETED, CounsellingSession, SessionStatus
from portal.i18n import LOCAL, mode_name

if TYPE_CHECKING:
    from portal.calendar.grid import Shown


def session_title(session: CounsellingSession) -> str:
    """What staff call a session: the course's pseudonym, never its code, or the
    known family's display name."""
    title: str
    if session.family is not None:
        title = session.family.display_name
    elif session.course is not None:
        title = _("Course %(name)s", name=session.course.pseudonym)
    elif session.cancel_reason == COURSE_DELETED:
        title = _("cancelled – course deleted")
    else:
        title = _("course deleted")
    return title


def status_name(session: CounsellingSession) -> str:
    if session.status == SessionStatus.NO_SHOW and session.no_show_waived:
        waived: str = _("did not come (does not count)")
        return waived
    return _status_names()[SessionStatus(session.status)]


def _status_names() -> dict[SessionStatus, str]:
    return {
        SessionStatus.BOOKED: _("booked"),
        SessionStatus.HELD: _("held"),
        SessionStatus.NO_SHOW: _("did not come"),
        SessionStatus.CANCELLED: _("cancelled"),
    }


class Words:
    """What a calendar repeats on every entry, translated once per page: a week
    with forty sessions would otherwise look up the same words hundreds of times."""

    ICONS = {
        "home": "home",
        "centre": "groups",
        "phone": "smartphone",
        "video": "videocam",
    }

    def __init__(self, session_url: str, time_format: str) -> None:
        # Without values gettext returns the pattern, formatted here with %.
        self.course: str = _("Course %(name)s")
        self.cancelled_deleted: str = _("cancelled – course deleted")
        self.deleted: str = _("course deleted")
        self.waived: str = _("did not come (does not count)")
        self.statuses = _status_names()
        self.modes = {str(mode): str(mode_name(mode)) for mode in Mode}
        self.session_url = session_url.rstrip("_")
        self.time_format = time_format

    def title(self, session: Shown) -> str:
        """``session`` as the grid loads it (``portal.calendar.grid.Shown``)."""
        if session.family_name is not None:
            return session.family_name
        if session.course_id is not None:
            return self.course % {"name": session.pseudonym}
        if session.cancel_reason == COURSE_DELETED:
            return self.cancelled_deleted
        return self.deleted

    def status(self, session: Shown) -> str:
        if session.status == SessionStatus.NO_SHOW and session.no_show_waived:
            return self.waived
        return self.statuses[SessionStatus(session.status)]

    def whole_days(self, start: datetime, end: datetime) -> tuple[date, date] | None:
        """An absence of whole days: its first and last day (the end is the
        midnight after the last day), else None."""
        first, after = start.astimezone(LOCAL), end.astimezone(LOCAL)
        if first.time() != time(0) or after.time() != time(0):
            return None
        return first.date(), after.date() - timedelta(days=1)

    def span(self, start: datetime, end: datetime) -> str:
        """``09.00–10.00`` in Copenhagen time."""
        return (
            f"{start.astimezone(LOCAL).strftime(self.time_format)}–"
            f"{end.astimezone(LOCAL).strftime(self.time_format)}"
        )
