"""The secrets the portal needs: read from the environment, generated once into
instance/secrets.json in development only, and checked (encryption keys parse).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
