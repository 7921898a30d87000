"""Counsellors' availability: weekly spans, absences and booking settings.

Below booking: the free-time search and every booking service read ``models``
and ``settings`` (with the booking lock). A change that would drop booked talks
is decided above booking, in ``portal.calendar.availability_changes``, and the
screens are the calendar's (``portal.calendar.availability_views`` and its
neighbours), under the calendar's URLs.
"""
