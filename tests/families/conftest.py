"""What the families tests share: MitID tests run against a real OpenID Connect
provider (oidc-provider-mock) in a thread of the test process, started once per
run; and the known family with a calendar'ed counsellor of the session and page
tests."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.config_checks import ACR_LEVELS, ACR_SUBSTANTIAL
from portal.dev_mitid import provider_in_thread
from portal.mail.models import MessageKind, OutboxMessage
from tests.conftest import csrf_token_from


@pytest.fixture(scope="session")
def oidc_issuer():
    with provider_in_thread("testing") as issuer:
        yield issuer


class MitID:
    """Drives a log-in through the provider as a browser would: the portal's
    start button, the provider's log-in form (its ``sub`` field), and back."""

    def __init__(self, client, issuer):
        self.client = client
        self.issuer = issuer

    def identity(self, **claims) -> str:
        """A new identity at the provider; its ID tokens carry ``claims`` (on top
        of the provider's own, which a claim given here replaces)."""
        sub = f"person-{uuid.uuid4().hex[:12]}"
        self.set_claims(sub, **{"acr": ACR_SUBSTANTIAL, **claims})
        return sub

    def set_claims(self, sub: str, **claims) -> None:
        response = httpx.put(f"{self.issuer}/users/{sub}", json=claims)
        assert response.status_code == 204, response.text

    def start(self, url="/log-ind/mitid", page="/log-ind", data=None):
        """Press the portal's MitID button; returns the provider's address."""
        html = self.client.get(page).get_data(as_text=True)
        response = self.client.post(
            url, data={"csrf_token": csrf_token_from(html), **(data or {})}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
        assert location.startswith(self.issuer), location
        return location

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Log in at the provider as ``sub``; returns the portal's callback path."""
        response = httpx.post(authorize_url, data={"sub": sub})
        assert response.status_code == 302, response.text
        callback = urlsplit(response.headers["location"])
        assert callback.path == "/log-ind/mitid/svar"
        return f"{callback.path}?{callback.query}"

    def log_in(self, sub: str, **start):
        return self.client.get(self.authorize(self.start(**start), sub))


def with_query(path: str, **changes) -> str:
    """``path`` with some query parameters replaced."""
    parts = urlsplit(path)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return f"{parts.path}?{urlencode({**query, **changes})}"


@pytest.fixture
def mitid(app, client, oidc_issuer):
    app.config["OIDC_ISSUER"] = oidc_issuer
    return MitID(client, oidc_issuer)


INVITATION_LINK = re.compile(r"http://[^\s]+/invitation/([A-Za-z0-9_-]+)")


def invitation_token(db_session) -> str:
    """The token in the newest invitation e-mail in the outbox."""
    message = db_session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind == MessageKind.INVITATION)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, "no invitation e-mail"
    match = INVITATION_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


__all__ = ["ACR_LEVELS", "MitID", "invitation_token", "with_query"]


#: The known family of the session and page tests: two adults, Anna as primary.
FAMILY = "Familien Sørensen"


@pytest.fixture
def counsellor(make_user, give_calendar, clock):
    """A counsellor with a calendar (test modules that need less define their own)."""
    return give_calendar(make_user(Role.COUNSELLOR, name="Anna Andersen"))


@pytest.fixture
def family(make_known_family, counsellor):
    return make_known_family(
        FAMILY, counsellor=counsellor, adults=("Mette Sørensen", "Jonas Sørensen")
    )
