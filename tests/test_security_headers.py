"""Every page sends the security headers; pages of logged-in users are not cached."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from tests.production import production_environment

REQUIRED = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def get_routes(app) -> list[str]:
    """Every GET route without URL parameters, so new pages are covered by default."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


def assert_security_headers(response) -> None:
    for name, value in REQUIRED.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"


def test_every_route_sends_security_headers(app, client):
    routes = get_routes(app)
    assert "/" in routes and "/log-ind" in routes
    for url in [*routes, "/findes-ikke", "/static/css/portal.css"]:
        response = client.get(url)
        assert_security_headers(response)
        response.close()


def test_every_route_sends_security_headers_when_logged_in(
    app, client, auth, make_user
):
    auth.login(make_user(Role.LEADER))
    for url in get_routes(app):
        response = client.get(url)
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store", url


def test_logged_in_family_pages_are_not_stored(client, auth, make_user):
    auth.login(make_user(Role.FAMILY))
    for url in ["/", "/familie", "/konto/adgangskode", "/privatliv"]:
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://familie.example.dk")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("url", ["/", "/log-ind", "/privatliv"])
def test_pages_load_nothing_from_other_hosts(client, url):
    import re

    page = client.get(url).get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    external = [
        source for source in sources if source.startswith(("http:", "https:", "//"))
    ]
    assert external == []


def test_secure_cookie_outside_development(monkeypatch, tmp_path):
    from portal import config

    production_environment(monkeypatch)
    assert config.load(str(tmp_path))["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("PORTAL_ENV", "development")
    assert config.load(str(tmp_path))["SESSION_COOKIE_SECURE"] is False


def test_forms_may_lead_to_the_mitid_provider_only_once_one_is_set(app, client):
    """The MitID log-in and log-out buttons are forms answered with a redirect to
    the provider, and browsers hold those redirects to form-action."""

    def form_action() -> str:
        csp = client.get("/log-ind").headers["Content-Security-Policy"]
        return dict(part.strip().split(" ", 1) for part in csp.split(";"))[
            "form-action"
        ]

    app.config["OIDC_ISSUER"] = ""
    assert form_action() == "'self'"
    app.config["OIDC_ISSUER"] = "https://mitid.example.dk/broker/oidc"
    assert form_action() == "'self' https://mitid.example.dk"
