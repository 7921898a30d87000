"""Second factors that cannot be walked around, and passwords a leader issues.

Five wrong TOTP codes end the log-in, counted on the account so that a new address
or a replayed cookie gives no fresh tries; a code works once even when eight
browsers send it together; temporary passwords expire and must be replaced.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pyotp

from portal.accounts import staff
from portal.accounts.models import Role, User
from tests.conftest import PASSWORD, csrf_token_from, requires_postgresql
from tests.factories import NOW

CODE_PAGE = "/medarbejder/log-ind/kode"
STAFF_LOGIN = "/medarbejder/log-ind"


def password_step(browser, user, password=PASSWORD):
    response = browser.post_form(
        STAFF_LOGIN, {"email": user.email, "password": password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def test_five_wrong_codes_send_back_to_the_password_step(
    app, client, auth, make_user, clock
):
    counsellor = make_user(Role.COUNSELLOR)
    password_step(auth, counsellor)
    cookie = app.config["SESSION_COOKIE_NAME"]
    with_pending_log_in = client.get_cookie(cookie).value
    statuses = [
        auth.post_form(CODE_PAGE, {"code": "000000"}).status_code for _ in range(4)
    ]
    fifth = auth.post_form(CODE_PAGE, {"code": "000000"})
    assert statuses == [400] * 4
    assert fifth.headers["Location"] == STAFF_LOGIN
    page = client.get(STAFF_LOGIN).get_data(as_text=True)
    assert "Koden var forkert for mange gange" in page
    # The saved cookie still names the pending log-in, but the account has no
    # tries left: even the right code is refused until the password is given again.
    client.set_cookie(cookie, with_pending_log_in)
    replayed = auth.post_form(CODE_PAGE, {"code": auth.next_totp(counsellor)})
    assert replayed.headers["Location"] == STAFF_LOGIN
    assert client.get("/kalender").status_code == 302
    clock.shift(timedelta(minutes=1))  # past the per-client limit of six a minute
    password_step(auth, counsellor)
    right = auth.post_form(CODE_PAGE, {"code": auth.next_totp(counsellor)})
    assert right.headers["Location"] == "/oversigt"


def test_the_account_has_ten_codes_an_hour_whatever_the_address(
    make_user, client_from, clock
):
    counsellor = make_user(Role.COUNSELLOR)
    statuses = []
    for address, tries in [("10.0.0.1", 4), ("10.0.0.2", 4), ("10.0.0.3", 2)]:
        browser = client_from(address)
        password_step(browser, counsellor)
        for _ in range(tries):
            statuses.append(
                browser.post_form(CODE_PAGE, {"code": "000000"}).status_code
            )
    assert statuses == [400] * 10
    fresh = client_from("10.0.0.4")
    password_step(fresh, counsellor)
    refused = fresh.post_form(CODE_PAGE, {"code": fresh.next_totp(counsellor)})
    assert refused.status_code == 429
    clock.shift(timedelta(hours=1, minutes=1))
    password_step(fresh, counsellor)
    later = fresh.post_form(CODE_PAGE, {"code": fresh.next_totp(counsellor)})
    assert later.headers["Location"] == "/oversigt"


def test_a_code_is_refused_the_second_time(auth, make_user, clock):
    counsellor = make_user(Role.COUNSELLOR)
    code = auth.next_totp(counsellor)
    auth.login_staff(counsellor)
    auth.logout()
    password_step(auth, counsellor)
    again = auth.post_form(CODE_PAGE, {"code": code})
    assert again.status_code == 400


@requires_postgresql
def test_eight_parallel_log_ins_with_one_code_let_exactly_one_in(
    app, db_session, make_user, client_from, clock
):
    counsellor = make_user(Role.COUNSELLOR)
    browsers = [client_from(f"10.0.1.{n}") for n in range(8)]
    tokens = []
    for browser in browsers:
        password_step(browser, counsellor)
        tokens.append(csrf_token_from(browser.client.get(CODE_PAGE).get_data(True)))
    code = pyotp.TOTP(counsellor.totp_secret).at(NOW)
    barrier = threading.Barrier(len(browsers))
    locations = [""] * len(browsers)

    def log_in(n: int) -> None:
        barrier.wait()
        response = browsers[n].client.post(
            CODE_PAGE, data={"csrf_token": tokens[n], "code": code}
        )
        locations[n] = response.headers.get("Location", str(response.status_code))

    threads = [threading.Thread(target=log_in, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert locations.count("/oversigt") == 1, locations
    assert set(locations) <= {"/oversigt", "400", STAFF_LOGIN}, locations


def test_password_change_is_rate_limited_per_account(auth, make_user, clock):
    auth.login(make_user(Role.FAMILY))
    statuses = [
        auth.post_form(
            "/konto/adgangskode",
            {
                "current_password": f"gæt nummer {n}",
                "new_password": "et helt nyt kodeord til mig",
                "repeat_password": "et helt nyt kodeord til mig",
            },
        ).status_code
        for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def new_staff(db_session, leader) -> tuple[User, str]:
    user, password = staff.create_staff_account(
        db_session,
        leader,
        email="ny@demokommune.dk",
        name="Ny Rådgiver",
        role=Role.COUNSELLOR,
    )
    user.totp_secret = pyotp.random_base32()
    db_session.commit()
    return user, password


def test_temporary_password_stops_working_after_72_hours(
    auth, db_session, make_user, clock
):
    user, password = new_staff(db_session, make_user(Role.LEADER))
    clock.shift(timedelta(hours=71, minutes=59))
    assert (
        auth.post_form(
            STAFF_LOGIN, {"email": user.email, "password": password}
        ).status_code
        == 302
    )
    clock.shift(timedelta(minutes=1))
    late = auth.post_form(STAFF_LOGIN, {"email": user.email, "password": password})
    assert late.status_code == 400
    assert "Den midlertidige adgangskode er udløbet" in late.get_data(as_text=True)


def test_temporary_password_must_be_changed_before_anything_else(
    client, auth, db_session, make_user, clock
):
    user, password = new_staff(db_session, make_user(Role.LEADER))
    response = auth.login_staff(user, password)
    assert response.headers["Location"] == "/konto/adgangskode"
    for page in ["/kalender", "/medarbejder"]:
        assert client.get(page).headers["Location"] == "/konto/adgangskode"
    changed = auth.post_form(
        "/konto/adgangskode",
        {
            "current_password": password,
            "new_password": "min egen lange sætning",
            "repeat_password": "min egen lange sætning",
        },
    )
    assert changed.headers["Location"] == "/oversigt"
    assert client.get("/kalender").status_code == 200
    db_session.refresh(user)
    assert user.password_expires_at is None


def test_enrolment_page_with_the_secret_is_not_cached(client, auth, make_user, clock):
    newcomer = make_user(Role.COUNSELLOR, totp=False)
    password_step(auth, newcomer)
    response = client.get(CODE_PAGE)
    assert "QR" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
