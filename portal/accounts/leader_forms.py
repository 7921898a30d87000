"""The leader's forms: a staff account, and the security log's filter."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    Field,
    RadioField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.form import BaseForm
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.accounts.models import Role
from portal.forms import PortalForm

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


class StaffAccountForm(PortalForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "off"},
    )
    role = RadioField(
        _l("Role"),
        choices=[
            SelectChoice(Role.COUNSELLOR.value, _l("Counsellor (family guide)")),
            SelectChoice(Role.LEADER.value, _l("Leader")),
        ],
        default=Role.COUNSELLOR.value,
        validators=[DataRequired()],
    )


def _reasonable_day(_form: BaseForm, field: Field) -> None:
    if field.data is not None and not EARLIEST_DAY <= field.data <= LATEST_DAY:
        raise ValidationError(
            _l(
                "Choose a date between the years %(first)s and %(last)s.",
                first=EARLIEST_DAY.year,
                last=LATEST_DAY.year,
            )
        )


class SecurityLogForm(PortalForm):
    """The GET form above the security log: which events, whose, which days."""

    class Meta:
        csrf = False

    type = SelectField(_l("Event"), validators=[Optional()])
    email = EmailField(
        _l("The account's e-mail"),
        validators=[Optional(), Length(max=254)],
        render_kw={"autocomplete": "off"},
    )
    first_day = DateField(_l("From (date)"), validators=[Optional(), _reasonable_day])
    last_day = DateField(_l("To (date)"), validators=[Optional(), _reasonable_day])
