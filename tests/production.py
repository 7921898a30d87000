"""For tests of the deployed set-up: a complete production environment, and a
stopped clock for rate limits."""

from __future__ import annotations

import secrets

from cryptography.fernet import Fernet

BASE_URL = "https://familie.kommune.dk"


def production_environment(monkeypatch, **overrides: str | None) -> None:
    """Set what production refuses to start without; ``None`` removes a variable."""
    values = {
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BOOKING_CODE_KEY": secrets.token_urlsafe(32),
        "IDENTITY_KEY": secrets.token_urlsafe(32),
        "PORTAL_BASE_URL": BASE_URL,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        **overrides,
    }
    for name, value in values.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
