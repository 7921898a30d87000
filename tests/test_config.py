"""Start-up configuration: secrets from the environment, generated in development."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from portal import config, config_env, config_secrets, create_app
from portal.mail.models import MessageKind, OutboxMessage
from portal.mail.outbox import enqueue
from portal.mail.transports import FolderTransport, transport_for
from tests.production import BASE_URL, production_environment


def test_production_without_secret_key_stops_with_a_clear_message(
    monkeypatch, tmp_path
):
    production_environment(monkeypatch, SECRET_KEY=None)
    with pytest.raises(config_env.ConfigurationError, match="SECRET_KEY"):
        config.load(str(tmp_path))


def test_development_generates_secrets_once(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "development")
    for name in config_secrets.SECRET_NAMES:
        monkeypatch.delenv(name)
    first = config.load(str(tmp_path))
    second = config.load(str(tmp_path))
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) > 40
    stored = tmp_path / "secrets.json"
    assert set(json.loads(stored.read_text())) == set(config_secrets.SECRET_NAMES)
    assert stored.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_environment_configures_database_and_municipality(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("MUNICIPALITY_NAME", "Billund Kommune")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("FEEDBACK_LOW_SCORE", "4")
    monkeypatch.setenv("LEADER_REASON_MINUTES", "10")
    loaded = config.load(str(tmp_path))
    assert (loaded["FEEDBACK_LOW_SCORE"], loaded["LEADER_REASON_MINUTES"]) == (4, 10)
    assert loaded["SQLALCHEMY_DATABASE_URI"].endswith("x.db")
    assert loaded["MUNICIPALITY_NAME"] == "Billund Kommune"
    assert loaded["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_municipality_name_is_in_the_header(tmp_path):
    app = create_app(
        {
            "MUNICIPALITY_NAME": "Ikast-Brande Kommune",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.db'}",
        }
    )
    page = app.test_client().get("/").get_data(as_text=True)
    assert "Ikast-Brande Kommune" in page


def test_health_check_says_ok_and_nothing_personal(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


# --- what production refuses to start without -------------------------------------


def refusal(monkeypatch, tmp_path, **overrides) -> str:
    """The start-up message for production with ``overrides``."""
    production_environment(monkeypatch, **overrides)
    with pytest.raises(config_env.ConfigurationError) as refused:
        config.load(str(tmp_path))
    return str(refused.value)


def test_a_complete_production_environment_starts(monkeypatch, tmp_path):
    production_environment(monkeypatch)
    loaded = config.load(str(tmp_path))
    assert loaded["PORTAL_BASE_URL"] == BASE_URL
    assert loaded["TRUSTED_PROXIES"] == 0
    assert loaded["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True


def test_production_names_everything_missing_at_once(monkeypatch, tmp_path):
    message = refusal(
        monkeypatch,
        tmp_path,
        SECRET_KEY=None,
        FIELD_ENCRYPTION_KEYS=None,
        BOOKING_CODE_KEY=None,
        IDENTITY_KEY=None,
        PORTAL_BASE_URL=None,
        RATELIMIT_STORAGE_URI=None,
    )
    for name in (
        "SECRET_KEY",
        "FIELD_ENCRYPTION_KEYS",
        "BOOKING_CODE_KEY",
        "IDENTITY_KEY",
        "PORTAL_BASE_URL",
        "RATELIMIT_STORAGE_URI",
    ):
        assert name in message


@pytest.mark.parametrize("name", ["SECRET_KEY", "BOOKING_CODE_KEY", "IDENTITY_KEY"])
def test_production_refuses_a_short_key(monkeypatch, tmp_path, name):
    message = refusal(monkeypatch, tmp_path, **{name: "x" * 31})
    assert f"{name} is too short" in message
    production_environment(monkeypatch, **{name: "x" * 32})
    assert config.load(str(tmp_path))[name] == "x" * 32


@pytest.mark.parametrize("env", ["production", "testing"])
def test_encryption_keys_must_be_fernet_keys(monkeypatch, tmp_path, env):
    good = Fernet.generate_key().decode()
    message = refusal(
        monkeypatch,
        tmp_path,
        PORTAL_ENV=env,
        FIELD_ENCRYPTION_KEYS=f"{good},not-a-fernet-key",
    )
    assert "FIELD_ENCRYPTION_KEYS: key number 2 is not a Fernet key" in message
    assert good not in message


@pytest.mark.parametrize(
    "address", ["http://familie.kommune.dk", "familie.kommune.dk", "https://"]
)
def test_production_needs_an_https_base_url(monkeypatch, tmp_path, address):
    assert "PORTAL_BASE_URL" in refusal(monkeypatch, tmp_path, PORTAL_BASE_URL=address)


def test_production_refuses_memory_rate_limits_unless_allowed(monkeypatch, tmp_path):
    message = refusal(monkeypatch, tmp_path, RATELIMIT_STORAGE_URI="memory://")
    assert "RATELIMIT_STORAGE_URI is memory://" in message
    assert "RATELIMIT_ALLOW_MEMORY=1" in message
    production_environment(
        monkeypatch, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ALLOW_MEMORY="1"
    )
    assert config.load(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "memory://"


def test_testing_and_development_need_none_of_it(monkeypatch, tmp_path):
    for env in ("testing", "development"):
        monkeypatch.setenv("PORTAL_ENV", env)
        loaded = config.load(str(tmp_path))
        assert loaded["PORTAL_BASE_URL"] == config.DEVELOPMENT_BASE_URL
        assert loaded["TRUSTED_HOSTS"] is None


def test_an_unknown_environment_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "prod")
    with pytest.raises(config_env.ConfigurationError, match="PORTAL_ENV='prod'"):
        config.load(str(tmp_path))


def test_production_mail_without_mail_server_fails_loudly(app, db_session, tmp_path):
    folder = tmp_path / "mail"
    app.config.update(PORTAL_ENV="production", MAIL_SERVER="", MAIL_FOLDER=folder)
    enqueue(
        db_session,
        kind=MessageKind.CANCELLED,
        dedupe_key="cancelled:test",
        recipient="mor@example.dk",
        subject="Familieportalen",
        body="Hej",
    )
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code != 0
    assert "MAIL_SERVER is not set" in result.output
    db_session.expire_all()
    [message] = db_session.scalars(select(OutboxMessage)).all()
    assert message.sent_at is None and message.attempts == 0
    assert not folder.exists()


def test_mail_folder_stays_for_development_and_tests(app, tmp_path):
    app.config.update(MAIL_SERVER="", MAIL_FOLDER=tmp_path / "mail")
    assert isinstance(transport_for(app), FolderTransport)
