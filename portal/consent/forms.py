"""Forms for consents: the counsellor's request and disclosure, the family's
answer, the leader's list entry. The rules are in the service modules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.consent.disclosure_models import (
    Channel,
)
from portal.consent.models import (
    ListKind,
)
from portal.forms import PortalForm


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RequestForm(PortalForm):
    child = SelectField(_l("Which child"), validators=[DataRequired()], choices=[])
    recipient = SelectField(_l("Recipient"), validators=[DataRequired()], choices=[])
    recipient_detail = StringField(
        _l("Name or role at the recipient (optional)"),
        validators=[Optional(), Length(max=300)],
    )
    information = Checkboxes(_l("Which information"), choices=[])
    information_detail = StringField(
        _l("Other information (optional)"), validators=[Optional(), Length(max=300)]
    )
    purpose = TextAreaField(
        _l("Purpose, in plain words"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("The family reads this. Write why you want to share."),
    )
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(
        _l("Last day"),
        validators=[DataRequired()],
        description=_l("At most 12 months after the first day."),
    )


class AnswerForm(PortalForm):
    comment = TextAreaField(
        _l("Comment (you may leave it empty)"),
        validators=[Optional(), Length(max=1000)],
    )


CHANNELS = [
    SelectChoice(Channel.PHONE.value, _l("Phone")),
    SelectChoice(Channel.LETTER.value, _l("Letter")),
    SelectChoice(Channel.MEETING.value, _l("Meeting")),
    SelectChoice(Channel.SECURE_EMAIL.value, _l("Secure e-mail")),
]


class DisclosureForm(PortalForm):
    recipient = SelectField(_l("Recipient"), validators=[DataRequired()], choices=[])
    information = Checkboxes(_l("Which information"), choices=[])
    what = TextAreaField(
        _l("What was shared"), validators=[DataRequired(), Length(max=2000)]
    )
    shared_on = DateField(_l("Day it was shared"), validators=[DataRequired()])
    channel = RadioField(_l("How"), choices=CHANNELS, validators=[DataRequired()])


class StatutoryDisclosureForm(DisclosureForm):
    statute = SelectField(
        _l("Statutory basis"), validators=[DataRequired()], choices=[]
    )
    justification = TextAreaField(
        _l("Justification"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Why the law allows sharing without consent here."),
    )


class ItemForm(PortalForm):
    kind = RadioField(
        _l("Which list"),
        choices=[
            SelectChoice(ListKind.RECIPIENT.value, _l("Recipients")),
            SelectChoice(ListKind.INFORMATION.value, _l("Information")),
            SelectChoice(ListKind.STATUTE.value, _l("Statutory bases")),
        ],
        validators=[DataRequired()],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
