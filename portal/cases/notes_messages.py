"""Words for the notes' refusal codes (``RecordError.code``), and which are a
conflict with the note's state (409) rather than a form to fix (400)."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.families.messages import error_message as family_error_message

#: A published note cannot be edited or deleted, an answer not given twice.
CONFLICTS = {"note_published", "note_draft", "request_answered"}


def error_message(code: str) -> str:
    messages: dict[str, str] = {
        "note_published": _(
            "The note is published and cannot be changed. Write a correction."
        ),
        "note_draft": _("The note is a draft: change it instead."),
        "not_your_draft": _("Only the author can change a draft."),
        "session_not_in_family": _("Choose one of the family's sessions."),
        "no_change": _("The text is the same as now. Change it to correct the note."),
        "request_answered": _("The request has already been answered."),
        "reason_or_correction": _(
            "Change the note's text or write why it stays as it is."
        ),
        "note_not_found": _("The note cannot be found."),
    }
    return messages.get(code) or family_error_message(code)
