"""The parent's words for the booking rules' error codes."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.booking.contact_checks import MAX_ADDRESS
from portal.booking.courses import MAX_TOPIC_TEXT
from portal.booking.errors import BookingError


def spread_sentence() -> str:
    """Spreading the five, in one sentence (Min booking and "book the next")."""
    sentence: str = _(
        "You can have %(num)s talks booked at a time, so book the next one "
        "after your next talk.",
        num=current_app.config["BOOKING_MAX_UPCOMING"],
    )
    return sentence


def error_message(error: BookingError) -> str:
    phone = current_app.config["MUNICIPALITY_PHONE"].replace(" ", "\u00a0")
    messages: dict[str, str] = {
        "slot_taken": _("Sorry, someone else has just taken that time."),
        "hold_expired": _(
            "We could not keep the time any longer. Choose a time again."
        ),
        "course_full": _("You have used all five talks."),
        "too_many_upcoming": spread_sentence(),
        "too_late": _("It is too late to change this talk online. Call us instead."),
        "not_changeable": _("This talk can no longer be changed."),
        "unknown_mode": _("Choose how you would like to talk."),
        "unknown_language": _("Choose a language."),
        "unknown_topic": _("Choose one of the topics."),
        "topic_text_too_long": ngettext(
            "Write at most %(num)s character.",
            "Write at most %(num)s characters.",
            MAX_TOPIC_TEXT,
        ),
        "address_required": _("Write the address where we should visit you."),
        "address_too_long": ngettext(
            "The address can be at most %(num)s character.",
            "The address can be at most %(num)s characters.",
            MAX_ADDRESS,
        ),
        "time_past": _("That time has passed. Choose another time."),
        "time_out_of_range": _("You cannot book that time. Choose a time on the list."),
        "invalid_email": _("Write a valid e-mail, for example navn@eksempel.dk."),
        "invalid_phone": ngettext(
            "Write a Danish phone number with %(num)s digit.",
            "Write a Danish phone number with %(num)s digits.",
            8,
        ),
        "reminders_need_email": _("Write your e-mail if you want a reminder."),
        "call_phone_required": _("Write the phone number we should call you on."),
        # i18n: shown to a parent who held many times at once; stay calm and warm.
        "too_many_holds": _(
            "You have chosen many times in a short while. Finish the booking you "
            "have started, or call us on %(phone)s and we will help you.",
            phone=phone,
        ),
        "booking_busy": _(
            "Many people are booking right now, so we cannot keep more times "
            "this week. Try again in a little while, or call us on %(phone)s.",
            phone=phone,
        ),
        "too_many_courses": _(
            "You cannot book more new courses online today. Call us on "
            "%(phone)s and we will help you.",
            phone=phone,
        ),
    }
    fallback: str = _("Something went wrong. Try again.")
    return messages.get(error.code, fallback)
