"""Forms for booking on behalf of a parent: a new course (with the parent's
contact details), and the next session of a code the parent reads aloud.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import (
    BooleanField,
    EmailField,
    TelField,
)
from wtforms.validators import Length, Optional

from portal.booking.codes import CODE_LENGTH
from portal.booking.courses import MAX_IDEMPOTENCY_KEY
from portal.booking.forms import booking_code_field
from portal.calendar.booking_forms import TimeChoiceForm
from portal.forms import PortalForm, idempotency_key_field


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


class CodeForm(PortalForm):
    code = booking_code_field(
        _l("The booking code the parent reads aloud"),
        _l("Write the booking code."),
        lazy_ngettext(
            "%(num)s letter or digit. We do not show it again.",
            "%(num)s letters and digits. We do not show it again.",
            CODE_LENGTH,
        ),
        "input-width-l",
    )
