"""Forms of the calendar (labels and messages with _l)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
)

from portal.availability.forms import language_choices, mode_choices
from portal.booking.codes import CODE_LENGTH
from portal.booking.contact import MAX_ADDRESS
from portal.booking.courses import MAX_IDEMPOTENCY_KEY
from portal.calendar.family_sessions import MAX_LOCATION as MAX_FAMILY_LOCATION
from portal.calendar.services import MAX_CANCEL_REASON, MAX_NOTE
from portal.forms import PortalForm, idempotency_key_field
from portal.i18n import LazyText


def _required(message: LazyText) -> InputRequired:
    return InputRequired(message=message)


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
    idempotency_key = idempotency_key_field(MAX_IDEMPOTENCY_KEY)
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
    idempotency_key = idempotency_key_field(MAX_IDEMPOTENCY_KEY)


class FamilySessionForm(TimeChoiceForm):
    """A session with a known family: who takes part, and where (the address of
    a home visit, or a place text); the members' choices are set by the view."""

    idempotency_key = idempotency_key_field(MAX_IDEMPOTENCY_KEY)
    participants = SelectMultipleField(
        _l("Who takes part"),
        validators=[DataRequired(message=_l("Choose who takes part."))],
    )
    location = StringField(
        _l("Place"),
        validators=[Optional(), Length(max=MAX_FAMILY_LOCATION)],
        description=_l("For example a room at the family centre. The family sees it."),
    )


class CodeForm(PortalForm):
    code = StringField(
        _l("The booking code the parent reads aloud"),
        validators=[DataRequired(message=_l("Write the booking code."))],
        description=lazy_ngettext(
            "%(num)s letter or digit. We do not show it again.",
            "%(num)s letters and digits. We do not show it again.",
            CODE_LENGTH,
        ),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "class": "input-width-l",
        },
    )


__all__ = [
    "CancelForm",
    "CodeForm",
    "FamilySessionForm",
    "NextSessionForm",
    "NoteForm",
    "OnBehalfForm",
    "OutcomeForm",
    "TimeChoiceForm",
    "WayForm",
]
