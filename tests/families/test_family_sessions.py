"""Sessions with a known family in the calendar: booking (service and page), no
overlap with anonymous sessions either way, move and cancel, the five-session
counter left alone, the week and list views, the feed's neutral label, and the
reminder for members who opted in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select, text

from portal.accounts.models import Role
from portal.booking.errors import InvalidBooking, SlotTaken
from portal.booking.models import CounsellingSession, Course, SessionStatus
from portal.calendar import services
from portal.calendar.family_sessions import FamilySessionError, book_family_session
from portal.calendar.feed import create_feed
from portal.calendar.reminders import queue_reminders
from portal.mail.models import MessageKind, OutboxMessage
from tests.calendar.conftest import t
from tests.conftest import csrf_token_from
from tests.factories import NOW, local
from tests.families.conftest import FAMILY

TUESDAY_10 = local(2026, 3, 24, 10)


@pytest.fixture
def book_family(db_session):
    """Book a family session through the service and commit it."""

    def make(counsellor, family, starts_at=TUESDAY_10, *, mode="centre", **kwargs):
        kwargs.setdefault("participants", [m.public_id for m in family.members])
        kwargs.setdefault("idempotency_key", f"key-{starts_at.isoformat()}-{mode}")
        session = book_family_session(
            db_session, counsellor, family, starts_at=starts_at, mode=mode, **kwargs
        )
        db_session.commit()
        return session

    return make


def fresh(db_session, session):
    db_session.expire_all()
    return db_session.get(CounsellingSession, session.id)


# --- booking --------------------------------------------------------------------------


def test_counsellor_books_a_family_session_with_the_chosen_members(
    db_session, counsellor, family, book_family
):
    mette = next(m for m in family.members if m.name == "Mette Sørensen")
    session = book_family(
        counsellor,
        family,
        participants=[mette.public_id],
        location="Familiehuset, lokale 2",
    )
    session = fresh(db_session, session)
    assert session.family_id == family.id and session.course_id is None
    assert session.counsellor_id == counsellor.id
    assert [m.name for m in session.participants] == ["Mette Sørensen"]
    assert session.location == "Familiehuset, lokale 2"
    assert session.ends_at - session.starts_at == timedelta(minutes=60)


def test_the_same_form_books_once(db_session, counsellor, family, book_family):
    first = book_family(counsellor, family, idempotency_key="same")
    again = book_family(counsellor, family, idempotency_key="same")
    assert again.id == first.id
    assert (
        db_session.scalar(
            select(CounsellingSession.id).where(CounsellingSession.id != first.id)
        )
        is None
    )


def test_a_home_visit_needs_an_address_and_keeps_it_encrypted(
    db_session, counsellor, family, book_family
):
    with pytest.raises(InvalidBooking) as refused:
        book_family(counsellor, family, mode="home")
    assert refused.value.code == "address_required"
    db_session.rollback()
    session = book_family(counsellor, family, mode="home", address="Skolevej 3")
    assert fresh(db_session, session).address == "Skolevej 3"
    stored = db_session.execute(
        text("SELECT address FROM counselling_sessions WHERE id = :id"),
        {"id": session.id},
    ).scalar_one()
    assert "Skolevej" not in stored


def test_someone_outside_the_family_cannot_take_part(
    db_session, counsellor, family, make_known_family, book_family
):
    other = make_known_family("Familien Anden", counsellor=counsellor)
    with pytest.raises(FamilySessionError) as refused:
        book_family(counsellor, family, participants=[other.members[0].public_id])
    assert refused.value.code == "no_participants"


def test_an_unassigned_counsellor_cannot_book(
    db_session, family, make_user, give_calendar, book_family
):
    stranger = give_calendar(make_user(Role.COUNSELLOR, name="Bo Berg"))
    with pytest.raises(FamilySessionError) as refused:
        book_family(stranger, family)
    assert refused.value.code == "not_assigned"


def test_a_family_session_refuses_an_anonymous_time_and_the_other_way(
    db_session, counsellor, family, book, book_family
):
    book(counsellor, TUESDAY_10)
    with pytest.raises(SlotTaken):
        book_family(counsellor, family, TUESDAY_10)
    db_session.rollback()
    with pytest.raises(SlotTaken):
        book_family(counsellor, family, TUESDAY_10 + timedelta(minutes=30))
    db_session.rollback()
    book_family(counsellor, family, local(2026, 3, 25, 10))
    with pytest.raises(SlotTaken):
        book(counsellor, local(2026, 3, 25, 10))


def test_the_database_refuses_an_overlap_the_re_check_missed(
    db_session, counsellor, family, book, book_family, monkeypatch
):
    """Without the free-time check, the unique index (and on PostgreSQL the
    exclusion constraint) still says no."""
    from portal.booking import holds

    made = book(counsellor, TUESDAY_10)
    monkeypatch.setattr(
        holds, "free_slots", lambda *a, **k: [_slot_like(counsellor, TUESDAY_10)]
    )
    with pytest.raises(SlotTaken):
        book_family(counsellor, family, TUESDAY_10)
    db_session.rollback()
    assert fresh(db_session, made.session).status == SessionStatus.BOOKED


def _slot_like(counsellor, starts_at):
    from portal.availability.models import Mode
    from portal.booking.slots import Slot

    return Slot(starts_at, starts_at + timedelta(hours=1), Mode.CENTRE, counsellor.id)


# --- move, cancel, outcome ------------------------------------------------------------


def test_moving_and_cancelling_bump_the_revision(
    db_session, counsellor, family, book_family, clock
):
    session = book_family(counsellor, family)
    services.move_by_counsellor(
        db_session, session, local(2026, 3, 25, 11), actor=counsellor
    )
    db_session.commit()
    assert fresh(db_session, session).revision == 1
    services.cancel_by_counsellor(db_session, session, "Syg", actor=counsellor)
    db_session.commit()
    session = fresh(db_session, session)
    assert session.revision == 2 and session.status == SessionStatus.CANCELLED
    assert list(db_session.scalars(select(OutboxMessage))) == []


def test_a_family_session_never_touches_the_five_session_counter(
    db_session, counsellor, family, book, book_family, clock
):
    course = book(counsellor, local(2026, 3, 24, 11)).course
    session = book_family(counsellor, family)
    clock.move_to(TUESDAY_10 + timedelta(minutes=30))
    for outcome in ("held", "no_show", "no_show_waived", "booked"):
        services.mark_outcome(db_session, session, outcome, actor=counsellor)
    services.cancel_by_counsellor(db_session, session, "Syg", actor=counsellor)
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(Course, course.id).sessions_counted == 1


def test_move_and_cancel_pages_work_for_a_family_session(
    client, auth, db_session, counsellor, family, book_family
):
    session = book_family(counsellor, family)
    auth.login(counsellor)
    url = f"/kalender/samtale/{session.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert FAMILY in page and "Mette Sørensen" in page
    assert t("Talks used") not in page
    moved = auth.post_form(f"{url}/flyt", {"time": local(2026, 3, 25, 11).isoformat()})
    assert moved.status_code == 302, moved.get_data(as_text=True)
    assert fresh(db_session, session).starts_at == local(2026, 3, 25, 11)
    cancelled = auth.post_form(f"{url}/aflys", {"reason": "Syg"})
    assert cancelled.status_code == 302
    assert fresh(db_session, session).status == SessionStatus.CANCELLED


# --- the booking page -----------------------------------------------------------------


def test_booking_page_books_and_shows_the_session(
    client, auth, db_session, counsellor, family
):
    auth.login(counsellor)
    url = f"/kalender/familiesamtale/{family.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert t("Book a family session") in page and "Jonas Sørensen" in page
    jonas = next(m for m in family.members if m.name == "Jonas Sørensen")
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "idempotency_key": _hidden(page, "idempotency_key"),
            "time": TUESDAY_10.isoformat(),
            "participants": [jonas.public_id],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    session = db_session.scalar(select(CounsellingSession))
    assert session.family_id == family.id
    assert [m.public_id for m in session.participants] == [jonas.public_id]


def test_booking_page_says_taken_when_the_time_went(
    client, auth, db_session, counsellor, family, book
):
    auth.login(counsellor)
    url = f"/kalender/familiesamtale/{family.public_id}"
    page = client.get(url).get_data(as_text=True)
    book(counsellor, TUESDAY_10)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "idempotency_key": _hidden(page, "idempotency_key"),
            "time": TUESDAY_10.isoformat(),
            "participants": [family.members[0].public_id],
        },
    )
    assert response.status_code == 409
    assert t("That time is no longer free. Choose another time.") in (
        response.get_data(as_text=True)
    )


def test_unassigned_counsellor_gets_404(
    client, auth, family, make_user, give_calendar, book_family, counsellor
):
    session = book_family(counsellor, family)
    stranger = give_calendar(make_user(Role.COUNSELLOR, name="Bo Berg"))
    auth.login(stranger)
    assert client.get(f"/kalender/familiesamtale/{family.public_id}").status_code == 404
    assert client.get(f"/kalender/samtale/{session.public_id}").status_code == 404


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page)
    assert match, f"no {name} in the page"
    return match.group(1)


# --- views and feed -------------------------------------------------------------------


@pytest.mark.parametrize("view", ["/kalender?dato=2026-03-24", "/kalender/liste"])
def test_week_and_list_show_the_family_by_name(
    client, auth, counsellor, family, book, book_family, view
):
    book(counsellor, local(2026, 3, 24, 12))
    session = book_family(counsellor, family)
    auth.login(counsellor)
    page = client.get(view).get_data(as_text=True)
    assert FAMILY in page and session.public_id in page
    assert t("Course %(name)s", name="") in page  # the anonymous one beside it


def test_feed_shows_family_session_as_familiesamtale_without_names(
    app, db_session, counsellor, family, book_family
):
    session = book_family(counsellor, family, mode="home", address="Skolevej 3")
    _feed, token = create_feed(db_session, counsellor)
    db_session.commit()
    raw = app.test_client().get(f"/kalender/feed/{token}.ics").get_data(as_text=True)
    events = {str(e["UID"]).split("@")[0]: e for e in Calendar.from_ical(raw).events}
    summary = str(events[session.public_id]["SUMMARY"])
    assert summary.startswith("Familiesamtale")
    flat = raw.replace("\r\n ", "")
    for secret in ("Sørensen", "S=C3=B8rensen", "Mette", "Skolevej"):
        assert secret not in flat


# --- reminders ------------------------------------------------------------------------


def test_reminder_goes_once_to_the_opted_in_participant_only(
    db_session, counsellor, family, book_family
):
    mette, jonas = sorted(family.members, key=lambda m: m.name, reverse=True)
    mette.contact_email, mette.wants_reminders = "mette@example.dk", True
    jonas.contact_email, jonas.wants_reminders = "jonas@example.dk", False
    db_session.commit()
    session = book_family(counsellor, family)
    for _ in range(2):
        queue_reminders(db_session, NOW)
        db_session.commit()
    sent = list(
        db_session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.REMINDER)
        )
    )
    assert [m.recipient for m in sent] == ["mette@example.dk"]
    assert session.public_id in sent[0].dedupe_key
    for secret in (FAMILY, "Mette", "Anna", "Familiehuset"):
        assert secret not in sent[0].body
    assert "/familie" in sent[0].body


def test_cancelled_family_session_withdraws_the_reminder(
    db_session, counsellor, family, book_family
):
    member = family.members[0]
    member.contact_email, member.wants_reminders = "m@example.dk", True
    db_session.commit()
    session = book_family(counsellor, family)
    queue_reminders(db_session, NOW)
    services.cancel_by_counsellor(db_session, session, "Syg")
    run = queue_reminders(db_session, NOW)
    db_session.commit()
    assert run.withdrawn == 1


def test_a_leader_says_why_before_opening_a_family_session(
    client, auth, db_session, make_user, counsellor, family, book_family
):
    """A family session is the family's data: a leader who opens it from a
    counsellor's calendar is asked why first, like on the family's own pages,
    and the family reads the reason in its access log."""
    from portal.audit import AuditEvent

    session = book_family(counsellor, family)
    leader = make_user(Role.LEADER, name="Lone Leder")
    auth.login(leader)
    page = f"/kalender/samtale/{session.public_id}"
    response = client.get(page)
    assert response.status_code == 302
    reason = f"/familier/{family.public_id}/begrundelse"
    assert response.headers["Location"] == f"{reason}?next={page}"
    auth.post_form(reason, {"reason": "Tilsyn med kalenderen"})
    assert client.get(page).status_code == 200
    db_session.expire_all()
    opened = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.actor_id == leader.id, AuditEvent.reason == "family session"
        )
    ).all()
    assert [row.stated_reason for row in opened] == ["Tilsyn med kalenderen"]
