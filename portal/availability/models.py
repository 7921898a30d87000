"""Counsellors' availability: weekly spans, absences and booking settings.

Booking reads these to find free times (``portal.booking.slots``); the settings
row is also each counsellor's booking lock (``portal.availability.settings``).
"""

from __future__ import annotations

import enum
from datetime import datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base

#: The languages a parent can choose for the conversation (ISO 639-1).
LANGUAGES = ("da", "en", "ar")


class Mode(enum.StrEnum):
    HOME = "home"
    CENTRE = "centre"
    PHONE = "phone"
    VIDEO = "video"


def split_codes(value: str) -> list[str]:
    """``"da, en"`` -> ``["da", "en"]``: languages and modes are stored as lists."""
    return [part for part in (p.strip() for p in value.split(",")) if part]


class CounsellorSettings(Base):
    """One row per counsellor: session length, buffers, horizon, notice, languages.

    ``lock_version`` is bumped by every booking service before it checks for
    overlaps: the UPDATE is the per-counsellor lock (``settings.lock_counsellor``;
    why it holds is in ``portal.booking.models``).
    """

    __tablename__ = "counsellor_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    session_minutes: Mapped[int] = mapped_column(default=60)
    home_visit_buffer_minutes: Mapped[int] = mapped_column(default=30)
    horizon_weeks: Mapped[int] = mapped_column(default=6)
    minimum_notice_hours: Mapped[int] = mapped_column(default=24)
    # Comma-separated ISO 639-1 codes, e.g. "da,en".
    languages: Mapped[str] = mapped_column(String(100), default="da")
    lock_version: Mapped[int] = mapped_column(default=0)

    counsellor = relationship("User")

    __table_args__ = (
        CheckConstraint("session_minutes > 0", name="session_minutes_positive"),
    )

    @property
    def language_codes(self) -> list[str]:
        return split_codes(self.languages)


class AvailabilitySpan(Base):
    """A weekly recurring span of bookable time, in Europe/Copenhagen wall time."""

    __tablename__ = "availability_spans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    weekday: Mapped[int] = mapped_column()  # 0 = Monday, as date.weekday()
    start_time: Mapped[time] = mapped_column(Time())
    end_time: Mapped[time] = mapped_column(Time())
    # Comma-separated Mode values.
    modes: Mapped[str] = mapped_column(String(60), default="centre")
    location: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_time < end_time", name="start_before_end"),
    )

    @property
    def mode_list(self) -> list[Mode]:
        return [Mode(mode) for mode in split_codes(self.modes)]


class Absence(Base):
    """Holiday, sickness, training: no bookable time. The reason is for leaders only."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    reason: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (CheckConstraint("starts_at < ends_at", name="start_before_end"),)
