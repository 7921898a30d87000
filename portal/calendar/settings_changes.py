"""A change of a counsellor's booking settings, and the booked home visits it frees.

A booked home visit keeps the counsellor busy until its end plus the travel
buffer (``busy_until``, which the database's no-overlap rule reads). A shorter
buffer frees that time at once; a longer one only applies to new bookings, so no
booked session comes into conflict. Both halves happen here, together, because
availability stores the settings and cannot see booked talks. Services only
flush; the view commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.availability.models import CounsellorSettings, Mode
from portal.availability.settings import SettingsChange, save_settings
from portal.booking.models import CounsellingSession
from portal.db import utcnow


def change_settings(
    db: Session,
    counsellor_id: int,
    change: SettingsChange,
    now: datetime | None = None,
) -> CounsellorSettings:
    """Store the settings and shrink the busy time after booked home visits to the
    new buffer. Raises AvailabilityError (``save_settings``)."""
    saved = save_settings(db, counsellor_id, change)
    buffer = timedelta(minutes=saved.home_visit_buffer_minutes)
    for session in db.scalars(
        select(CounsellingSession).where(
            CounsellingSession.counsellor_id == counsellor_id,
            CounsellingSession.mode == Mode.HOME,
            CounsellingSession.busy_until > (now or utcnow()),
        )
    ):
        session.busy_until = min(session.busy_until, session.ends_at + buffer)
    db.flush()
    return saved
