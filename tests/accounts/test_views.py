"""Log-in, log-out, TOTP, time-outs, rate limits and role guards through HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal.accounts.models import Role, User
from tests.conftest import PASSWORD

SAME_ANSWER = "Forkert e-mail eller adgangskode."


def test_family_logs_in_and_sees_own_page(client, auth, make_user):
    user = make_user(Role.FAMILY)
    response = auth.login_family(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/familie"
    page = client.get("/familie").get_data(as_text=True)
    assert user.family.display_name in page
    assert "Log ud" in page


@pytest.mark.parametrize(
    "case", ["wrong password", "unknown user", "staff on family page"]
)
def test_failed_log_in_gives_the_same_answer(auth, make_user, case):
    family_member = make_user(Role.FAMILY)
    counsellor = make_user(Role.COUNSELLOR)
    email, password = {
        "wrong password": (family_member.contact_email, "helt forkert kode"),
        "unknown user": ("findes.ikke@example.dk", PASSWORD),
        "staff on family page": (counsellor.email, PASSWORD),
    }[case]
    response = auth.post_form("/log-ind", {"email": email, "password": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert SAME_ANSWER in page
    assert email in page  # what was typed is kept
    assert PASSWORD not in page and "helt forkert kode" not in page


def test_staff_log_in_needs_password_and_totp(client, auth, make_user):
    counsellor = make_user(Role.COUNSELLOR)
    response = auth.post_form(
        "/medarbejder/log-ind", {"email": counsellor.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/medarbejder/log-ind/kode"
    # Not logged in yet: the staff page still sends us to log in.
    assert client.get("/medarbejder").status_code == 302
    wrong = auth.post_form("/medarbejder/log-ind/kode", {"code": "000000"})
    assert wrong.status_code == 400
    assert "Koden er forkert eller udløbet" in wrong.get_data(as_text=True)
    right = auth.post_form(
        "/medarbejder/log-ind/kode", {"code": auth.next_totp(counsellor)}
    )
    # A counsellor starts in the calendar; the staff page still opens.
    assert right.headers["Location"] == "/oversigt"
    assert client.get("/medarbejder").status_code == 200


def test_totp_page_without_password_step_sends_back(client):
    response = client.get("/medarbejder/log-ind/kode")
    assert response.status_code == 302
    assert response.headers["Location"] == "/medarbejder/log-ind"


def test_totp_enrolment_shows_qr_and_saves_only_after_valid_code(
    client, auth, db_session, make_user
):
    import pyotp

    from portal import crypto

    newcomer = make_user(Role.COUNSELLOR, totp=False)
    auth.post_form(
        "/medarbejder/log-ind", {"email": newcomer.email, "password": PASSWORD}
    )
    page = client.get("/medarbejder/log-ind/kode").get_data(as_text=True)
    assert "<title>QR-kode til godkendelses-app</title>" in page
    wrong = auth.post_form("/medarbejder/log-ind/kode", {"code": "123456"})
    assert wrong.status_code == 400
    db_session.refresh(newcomer)
    assert newcomer.totp_secret is None
    with client.session_transaction() as cookie_session:
        secret = crypto.decrypt(cookie_session["enrol_secret"])
    response = auth.post_form(
        "/medarbejder/log-ind/kode", {"code": pyotp.TOTP(secret).now()}
    )
    assert response.headers["Location"] == "/oversigt"
    db_session.refresh(newcomer)
    assert newcomer.totp_secret == secret


def test_log_in_rotates_the_session(client, auth, make_user):
    user = make_user(Role.FAMILY)
    client.get("/log-ind")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    auth.login_family(user)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"] == user.get_id()


def test_replayed_cookie_after_log_out_is_refused(app, client, auth, make_user):
    user = make_user(Role.FAMILY)
    auth.login_family(user)
    saved_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert client.get("/familie").status_code == 200
    auth.logout()
    assert client.get("/familie").status_code == 302
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], saved_cookie)
    response = client.get("/familie")
    assert response.status_code == 302
    assert response.headers["Location"] == "/log-ind"


def test_changing_password_ends_other_sessions(app, client, auth, make_user):
    user = make_user(Role.FAMILY)
    auth.login_family(user)
    other_device = app.test_client()
    other_device.set_cookie(
        app.config["SESSION_COOKIE_NAME"],
        client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value,
    )
    response = auth.post_form(
        "/konto/adgangskode",
        {
            "current_password": PASSWORD,
            "new_password": "et helt nyt kodeord til mig",
            "repeat_password": "et helt nyt kodeord til mig",
        },
    )
    assert response.status_code == 302
    assert client.get("/familie").status_code == 200  # this device stays logged in
    assert other_device.get("/familie").status_code == 302


def test_weak_new_password_is_refused_in_danish(auth, make_user):
    user = make_user(Role.FAMILY)
    auth.login_family(user)
    response = auth.post_form(
        "/konto/adgangskode",
        {
            "current_password": PASSWORD,
            "new_password": "qwerty123",
            "repeat_password": "qwerty123",
        },
    )
    assert response.status_code == 400
    assert "for almindelig" in response.get_data(as_text=True)


@pytest.mark.parametrize(("minutes", "still_in"), [(29, True), (31, False)])
def test_staff_session_ends_after_30_idle_minutes(
    client, auth, make_user, minutes, still_in
):
    counsellor = make_user(Role.COUNSELLOR)
    with time_machine.travel("2026-11-23 09:00 +0000", tick=False) as traveller:
        auth.login_staff(counsellor)
        assert client.get("/medarbejder").status_code == 200
        traveller.shift(timedelta(minutes=minutes))
        response = client.get("/medarbejder")
    assert (response.status_code == 200) is still_in


def test_staff_session_ends_after_12_hours_even_when_active(client, auth, make_user):
    counsellor = make_user(Role.COUNSELLOR)
    with time_machine.travel("2026-11-23 07:00 +0000", tick=False) as traveller:
        auth.login_staff(counsellor)
        for _ in range(12 * 3 + 1):  # a click every 20 minutes all day
            traveller.shift(timedelta(minutes=20))
            response = client.get("/medarbejder")
            if response.status_code != 200:
                break
        assert response.status_code == 302
        assert client.get("/medarbejder").status_code == 302
        # It was the 12-hour limit, not idleness: 20-minute gaps never exceed 30.
        assert datetime.now(UTC) >= datetime(2026, 11, 23, 19, tzinfo=UTC)


def test_log_in_is_rate_limited_with_a_danish_page(auth, make_user):
    statuses = []
    for attempt in range(12):
        response = auth.post_form(
            "/log-ind",
            {"email": f"gæt{attempt}@example.dk", "password": "forkert kode"},
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [400] * 10
    assert statuses[-1] == 429
    page = response.get_data(as_text=True)
    assert "For mange forsøg" in page
    assert '<html lang="da"' in page


def test_totp_is_rate_limited_per_client(auth, make_user):
    counsellor = make_user(Role.COUNSELLOR)
    statuses = []
    for _ in range(2):  # five wrong codes end a password step; the sixth is in a new
        auth.post_form(
            "/medarbejder/log-ind", {"email": counsellor.email, "password": PASSWORD}
        )
        for _ in range(4):
            response = auth.post_form("/medarbejder/log-ind/kode", {"code": "000000"})
            statuses.append(response.status_code)
    assert statuses[:6] == [400] * 6
    assert statuses[-1] == 429


def test_post_without_csrf_token_is_refused(client, make_user):
    user = make_user(Role.FAMILY)
    response = client.post(
        "/log-ind", data={"email": user.contact_email, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Siden var for gammel" in response.get_data(as_text=True)
    with client.session_transaction() as cookie_session:
        assert "_user_id" not in cookie_session


def test_log_out_needs_post_with_token(client, auth, make_user):
    user = make_user(Role.FAMILY)
    auth.login_family(user)
    assert client.get("/log-ud").status_code == 405
    assert client.post("/log-ud").status_code == 400
    assert client.get("/familie").status_code == 200


STAFF_PAGES = ["/medarbejder", "/leder/medarbejdere"]
FAMILY_PAGES = ["/familie"]


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (Role.FAMILY, "/medarbejder", 403),
        (Role.FAMILY, "/leder/medarbejdere", 403),
        (Role.COUNSELLOR, "/familie", 403),
        (Role.COUNSELLOR, "/leder/medarbejdere", 403),
        (Role.LEADER, "/familie", 403),
        (Role.COUNSELLOR, "/medarbejder", 200),
        (Role.LEADER, "/leder/medarbejdere", 200),
        (Role.FAMILY, "/familie", 200),
    ],
)
def test_role_guard(client, auth, make_user, role, url, status):
    auth.login(make_user(role))
    response = client.get(url)
    assert response.status_code == status
    if status == 403:
        assert "Du har ikke adgang til siden" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", STAFF_PAGES + FAMILY_PAGES)
def test_anonymous_visitor_is_sent_to_the_right_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    expected = "/log-ind" if url in FAMILY_PAGES else "/medarbejder/log-ind"
    assert response.headers["Location"] == expected


def test_leader_creates_a_staff_account(client, auth, db_session, make_user):
    leader = make_user(Role.LEADER)
    auth.login(leader)
    response = auth.post_form(
        "/leder/medarbejdere",
        {"name": "Ny Rådgiver", "email": "ny@demokommune.dk", "role": "counsellor"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kontoen til Ny Rådgiver er oprettet" in page
    created = db_session.scalar(select(User).where(User.email == "ny@demokommune.dk"))
    assert created.role == Role.COUNSELLOR and created.totp_secret is None
    duplicate = auth.post_form(
        "/leder/medarbejdere",
        {"name": "Igen", "email": "NY@demokommune.dk", "role": "leader"},
    )
    assert duplicate.status_code == 400
    assert "findes allerede" in duplicate.get_data(as_text=True)


def test_leader_form_errors_are_danish_and_keep_input(auth, make_user):
    auth.login(make_user(Role.LEADER))
    response = auth.post_form(
        "/leder/medarbejdere", {"name": "Hanne", "email": "ikke-en-mail", "role": "x"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skriv en gyldig e-mailadresse" in page
    assert "Vælg en af mulighederne" in page
    assert 'value="Hanne"' in page


def test_create_user_command(app, db_session):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "cli@demokommune.dk",
            "--name",
            "Cli Bruger",
            "--role",
            "leader",
            "--password",
            "en sikker sætning til cli",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db_session.scalar(select(User).where(User.email == "cli@demokommune.dk"))
    assert user.role == Role.LEADER
    weak = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "svag@demokommune.dk",
            "--name",
            "Svag",
            "--password",
            "password",
        ]
    )
    assert weak.exit_code != 0 and "common" in weak.output


def test_seed_demo_is_idempotent(app, db_session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert "anna@demokommune.dk" in second.output and "TOTP secret" in second.output
    assert "D3M0-0000-0000-0001" in second.output
    users = db_session.scalars(select(User)).all()
    # Family members are found by the keyed hash of their e-mail, not users.email.
    assert len(users) == len({user.email or user.login_key for user in users}) == 7
    assert sum(user.role == Role.COUNSELLOR for user in users) == 3


def test_seed_demo_refuses_production(app):
    app.config["PORTAL_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refuses" in result.output


def test_session_cookie_flags(app, client, auth, make_user):
    auth.login(make_user(Role.FAMILY))
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_user_id_in_session_carries_the_version(client, auth, make_user):
    user = make_user(Role.FAMILY)
    auth.login(user)
    with client.session_transaction() as cookie_session:
        assert cookie_session["_user_id"].endswith(":1")
