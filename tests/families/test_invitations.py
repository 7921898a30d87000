"""Invitations: sent by an assigned counsellor through the outbox, single use,
seven days, revocable; the password path; what the counsellor sees."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.audit import AuditAction, AuditEvent
from portal.db import utcnow
from portal.families import invitations
from portal.families.invitations import MemberState
from portal.families.models import Invitation
from portal.mail.models import OutboxMessage
from tests.factories import PASSWORD
from tests.families.conftest import invitation_token

NEW_PASSWORD = "vores nye familie kode"


@pytest.fixture
def counsellor(make_user):
    return make_user(Role.COUNSELLOR)


@pytest.fixture
def family(make_known_family, counsellor):
    return make_known_family(
        "Familien Jensen",
        counsellor=counsellor,
        adults=("Mette Jensen", "Jonas Jensen"),
    )


def state(db_session, member) -> MemberState:
    """The state the family's page shows, from the member's newest invitation."""
    newest = invitations.latest_by_member(db_session, [member]).get(member.id)
    return invitations.member_state(member, utcnow(), newest)


def invitation_url(family, member, action=""):
    return (
        f"/familier/{family.public_id}/medlemmer/{member.public_id}/invitation{action}"
    )


@pytest.fixture
def invite(auth, db_session, family, counsellor):
    def send(member, action=""):
        auth.login(counsellor)
        response = auth.post_form(
            invitation_url(family, member, action), {}, page="/medarbejder"
        )
        auth.logout()
        return response

    return send


def choose_password(auth, token, password=NEW_PASSWORD):
    return auth.post_form(
        f"/invitation/{token}",
        {"new_password": password, "repeat_password": password, "choice": "password"},
    )


def test_the_email_goes_to_the_member_with_a_link_and_no_case_details(
    clock, db_session, family, invite
):
    member = family.members[0]
    assert invite(member).status_code == 302
    message = db_session.scalar(select(OutboxMessage))
    assert message.recipient == member.contact_email
    token = invitation_token(db_session)
    assert "Jensen" not in message.subject + message.body
    assert "Emma" not in message.body
    stored = db_session.scalar(select(Invitation))
    assert stored.token_hash == invitations.token_hash(token)
    assert token not in stored.token_hash
    assert stored.expires_at == utcnow() + timedelta(days=7)


def test_choosing_a_password_logs_in_and_works_without_mitid_later(
    clock, client, auth, db_session, family, invite
):
    member = family.members[0]
    invite(member)
    response = choose_password(auth, invitation_token(db_session))
    assert response.status_code == 302
    assert client.get("/familie").status_code == 200
    auth.logout()

    assert auth.login_family(member, NEW_PASSWORD).status_code == 302
    assert client.get("/familie").status_code == 200


def test_a_weak_password_is_refused_and_the_link_still_works(
    clock, auth, db_session, family, invite
):
    invite(family.members[0])
    token = invitation_token(db_session)
    response = choose_password(auth, token, "kort")
    assert response.status_code == 400
    assert "mindst" in response.get_data(as_text=True)
    assert db_session.scalar(select(Invitation)).used_at is None


def test_a_used_link_does_not_work_again(clock, auth, db_session, family, invite):
    invite(family.members[0])
    token = invitation_token(db_session)
    choose_password(auth, token)
    auth.logout()

    response = auth.client.get(f"/invitation/{token}")

    assert response.status_code == 410
    assert "allerede brugt" in response.get_data(as_text=True)


def test_a_link_stops_working_after_seven_days(clock, auth, db_session, family, invite):
    invite(family.members[0])
    token = invitation_token(db_session)
    clock.shift(timedelta(days=7))

    response = auth.client.get(f"/invitation/{token}")

    assert response.status_code == 410
    assert "mere end 7 dage" in response.get_data(as_text=True)
    assert state(db_session, family.members[0]) == (MemberState.INVITATION_EXPIRED)


def test_the_link_is_used_once_even_if_two_uses_race(clock, db_session, family, invite):
    invite(family.members[0])
    found = invitations.usable(db_session, invitation_token(db_session), utcnow())
    invitations.choose_password(db_session, found, NEW_PASSWORD, utcnow())
    db_session.commit()
    with pytest.raises(invitations.InvitationUnusable):
        # The second tab checked the link before the first one used it.
        invitations.choose_password(db_session, found, NEW_PASSWORD, utcnow())


def test_a_revoked_link_does_not_work(clock, auth, db_session, family, invite):
    member = family.members[0]
    invite(member)
    token = invitation_token(db_session)
    assert invite(member, "/tilbagekald").status_code == 302

    response = auth.client.get(f"/invitation/{token}")

    assert response.status_code == 410
    assert "trukket tilbage" in response.get_data(as_text=True)
    assert state(db_session, member) == MemberState.NEVER_LOGGED_IN


def test_sending_again_revokes_the_older_link(clock, auth, db_session, family, invite):
    member = family.members[0]
    invite(member)
    old = invitation_token(db_session)
    invite(member)
    new = invitation_token(db_session)

    assert auth.client.get(f"/invitation/{old}").status_code == 410
    assert auth.client.get(f"/invitation/{new}").status_code == 200
    assert state(db_session, member) == MemberState.INVITED


def test_refused_links_are_logged_without_the_token(clock, auth, db_session):
    response = auth.client.get("/invitation/not-a-real-token")
    assert response.status_code == 410
    [event] = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.LOG_IN_FAILED)
    )
    assert event.reason == "/invitation/<token>"


def test_a_member_without_email_cannot_be_invited(
    clock, db_session, family, invite, client
):
    member = family.members[0]
    member.contact_email = None
    db_session.commit()
    invite(member)
    assert db_session.scalar(select(Invitation)) is None


def test_an_unassigned_counsellor_cannot_invite(
    clock, auth, db_session, family, make_user
):
    other = make_user(Role.COUNSELLOR)
    auth.login(other)
    response = auth.post_form(
        invitation_url(family, family.members[0]), {}, page="/medarbejder"
    )
    assert response.status_code == 404
    assert db_session.scalar(select(Invitation)) is None


def test_a_member_of_another_family_cannot_be_invited_through_this_one(
    clock, auth, db_session, family, counsellor, make_known_family
):
    stranger = make_known_family("Familien Hansen").members[0]
    auth.login(counsellor)
    response = auth.post_form(invitation_url(family, stranger), {}, page="/medarbejder")
    assert response.status_code == 404


def test_member_state_goes_from_never_to_invited_to_active(
    clock, auth, db_session, family, invite
):
    member = family.members[0]
    assert state(db_session, member) == MemberState.NEVER_LOGGED_IN
    invite(member)
    assert state(db_session, member) == MemberState.INVITED
    choose_password(auth, invitation_token(db_session))
    db_session.expire_all()
    assert state(db_session, member) == MemberState.ACTIVE


def test_the_partial_shows_the_state_and_the_buttons(app, db_session, family):
    member = family.members[0]
    with app.test_request_context():
        html = app.jinja_env.get_template("families/_member_invitation.html").render(
            family=family, member=member, invitation=None
        )
    assert "Aldrig logget ind" in html
    assert invitation_url(family, member) in html


def test_old_password_log_in_by_email_column_is_gone(auth, make_user):
    """Family members log in with the e-mail they gave (found by its keyed hash)."""
    member = make_user(Role.FAMILY)
    assert member.email is None
    assert member.login_key and member.contact_email
    assert auth.login_family(member, PASSWORD).status_code == 302


def test_the_token_never_reaches_a_log_line(app, caplog):
    token = "tH3-invitation_T0ken"
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info(
            '127.0.0.1 - - [date] "%s" %s %s',
            f"GET /invitation/{token} HTTP/1.1",
            "200",
            "-",
        )
        app.logger.error(f"Exception on /invitation/{token} [POST]")
    assert len(caplog.records) == 2
    assert token not in caplog.text
    assert "/invitation/…" in caplog.text
