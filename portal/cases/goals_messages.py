"""Words for the goals' and interventions' error codes (``RecordError.code``);
the families' own codes fall through to ``families.messages``."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.cases.goals_progress import MAX_NOTE, MAX_WORDS
from portal.families.messages import error_message as family_message


def error_message(code: str) -> str:
    messages: dict[str, str] = {
        "score_range": _("Choose a number from 1 to 10."),
        "score_date_future": _("The date cannot be after today."),
        "score_date_too_early": _("Write a real date."),
        "note_too_long": _("Write at most %(count)s characters.", count=MAX_NOTE),
        "words_required": _("Write a few words."),
        "words_too_long": _("Write at most %(count)s characters.", count=MAX_WORDS),
        "end_before_start": _("The end date cannot be before the start date."),
        "goal_not_in_family": _("Choose among the family's own goals."),
        "type_retired": _("That type is no longer in use. Choose another."),
        "type_name_required": _("Write a name."),
        "type_exists": _("That type is already on the list."),
    }
    return messages[code] if code in messages else family_message(code)
