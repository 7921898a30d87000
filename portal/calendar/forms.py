"""Forms of the calendar (labels and messages with _l)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from portal import parsing
from portal.booking.forms import idempotency_key_field
from portal.booking.models import LANGUAGES, Mode
from portal.booking.services import MAX_ADDRESS
from portal.calendar.availability import LIMITS, MAX_LOCATION, MAX_REASON
from portal.calendar.services import MAX_CANCEL_REASON, MAX_NOTE
from portal.forms import PortalForm
from portal.i18n import language_label, mode_label

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


def mode_name(mode: str) -> str:
    """A mode as staff say it (the parent's words are in booking.forms)."""
    return {
        Mode.HOME: _l("Home visit"),
        Mode.CENTRE: _l("Family centre"),
        Mode.PHONE: _l("Phone"),
        Mode.VIDEO: _l("Video"),
    }[Mode(mode)]


def mode_choices() -> list[SelectChoice]:
    return [SelectChoice(mode.value, mode_name(mode)) for mode in Mode]


def language_choices(codes=LANGUAGES) -> list[SelectChoice]:
    return [SelectChoice(code, language_label(code)) for code in codes]


def _required(message):
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


def within_calendar(_form, field) -> None:
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


def _number(label, name, description=None):
    low, high = LIMITS[name]
    return IntegerField(
        label,
        validators=[_required(_l("Write a number."))],
        description=description,
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


class OutcomeForm(PortalForm):
    outcome = RadioField(
        _l("What happened"),
        choices=[
            SelectChoice("held", _l("Held")),
            SelectChoice("no_show", _l("Did not come")),
            SelectChoice("no_show_waived", _l("Did not come, does not count")),
            SelectChoice("booked", _l("Not marked")),
        ],
        validators=[_required(_l("Choose what happened."))],
    )


class CancelForm(PortalForm):
    reason = StringField(
        _l("Reason for cancelling"),
        validators=[
            DataRequired(message=_l("Write why the talk is cancelled.")),
            Length(max=MAX_CANCEL_REASON),
        ],
        description=_l("For you and your colleagues. The family does not see it."),
    )


class NoteForm(PortalForm):
    note = TextAreaField(
        _l("Working note"),
        validators=[Optional(), Length(max=MAX_NOTE)],
        description=_l(
            "Only for you. Write no names or CPR numbers. "
            "It is deleted with the course."
        ),
        render_kw={"rows": 4, "maxlength": MAX_NOTE},
    )


class TimeChoiceForm(PortalForm):
    """Choose one of the free times on the page (the value is the UTC start)."""

    time = RadioField(
        _l("Free times"),
        validate_choice=False,
        validators=[_required(_l("Choose a time."))],
    )
    address = TextAreaField(
        _l("Address for the home visit"),
        validators=[Optional(), Length(max=MAX_ADDRESS)],
        render_kw={"rows": 3},
    )


class WayForm(PortalForm):
    """The GET form above a list of free times: which way of talking, language."""

    class Meta:
        csrf = False

    mode = SelectField(_l("Way of talking"), choices=mode_choices())
    language = SelectField(_l("Language of the talk"), choices=language_choices())


class OnBehalfForm(TimeChoiceForm):
    idempotency_key = idempotency_key_field()
    email = EmailField(
        _l("The parent's e-mail"),
        validators=[Optional(), Length(max=254)],
        description=_l("Only if the parent wants a reminder the day before."),
    )
    wants_reminders = BooleanField(_l("The parent wants a reminder by e-mail"))
    phone = TelField(
        _l("The parent's phone number"),
        validators=[Optional(), Length(max=20)],
        description=_l("Only if the parent wants us to call if the time changes."),
        render_kw={"class": "input-width-s"},
    )


class NextSessionForm(TimeChoiceForm):
    idempotency_key = idempotency_key_field()


class CodeForm(PortalForm):
    code = StringField(
        _l("The booking code the parent reads aloud"),
        validators=[DataRequired(message=_l("Write the booking code."))],
        description=_l("16 letters and digits. We do not show it again."),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "class": "input-width-l",
        },
    )


class ConflictForm(PortalForm):
    reason = StringField(
        _l("Reason for cancelling"),
        validators=[Optional(), Length(max=MAX_CANCEL_REASON)],
        description=_l("For you and your colleagues. The families do not see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Needed only to cancel all, which is the only button beside the field.
        self.reason.flags.required = True


class EmptyForm(PortalForm):
    """A button that changes something: only the CSRF token is needed."""


__all__ = [
    "AbsenceForm",
    "CancelForm",
    "CodeForm",
    "ConflictForm",
    "EmptyForm",
    "NextSessionForm",
    "NoteForm",
    "OnBehalfForm",
    "OutcomeForm",
    "SettingsForm",
    "SpanForm",
    "TimeChoiceForm",
    "WayForm",
    "mode_label",
    "mode_name",
]
