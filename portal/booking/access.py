"""Min booking's access: which course this browser opened with its booking code.

After a successful look-up the course is remembered in the session for 30
minutes without use; "Luk Min booking" forgets it, and bumping the course's
access version (``course_lookup.close_access``) makes any copy of that cookie useless
as well.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, flash, redirect, session, url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select

from portal import db
from portal.booking import draft
from portal.booking.models import CounsellingSession, Course

MY_BOOKING_KEY = "my_booking"
IDLE_LIMIT = timedelta(minutes=30)
NEXT_DRAFT = "next_session_draft"
MOVE_DRAFT = "move_session_draft"


def remember_course(course: Course) -> None:
    session[MY_BOOKING_KEY] = {
        "course": course.public_id,
        "version": course.access_version,
        "seen": int(datetime.now(UTC).timestamp()),
    }


def forget_course() -> None:
    session.pop(MY_BOOKING_KEY, None)
    draft.clear(NEXT_DRAFT)
    draft.clear(MOVE_DRAFT)


def current_course() -> Course | None:
    """The remembered course, if used within 30 minutes and not closed since."""
    remembered = session.get(MY_BOOKING_KEY)
    if not remembered:
        return None
    seen = datetime.fromtimestamp(remembered.get("seen", 0), UTC)
    if datetime.now(UTC) - seen > IDLE_LIMIT:
        forget_course()
        return None
    course = db.session().scalar(
        select(Course).where(Course.public_id == remembered.get("course"))
    )
    if course is None or course.access_version != remembered.get("version"):
        forget_course()
        return None
    remembered["seen"] = int(datetime.now(UTC).timestamp())
    session[MY_BOOKING_KEY] = remembered
    return course


def course_or_code_page() -> Course:
    course = current_course()
    if course is None:
        flash(_("Type your booking code to see your booking."), "info")
        abort(redirect(url_for("booking.my_booking")))
    return course


def own_session(course: Course, public_id: str) -> CounsellingSession:
    """A session of this course, or 404: never another course's session."""
    return session_or_404(public_id, CounsellingSession.course_id == course.id)


def session_or_404(public_id: str, owned: ColumnElement[bool]) -> CounsellingSession:
    """The session ``public_id`` if it is ``owned`` (by the course or the family
    the caller has opened), else 404: never another owner's session."""
    found = db.session().scalar(
        select(CounsellingSession).where(
            CounsellingSession.public_id == public_id, owned
        )
    )
    if found is None:
        abort(404)
    return found
