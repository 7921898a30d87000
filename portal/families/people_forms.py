"""Forms for the people in a family record (staff): a child, an adult member, a
young person with their own log-in, and removing one with a reason the family's
history keeps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import PortalForm

MAX_REASON = 500


class ChildForm(PortalForm):
    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    birth_date = DateField(_l("Birth date"), validators=[DataRequired()])


class _ContactFields(PortalForm):
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Length(max=254)],
        description=_l("Needed for an invitation to log in."),
        render_kw={"autocomplete": "off"},
    )
    phone = TelField(
        _l("Phone number"),
        validators=[Optional(), Length(max=20)],
        render_kw={"autocomplete": "off", "inputmode": "tel", "class": "input-width-s"},
    )


class MemberForm(_ContactFields):
    """An adult member; the custody choices are the family's current children."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    custody = SelectMultipleField(
        _l("Holds custody of"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class YoungPersonForm(_ContactFields):
    """One of the family's children aged 15 or more becomes a member."""

    child = SelectField(_l("Child"), validators=[DataRequired()], choices=[])


class RemoveForm(PortalForm):
    reason = TextAreaField(
        _l("Why"),
        validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("Kept in the family's history."),
        render_kw={"rows": 3},
    )
