"""MitID's configuration: optional in production, complete once an issuer is set;
the local provider never starts in production."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from portal import config, config_env
from portal.dev_mitid import RefusedOutsideDevelopment, provider_in_thread
from tests.production import production_environment

ISSUER = "https://mitid-broker.example"


def refusal(monkeypatch, tmp_path, **overrides) -> str:
    production_environment(monkeypatch, **overrides)
    with pytest.raises(config_env.ConfigurationError) as refused:
        config.load(str(tmp_path))
    return str(refused.value)


def test_production_without_an_issuer_starts_without_mitid(monkeypatch, tmp_path):
    production_environment(monkeypatch)
    assert config.load(str(tmp_path))["OIDC_ISSUER"] == ""


def test_production_with_an_issuer_needs_the_client_id_and_secret(
    monkeypatch, tmp_path
):
    message = refusal(monkeypatch, tmp_path, OIDC_ISSUER=ISSUER)
    assert "OIDC_CLIENT_ID is missing" in message
    assert "OIDC_CLIENT_SECRET is missing" in message


def test_production_needs_https_to_the_provider(monkeypatch, tmp_path):
    message = refusal(
        monkeypatch,
        tmp_path,
        OIDC_ISSUER="http://mitid-broker.example",
        OIDC_CLIENT_ID="portal",
        OIDC_CLIENT_SECRET="s3cret-from-the-broker",
    )
    assert "OIDC_ISSUER must be" in message


def test_a_complete_mitid_configuration_starts(monkeypatch, tmp_path):
    production_environment(
        monkeypatch,
        OIDC_ISSUER=ISSUER + "/",
        OIDC_CLIENT_ID="portal",
        OIDC_CLIENT_SECRET="s3cret-from-the-broker",
        OIDC_ACR="https://data.gov.dk/concept/core/nsis/loa/High",
    )
    loaded = config.load(str(tmp_path))
    assert loaded["OIDC_ISSUER"] == ISSUER


def test_an_unknown_assurance_level_is_refused(monkeypatch, tmp_path):
    assert "OIDC_ACR must be one of" in refusal(
        monkeypatch, tmp_path, OIDC_ACR="Substantial"
    )


@pytest.mark.parametrize("env", ["production", "staging", ""])
def test_the_local_provider_refuses_to_start_outside_development(env):
    with pytest.raises(RefusedOutsideDevelopment), provider_in_thread(env):
        pytest.fail("the provider started")


def test_the_dev_mitid_command_refuses_in_production(app):
    app.config["PORTAL_ENV"] = "production"
    result = CliRunner().invoke(app.cli, ["dev-mitid", "--port", "0"])
    assert result.exit_code != 0
    assert "only runs with PORTAL_ENV" in result.output
