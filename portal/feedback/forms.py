"""The rating form: four sliders from 0 to 10 and optional words (labels via _l)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerRangeField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from portal.feedback.models import MAX_COMMENT, MAX_SCORE, MIN_SCORE
from portal.forms import PortalForm

#: Where a slider starts: the middle, shown as a number beside it.
START = 5


def _slider(label: str) -> IntegerRangeField:
    return IntegerRangeField(
        label,
        validators=[InputRequired(), NumberRange(MIN_SCORE, MAX_SCORE)],
        default=START,
        render_kw={"min": MIN_SCORE, "max": MAX_SCORE, "step": 1},
    )


class RatingForm(PortalForm):
    heard = _slider(_l("I felt heard and respected"))
    focus = _slider(_l("We talked about what mattered to us"))
    method = _slider(_l("The way we worked suited us"))
    overall = _slider(_l("Overall, the talk was good"))
    comment = TextAreaField(
        _l("Anything else you want to tell us"),
        validators=[Length(max=MAX_COMMENT)],
        description=_l("You can leave this empty."),
        render_kw={"rows": 4, "maxlength": MAX_COMMENT},
    )

    def sliders(self) -> list[IntegerRangeField]:
        return [self.heard, self.focus, self.method, self.overall]

    def scores(self) -> dict[str, int | None]:
        return {field.name: field.data for field in self.sliders()}
