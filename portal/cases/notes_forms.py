"""Forms for notes: the counsellor's draft and correction, the answer to a
correction request, and the family's response and request. The rules are in the
services (``notes``, ``notes_published``, ``corrections``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Length, Optional

from portal.cases.notes_models import NoteKind
from portal.forms import PortalForm

MAX_BODY = 20_000
MAX_REPLY = 5_000

KIND_LABELS = {
    NoteKind.CONVERSATION: _l("conversation note"),
    NoteKind.ASSESSMENT: _l("assessment"),
    NoteKind.DECISION: _l("decision"),
    NoteKind.PLAN: _l("plan"),
}
SYNTAX_HINT = _l(
    "The family reads the note. A blank line starts a new paragraph. Start a line"
    " with - for a list or 1. for a numbered list. Write **bold**, *italic* and"
    " [text](https://...) for a link."
)


def _body(label: str, description: str = "", rows: int = 12) -> TextAreaField:
    """A required text of a note (labels are lazy strings, typed as str)."""
    return TextAreaField(
        label,
        validators=[DataRequired(), Length(max=MAX_BODY)],
        description=description,
        render_kw={"rows": rows},
    )


class NoteForm(PortalForm):
    kind = SelectField(
        _l("Kind of note"),
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired()],
    )
    # The family's sessions, filled by the view; "" is no session.
    session = SelectField(_l("About the session"), choices=[], validators=[Optional()])
    body = _body(_l("Text"), SYNTAX_HINT)


class CorrectForm(PortalForm):
    body = _body(_l("Corrected text"), SYNTAX_HINT)


class AnswerForm(PortalForm):
    body = _body(
        _l("The note's text"),
        _l("Change the text to correct the note. The old version stays visible."),
    )
    reason = TextAreaField(
        _l("Your answer to the family"),
        validators=[Optional(), Length(max=MAX_REPLY)],
        description=_l("Needed when you do not change the text: say why."),
        render_kw={"rows": 4},
    )


class ResponseForm(PortalForm):
    body = TextAreaField(
        _l("Your answer"),
        validators=[DataRequired(), Length(max=MAX_REPLY)],
        description=_l("Your answer is saved with the note. You cannot change it."),
        render_kw={"rows": 6},
    )


class CorrectionRequestForm(PortalForm):
    body = TextAreaField(
        _l("What is wrong?"),
        validators=[DataRequired(), Length(max=MAX_REPLY)],
        description=_l("Tell us what is wrong and what is right."),
        render_kw={"rows": 6},
    )
