"""MitID log-in against the running local provider: through an invitation, again
without one, and every answer that must be refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from portal.accounts import mitid as portal_mitid
from portal.accounts.models import Role, User
from portal.audit import AuditAction, AuditEvent
from portal.config_checks import ACR_LEVELS
from portal.db import utcnow
from portal.families.models import Invitation
from tests.factories import NOW
from tests.families.conftest import invitation_token, with_query

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def family(make_known_family, make_user):
    counsellor = make_user(Role.COUNSELLOR)
    return make_known_family(
        "Familien Jensen",
        counsellor=counsellor,
        adults=("Mette Jensen", "Jonas Jensen"),
    )


@pytest.fixture
def invite(auth, db_session, family):
    """The counsellor invites a member; returns the token from the e-mail."""

    def send(member):
        counsellor = family.assignments[0].counsellor
        auth.login(counsellor)
        url = f"/familier/{family.public_id}/medlemmer/{member.public_id}/invitation"
        response = auth.post_form(url, {}, page="/medarbejder")
        assert response.status_code == 302, response.get_data(as_text=True)
        auth.logout()
        return invitation_token(db_session)

    return send


def logged_in_as(client) -> bool:
    return client.get("/familie").status_code == 200


def failed_log_ins(db_session) -> list[AuditEvent]:
    return list(
        db_session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.LOG_IN_FAILED)
        )
    )


def test_first_log_in_through_an_invitation_links_the_identity(
    client, db_session, mitid, family, invite
):
    member = family.members[0]
    token = invite(member)
    sub = mitid.identity()
    start = mitid.start(
        f"/invitation/{token}", page=f"/invitation/{token}", data={"choice": "mitid"}
    )
    response = client.get(mitid.authorize(start, sub))

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/familie")
    assert logged_in_as(client)
    db_session.expire_all()
    assert member.mitid_subject == portal_mitid.subject_key(sub)
    assert sub not in {member.mitid_subject, member.login_key}
    invitation = db_session.scalar(select(Invitation))
    assert invitation.used_at is not None
    assert member.last_login_at is not None


def test_the_same_identity_logs_in_again_without_an_invitation(
    client, auth, db_session, mitid, family, invite
):
    member = family.members[0]
    token = invite(member)
    sub = mitid.identity()
    start = mitid.start(
        f"/invitation/{token}", page=f"/invitation/{token}", data={"choice": "mitid"}
    )
    client.get(mitid.authorize(start, sub))
    auth.logout()
    assert not logged_in_as(client)

    response = mitid.log_in(sub)

    assert response.status_code == 302
    assert logged_in_as(client)
    db_session.expire_all()
    assert member.previous_login_at is not None


def test_an_unknown_identity_is_told_to_wait_for_an_invitation(
    client, db_session, mitid
):
    response = mitid.log_in(mitid.identity())

    assert response.status_code == 400
    assert "Vi kender dig ikke endnu" in response.get_data(as_text=True)
    assert not logged_in_as(client)
    assert len(failed_log_ins(db_session)) == 1


def linked_member(db_session, family, mitid) -> tuple[User, str]:
    member = family.members[0]
    sub = mitid.identity()
    member.mitid_subject = portal_mitid.subject_key(sub)
    db_session.commit()
    return member, sub


def test_a_wrong_state_is_refused(client, db_session, mitid, family):
    _member, sub = linked_member(db_session, family, mitid)
    callback = mitid.authorize(mitid.start(), sub)

    response = client.get(with_query(callback, state="forged-state"))

    assert response.status_code == 400
    assert not logged_in_as(client)
    assert "Du er ikke logget ind" in response.get_data(as_text=True)
    [event] = failed_log_ins(db_session)
    assert (event.object_id, event.reason) == ("", "/log-ind/mitid/svar")


def test_a_callback_without_a_started_flow_is_refused(
    client, db_session, mitid, family
):
    _member, sub = linked_member(db_session, family, mitid)
    callback = mitid.authorize(mitid.start(), sub)
    with client.session_transaction() as session:
        session.clear()

    assert client.get(callback).status_code == 400
    assert not logged_in_as(client)


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"nonce": "another-log-in"}, "nonce"),
        ({"aud": "another-client"}, "audience"),
        ({"iss": "https://evil.example"}, "issuer"),
        ({"acr": ACR_LEVELS[0]}, "too low assurance"),
        ({"acr": "https://data.gov.dk/concept/core/nsis/loa/Unknown"}, "unknown level"),
        ({"exp": 1_000_000_000}, "expired"),
    ],
)
def test_a_token_that_fails_a_check_is_refused_and_nothing_is_saved(
    client, db_session, mitid, family, claims, why
):
    member, sub = linked_member(db_session, family, mitid)
    mitid.set_claims(sub, **{"acr": ACR_LEVELS[1], **claims})

    response = mitid.log_in(sub)

    assert response.status_code == 400, why
    assert not logged_in_as(client)
    db_session.expire_all()
    assert member.last_login_at is None
    assert len(failed_log_ins(db_session)) == 1
    assert sub not in response.get_data(as_text=True)


def test_an_identity_linked_to_another_member_is_refused(
    client, db_session, mitid, family, invite
):
    mette, sub = linked_member(db_session, family, mitid)
    jonas = family.members[1]
    token = invite(jonas)
    start = mitid.start(
        f"/invitation/{token}", page=f"/invitation/{token}", data={"choice": "mitid"}
    )

    response = client.get(mitid.authorize(start, sub))

    assert response.status_code == 400
    assert "allerede" in response.get_data(as_text=True)
    assert not logged_in_as(client)
    db_session.expire_all()
    assert jonas.mitid_subject is None
    assert db_session.scalar(select(Invitation)).used_at is None


def test_a_member_who_may_no_longer_read_cannot_log_in(
    client, db_session, mitid, family
):
    member, sub = linked_member(db_session, family, mitid)
    member.removed_at = utcnow()
    db_session.commit()

    response = mitid.log_in(sub)

    assert response.status_code == 400
    assert not logged_in_as(client)


def test_log_out_ends_the_session_here_and_at_the_provider(
    client, auth, db_session, mitid, family
):
    _member, sub = linked_member(db_session, family, mitid)
    mitid.log_in(sub)
    assert logged_in_as(client)

    response = auth.logout()

    assert not logged_in_as(client)
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == mitid.issuer
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1:5000/"]
    assert query["id_token_hint"][0].count(".") == 2


def test_log_out_after_a_password_log_in_stays_here(client, auth, make_user, mitid):
    auth.login(make_user(Role.FAMILY))

    response = auth.logout()

    assert response.headers["Location"] == "/"


def test_the_start_button_is_hidden_and_closed_without_a_provider(client, auth, app):
    app.config["OIDC_ISSUER"] = ""
    assert "Log ind med MitID" not in client.get("/log-ind").get_data(as_text=True)
    assert auth.post_form("/log-ind/mitid", {}, page="/log-ind").status_code == 404


def test_the_log_in_page_offers_mitid_first(client, mitid):
    html = client.get("/log-ind").get_data(as_text=True)
    assert html.index("Log ind med MitID") < html.index("Log ind uden MitID")


class TestCheckClaims:
    """The portal's own checks of a verified token, one rule at a time."""

    @pytest.fixture
    def claims(self, app):
        app.config.update(OIDC_ISSUER="https://mitid.example", OIDC_CLIENT_ID="portal")
        return {
            "iss": "https://mitid.example",
            "aud": "portal",
            "exp": NOW.timestamp() + 300,
            "nonce": "n-1",
            "acr": ACR_LEVELS[1],
            "sub": "abc",
        }

    def check(self, claims):
        return portal_mitid.check_claims(claims, nonce="n-1", now=utcnow())

    def test_good_claims_give_the_subject(self, claims):
        assert self.check(claims) == "abc"
        assert self.check({**claims, "acr": ACR_LEVELS[2]}) == "abc"

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"iss": "https://other.example"}, "issuer"),
            ({"aud": "other"}, "audience"),
            ({"aud": ["portal", "other"]}, "audience"),
            ({"exp": NOW.timestamp() - 3600}, "expired"),
            ({"exp": None}, "expired"),
            ({"nonce": "n-2"}, "nonce"),
            ({"nonce": None}, "nonce"),
            ({"acr": ACR_LEVELS[0]}, "assurance"),
            ({"acr": None}, "assurance"),
            ({"sub": ""}, "subject"),
        ],
    )
    def test_each_wrong_claim_is_refused(self, claims, change, code):
        with pytest.raises(portal_mitid.MitIDRefused) as refused:
            self.check({**claims, **change})
        assert refused.value.code == code

    def test_several_audiences_need_us_as_the_authorized_party(self, claims):
        several = {**claims, "aud": ["portal", "other"], "azp": "portal"}
        assert self.check(several) == "abc"
