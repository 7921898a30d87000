"""The feedback rules' refusals: stable codes, put into words only at the edge
(``message``), so services stay free of request state."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.feedback.models import MAX_COMMENT, MAX_SCORE, MIN_SCORE


class FeedbackError(Exception):
    """A rating that cannot be stored; nothing was stored."""

    def __init__(self, code: str, *, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field


def message(error: FeedbackError) -> str:
    """The family's words for ``error``."""
    messages: dict[str, str] = {
        "already_rated": _("You have already told us about this talk. Thank you."),
        "not_held": _("You can tell us about a talk when it has taken place."),
        "already_answered": _("You have already answered this. Thank you."),
        "not_ended": _("You can tell us about the help when it has ended."),
        "score_out_of_range": _(
            "Choose a number from %(low)s to %(high)s.", low=MIN_SCORE, high=MAX_SCORE
        ),
        "comment_too_long": ngettext(
            "Write at most %(num)s character.",
            "Write at most %(num)s characters.",
            MAX_COMMENT,
        ),
    }
    found: str = messages.get(error.code) or _("Something went wrong. Try again.")
    return found
