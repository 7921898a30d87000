"""Reading the environment at start-up, and refusing to start with every problem
listed at once, each naming the variable to set.
"""

from __future__ import annotations

import os


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
