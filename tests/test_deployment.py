"""The portal as deployed: behind a TLS-terminating reverse proxy, with secure cookies.

Forms work over HTTPS although browsers send no Referer, rate limits count each
client behind the proxy (and only behind a trusted one), absolute addresses come
from PORTAL_BASE_URL, never the Host header, and the session cookie is ``__Host-``.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from icalendar import Calendar

from portal import create_app
from portal.accounts.models import Role
from portal.booking import qr
from portal.calendar.feed import create_feed
from tests.conftest import PASSWORD, csrf_token_from
from tests.production import BASE_URL, production_environment
from tests.svg import encoded_texts, self_contained

#: Production's cookie settings, behind one proxy that terminates TLS.
behind_https_proxy = pytest.mark.app_config(
    TRUSTED_PROXIES=1, SESSION_COOKIE_SECURE=True
)
HTTPS = {"X-Forwarded-Proto": "https"}
FORGED_HOST = "evil.example"


def t(message: str) -> str:
    with force_locale("da"):
        return gettext(message)


def log_in_form(client, headers: dict) -> str:
    """Open the family log-in page as a browser would; its CSRF token."""
    return csrf_token_from(client.get("/log-ind", headers=headers).get_data(True))


# --- forms over HTTPS ------------------------------------------------------------


@behind_https_proxy
def test_https_post_without_referer_works_with_the_token(client, make_user):
    user = make_user(Role.FAMILY)
    page = client.get("/log-ind", headers=HTTPS)
    assert "Strict-Transport-Security" in page.headers  # the portal sees HTTPS
    response = client.post(
        "/log-ind",
        data={
            "csrf_token": csrf_token_from(page.get_data(True)),
            "email": user.contact_email,
            "password": PASSWORD,
        },
        headers=HTTPS,  # and no Referer, as Referrer-Policy: no-referrer asks
    )
    assert response.status_code == 302, response.get_data(True)
    assert client.get("/familie", headers=HTTPS).status_code == 200


@behind_https_proxy
def test_https_post_without_the_token_is_refused(client, make_user):
    user = make_user(Role.FAMILY)
    log_in_form(client, HTTPS)  # the session exists, the token is not sent
    response = client.post(
        "/log-ind",
        data={"email": user.contact_email, "password": PASSWORD},
        headers=HTTPS,
    )
    assert response.status_code == 400
    assert t("The page was too old") in response.get_data(True)
    assert client.get("/familie", headers=HTTPS).status_code == 302


# --- rate limits per client behind the proxy -------------------------------------


def failed_log_ins(app, forwarded_for: str, times: int) -> list[int]:
    """``times`` wrong log-ins from a fresh browser whose proxy says it is
    ``forwarded_for``; the status codes."""
    client = app.test_client()
    headers = {**HTTPS, "X-Forwarded-For": forwarded_for}
    statuses = []
    for attempt in range(times):
        response = client.post(
            "/log-ind",
            data={
                "csrf_token": log_in_form(client, headers),
                "email": f"gaet{forwarded_for}-{attempt}@example.dk",
                "password": "forkert kode",
            },
            headers=headers,
        )
        statuses.append(response.status_code)
    return statuses


@behind_https_proxy
@pytest.mark.usefixtures("clock")
def test_clients_behind_a_trusted_proxy_have_their_own_limits(app):
    assert failed_log_ins(app, "198.51.100.7", 11) == [400] * 10 + [429]
    assert failed_log_ins(app, "203.0.113.9", 1) == [400]


@pytest.mark.usefixtures("clock")
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(app):
    assert app.config["TRUSTED_PROXIES"] == 0
    assert failed_log_ins(app, "198.51.100.7", 10) == [400] * 10
    # Another "client" that only writes another header is the same client.
    assert failed_log_ins(app, "203.0.113.9", 1) == [429]


def test_without_a_trusted_proxy_x_forwarded_proto_is_ignored(client):
    response = client.get("/", headers=HTTPS)
    assert "Strict-Transport-Security" not in response.headers


# --- hosts and absolute addresses -------------------------------------------------


@pytest.mark.app_config(TRUSTED_HOSTS=["familie.kommune.dk"])
def test_a_forged_host_is_refused(client):
    assert client.get("/", headers={"Host": "familie.kommune.dk"}).status_code == 200
    response = client.get("/", headers={"Host": FORGED_HOST})
    assert response.status_code == 400
    assert FORGED_HOST not in response.get_data(True)


def test_production_trusts_the_host_of_portal_base_url(monkeypatch, tmp_path):
    from portal import config

    production_environment(monkeypatch)
    assert config.load(str(tmp_path))["TRUSTED_HOSTS"] == ["familie.kommune.dk"]
    monkeypatch.setenv("TRUSTED_HOSTS", "familie.kommune.dk, intern.kommune.local")
    assert config.load(str(tmp_path))["TRUSTED_HOSTS"] == [
        "familie.kommune.dk",
        "intern.kommune.local",
    ]


@pytest.mark.app_config(PORTAL_BASE_URL=BASE_URL)
def test_feed_address_and_uids_come_from_portal_base_url(
    client, auth, make_user, db_session
):
    client.environ_base["HTTP_HOST"] = FORGED_HOST  # every request, cookies too
    counsellor = make_user(Role.COUNSELLOR)
    auth.login(counsellor)
    auth.post_form("/kalender/feed/ny", {}, page="/kalender/feed")
    page = client.get("/kalender/feed").get_data(True)
    assert f"{BASE_URL}/kalender/feed/" in page
    assert FORGED_HOST not in page
    _feed, token = create_feed(db_session, counsellor)
    db_session.commit()
    feed = client.get(f"/kalender/feed/{token}.ics")
    calendar = Calendar.from_ical(feed.get_data())
    assert str(calendar["UID"]).endswith("@familie.kommune.dk")


@pytest.mark.app_config(PORTAL_BASE_URL=BASE_URL)
def test_booking_qr_code_links_to_portal_base_url(app, monkeypatch):
    """The QR code carries PORTAL_BASE_URL's Min booking address (never the
    request's host), and nothing in the whole SVG points anywhere."""
    encoded = encoded_texts(monkeypatch)
    with app.test_request_context("/", headers={"Host": FORGED_HOST}):
        svg = qr.booking_qr_svg("ABCD-EFGH-JKMN-PQRS")
    assert encoded == [f"{BASE_URL}/min-booking#ABCD-EFGH-JKMN-PQRS"]
    self_contained(svg)


