"""The feedback forms: sliders from 0 to 10 and optional words (labels via _l)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerRangeField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from portal.feedback.family_models import WELLBEING_ITEMS
from portal.feedback.models import ITEMS, MAX_COMMENT, MAX_SCORE, MIN_SCORE
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


def _words(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Length(max=MAX_COMMENT)],
        description=description,
        render_kw={"rows": 4, "maxlength": MAX_COMMENT},
    )


class SliderForm(PortalForm):
    """A form whose ``SLIDERS`` are 0-10 items, in the order it asks them."""

    SLIDERS: tuple[str, ...] = ()

    def sliders(self) -> list[IntegerRangeField]:
        return [self[name] for name in self.SLIDERS]

    def scores(self) -> dict[str, int | None]:
        return {field.name: field.data for field in self.sliders()}


class RatingForm(SliderForm):
    SLIDERS = ITEMS

    heard = _slider(_l("I felt heard and respected"))
    focus = _slider(_l("We talked about what mattered to us"))
    method = _slider(_l("The way we worked suited us"))
    overall = _slider(_l("Overall, the talk was good"))
    comment = _words(
        _l("Anything else you want to tell us"),
        description=_l("You can leave this empty."),
    )


class WellbeingForm(SliderForm):
    """How things are going: four sliders, no words."""

    SLIDERS = WELLBEING_ITEMS

    own = _slider(_l("How I am doing myself"))
    together = _slider(_l("How we are doing as a family"))
    daily = _slider(_l("School, work or friends"))
    overall = _slider(_l("All in all"))


class ReviewForm(SliderForm):
    """An intervention that ended: did it make a difference, and two questions."""

    SLIDERS = ("difference",)

    difference = _slider(_l("Did the help make a difference in your life?"))
    helped = _words(_l("What helped?"))
    change = _words(_l("What should we do in another way?"))
