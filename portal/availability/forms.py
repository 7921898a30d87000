"""Forms of the availability screens: a weekly span and cancelling conflicts (the
absence and settings forms are beside this one); labels and messages with _l."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TimeField

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.availability.models import LANGUAGES, Mode
from portal.availability.services import MAX_LOCATION, MAX_REASON
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