# --- the session cookie -----------------------------------------------------------


@behind_https_proxy
def test_session_cookie_is_host_only(client):
    response = client.get("/log-ind", headers=HTTPS)
    [cookie] = response.headers.getlist("Set-Cookie")
    name, _, attributes = cookie.partition(";")
    assert name.startswith("__Host-familieportalen=")
    attributes = {part.strip().split("=")[0].lower() for part in attributes.split(";")}
    assert {"secure", "path", "httponly", "samesite"} <= attributes
    assert "domain" not in attributes
    assert "Path=/;" in cookie or cookie.endswith("Path=/")


def test_cookie_is_host_only_in_production_only(monkeypatch, tmp_path):
    production_environment(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path}/p.db")
    assert create_app().config["SESSION_COOKIE_NAME"] == "__Host-familieportalen"
    monkeypatch.setenv("PORTAL_ENV", "development")
    assert create_app().config["SESSION_COOKIE_NAME"] == "familieportalen"


def test_log_out_clears_site_data(client, auth, make_user):
    auth.login(make_user(Role.FAMILY))
    assert auth.logout().status_code == 302
    # The page after log-out says so, and then has the browser forget the site.
    page = client.get("/")
    assert t("You are logged out.") in page.get_data(True)
    assert page.headers["Clear-Site-Data"] == '"cookies", "storage"'
    assert "Clear-Site-Data" not in client.get("/").headers  # once
    assert client.get("/familie").status_code == 302
