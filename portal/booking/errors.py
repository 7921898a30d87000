"""Small domain errors of anonymous booking.

Each carries a stable ``code`` that the views turn into a translated message;
no user-visible text lives here.
"""

from __future__ import annotations


class BookingError(Exception):
    code = "booking_error"

    def __init__(self, code: str | None = None, *, field: str | None = None):
        super().__init__(code or self.code)
        if code is not None:
            self.code = code
        self.field = field


class SlotTaken(BookingError):
    """The time is no longer free (someone else took it, or it never was)."""

    code = "slot_taken"


class HoldExpired(BookingError):
    """The held time is gone: never existed, already used, or released."""

    code = "hold_expired"


class CourseFull(BookingError):
    """The course already has five sessions that count."""

    code = "course_full"


class TooManyUpcoming(BookingError):
    """The course already has BOOKING_MAX_UPCOMING booked talks ahead."""

    code = "too_many_upcoming"


class TooLateToCancel(BookingError):
    """The session starts within BOOKING_CANCEL_CUTOFF_HOURS (or has started)."""

    code = "too_late"


class NotChangeable(BookingError):
    """Only booked sessions can be cancelled, moved or marked."""

    code = "not_changeable"


class InvalidBooking(BookingError):
    """Bad input; ``field`` says which form field, ``code`` what is wrong.

    Codes: ``unknown_mode``, ``unknown_language``, ``unknown_topic``,
    ``topic_text_too_long``, ``address_required``, ``address_too_long``,
    ``time_past``, ``time_out_of_range``, ``invalid_email``, ``invalid_phone``,
    ``reminders_need_email``, ``call_phone_required``.
    """

    code = "invalid"


class TooManyHolds(BookingError):
    """This client holds BOOKING_ACTIVE_HOLDS times already, or chose times too
    often this hour (see ``portal.booking.anti_automation``)."""

    code = "too_many_holds"


class BookingBusy(BookingError):
    """Already BOOKING_MAX_HELD_SHARE of the week's free times are held."""

    code = "booking_busy"


class TooManyCourses(BookingError):
    """This client made BOOKING_COURSES_PER_DAY new courses today."""

    code = "too_many_courses"
