"""Imports every feature's models, so metadata and Alembic see all tables."""

from portal.accounts.models import User  # noqa: F401
from portal.audit import AuditEvent  # noqa: F401
from portal.availability.models import Absence, AvailabilitySpan, CounsellorSettings  # noqa: F401
from portal.booking.models import CounsellingSession, Course, SlotHold, Topic  # noqa: F401
from portal.calendar.models import FeedToken  # noqa: F401
from portal.cases import notes_guards  # noqa: F401  (the notes' database guards)
from portal.cases.corrections_models import CorrectionRequest  # noqa: F401
from portal.cases.goals_models import Goal, GoalScore, GoalStatement  # noqa: F401
from portal.cases.interventions_models import (  # noqa: F401
    Intervention,
    InterventionType,
)
from portal.cases.notes_models import Note, NoteResponse, NoteVersion  # noqa: F401
from portal.consent import guards  # noqa: F401  (the consents' database guards)
from portal.consent.disclosure_models import Disclosure  # noqa: F401
from portal.consent.models import (  # noqa: F401
    Askee,
    ConsentEvent,
    ConsentRequest,
    ListItem,
)
from portal.families.models import (  # noqa: F401
    Child,
    Family,
    FamilyAssignment,
    Invitation,
)
from portal.feedback.family_models import (  # noqa: F401
    InterventionReview,
    WellbeingAnswer,
)
from portal.feedback.models import SessionRating  # noqa: F401
