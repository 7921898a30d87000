"""Imports every feature's models, so metadata and Alembic see all tables."""

from portal.accounts.models import Family, User  # noqa: F401
from portal.audit import AuditEvent  # noqa: F401
from portal.booking.models import (  # noqa: F401
    Absence,
    AvailabilitySpan,
    CounsellingSession,
    CounsellorSettings,
    Course,
    SlotHold,
    Topic,
)
from portal.calendar.models import FeedToken  # noqa: F401
from portal.mail.outbox import OutboxMessage  # noqa: F401
