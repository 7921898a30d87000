"""Security events in the audit log (ASVS 5.0 16.3), the leader's page that shows
them, and deactivating a staff account, which ends its sessions at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal import audit
from portal.accounts.models import Role, User
from portal.audit import AuditAction, AuditEvent
from portal.calendar.feed import create_feed, revoke_feed
from tests.conftest import PASSWORD
from tests.factories import NOW

UNKNOWN_EMAIL = "findes.ikke@example.dk"
WRONG_PASSWORD = "helt forkert kode"


def logged(db_session, action: AuditAction) -> list[AuditEvent]:
    db_session.expire_all()
    return list(
        db_session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == str(action))
            .order_by(AuditEvent.id)
        )
    )


def every_stored_value(db_session) -> str:
    rows = db_session.scalars(select(AuditEvent)).all()
    columns = AuditEvent.__table__.columns.keys()
    return " ".join(str(getattr(row, name)) for row in rows for name in columns)


def test_log_ins_are_logged_by_account_never_with_what_was_typed(
    auth, db_session, make_user, clock
):
    user = make_user(Role.FAMILY)
    auth.post_form(
        "/log-ind", {"email": user.contact_email, "password": WRONG_PASSWORD}
    )
    auth.post_form("/log-ind", {"email": UNKNOWN_EMAIL, "password": PASSWORD})
    auth.login_family(user)
    named, unknown = logged(db_session, AuditAction.LOG_IN_FAILED)
    assert (named.object_type, named.object_id) == ("account", user.public_id)
    assert (named.actor_id, named.actor_role, named.reason) == (
        None,
        "anonymous",
        "/log-ind",
    )
    assert unknown.object_id == ""
    [success] = logged(db_session, AuditAction.LOG_IN)
    assert (success.actor_id, success.object_id) == (user.id, user.public_id)
    stored = every_stored_value(db_session)
    typed = [PASSWORD, WRONG_PASSWORD, UNKNOWN_EMAIL, user.contact_email, "127.0.0.1"]
    for secret in typed:
        assert secret not in stored


def test_wrong_codes_and_the_lock_out_are_logged(auth, db_session, make_user, clock):
    counsellor = make_user(Role.COUNSELLOR)
    auth.post_form(
        "/medarbejder/log-ind", {"email": counsellor.email, "password": PASSWORD}
    )
    for _ in range(5):
        auth.post_form("/medarbejder/log-ind/kode", {"code": "000000"})
    failures = logged(db_session, AuditAction.TOTP_FAILED)
    [lock_out] = logged(db_session, AuditAction.LOCKED_OUT)
    assert len(failures) == 5
    assert {e.object_id for e in [*failures, lock_out]} == {counsellor.public_id}


def test_forbidden_pages_are_logged_once_a_minute(
    client, auth, db_session, make_user, clock
):
    counsellor = make_user(Role.COUNSELLOR)
    auth.login(counsellor)
    for _ in range(3):
        assert client.get("/leder/medarbejdere").status_code == 403
    [refused] = logged(db_session, AuditAction.FORBIDDEN)
    assert (refused.actor_id, refused.reason) == (counsellor.id, "/leder/medarbejdere")
    clock.shift(timedelta(minutes=1))
    client.get("/leder/medarbejdere")
    assert len(logged(db_session, AuditAction.FORBIDDEN)) == 2


def test_rate_limit_and_csrf_failures_are_logged(
    client, auth, db_session, make_user, clock
):
    user = make_user(Role.FAMILY)
    client.post("/log-ind", data={"email": user.contact_email, "password": PASSWORD})
    [csrf] = logged(db_session, AuditAction.CSRF_FAILED)
    assert (csrf.object_id, csrf.reason) == (user.public_id, "/log-ind")
    statuses = [
        auth.post_form(
            "/log-ind", {"email": user.contact_email, "password": WRONG_PASSWORD}
        ).status_code
        for _ in range(13)
    ]
    assert statuses.count(429) == 3
    # Three refusals in one minute: one row, so a flood cannot fill the log.
    [limited] = logged(db_session, AuditAction.RATE_LIMITED)
    assert (limited.object_id, limited.reason) == (user.public_id, "/log-ind")


def test_account_changes_and_feed_addresses_are_logged(
    auth, db_session, make_user, clock
):
    leader = make_user(Role.LEADER)
    auth.login(leader)
    auth.post_form(
        "/leder/medarbejdere",
        {"name": "Ny Rådgiver", "email": "ny@demokommune.dk", "role": "counsellor"},
    )
    newcomer = db_session.scalar(select(User).where(User.email == "ny@demokommune.dk"))
    auth.post_form(
        f"/leder/medarbejdere/{newcomer.public_id}/deaktiver",
        {},
        page="/leder/medarbejdere",
    )
    auth.post_form(
        "/konto/adgangskode",
        {
            "current_password": PASSWORD,
            "new_password": "et helt nyt kodeord til mig",
            "repeat_password": "et helt nyt kodeord til mig",
        },
    )
    counsellor = make_user(Role.COUNSELLOR)
    feed, _token = create_feed(db_session, counsellor)
    revoke_feed(db_session, counsellor, feed.public_id)
    db_session.commit()
    expected = {
        AuditAction.ACCOUNT_CREATED: (leader.id, newcomer.public_id),
        AuditAction.ACCOUNT_DEACTIVATED: (leader.id, newcomer.public_id),
        AuditAction.PASSWORD_CHANGED: (leader.id, leader.public_id),
        AuditAction.FEED_CREATED: (counsellor.id, feed.public_id),
        AuditAction.FEED_REVOKED: (counsellor.id, feed.public_id),
    }
    for action, (actor_id, object_id) in expected.items():
        [event] = logged(db_session, action)
        assert (event.actor_id, event.object_id) == (actor_id, object_id), action


# --- the leader's page ------------------------------------------------------------


@pytest.fixture
def leader_browser(auth, make_user, clock):
    auth.login(make_user(Role.LEADER, name="Lea Leder"))
    return auth


def add_events(db_session, action, account, n=1):
    for _ in range(n):
        audit.record_security_event(db_session, action, account=account)
    db_session.commit()


def test_leader_sees_the_security_log_in_danish(
    client, leader_browser, db_session, make_user, clock
):
    counsellor = make_user(Role.COUNSELLOR, name="Rasmus Rådgiver")
    add_events(db_session, AuditAction.TOTP_FAILED, counsellor)
    assert "/leder/sikkerhed" in client.get("/medarbejder").get_data(as_text=True)
    response = client.get("/leder/sikkerhed")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sikkerhedslog" in page
    assert "Forkert kode fra appen" in page and "Rasmus Rådgiver" in page
    assert "Logget ind" in page  # the leader's own log-in
    assert response.headers["Cache-Control"] == "no-store"


def test_security_log_filters_by_event_account_and_days(
    client, leader_browser, db_session, make_user, clock
):
    rasmus = make_user(Role.COUNSELLOR, name="Rasmus Rådgiver")
    sofie = make_user(Role.COUNSELLOR, name="Sofie Rådgiver")
    clock.shift(timedelta(days=-2))
    add_events(db_session, AuditAction.TOTP_FAILED, rasmus)
    clock.shift(timedelta(days=2))  # back to now, where the leader is logged in
    add_events(db_session, AuditAction.LOCKED_OUT, sofie)
    add_events(db_session, AuditAction.TOTP_FAILED, sofie)

    def shown(**query) -> str:
        response = client.get("/leder/sikkerhed", query_string=query)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    by_type = shown(type="locked_out")
    assert "Sofie" in by_type and "Rasmus" not in by_type
    by_account = shown(email=rasmus.email.upper())
    assert "Rasmus" in by_account and "Sofie" not in by_account
    day = NOW.date().isoformat()
    by_days = shown(first_day=day, last_day=day, type="totp_failed")
    assert "Sofie" in by_days and "Rasmus" not in by_days
    assert "0 hændelser" in shown(email="ingen@example.dk")


def test_security_log_is_paginated(client, leader_browser, db_session, make_user):
    counsellor = make_user(Role.COUNSELLOR)
    add_events(db_session, AuditAction.TOTP_FAILED, counsellor, n=60)
    first = client.get("/leder/sikkerhed?type=totp_failed").get_data(as_text=True)
    assert first.count("Forkert kode fra appen</td>") == 50
    assert "Side 1 af 2" in first and "side=2" in first
    second = client.get("/leder/sikkerhed?type=totp_failed&side=2")
    assert second.get_data(as_text=True).count("Forkert kode fra appen</td>") == 10
    beyond = client.get("/leder/sikkerhed?type=totp_failed&side=99999999999999999999")
    assert "Side 2 af 2" in beyond.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        {"first_day": "9999-12-31"},
        {"last_day": "0001-01-01"},
        {"first_day": "i går"},
        {"type": "drop table"},
    ],
)
def test_security_log_answers_nonsense_filters_in_danish(client, leader_browser, query):
    response = client.get("/leder/sikkerhed", query_string=query)
    assert response.status_code == 400
    assert "Der er en fejl i formularen" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.FAMILY])
def test_only_leaders_see_the_security_log(client, auth, make_user, role):
    auth.login(make_user(role))
    assert client.get("/leder/sikkerhed").status_code == 403


def test_deactivating_a_counsellor_ends_their_session_at_once(
    leader_browser, db_session, make_user, client_from, clock
):
    counsellor = make_user(Role.COUNSELLOR)
    elsewhere = client_from("10.0.0.9")
    elsewhere.login(counsellor)
    assert elsewhere.client.get("/kalender").status_code == 200
    response = leader_browser.post_form(
        f"/leder/medarbejdere/{counsellor.public_id}/deaktiver",
        {},
        page="/leder/medarbejdere",
    )
    assert response.headers["Location"] == "/leder/medarbejdere"
    assert elsewhere.client.get("/kalender").headers["Location"] == (
        "/medarbejder/log-ind"
    )
    again = elsewhere.post_form(
        "/medarbejder/log-ind", {"email": counsellor.email, "password": PASSWORD}
    )
    assert again.status_code == 400
    page = leader_browser.client.get("/leder/medarbejdere").get_data(as_text=True)
    assert "deaktiveret" in page


def test_a_leader_cannot_deactivate_themselves(leader_browser, db_session, clock):
    leader = db_session.scalar(select(User).where(User.name == "Lea Leder"))
    leader_browser.post_form(
        f"/leder/medarbejdere/{leader.public_id}/deaktiver",
        {},
        page="/leder/medarbejdere",
    )
    db_session.refresh(leader)
    assert leader.active
