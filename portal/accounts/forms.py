from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import (
    DateField,
    EmailField,
    Field,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    ValidationError,
)

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.form import BaseForm
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from portal.accounts.models import Role
from portal.accounts.password_rules import MIN_PASSWORD_LENGTH
from portal.forms import PortalForm

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


class LoginForm(PortalForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class TotpForm(PortalForm):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(max=12)],
        description=lazy_ngettext(
            "%(num)s digit, for example %(example)s.",
            "%(num)s digits, for example %(example)s.",
            6,
            example="123456",
        ),
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "class": "input-width-xs",
        },
    )


class NewPasswordForm(PortalForm):
    """Choosing a password: from an invitation, or (below) changing one."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=lazy_ngettext(
            "At least %(num)s character. A sentence you can remember is good. "
            "Avoid well-known passwords.",
            "At least %(num)s characters. A sentence you can remember is good. "
            "Avoid well-known passwords.",
            MIN_PASSWORD_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    repeat_password = PasswordField(
        _l("Repeat new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


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
