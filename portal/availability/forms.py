"""Forms of the availability screens (labels and messages with _l)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.form import BaseForm
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from portal import parsing
from portal.availability.models import LANGUAGES, Mode
from portal.availability.services import MAX_LOCATION, MAX_REASON
from portal.availability.settings import LIMITS
from portal.forms import PortalForm
from portal.i18n import WEEKDAYS, LazyText, language_label, mode_name


def mode_choices() -> list[SelectChoice]:
    return [SelectChoice(mode.value, mode_name(mode)) for mode in Mode]


def language_choices(codes: Iterable[str] = LANGUAGES) -> list[SelectChoice]:
    return [SelectChoice(code, language_label(code)) for code in codes]


def _required(message: LazyText) -> InputRequired:
    return InputRequired(message=message)


class SpanForm(PortalForm):
    weekday = SelectField(
        _l("Weekday"),
        choices=[SelectChoice(str(i), name) for i, name in enumerate(WEEKDAYS)],
        validators=[_required(_l("Choose a weekday."))],
    )
    start_time = TimeField(
        _l("From"), validators=[_required(_l("Write when the time starts."))]
    )
    end_time = TimeField(
        _l("To"), validators=[_required(_l("Write when the time ends."))]
    )
    modes = SelectMultipleField(
        _l("Ways of talking in this time"),
        choices=mode_choices(),
        validators=[DataRequired(message=_l("Choose at least one way of talking."))],
    )
    location = StringField(
        _l("Place"),
        validators=[Optional(), Length(max=MAX_LOCATION)],
        description=_l("For example the family centre's address."),
    )


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
        validators=[_required(_l("Write the first day.")), within_calendar],
    )
    start_time = TimeField(
        _l("From (time)"),
        validators=[Optional()],
        description=_l("Leave empty for the whole day."),
    )
    end_date = DateField(
        _l("Last day"),
        validators=[_required(_l("Write the last day.")), within_calendar],
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


def _number(label: LazyText, name: str) -> IntegerField:
    low, high = LIMITS[name]
    return IntegerField(
        label,
        validators=[_required(_l("Write a number."))],
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


class ConflictForm(PortalForm):
    reason = StringField(
        _l("Reason for cancelling"),
        validators=[Optional(), Length(max=MAX_REASON)],
        description=_l("For you and your colleagues. The families do not see it."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Needed only to cancel all, which is the only button beside the field.
        self.reason.flags.required = True
