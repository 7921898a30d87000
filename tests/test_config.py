"""Start-up configuration: secrets from the environment, generated in development."""

from __future__ import annotations

import json

import pytest

from portal import config, create_app


def test_production_without_secret_key_stops_with_a_clear_message(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(config.ConfigurationError, match="SECRET_KEY"):
        config.load(str(tmp_path))


def test_development_generates_secrets_once(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "development")
    for name in config.SECRET_NAMES:
        monkeypatch.delenv(name)
    first = config.load(str(tmp_path))
    second = config.load(str(tmp_path))
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) > 40
    stored = tmp_path / "secrets.json"
    assert set(json.loads(stored.read_text())) == set(config.SECRET_NAMES)
    assert stored.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_environment_configures_database_and_municipality(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("MUNICIPALITY_NAME", "Billund Kommune")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")
    loaded = config.load(str(tmp_path))
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
