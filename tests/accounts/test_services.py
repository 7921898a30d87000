"""Account rules without HTTP: password rules and hashing, TOTP, session versions."""

from __future__ import annotations

import pyotp
import pytest
from argon2 import extract_parameters

from portal.accounts import password_rules, passwords, services, totp, totp_codes
from portal.accounts.models import Role
from tests.svg import encoded_texts, self_contained, title_of


@pytest.mark.real_password_hashing
def test_password_hash_is_argon2id_at_asvs_strength():
    hashed = passwords.hash_password("en lang og god adgangskode")
    assert hashed.startswith("$argon2id$")
    parameters = extract_parameters(hashed)
    # OWASP ASVS 5.0 / OWASP cheat sheet minimum: 19 MiB, 2 iterations, 1 lane.
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2
    assert parameters.parallelism >= 1


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("kort", "too_short"),
        ("1234567", "too_short"),
        ("password", "common"),
        ("Password1", "common"),
        ("kodeord1", "common"),
        ("x" * 129, "too_long"),
        ("hanne@example.dk", "personal"),
    ],
)
def test_weak_passwords_are_refused(password, problem):
    with pytest.raises(password_rules.PasswordProblem) as raised:
        password_rules.check_password_rules(
            password, email="hanne@example.dk", name="Hanne"
        )
    assert raised.value.code == problem


@pytest.mark.parametrize(
    "password",
    ["abcdefgh-ok?", "alle små bogstaver uden tal", "æøå" * 22, "x" * 128],
)
def test_long_and_uncomposed_passwords_are_accepted(password):
    password_rules.check_password_rules(password)  # no composition rules; 8-128 chars


def test_authenticate_refuses_unknown_and_wrong_alike(db_session, make_user):
    user = make_user(Role.COUNSELLOR)
    assert (
        services.authenticate(
            db_session, user.email.upper(), "en lang og god adgangskode"
        )
        == user
    )
    for email, password in [
        (user.email, "forkert kode her"),
        ("ukendt@example.dk", "en lang og god adgangskode"),
    ]:
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(db_session, email, password)


def test_inactive_user_cannot_log_in(db_session, make_user):
    user = make_user(Role.COUNSELLOR)
    user.active = False
    db_session.commit()
    with pytest.raises(services.InvalidCredentials):
        services.authenticate(db_session, user.email, "en lang og god adgangskode")


def test_bumped_session_version_ends_stored_sessions(db_session, make_user):
    user = make_user(Role.LEADER)
    stored = user.get_id()
    assert services.load_user_from_session_id(db_session, stored) == user
    services.end_all_sessions(db_session, user)
    assert services.load_user_from_session_id(db_session, stored) is None
    assert services.load_user_from_session_id(db_session, user.get_id()) == user


def test_totp_enrolment_needs_a_valid_code(db_session, make_user):
    user = make_user(Role.COUNSELLOR, totp=False)
    secret = totp_codes.new_totp_secret()
    assert not totp_codes.confirm_totp_enrolment(db_session, user, secret, "000000")
    assert user.totp_secret is None
    assert totp_codes.confirm_totp_enrolment(
        db_session, user, secret, pyotp.TOTP(secret).now()
    )
    assert user.totp_secret == secret


def test_totp_code_works_only_once(db_session, make_user):
    user = make_user(Role.COUNSELLOR)
    code = pyotp.TOTP(user.totp_secret).now()
    assert totp.verify_totp(db_session, user, code)
    assert not totp.verify_totp(db_session, user, code)


def test_totp_secret_is_encrypted_at_rest(db_session, make_user):
    from sqlalchemy import text

    user = make_user(Role.COUNSELLOR)
    stored = db_session.execute(
        text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}
    ).scalar_one()
    assert user.totp_secret not in stored


def test_qr_code_is_self_contained_svg_of_the_otpauth_address(make_user, monkeypatch):
    """The whole SVG is checked: no link, image or style may reach outside, and
    the QR code carries the authenticator address and nothing else."""
    user = make_user(Role.COUNSELLOR, totp=False)
    secret = totp_codes.new_totp_secret()
    uri = totp_codes.totp_provisioning_uri(user, secret)
    assert uri == (
        f"otpauth://totp/Familieportalen:{user.email.replace('@', '%40')}"
        f"?secret={secret}&issuer=Familieportalen"
    )
    encoded = encoded_texts(monkeypatch)
    svg = totp_codes.totp_qr_svg(uri, "QR-kode til godkendelses-app")
    assert encoded == [uri]
    root = self_contained(svg)
    assert title_of(root) == "QR-kode til godkendelses-app"
