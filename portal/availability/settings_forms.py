"""The form of a counsellor's settings: numbers within LIMITS, and languages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectMultipleField
from wtforms.validators import DataRequired, InputRequired

from portal.availability.forms import language_choices
from portal.availability.settings import LIMITS
from portal.forms import PortalForm
from portal.i18n import LazyText


def _number(label: LazyText, name: str) -> IntegerField:
    low, high = LIMITS[name]
    return IntegerField(
        label,
        validators=[InputRequired(message=_l("Write a number."))],
        render_kw={
            "min": low,
            "max": high,
            "inputmode": "numeric",
            "class": "input-width-xs",
        },
    )


class SettingsForm(PortalForm):
    session_minutes = _number(_l("Length of a talk (minutes)"), "session_minutes")
    home_visit_buffer_minutes = _number(
        _l("Travel time after a home visit (minutes)"),
        "home_visit_buffer_minutes",
    )
    horizon_weeks = _number(
        _l("How far ahead parents can book (weeks)"), "horizon_weeks"
    )
    minimum_notice_hours = _number(
        _l("Booking at the latest (hours before)"), "minimum_notice_hours"
    )
    languages = SelectMultipleField(
        _l("Languages you talk in"),
        choices=language_choices(),
        validators=[DataRequired(message=_l("Choose at least one language."))],
    )
