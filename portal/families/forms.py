"""Forms for family records (staff) and for the family's own page; the forms for
the people in a family are ``people_forms``. The rules themselves are in the
services (``records``, ``members``, ``assignment``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SearchField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import PortalForm


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
