"""Configuration: safe defaults, overridden by the environment.

Secrets never live in the repository. In development they are generated once into
``instance/secrets.json``; in production a missing secret stops start-up.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

from portal.i18n import LOCAL

#: Secrets the portal needs, with a generator for development.
SECRET_NAMES = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(48),
    # Keys encrypted fields (TOTP secrets, home-visit addresses). Comma-separated
    # Fernet keys: the first encrypts, all decrypt, so keys can be rotated.
    "FIELD_ENCRYPTION_KEYS": lambda: Fernet.generate_key().decode(),
    # Keys the HMAC of booking codes; kept out of the database on purpose.
    "BOOKING_CODE_KEY": lambda: secrets.token_urlsafe(32),
}


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment cannot run the portal safely."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load(instance_path: str) -> dict:
    """Build the configuration from defaults and the environment."""
    env = os.environ.get("PORTAL_ENV", "production").strip().lower()
    development = env == "development"
    instance = Path(instance_path)
    config: dict = {
        "PORTAL_ENV": env,
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'portal.db'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SQLALCHEMY_ECHO": False,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": False,
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
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", True),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get(
            "MAIL_SENDER", "Familieportalen <no-reply@familieportalen.local>"
        ),
        # Where the portal is reached from outside: links in e-mails sent from cron,
        # where no request tells us the host.
        "PORTAL_BASE_URL": os.environ.get(
            "PORTAL_BASE_URL", "http://127.0.0.1:5000"
        ).rstrip("/"),
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": LOCAL.key,
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "LANGUAGES": ("da", "en", "ar"),
        # Idle and absolute limits of a logged-in session, checked on every request.
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")),
        "SESSION_COOKIE_NAME": "familieportalen",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
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
        # Anti-automation (portal/booking/limits.py): per client, times chosen an
        # hour, times held at once and new courses a day; in total, the share of
        # a week's free times that may be held at once.
        "BOOKING_HOLDS_PER_HOUR": int(os.environ.get("BOOKING_HOLDS_PER_HOUR", "10")),
        "BOOKING_ACTIVE_HOLDS": int(os.environ.get("BOOKING_ACTIVE_HOLDS", "3")),
        "BOOKING_COURSES_PER_DAY": int(os.environ.get("BOOKING_COURSES_PER_DAY", "5")),
        "BOOKING_MAX_HELD_SHARE": float(
            os.environ.get("BOOKING_MAX_HELD_SHARE", "0.3")
        ),
    }
    config.update(_secrets(instance, development))
    return config


def _secrets(instance: Path, development: bool) -> dict:
    """Secrets from the environment; generated into instance/ in development only."""
    found = {name: os.environ[name] for name in SECRET_NAMES if os.environ.get(name)}
    missing = [name for name in SECRET_NAMES if name not in found]
    if not missing:
        return found
    if not development:
        raise ConfigurationError(
            "Missing secret(s) in the environment: "
            + ", ".join(missing)
            + ". Set them before starting Familieportalen in production "
            "(see README.md, 'Configuration'), or set PORTAL_ENV=development "
            "for a local development server."
        )
    path = instance / "secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    changed = False
    for name in missing:
        if name not in stored:
            stored[name] = SECRET_NAMES[name]()
            changed = True
    if changed:
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(stored, handle, indent=2)
    return {**{name: stored[name] for name in missing}, **found}
