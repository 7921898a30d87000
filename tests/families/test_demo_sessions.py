"""seed-demo's family sessions: past ones held, coming ones on free times, once."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.accounts.models import Role
from portal.booking.models import CounsellingSession, SessionStatus
from portal.calendar.demo import seed_family_sessions
from tests.factories import NOW


def test_demo_families_get_past_and_coming_sessions_once(
    db_session, make_user, give_calendar, make_known_family, clock
):
    counsellor = give_calendar(make_user(Role.COUNSELLOR))
    family = make_known_family("Familien Demo", counsellor=counsellor)
    for _ in range(2):
        seed_family_sessions(db_session, NOW)
        db_session.commit()
    sessions = db_session.scalars(
        select(CounsellingSession).where(CounsellingSession.family_id == family.id)
    ).all()
    past = [s for s in sessions if s.starts_at < NOW]
    coming = [s for s in sessions if s.starts_at > NOW]
    assert len(past) == 2 and all(s.status == SessionStatus.HELD for s in past)
    assert len(coming) == 2 and all(s.status == SessionStatus.BOOKED for s in coming)
    assert all(s.participants for s in sessions)
    assert db_session.scalar(select(func.count(CounsellingSession.id))) == 4
