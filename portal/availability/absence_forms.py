"""The form of an absence: whole days, or from and to a time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, StringField, TimeField
from wtforms.form import BaseForm
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal import parsing
from portal.availability.services import MAX_REASON
from portal.forms import PortalForm


def within_calendar(_form: BaseForm, field: Field) -> None:
    """A day the calendar can show: a year like 9999 would overflow its arithmetic."""
    if field.data is not None and not parsing.in_calendar_range(field.data):
        raise ValidationError(
            _l(
                "Write a day between the years %(first)s and %(last)s.",
                first=parsing.FIRST_DAY.year,
                last=parsing.LAST_DAY.year,
            )
        )


class AbsenceForm(PortalForm):
    start_date = DateField(
        _l("First day"),
        validators=[InputRequired(message=_l("Write the first day.")), within_calendar],
    )
    start_time = TimeField(
        _l("From (time)"),
        validators=[Optional()],
        description=_l("Leave empty for the whole day."),
    )
    end_date = DateField(
        _l("Last day"),
        validators=[InputRequired(message=_l("Write the last day.")), within_calendar],
    )
    end_time = TimeField(
        _l("To (time)"),
        validators=[Optional()],
        description=_l("Leave empty for the whole day."),
    )
    reason = StringField(
        _l("Reason"),
        validators=[Optional(), Length(max=MAX_REASON)],
        description=_l("Only leaders can see the reason. For example holiday."),
    )
