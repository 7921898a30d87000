"""Forms for goals: the counsellor's goal, a progress score (staff and family)
and the family's own words. The rules themselves are in ``cases.goals``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from portal.cases.goals_models import Agreement, GoalStatus
from portal.cases.goals_progress import HIGHEST, LOWEST, MAX_NOTE, MAX_WORDS
from portal.forms import PortalForm

MAX_TEXT = 4000


def _text(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        description=description,
        render_kw={"rows": 3},
    )


class GoalForm(PortalForm):
    """The counsellor writes the goal in plain language: the family reads it."""

    child = SelectField(_l("Who the goal is about"), choices=[])
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    change = _text(_l("What should change"))
    why = _text(_l("Why"), _l("Your assessment, in words the family understands."))
    how_we_know = _text(_l("How we will know"))
    target_date = DateField(_l("Target date"), validators=[DataRequired()])


class GoalEditForm(GoalForm):
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(GoalStatus.ACTIVE.value, _l("Active")),
            SelectChoice(GoalStatus.ACHIEVED.value, _l("Achieved")),
            SelectChoice(GoalStatus.STOPPED.value, _l("Stopped")),
        ],
    )
    status_reason = TextAreaField(
        _l("Why the goal is stopped"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l("Needed when the goal is stopped. The family sees it."),
        render_kw={"rows": 3},
    )


class ScoreForm(PortalForm):
    score = IntegerField(
        _l("Score from 1 to 10"),
        validators=[InputRequired(), NumberRange(min=LOWEST, max=HIGHEST)],
        description=_l("1 is the worst. 10 is the best."),
        render_kw={"min": LOWEST, "max": HIGHEST, "class": "input-width-xs"},
    )
    scored_on = DateField(_l("Date"), validators=[DataRequired()])
    note = TextAreaField(
        _l("Short note"),
        validators=[Optional(), Length(max=MAX_NOTE)],
        render_kw={"rows": 3},
    )


class StatementForm(PortalForm):
    """The family's own words about a goal (family-facing: plain words)."""

    agreement = RadioField(
        _l("Do you agree with the goal?"),
        choices=[
            SelectChoice(Agreement.AGREE.value, _l("Yes, we agree")),
            SelectChoice(Agreement.PARTLY.value, _l("We agree in part")),
            SelectChoice(Agreement.DISAGREE.value, _l("No, we do not agree")),
        ],
        validators=[InputRequired()],
    )
    words = TextAreaField(
        _l("Your own words"),
        validators=[DataRequired(), Length(max=MAX_WORDS)],
        description=_l("What do you think of the goal?"),
        render_kw={"rows": 5},
    )
