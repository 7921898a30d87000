"""MitID log-in over OpenID Connect: the client, and the checks of what the
provider says about who logged in.

The commercial MitID brokers (and NemLog-in, through a bridge) speak OpenID
Connect. Authlib runs the authorization-code flow with PKCE (S256), a ``state``
bound to this browser's session and a ``nonce`` bound to the ID token, and checks
the token's signature against the provider's published keys. The portal then
checks issuer, audience, expiry, nonce and assurance level again itself
(``check_claims``), so neither a library default nor a provider's quirk lets a
weaker token through. The provider's ``sub`` is never stored: only its keyed
hash (``subject_key``).

Who the ``sub`` belongs to is the families' business (``portal.families``):
this module only says that the answer is genuine.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import current_app, request, session
from joserfc.errors import JoseError
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.config_checks import ACR_LEVELS
from portal.crypto import lookup_hash

#: Seconds of clock difference allowed between the provider and the portal.
LEEWAY_SECONDS = 60
#: The flow this browser started: our nonce and what to do on return.
FLOW_KEY = "mitid_flow"
#: Kept for log-out, which ends the session at the provider with it as a hint.
ID_TOKEN_KEY = "mitid_id_token"  # noqa: S105 - a session key, not a secret
_MAX_SUBJECT_LENGTH = 255


class MitIDRefused(Exception):
    """The provider's answer is not accepted. ``code`` says which check failed
    (for the log and the page), never anything about the person."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class MitIDUnavailable(Exception):
    """The provider could not be reached or answered nonsense."""


@dataclass(frozen=True)
class Identity:
    """A verified MitID log-in: the keyed hash of the ``sub``, the ID token (for
    log-out), the invitation the flow was started from, if any, and the
    assurance level the provider vouched for (``acr``, checked)."""

    subject_key: str
    id_token: str
    invitation: str | None
    acr: str = ""


def enabled() -> bool:
    """MitID is offered only when a provider is configured."""
    return bool(current_app.config["OIDC_ISSUER"])


def subject_key(sub: str) -> str:
    return lookup_hash("mitid", sub)


def _client() -> Any:
    """This app's Authlib client, registered on first use from the configuration
    (the provider's metadata is then fetched once and kept)."""
    client = current_app.extensions.get("mitid_client")
    if client is None:
        config = current_app.config
        client = OAuth(current_app).register(
            "mitid",
            server_metadata_url=config["OIDC_ISSUER"]
            + "/.well-known/openid-configuration",
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            client_kwargs={
                "scope": "openid",
                "code_challenge_method": "S256",
                "default_timeout": 10,
            },
        )
        current_app.extensions["mitid_client"] = client
    return client


def start(redirect_uri: str, *, invitation: str | None = None) -> WerkzeugResponse:
    """Send the browser to the provider; ``invitation`` (a public id) is linked to
    the identity on return."""
    nonce = secrets.token_urlsafe(32)
    session[FLOW_KEY] = {"nonce": nonce, "invitation": invitation}
    try:
        response: WerkzeugResponse = _client().authorize_redirect(
            redirect_uri, nonce=nonce, acr_values=current_app.config["OIDC_ACR"]
        )
    except (OSError, ValueError, AuthlibBaseError) as error:
        raise MitIDUnavailable from error
    return response


def finish(now: datetime) -> Identity:
    """The verified identity of the provider's answer on the callback; raises
    MitIDRefused (with why) or MitIDUnavailable. The flow is used up either way."""
    flow = session.pop(FLOW_KEY, None)
    if request.args.get("error"):
        raise MitIDRefused("cancelled")
    if not isinstance(flow, dict):
        raise MitIDRefused("state")
    try:
        token = _client().authorize_access_token(leeway=LEEWAY_SECONDS)
    except MismatchingStateError as error:
        raise MitIDRefused("state") from error
    except AuthlibBaseError as error:
        raise MitIDRefused("provider") from error
    except JoseError as error:
        raise MitIDRefused("token") from error
    except (OSError, ValueError) as error:
        raise MitIDUnavailable from error
    claims = token.get("userinfo")
    if not isinstance(claims, dict):
        raise MitIDRefused("token")
    sub = check_claims(claims, nonce=str(flow.get("nonce", "")), now=now)
    return Identity(
        subject_key=subject_key(sub),
        id_token=str(token.get("id_token", "")),
        invitation=flow.get("invitation"),
        acr=str(claims.get("acr", "")),
    )


def meets_level(acr: object, required: str) -> bool:
    """Whether the assurance level ``acr`` is ``required`` or higher."""
    if not isinstance(acr, str) or acr not in ACR_LEVELS:
        return False
    return ACR_LEVELS.index(acr) >= ACR_LEVELS.index(required)


def check_claims(claims: dict[str, Any], *, nonce: str, now: datetime) -> str:
    """The ``sub`` of verified ID-token claims, if the token was issued by our
    provider, to us, for this very log-in, is still valid and proves at least
    OIDC_ACR; otherwise MitIDRefused."""
    config = current_app.config
    if claims.get("iss") != config["OIDC_ISSUER"]:
        raise MitIDRefused("issuer")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    client_id = config["OIDC_CLIENT_ID"]
    if client_id not in audiences or (
        len(audiences) > 1 and claims.get("azp") != client_id
    ):
        raise MitIDRefused("audience")
    expires = claims.get("exp")
    if (
        not isinstance(expires, int | float)
        or expires + LEEWAY_SECONDS <= now.timestamp()
    ):
        raise MitIDRefused("expired")
    if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise MitIDRefused("nonce")
    if not meets_level(claims.get("acr"), config["OIDC_ACR"]):
        raise MitIDRefused("assurance")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip() or len(sub) > _MAX_SUBJECT_LENGTH:
        raise MitIDRefused("subject")
    return sub


def end_session_url(id_token: str, post_logout_redirect_uri: str) -> str | None:
    """Where to end the session at the provider too, if it offers that
    (RP-initiated log-out); None otherwise, or when it cannot be asked now."""
    if not enabled() or not id_token:
        return None
    try:
        client = _client()
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        url: str = client.create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri,
            id_token_hint=id_token,
            client_id=current_app.config["OIDC_CLIENT_ID"],
        )["url"]
    except (OSError, ValueError, AuthlibBaseError):
        return None
    return url
