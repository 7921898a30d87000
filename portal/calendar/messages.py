"""Staff words for the rules' error codes (a session's title and status: ``words``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.availability.services import MAX_LOCATION, MAX_REASON
from portal.booking.contact_checks import MAX_ADDRESS
from portal.calendar.services import MAX_NOTE

if TYPE_CHECKING:
    pass


def error_message(code: str) -> str:
    messages: dict[str, str] = {
        # booking rules
        "slot_taken": _("That time is no longer free. Choose another time."),
        "hold_expired": _("That time is no longer free. Choose another time."),
        "course_full": _("The course has used all five talks."),
        "too_late": _(
            "The talk starts within two hours and cannot be moved. "
            "Cancel it instead, and call the family if you can."
        ),
        "not_changeable": _("This talk can no longer be changed."),
        "unknown_mode": _("Choose a way of talking."),
        "unknown_language": _("Choose a language."),
        "address_required": _("Write the address for the home visit."),
        "address_too_long": ngettext(
            "The address can be at most %(num)s character.",
            "The address can be at most %(num)s characters.",
            MAX_ADDRESS,
        ),
        "time_past": _("That time has passed. Choose another time."),
        "time_out_of_range": _("That time cannot be booked. Choose one on the list."),
        "invalid_email": _("Write a valid e-mail, for example navn@eksempel.dk."),
        "invalid_phone": ngettext(
            "Write a Danish phone number with %(num)s digit.",
            "Write a Danish phone number with %(num)s digits.",
            8,
        ),
        "reminders_need_email": _(
            "Write the parent's e-mail if they want a reminder. "
            "Reminders are sent by e-mail only."
        ),
        "call_phone_required": _(
            "Write the phone number we should call the parent on for the phone talk."
        ),
        # calendar rules
        "not_started": _("You can mark the talk when it has begun."),
        "note_too_long": ngettext(
            "The note can be at most %(num)s character.",
            "The note can be at most %(num)s characters.",
            MAX_NOTE,
        ),
        "reason_required": _("Write why the talk is cancelled."),
        "no_course": _("The course has been deleted, so there is nothing to write."),
        "no_participants": _("Choose who takes part."),
        "not_assigned": _("The counsellor is not assigned to the family."),
        # availability rules
        "span_order": _("The time must end after it starts."),
        "span_overlap": _("The time overlaps another time on the same weekday."),
        "no_modes": _("Choose at least one way of talking."),
        "location_too_long": ngettext(
            "The place can be at most %(num)s character.",
            "The place can be at most %(num)s characters.",
            MAX_LOCATION,
        ),
        "absence_order": _("The absence must end after it starts."),
        "absence_too_long": _("An absence can be at most one year."),
        "absence_repeated": _("You have already saved this absence."),
        "reason_too_long": ngettext(
            "The reason can be at most %(num)s character.",
            "The reason can be at most %(num)s characters.",
            MAX_REASON,
        ),
        "no_languages": _("Choose at least one language."),
        "out_of_range": _("The number is outside the allowed range."),
        "not_found": _("It no longer exists."),
    }
    fallback: str = _("Something went wrong. Try again.")
    return messages.get(code, fallback)
