"""The base form: WTForms' own messages in the reader's language.

WTForms ships no Danish catalogue and Flask-WTF only reads WTForms' own, so every
form inherits ``PortalForm``, whose translations come from our catalogue.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from flask import flash
from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField
from wtforms.form import BaseForm
from wtforms.validators import DataRequired, Length


def N_(message: str) -> str:  # noqa: N802 - the conventional name pybabel extracts
    """Mark a string for extraction without translating it here."""
    return message


# WTForms' built-in messages that our forms can show, so extraction finds them.
WTFORMS_MESSAGES = [
    N_("This field is required."),
    N_("Not a valid choice."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid datetime value."),
    N_("Invalid email address."),
    N_("Invalid input."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Field must be equal to %(other_name)s."),
    N_("The CSRF token is missing."),
    N_("The CSRF token is invalid."),
    N_("The CSRF session token is missing."),
]


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a message that WTForms looks up with ngettext (extracted as a plural)."""
    return singular, plural


WTFORMS_PLURAL_MESSAGES = [
    N_plural(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    N_plural(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
]


# Flask-WTF ships no type information (see pyproject.toml), so FlaskForm is Any.
class PortalForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        def get_translations(self, form: BaseForm) -> Any:
            """Flask-Babel's translations object (untyped, like FlaskForm)."""
            return get_translations()

        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            """Hidden inputs without an id: nothing points at them, and a page
            with two forms would otherwise hold the id ``csrf_token`` twice."""
            if field.type in ("CSRFTokenField", "HiddenField"):
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)  # type: ignore[misc]


def add_error(field: Field, message: str) -> None:
    """Show ``message`` under a field that passed its validators but broke a rule.

    After validation WTForms keeps a field's errors in a list; its stubs promise
    only a Sequence."""
    cast(list[str], field.errors).append(message)


def explain_refusal(form: BaseForm | None, field: str | None, message: str) -> None:
    """Say why a service refused a change: under the ``field`` it names, above
    the ``form`` when no field of it fits, or as a flash on a page without one."""
    if form is None:
        flash(message, "error")
    elif field is not None and field in form:
        add_error(form[field], message)
    else:
        form.form_errors.append(message)


_T = TypeVar("_T")


def validated(data: _T | None) -> _T:
    """A required field's data after ``validate_on_submit``: never None then,
    though WTForms' stubs allow it for a form not yet validated."""
    if data is None:
        raise ValueError("a required field is empty: was the form validated?")
    return data


class EmptyForm(PortalForm):
    """A button that changes something: only the CSRF token is needed."""


def idempotency_key_field(max_length: int) -> HiddenField:
    """The key a confirm form carries, so a double submit acts once; at most as
    long as the column that keeps it."""
    return HiddenField(validators=[DataRequired(), Length(max=max_length)])
