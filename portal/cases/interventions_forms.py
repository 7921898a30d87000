"""Forms for interventions and the leader's list of types; the rules are in
``cases.interventions`` and ``cases.interventions_types``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.cases.interventions_models import InterventionStatus
from portal.forms import PortalForm


class InterventionForm(PortalForm):
    type = SelectField(_l("Type"), validators=[DataRequired()], choices=[])
    provider = StringField(
        _l("Who gives it"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("For example a person, a team or a place."),
        render_kw={"autocomplete": "off"},
    )
    starts_on = DateField(_l("Start date"), validators=[DataRequired()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(InterventionStatus.PLANNED.value, _l("Planned")),
            SelectChoice(InterventionStatus.ACTIVE.value, _l("Active")),
            SelectChoice(InterventionStatus.ENDED.value, _l("Ended")),
        ],
    )
    goals = SelectMultipleField(
        _l("Goals it helps with"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    description = TextAreaField(
        _l("What the help is"),
        validators=[DataRequired(), Length(max=4000)],
        description=_l("In words the family understands."),
        render_kw={"rows": 4},
    )


class TypeForm(PortalForm):
    name = StringField(
        _l("Name of the type"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
