"""Forms for family records (staff) and for the family's own page; the rules
themselves are in the services (``records``, ``members``, ``assignment``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SearchField,
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


class FamilySearchForm(PortalForm):
    """The GET form above the family list."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search by the family's name"),
        validators=[Optional(), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )


class FamilyForm(PortalForm):
    display_name = StringField(
        _l("The family's name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("For example Familien Jensen. The family sees it."),
        render_kw={"autocomplete": "off"},
    )


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


class AssignForm(PortalForm):
    counsellor = SelectField(_l("Counsellor"), validators=[DataRequired()], choices=[])
    primary = BooleanField(_l("Primary contact for the family"))


class CounsellorActionForm(PortalForm):
    """A button next to an assigned counsellor (make primary, remove)."""

    counsellor = HiddenField(validators=[DataRequired(), Length(max=32)])


class EmailChoicesForm(PortalForm):
    """The family's own page: which e-mails the member wants from us."""

    wants_reminders = BooleanField(_l("Send me an e-mail the day before a talk"))
    wants_news = BooleanField(_l("Send me an e-mail when there is news on my page"))
