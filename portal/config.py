"""Configuration: safe defaults, overridden by the environment.

Secrets never live in the repository. In development they are generated once into
``instance/secrets.json``; in production a missing or weak secret, and any setting a
real deployment cannot do without, stops start-up with a message naming it
(``config_secrets``, ``config_checks``; read with ``config_env``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal.config_checks import ACR_SUBSTANTIAL, mitid_problems, production_problems
from portal.config_env import ConfigurationError, env_bool, env_int, refuse_to_start
from portal.config_secrets import load_secrets, secret_problems
from portal.i18n import LOCAL

ENVIRONMENTS = ("development", "testing", "production")
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def load(instance_path: str) -> dict[str, Any]:
    """Build the configuration from defaults and the environment."""
    env = os.environ.get("PORTAL_ENV", "production").strip().lower()
    if env not in ENVIRONMENTS:
        # A typo must not quietly skip the production checks.
        raise ConfigurationError(
            f"PORTAL_ENV={env!r} is unknown; use one of {', '.join(ENVIRONMENTS)}."
        )
    development = env == "development"
    production = env == "production"
    instance = Path(instance_path)
    base_url = os.environ.get("PORTAL_BASE_URL", "").strip().rstrip("/")
    if not production:
        base_url = base_url or DEVELOPMENT_BASE_URL
    config: dict[str, Any] = {
        "PORTAL_ENV": env,
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'portal.db'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SQLALCHEMY_ECHO": False,
        "RATELIMIT_STORAGE_URI": os.environ.get(
            "RATELIMIT_STORAGE_URI", "memory://"
        ).strip(),
        "RATELIMIT_ENABLED": env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": False,
        # While Redis is away, count in each worker's memory (Flask-Limiter logs a
        # warning) rather than answer 500 to every log-in and code look-up.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # How many reverse proxies in front of the portal add X-Forwarded-For and
        # X-Forwarded-Proto. 0: the headers are ignored, as any client can send them.
        "TRUSTED_PROXIES": env_int("TRUSTED_PROXIES", 0),
        # How long members of a closed family can still log in and read; then the
        # purge erases the family.
        "FAMILY_READ_MONTHS_AFTER_CLOSE": env_int("FAMILY_READ_MONTHS_AFTER_CLOSE", 12),
        # A session rating with any item below this asks for the counsellor's
        # attention (feedback-informed practice: raise it in the next talk).
        "FEEDBACK_LOW_SCORE": env_int("FEEDBACK_LOW_SCORE", 6),
        # How long a leader's stated reason for opening a family holds.
        "LEADER_REASON_MINUTES": env_int("LEADER_REASON_MINUTES", 30),
        # Host headers the portal answers to; anything else gets 400.
        "TRUSTED_HOSTS": _trusted_hosts(production, base_url),
        "MUNICIPALITY_NAME": os.environ.get("MUNICIPALITY_NAME", "Demokommune"),
        "MUNICIPALITY_PHONE": os.environ.get("MUNICIPALITY_PHONE", "70 10 20 30"),
        "MUNICIPALITY_EMAIL": os.environ.get(
            "MUNICIPALITY_EMAIL", "familieraadgivning@demokommune.dk"
        ),
        "MUNICIPALITY_ADDRESS": os.environ.get(
            "MUNICIPALITY_ADDRESS", "Rådhustorvet 1, 7190 Demoby"
        ),
        "MUNICIPALITY_HOURS": os.environ.get(
            "MUNICIPALITY_HOURS", "Mandag-torsdag 9-15, fredag 9-13"
        ),
        # The opening hours in the other languages a parent may read the portal in.
        "MUNICIPALITY_HOURS_EN": os.environ.get(
            "MUNICIPALITY_HOURS_EN", "Monday-Thursday 9-15, Friday 9-13"
        ),
        "MUNICIPALITY_HOURS_AR": os.environ.get(
            "MUNICIPALITY_HOURS_AR", "الاثنين-الخميس 9-15، الجمعة 9-13"
        ),
        # MitID log-in through an OpenID Connect provider (portal/accounts/mitid.py).
        # Without an issuer the button is hidden; `make run` starts a local one.
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", "").strip().rstrip("/"),
        "OIDC_CLIENT_ID": os.environ.get(
            "OIDC_CLIENT_ID", "" if production else "familieportalen-dev"
        ).strip(),
        "OIDC_CLIENT_SECRET": os.environ.get(
            "OIDC_CLIENT_SECRET", "" if production else "dev-secret-not-for-production"
        ).strip(),
        "OIDC_ACR": os.environ.get("OIDC_ACR", ACR_SUBSTANTIAL).strip(),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": env_bool("MAIL_USE_TLS", True),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get(
            "MAIL_SENDER", "Familieportalen <no-reply@familieportalen.local>"
        ),
        # Where the portal is reached from outside. Every absolute address (links in
        # e-mails, QR codes, the calendar feed and its UIDs) is built from it, never
        # from the Host header a client sends.
        "PORTAL_BASE_URL": base_url,
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": LOCAL.key,
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "LANGUAGES": ("da", "en", "ar"),
        # Idle and absolute limits of a logged-in session, checked on every request.
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")),
        # Secure cookies are renamed "__Host-familieportalen" (security.init_app);
        # that prefix also needs Path=/ and no Domain.
        "SESSION_COOKIE_NAME": "familieportalen",
        "SESSION_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Flask-WTF's strict mode also demands a same-origin Referer on HTTPS, but
        # the portal sends "Referrer-Policy: no-referrer" (addresses can carry a
        # feed token or say which page a parent was on), and browser settings,
        # extensions and municipal proxies strip the header too: every POST would
        # fail. The Referer check guards against a token planted over plain HTTP
        # or from a sibling subdomain; the __Host- session cookie (Secure, no
        # Domain), HSTS and SameSite=Lax already shut that door, and every form
        # still needs the session-bound token.
        "WTF_CSRF_SSL_STRICT": False,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Anonymous booking: closed days besides public holidays ("MM-DD"), how late
        # a parent may cancel or move, how long a held time is kept, and after how
        # many days without activity an anonymous course is erased.
        "BOOKING_CLOSED_DATES": [
            day.strip()
            for day in os.environ.get("BOOKING_CLOSED_DATES", "12-24,12-31").split(",")
            if day.strip()
        ],
        "BOOKING_CANCEL_CUTOFF_HOURS": int(
            os.environ.get("BOOKING_CANCEL_CUTOFF_HOURS", "2")
        ),
        "BOOKING_HOLD_MINUTES": int(os.environ.get("BOOKING_HOLD_MINUTES", "10")),
        "BOOKING_RETENTION_DAYS": int(os.environ.get("BOOKING_RETENTION_DAYS", "183")),
        # Where and how we meet (portal/booking/meeting.py): whether we call the
        # parent for a phone talk, and the municipality's own sentence per way of
        # talking and language, e.g. MEETING_TEXT_CENTRE_DA.
        "MEETING_WE_CALL": env_bool("MEETING_WE_CALL", True),
        "MEETING_TEXTS": _meeting_texts(),
        # Spread the five: how many talks of one course may lie ahead at a time.
        "BOOKING_MAX_UPCOMING": env_int("BOOKING_MAX_UPCOMING", 2),
        # Anti-automation (portal/booking/anti_automation.py): per client, times
        # chosen an hour, times held at once and new courses a day; in total, the
        # share of a week's free times that may be held at once.
        "BOOKING_HOLDS_PER_HOUR": int(os.environ.get("BOOKING_HOLDS_PER_HOUR", "10")),
        "BOOKING_ACTIVE_HOLDS": int(os.environ.get("BOOKING_ACTIVE_HOLDS", "3")),
        "BOOKING_COURSES_PER_DAY": int(os.environ.get("BOOKING_COURSES_PER_DAY", "5")),
        "BOOKING_MAX_HELD_SHARE": float(
            os.environ.get("BOOKING_MAX_HELD_SHARE", "0.3")
        ),
    }
    config.update(load_secrets(instance, development))
    problems = secret_problems(config, development) + mitid_problems(config)
    if production:
        problems += production_problems(config)
    refuse_to_start(problems)
    return config


def _meeting_texts() -> dict[str, dict[str, str]]:
    """MEETING_TEXT_<MODE>_<LANGUAGE> (e.g. MEETING_TEXT_CENTRE_DA) as
    {"centre": {"da": ...}}; unset ones fall back to the translated default."""
    texts: dict[str, dict[str, str]] = {}
    for mode in ("centre", "home", "phone", "video"):
        for language in ("da", "en", "ar"):
            value = os.environ.get(f"MEETING_TEXT_{mode}_{language}".upper(), "")
            if value.strip():
                texts.setdefault(mode, {})[language] = value.strip()
    return texts


def _trusted_hosts(production: bool, base_url: str) -> list[str] | None:
    """TRUSTED_HOSTS (comma-separated); in production PORTAL_BASE_URL's host by
    default. None lets any Host in, which only development and the tests need."""
    hosts = [
        host.strip()
        for host in os.environ.get("TRUSTED_HOSTS", "").split(",")
        if host.strip()
    ]
    if hosts or not production:
        return hosts or None
    hostname = urlsplit(base_url).hostname
    return [hostname] if hostname else []
