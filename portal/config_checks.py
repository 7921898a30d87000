"""What a production start-up demands, and MitID's settings once it is on.

Each problem names the variable to set; start-up lists them all at once
(``config_env.refuse_to_start``); the secrets are checked in ``config_secrets``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from portal.config_env import env_bool

#: The NSIS assurance levels a MitID log-in can have, lowest first.
ACR_LEVELS = tuple(
    f"https://data.gov.dk/concept/core/nsis/loa/{level}"
    for level in ("Low", "Substantial", "High")
)
ACR_SUBSTANTIAL = ACR_LEVELS[1]

#: Secrets used as HMAC or signing keys: shorter ones can be guessed offline.
MIN_SECRET_LENGTH = 32


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
