from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import (
    EmailField,
    PasswordField,
    StringField,
)

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.validators import DataRequired, EqualTo, Length

from portal.accounts.password_rules import MIN_PASSWORD_LENGTH
from portal.forms import PortalForm


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
