"""Encrypted columns (Fernet) and keyed look-up hashes, with keys from
configuration, not the database."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from flask import current_app
from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator


def keyring(keys: str) -> MultiFernet:
    """The Fernet keys of a FIELD_ENCRYPTION_KEYS value (comma-separated)."""
    return MultiFernet(
        [Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()]
    )


def _fernet() -> MultiFernet:
    return keyring(current_app.config["FIELD_ENCRYPTION_KEYS"])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest; the first configured key encrypts, all keys decrypt."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)


def lookup_hash(purpose: str, value: str) -> str:
    """A keyed hash to find a row by a value the database must not hold in clear
    (a MitID ``sub``, a family member's e-mail address). ``purpose`` keeps the
    hashes of different kinds of value apart."""
    key: str = current_app.config["IDENTITY_KEY"]
    message = f"{purpose}:{value.strip()}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
