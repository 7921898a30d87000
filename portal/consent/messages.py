"""Words for the consents' error codes (``RecordError.code``); the families'
own codes fall through to ``families.messages``."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.families.messages import error_message as family_message


def error_message(code: str) -> str:
    messages: dict[str, str] = {
        "not_asked": _("You are not asked about this. Only the ones asked can answer."),
        "already_answered": _("You have already answered."),
        "already_active": _("Everyone has already said yes."),
        "already_declined": _("Someone has said no. The question is closed."),
        "already_withdrawn": _("The yes has been taken back. The question is closed."),
        "already_expired": _("The time is up. The question is closed."),
        "already_cancelled": _("We have cancelled the question."),
        "nothing_to_withdraw": _(
            "You have not said yes, so there is nothing to take back."
        ),
        "comment_too_long": _("Write at most 1000 characters."),
        "not_pending": _(
            "Only a question nobody has finished answering can be cancelled."
        ),
        "item_not_in_use": _("Choose from the list in use."),
        "item_name_required": _("Write a name."),
        "item_exists": _("That name is already on the list."),
        "information_required": _("Choose or write which information."),
        "purpose_required": _("Write the purpose."),
        "purpose_too_long": _("Write at most 2000 characters."),
        "detail_too_long": _("Write at most 300 characters."),
        "start_in_past": _("The first day cannot be before today."),
        "end_before_start": _("The last day cannot be before the first day."),
        "period_too_long": _("The period can be at most 12 months."),
        "no_one_to_ask": _("The child has no custody holder in the family to ask."),
        "what_required": _("Write what was shared."),
        "what_too_long": _("Write at most 2000 characters."),
        "shared_in_future": _("The day cannot be after today."),
        "consent_required": _("Choose a consent of this family."),
        "consent_pending": _(
            "Not everyone asked has said yes. Nothing may be shared yet."
        ),
        "consent_declined": _(
            "The family said no. Nothing may be shared on this consent."
        ),
        "consent_withdrawn": _(
            "The consent has been withdrawn. Nothing may be shared on it."
        ),
        "consent_expired": _("The consent has expired. Nothing may be shared on it."),
        "consent_cancelled": _(
            "The request was cancelled. Nothing may be shared on it."
        ),
        "recipient_outside": _("The consent does not cover that recipient."),
        "information_outside": _("The consent does not cover that information."),
        "statute_required": _("Choose the statutory basis from the list."),
        "justification_required": _("Write the justification."),
        "justification_too_long": _("Write at most 2000 characters."),
    }
    return messages[code] if code in messages else family_message(code)
