"""What start-up demands of the environment: secrets, and the production checks.

Each problem names the variable to set; start-up lists them all at once.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

#: Secrets the portal needs, with a generator for development.
SECRET_NAMES = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(48),
    # Keys encrypted fields (TOTP secrets, home-visit addresses). Comma-separated
    # Fernet keys: the first encrypts, all decrypt, so keys can be rotated.
    "FIELD_ENCRYPTION_KEYS": lambda: Fernet.generate_key().decode(),
    # Keys the HMAC of booking codes; kept out of the database on purpose.
    "BOOKING_CODE_KEY": lambda: secrets.token_urlsafe(32),
    # Keys the HMAC that finds a family member by their MitID identity or e-mail
    # address (``crypto.lookup_hash``); changing it unlinks every member.
    "IDENTITY_KEY": lambda: secrets.token_urlsafe(32),
}


#: The NSIS assurance levels a MitID log-in can have, lowest first.
ACR_LEVELS = tuple(
    f"https://data.gov.dk/concept/core/nsis/loa/{level}"
    for level in ("Low", "Substantial", "High")
)
ACR_SUBSTANTIAL = ACR_LEVELS[1]

#: Secrets used as HMAC or signing keys: shorter ones can be guessed offline.
MIN_SECRET_LENGTH = 32


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment cannot run the portal safely."""


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ConfigurationError(f"{name} must be a whole number >= 0, not {value!r}.")
    return int(value)


def refuse_to_start(problems: list[str]) -> None:
    """Stop start-up with every problem at once, and how to fix them."""
    if problems:
        raise ConfigurationError(
            "Familieportalen cannot start:\n- "
            + "\n- ".join(problems)
            + "\nSee README.md, 'Configuration' and 'Deployment' (generate keys "
            'with `python -c "import secrets; print(secrets.token_urlsafe(48))"` '
            'and `python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"`), or set '
            "PORTAL_ENV=development for a local development server."
        )


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """What a production start-up refuses, each naming the variable to set.

    Memory rate limits: each worker has its own memory, so an attacker gets every
    limit once per worker. The portal cannot see how many workers gunicorn runs
    (``--workers`` is not in its environment), so production refuses memory://
    unless the operator states that one worker runs: RATELIMIT_ALLOW_MEMORY=1."""
    problems = []
    base = urlsplit(config["PORTAL_BASE_URL"])
    if base.scheme != "https" or not base.hostname:
        problems.append(
            "PORTAL_BASE_URL must be the portal's public https:// address, e.g. "
            "https://familie.kommune.dk: links in e-mails, QR codes and calendar "
            "feeds are built from it"
        )
    if (
        config["RATELIMIT_ENABLED"]
        and config["RATELIMIT_STORAGE_URI"].startswith("memory://")
        and not env_bool("RATELIMIT_ALLOW_MEMORY", False)
    ):
        problems.append(
            "RATELIMIT_STORAGE_URI is memory://, so each worker counts log-in and "
            "booking-code attempts on its own: set RATELIMIT_STORAGE_URI="
            "redis://host:6379/0, or RATELIMIT_ALLOW_MEMORY=1 if exactly one "
            "worker process runs"
        )
    for name in ("SECRET_KEY", "BOOKING_CODE_KEY", "IDENTITY_KEY"):
        if name in config and len(config[name]) < MIN_SECRET_LENGTH:
            problems.append(
                f"{name} is too short: use at least {MIN_SECRET_LENGTH} random "
                "characters"
            )
    return problems


def mitid_problems(config: Mapping[str, Any]) -> list[str]:
    """MitID is optional (no OIDC_ISSUER: no button); once an issuer is set, the
    portal must be able to prove who it is to it, over HTTPS in production, and ask
    for a known assurance level."""
    problems = []
    if config["OIDC_ACR"] not in ACR_LEVELS:
        problems.append(
            "OIDC_ACR must be one of "
            + ", ".join(ACR_LEVELS)
            + f", not {config['OIDC_ACR']!r}"
        )
    issuer = config["OIDC_ISSUER"]
    if not issuer or config["PORTAL_ENV"] != "production":
        return problems
    if urlsplit(issuer).scheme != "https":
        problems.append("OIDC_ISSUER must be the MitID provider's https:// address")
    for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        if not config[name]:
            problems.append(f"{name} is missing: OIDC_ISSUER is set, so MitID needs it")
    return problems


def secret_problems(config: Mapping[str, Any], development: bool) -> list[str]:
    """Missing secrets (outside development) and encryption keys that do not parse."""
    problems = [
        f"{name} is missing"
        for name in SECRET_NAMES
        if name not in config and not development
    ]
    keys = [
        key.strip()
        for key in config.get("FIELD_ENCRYPTION_KEYS", "").split(",")
        if key.strip()
    ]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            problems.append(
                f"FIELD_ENCRYPTION_KEYS: key number {position} is not a Fernet key "
                "(32 url-safe base64-encoded bytes)"
            )
    return problems


def load_secrets(instance: Path, development: bool) -> dict[str, str]:
    """Secrets from the environment; missing ones are generated into instance/ in
    development only (elsewhere ``secret_problems`` reports them)."""
    found = {name: os.environ[name] for name in SECRET_NAMES if os.environ.get(name)}
    missing = [name for name in SECRET_NAMES if name not in found]
    if not missing or not development:
        return found
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
