"""After "Slet alt": the calendar keeps each future talk as a cancelled slot with
nothing that ties the deleted course's sessions together, the purge removes
those slots once their time has passed, and the parent is told what is kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, select

from portal.booking import privacy
from portal.booking.models import COURSE_DELETED, CounsellingSession, SessionStatus
from tests.booking.test_purge import fresh_session, run_purge  # noqa: F401
from tests.booking.test_views import counsellor, parent  # noqa: F401 (fixtures)
from tests.factories import NOW, local

WED_9 = local(2026, 3, 25, 9)
THU_9 = local(2026, 3, 26, 9)
#: What every cancelled slot has alike, whichever course it came from.
SHARED_BY_ALL = {
    "status",
    "cancelled_by",
    "cancel_reason",
    "no_show_waived",
    "mode",
    "counsellor_id",
    "working_note",  # empty
    "revision",  # 1 for a talk never moved: what a calendar feed needs
}


def two_deleted_slots(db_session, make_course, book_next):
    course = make_course(WED_9, now=NOW).course
    book_next(course, THU_9, now=NOW + timedelta(hours=1))
    privacy.erase_course(db_session, course, now=NOW + timedelta(days=1))
    db_session.commit()
    return db_session.scalars(
        select(CounsellingSession).order_by(CounsellingSession.starts_at)
    ).all()


def test_the_slots_left_share_no_stamp(
    db_session, make_counsellor, make_course, book_next
):
    make_counsellor()
    first, second = two_deleted_slots(db_session, make_course, book_next)
    for slot in (first, second):
        assert slot.status == SessionStatus.CANCELLED
        assert slot.cancel_reason == COURSE_DELETED
        assert slot.course_id is None and slot.idempotency_key is None
    for column in inspect(CounsellingSession).columns:
        name = column.key
        if name in SHARED_BY_ALL:
            continue
        one, other = getattr(first, name), getattr(second, name)
        if one is not None or other is not None:
            assert one != other, f"both slots have {name} = {one!r}"
    assert first.cancelled_at is None and first.changed_at is None


def test_the_purge_removes_each_slot_once_its_time_has_passed(
    app,
    db_session,
    fresh_session,  # noqa: F811 (fixture)
    make_counsellor,
    make_course,
    book_next,
):
    make_counsellor()
    first, second = two_deleted_slots(db_session, make_course, book_next)
    first_id, second_id = first.id, second.id
    output = run_purge(app, WED_9 + timedelta(hours=2))
    assert "1 past slot(s) of deleted courses" in output
    check = fresh_session()
    assert check.scalars(select(CounsellingSession.id)).all() == [second_id]
    assert check.get(CounsellingSession, first_id) is None
    run_purge(app, THU_9 + timedelta(hours=2))
    check.expire_all()
    assert check.scalars(select(CounsellingSession.id)).all() == []


def test_the_delete_page_says_what_is_kept_and_why(
    parent,  # noqa: F811 (fixture)
    counsellor,  # noqa: F811 (fixture)
):
    parent.book(local(2026, 3, 25, 10))
    page = parent.get("/min-booking/slet").get_data(as_text=True)
    assert "Det gemmer vi, og derfor" in page
    assert "Vi sletter den, når tiden er gået" in page
    assert "Intet kobler dem til dig eller til hinanden" in page
