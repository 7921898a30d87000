"""Every log-in asks whether a family member may still read: by password as
well as by MitID (``accounts.services.may_log_in`` with the families' check)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from portal.audit import AuditEvent
from portal.families.models import FamilyStatus
from tests.calendar.conftest import t


def _close(db_session, family, closed_at):
    family.status, family.closed_at = FamilyStatus.CLOSED, closed_at
    db_session.commit()


def test_a_member_of_a_family_closed_within_the_period_logs_in(
    auth, db_session, make_known_family, clock
):
    family = make_known_family()
    _close(db_session, family, datetime(2025, 6, 1, tzinfo=UTC))  # < 12 months ago
    response = auth.login_family(family.members[0])
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/familie")


def test_after_the_read_period_the_password_no_longer_lets_a_member_in(
    app, auth, db_session, make_known_family, clock
):
    family = make_known_family()
    _close(db_session, family, datetime(2025, 3, 1, tzinfo=UTC))  # > 12 months ago
    response = auth.login_family(family.members[0])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        t(
            "You can no longer log in here. Call us if you have questions: %(phone)s.",
            phone=app.config["MUNICIPALITY_PHONE"],
        )
        in page
    )
    assert auth.client.get("/familie").status_code == 302  # not logged in
    failed = db_session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_id == family.members[0].public_id
        )
    ).all()
    assert failed == ["log_in_failed"]


def test_staff_log_in_is_not_asked_about_families(auth, make_user):
    from portal.accounts.models import Role

    counsellor = make_user(Role.COUNSELLOR)
    response = auth.login_staff(counsellor)
    assert response.status_code == 302
