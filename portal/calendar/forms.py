"""Forms of the calendar (labels and messages with _l)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    RadioField,
    StringField,
    TextAreaField,
)

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.calendar.services import MAX_CANCEL_REASON, MAX_NOTE
from portal.forms import PortalForm
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
