"""Forms for a parent's contact details, the confirm step and the booking code
(labels via _l); the flow's earlier steps are in ``step_forms``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import BooleanField, EmailField, StringField, TelField, TextAreaField

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.validators import DataRequired, Length, Optional

from portal.booking.codes import CODE_LENGTH
from portal.booking.contact_checks import MAX_ADDRESS
from portal.booking.courses import MAX_IDEMPOTENCY_KEY
from portal.forms import PortalForm, idempotency_key_field
from portal.i18n import LazyText


class ContactForm(PortalForm):
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Length(max=254)],
        description=_l("Only if you want a reminder by e-mail the day before."),
        render_kw={"autocomplete": "email"},
    )
    wants_reminders = BooleanField(_l("Yes, send me a reminder the day before"))
    phone = TelField(
        _l("Phone number"),
        validators=[Optional(), Length(max=20)],
        description=lazy_ngettext(
            "So we can call you if the time has to change. %(num)s digit.",
            "So we can call you if the time has to change. %(num)s digits.",
            8,
        ),
        render_kw={"autocomplete": "tel", "inputmode": "tel", "class": "input-width-s"},
    )
    # Only for a phone talk where we call (``booking.meeting.needs_call_phone``);
    # views delete the field elsewhere, as they do the address.
    call_phone = TelField(
        _l("The phone number we call you on"),
        validators=[Length(max=20)],
        description=_l("We delete it after the talk."),
        render_kw={"autocomplete": "tel", "inputmode": "tel", "class": "input-width-s"},
    )
    address = TextAreaField(
        _l("Address for the home visit"),
        validators=[Length(max=MAX_ADDRESS)],
        description=_l("Street, number, floor and town. We delete it after the visit."),
        render_kw={"rows": 3, "autocomplete": "street-address"},
    )


class ConfirmForm(PortalForm):
    """The last step; the key makes a double-submitted confirm book once."""

    idempotency_key = idempotency_key_field(MAX_IDEMPOTENCY_KEY)


def booking_code_field(
    label: LazyText, missing: LazyText, description: LazyText, css_class: str
) -> StringField:
    """A booking code as typed or heard: no autocomplete, capitals, no spelling."""
    return StringField(
        label,
        validators=[DataRequired(message=missing)],
        description=description,
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "class": css_class,
        },
    )


class CodeForm(PortalForm):
    code = booking_code_field(
        _l("Your booking code"),
        _l("Type your booking code."),
        # i18n: %(example)s is a made-up booking code, shown as it is.
        lazy_ngettext(
            "%(num)s letter or digit, for example %(example)s.",
            "%(num)s letters and digits, for example %(example)s.",
            CODE_LENGTH,
            example="K7QM-4XRT-9PLA-2VDH",
        ),
        "input-width-l booking-code-input",
    )
