"""Forms for booking from the calendar: a free time chosen on the page, the way
of talking above the list of times, and a session with a known family (booking
on behalf of a parent is in ``on_behalf_forms``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.availability.forms import language_choices, mode_choices
from portal.booking.contact_checks import MAX_ADDRESS
from portal.booking.courses import MAX_IDEMPOTENCY_KEY
from portal.calendar.family_sessions import MAX_LOCATION as MAX_FAMILY_LOCATION
from portal.forms import PortalForm, idempotency_key_field


class TimeChoiceForm(PortalForm):
    """Choose one of the free times on the page (the value is the UTC start)."""

    time = RadioField(
        _l("Free times"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a time."))],
    )
    address = TextAreaField(
        _l("Address for the home visit"),
        validators=[Optional(), Length(max=MAX_ADDRESS)],
        render_kw={"rows": 3},
    )
    # Only for a phone talk where we call (``booking.meeting.needs_call_phone``);
    # the service refuses such a talk without it.
    call_phone = TelField(
        _l("The phone number we call the parent on"),
        validators=[Optional(), Length(max=20)],
        description=_l("For the phone talk. We erase it after the talk."),
        render_kw={"class": "input-width-s", "autocomplete": "off"},
    )


class WayForm(PortalForm):
    """The GET form above a list of free times: which way of talking, language."""

    class Meta:
        csrf = False

    mode = SelectField(_l("Way of talking"), choices=mode_choices())
    # Not "language": the icon sprite in every page has a symbol with that id.
    language = SelectField(
        _l("Language of the talk"), choices=language_choices(), id="way-language"
    )


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
