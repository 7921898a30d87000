"""Counsellors' availability: weekly spans, absences and booking settings.

Below booking: ``models`` and ``settings`` (with the booking lock) are what the
free-time search and every booking service read. Changing availability may
cancel booked sessions, so ``services`` uses booking's services in turn. The
screens belong to the counsellor's calendar: ``views`` registers them on the
calendar's blueprint (``portal.calendar`` imports it), under the calendar's URLs.
"""
