"""A counsellor's booking settings, and the booking lock that lives on their row.

Session length, home-visit buffer, horizon, notice and languages; booked sessions
keep their times whatever changes here (a shorter buffer frees the time after
booked home visits: ``portal.calendar.settings_changes``). Services only flush;
the view commits.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.availability.errors import AvailabilityError
from portal.availability.models import LANGUAGES, CounsellorSettings
from portal.db import rows_changed

#: Limits of the settings form, as (lowest, highest).
LIMITS = {
    "session_minutes": (15, 240),
    "home_visit_buffer_minutes": (0, 240),
    "horizon_weeks": (1, 52),
    "minimum_notice_hours": (0, 336),
}


@dataclass(frozen=True)
class SettingsChange:
    """What the settings form asks for; ``LIMITS`` names the numbers."""

    session_minutes: int
    home_visit_buffer_minutes: int
    horizon_weeks: int
    minimum_notice_hours: int
    languages: tuple[str, ...]

    @classmethod
    def current(cls, settings: CounsellorSettings) -> SettingsChange:
        """The stored settings, as the form shows them."""
        return cls(
            settings.session_minutes,
            settings.home_visit_buffer_minutes,
            settings.horizon_weeks,
            settings.minimum_notice_hours,
            tuple(settings.language_codes),
        )


def settings_for(db: Session, counsellor_id: int) -> CounsellorSettings:
    """The counsellor's settings; a new counsellor gets the defaults (flushed)."""
    found = db.scalar(
        select(CounsellorSettings).where(
            CounsellorSettings.counsellor_id == counsellor_id
        )
    )
    if found is None:
        found = CounsellorSettings(
            counsellor_id=counsellor_id,
            session_minutes=60,
            home_visit_buffer_minutes=30,
            horizon_weeks=6,
            minimum_notice_hours=24,
            languages="da",
        )
        db.add(found)
        db.flush()
    return found


def lock_counsellor(db: Session, counsellor_id: int) -> bool:
    """Take the counsellor's booking lock: one UPDATE of their settings row.

    Every service that can put a session in a counsellor's calendar, and every
    availability change, takes it before re-checking against fresh data (why this
    holds under concurrent requests: ``portal.booking.models``). Returns False if
    the counsellor has no settings row, so nothing was locked (they cannot be
    booked; ``settings_for`` creates the row).
    """
    result = db.execute(
        update(CounsellorSettings)
        .where(CounsellorSettings.counsellor_id == counsellor_id)
        .values(lock_version=CounsellorSettings.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result) == 1


def save_settings(
    db: Session, counsellor_id: int, change: SettingsChange
) -> CounsellorSettings:
    """Check and store session length, home-visit buffer, horizon, notice and
    languages.

    Only ``portal.calendar.settings_changes.change_settings`` calls this: a shorter
    home-visit buffer must also free the time after booked home visits, which
    availability cannot see. Raises AvailabilityError (out_of_range,
    no_languages, unknown_language).
    """
    values = asdict(change)
    languages = values.pop("languages")
    for name, value in values.items():
        low, high = LIMITS[name]
        if value is None or not low <= value <= high:
            raise AvailabilityError("out_of_range", field=name)
    if not languages:
        raise AvailabilityError("no_languages", field="languages")
    if any(code not in LANGUAGES for code in languages):
        raise AvailabilityError("unknown_language", field="languages")
    settings = settings_for(db, counsellor_id)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.languages = ",".join(code for code in LANGUAGES if code in languages)
    db.flush()
    return settings
