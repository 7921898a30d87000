"""A leader's reason for opening a family they do not serve.

A leader reads any family, but not silently: before the first page of a family
they say why, in their own words, and the family reads those words in its
access log ("Hvem har set vores oplysninger"). The reason holds for that family
for ``web.REASON_MINUTES`` (``families.web.hold_reason``), and every page opened
meanwhile carries it in its audit row.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal import audit
from portal.accounts.models import User
from portal.families.access import record_opening
from portal.families.models import Family
from portal.forms import PortalForm

MAX_REASON = 500
#: The audit row's "what" for the opening that gives the reason.
REASON_GIVEN = "reason given"


class LeaderReasonForm(PortalForm):
    reason = TextAreaField(
        _l("Why are you opening the family's case?"),
        validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("The family can read what you write here."),
    )


def give_reason(
    db_session: Session, leader: User, family: Family, reason: str
) -> audit.AuditEvent:
    """Log that ``leader`` opened ``family`` and why; the row the session then
    points to while the reason holds. Flushes only."""
    return record_opening(
        db_session, leader, family, REASON_GIVEN, reason.strip()[:MAX_REASON]
    )
