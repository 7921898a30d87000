"""The local MitID stand-in for development and the tests: a real OpenID Connect
provider (the PyPI package oidc-provider-mock) in a thread of this process.

It signs in anyone who types a ``sub``, has no TLS and runs Werkzeug's debugger,
so it must never run in production: ``provider_in_thread`` refuses there, and the
portal never starts it by itself (``make run`` starts ``flask --app portal
dev-mitid`` beside the server).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

#: Where the provider may run.
ALLOWED_ENVIRONMENTS = ("development", "testing")


class RefusedOutsideDevelopment(RuntimeError):
    """The local provider was asked to start in production."""


@contextmanager
def provider_in_thread(
    portal_env: str,
    *,
    port: int = 0,
    identities: Mapping[str, Mapping[str, object]] | None = None,
) -> Iterator[str]:
    """Run the provider while the block runs and give its issuer address.
    ``identities`` maps a ``sub`` to the claims its ID tokens carry (e.g. ``acr``);
    they show as one-click buttons on its log-in page."""
    if portal_env not in ALLOWED_ENVIRONMENTS:
        raise RefusedOutsideDevelopment(
            f"the local MitID provider only runs with PORTAL_ENV in "
            f"{ALLOWED_ENVIRONMENTS}, not {portal_env!r}"
        )
    with warnings.catch_warnings():
        # The package still imports authlib.jose, which Authlib marks deprecated.
        warnings.simplefilter("ignore", DeprecationWarning)
        import oidc_provider_mock

    users = [
        oidc_provider_mock.User(sub=sub, claims=dict(claims))
        for sub, claims in (identities or {}).items()
    ]
    with oidc_provider_mock.run_server_in_thread(
        port=port, require_nonce=True, user_claims=users
    ) as server:
        yield f"http://localhost:{server.server_port}"
