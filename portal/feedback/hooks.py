"""What feedback lends the pages below it, without their importing it: Min
booking and ``/familie`` include ``feedback/_to_rate.html``, which asks
``sessions_to_rate`` which of their past sessions can still be rated."""

from __future__ import annotations

from collections.abc import Iterable

from portal import db
from portal.booking.models import CounsellingSession
from portal.feedback import bp, ratings


@bp.app_template_global()
def sessions_to_rate(
    sessions: Iterable[CounsellingSession],
) -> list[CounsellingSession]:
    """The held, unrated sessions among ``sessions`` (one query)."""
    return ratings.to_rate(db.session(), sessions)
