"""Object-level access, proven by a matrix built from the URL map.

Every route that takes a family-related id (``family_id``, ``child_id``,
``member_id``, ``invitation_id``, ``note_id``, ``request_id``, ``consent_id``),
every session route of the calendar (a family session's ``public_id``) and every
page of the family's own area (``/familie``) is requested for family A's objects
by people who must not see them: a member of family B, a counsellor not assigned
to A, and an anonymous visitor. Each must get 403 or 404 (anonymous: the log-in page)
and no data of family A in the answer. A leader may open what the role allows
(``LEADER_MAY_OPEN``): then the opening is in the audit log, which family A
sees. A new route is covered by itself, because the list comes from the URL map.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import url_for
from sqlalchemy import func, select

from portal.accounts.models import Role
from portal.audit import AuditEvent
from portal.booking.models import CounsellingSession
from portal.cases import corrections, goals, goals_progress, interventions, notes
from portal.cases.interventions_models import InterventionStatus
from portal.cases.interventions_types import add_type
from portal.cases.notes_models import NoteKind
from portal.consent import requests
from portal.consent.lists import ensure_items, items
from portal.consent.models import ListKind
from portal.families.models import Invitation
from tests.conftest import csrf_token_from

FAMILY_ARGUMENTS = {
    "family_id",
    "child_id",
    "member_id",
    "invitation_id",
    "goal_id",
    "intervention_id",
    "note_id",
    "request_id",
    "consent_id",
}
#: The calendar's pages of one session: a family session is one of them.
SESSION_RULE_PREFIX = "/kalender/samtale/<public_id>"
FAMILY_AREA_PREFIX = "/familie"
#: Endpoints a leader may open for any family; each opening is audited. The
#: leader reads, assigns counsellors and manages calendars; changing a family's
#: records (children, members, name, status, invitations) is refused.
LEADER_MAY_OPEN = {
    "families.family_page",
    "families.counsellors",
    "families.assignment_primary",
    "families.assignment_remove",
    "calendar.session_page",
    "calendar.move",
    "calendar.cancel",
    "calendar.outcome",
    "calendar.note",
    "calendar.book_family",
    "cases.goals_staff",
    "cases.interventions_staff",
    "cases.notes",
    "consent.consents_staff",
    "consent.consent_staff",
}
#: Where a leader says why before the first page of a family (``web.open_family``
#: sends them there); tested in tests/cases/test_leader_reason.py.
LEADER_REASON_PAGE = "cases.leader_reason"
#: Rules that take a family-related id for another reason, with the reason.
EXEMPT: dict[str, str] = {}

REFUSED = {403, 404}


@pytest.fixture
def world(app, db_session, make_user, make_known_family, clock):
    """Family A (with a child, two adults, an invitation and a session) and the
    people who must not see it."""
    owner = make_user(Role.COUNSELLOR, name="Anna Ejer")
    family_a = make_known_family(
        "Familien Aaberg",
        counsellor=owner,
        adults=("Mette Aaberg", "Jonas Aaberg"),
        children=(("Frederikke", date(2014, 4, 2)),),
    )
    other_counsellor = make_user(Role.COUNSELLOR, name="Bo Bech-rådgiver")
    family_b = make_known_family(
        "Familien Bech", counsellor=other_counsellor, adults=("Sara Bech",)
    )
    member_a = family_a.members[0]
    invitation = Invitation(
        member_id=member_a.id,
        token_hash="0" * 64,
        expires_at=datetime.now(UTC) + timedelta(days=7),
    )
    starts = datetime(2026, 3, 25, 9, tzinfo=UTC)
    session = CounsellingSession(
        family_id=family_a.id,
        counsellor_id=owner.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        mode="centre",
    )
    session.participants.append(member_a)
    db_session.add_all([invitation, session])
    goal, intervention = goal_and_intervention(db_session, family_a, owner)
    db_session.commit()
    note = notes.create_draft(
        db_session, owner, family_a, NoteKind.PLAN, "Frederikke skal i skole."
    )
    notes.publish(db_session, owner, note)
    asked = corrections.request_correction(db_session, member_a, note, "Mette: nej")
    consent = consent_request(db_session, family_a, owner)
    db_session.commit()
    return {
        "family": family_a,
        "values": {
            "family_id": family_a.public_id,
            "child_id": family_a.children[0].public_id,
            "member_id": member_a.public_id,
            "invitation_id": invitation.public_id,
            "public_id": session.public_id,
            "goal_id": goal.public_id,
            "intervention_id": intervention.public_id,
            "note_id": note.public_id,
            "request_id": asked.public_id,
            "consent_id": consent.public_id,
        },
        "secrets": ["Aaberg", "Frederikke", "Mette", "Jonas", "Aabergmål", "Aabergs"],
        "outsiders": {
            "member of another family": family_b.members[0],
            "unassigned counsellor": make_user(Role.COUNSELLOR, name="Bo Fremmed"),
            # Assigned to family B: B's family id with A's child, member and
            # invitation ids must not reach A's objects either.
            "counsellor of another family": other_counsellor,
        },
        "own_family_ids": {other_counsellor: family_b.public_id},
        "leader": make_user(Role.LEADER, name="Lone Leder"),
    }


def goal_and_intervention(db_session, family, owner):
    """Family A's goal (with a score) and intervention, by its counsellor."""
    goal = goals.create_goal(
        db_session,
        owner,
        family,
        goals.GoalText(
            title="Aabergmål",
            change="Ro",
            why="Uro",
            how_we_know="Mindre uro",
            target_date=date(2026, 6, 1),
        ),
    )
    goals_progress.add_score(
        db_session, owner, family, goal, score=4, scored_on=date(2026, 3, 2)
    )
    intervention = interventions.create_intervention(
        db_session,
        owner,
        family,
        interventions.InterventionText(
            type=add_type(db_session, "Familiebehandling"),
            provider="Aabergs støtte",
            description="Hjælp",
            starts_on=date(2026, 3, 1),
            ends_on=None,
            status=InterventionStatus.ACTIVE,
            goals=[goal],
        ),
    )
    return goal, intervention


def consent_request(db_session, family, owner):
    """Family A's consent request about its child, by its counsellor."""
    ensure_items(db_session)
    recipient, information = (
        items(db_session, kind, in_use=True)[0]
        for kind in (ListKind.RECIPIENT, ListKind.INFORMATION)
    )
    return requests.create_request(
        db_session,
        owner,
        family,
        requests.RequestText(
            child=family.children[0],
            recipient=recipient,
            information=[information],
            purpose="Aabergs formål",
            starts_on=date(2026, 3, 23),
            ends_on=date(2027, 3, 22),
        ),
        datetime.now(UTC),
    )


def _guarded_rules(app):
    """(rule, method) pairs the matrix requests, from the URL map."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in EXEMPT:
            continue
        family_ids = rule.arguments & FAMILY_ARGUMENTS
        session_page = rule.rule.startswith(SESSION_RULE_PREFIX)
        family_area = rule.rule == FAMILY_AREA_PREFIX or rule.rule.startswith(
            FAMILY_AREA_PREFIX + "/"
        )
        if not (family_ids or session_page or family_area):
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            yield rule, method


def _sign_in(client, user) -> None:
    """A logged-in session as the log-in views leave it (the log-in itself is
    tested elsewhere; here it must not be what refuses)."""
    now = int(datetime.now(UTC).timestamp())
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()
        cookie["_fresh"] = True
        cookie["login_at"] = now
        cookie["seen_at"] = now


def _request(client, app, rule, method, values):
    arguments = {name: values.get(name, "x") for name in rule.arguments}
    with app.test_request_context():
        url = url_for(rule.endpoint, **arguments)
    if method == "GET":
        return url, client.get(url)
    return url, client.post(url, data={"csrf_token": _csrf_token(client)})


def _csrf_token(client) -> str:
    """A valid CSRF token for this client, so that the access check, not CSRF, is
    what refuses: from the password page when logged in, else the log-in page."""
    for page in ("/konto/adgangskode", "/log-ind"):
        html = client.get(page).get_data(as_text=True)
        if "csrf_token" in html:
            return csrf_token_from(html)
    raise AssertionError("no page with a CSRF token")


def _assert_refused(response, url, who, secrets):
    assert response.status_code in REFUSED, (
        f"{who}: {url} answered {response.status_code}"
    )
    _assert_no_leak(response, url, who, secrets)


def _assert_no_leak(response, url, who, secrets):
    body = response.get_data(as_text=True)
    leaked = [secret for secret in secrets if secret in body]
    assert not leaked, f"{who}: {url} shows {leaked}"


def test_the_matrix_covers_the_family_routes(app):
    covered = {rule.endpoint for rule, _method in _guarded_rules(app)}
    # The matrix must not pass by covering nothing: these exist today.
    assert {
        "families.family_home",
        "calendar.session_page",
        "cases.note_draft",
        "cases.correction_answer",
        "cases.family_respond",
    } <= covered, covered


def test_outsiders_get_nothing_of_another_family(app, db_session, world):
    for who, user in world["outsiders"].items():
        for rule, method in _guarded_rules(app):
            client = app.test_client()
            _sign_in(client, user)
            values = dict(world["values"])
            if user in world["own_family_ids"]:
                values["family_id"] = world["own_family_ids"][user]
            url, response = _request(client, app, rule, method, values)
            if user in world["own_family_ids"] and rule.arguments & (
                FAMILY_ARGUMENTS
            ) == {"family_id"}:
                # Their own family's page: it may answer, but with nothing of A.
                _assert_no_leak(response, url, who, world["secrets"])
                continue
            if rule.rule.startswith(FAMILY_AREA_PREFIX) and user.role == Role.FAMILY:
                # A member's own area answers with their own family only.
                if response.status_code == 200 or response.status_code in {302, 303}:
                    leaked = [
                        s
                        for s in world["secrets"]
                        if s in response.get_data(as_text=True)
                    ]
                    assert not leaked, f"{who}: {url} shows {leaked}"
                    continue
            _assert_refused(response, url, f"{who} {method}", world["secrets"])


def test_anonymous_visitors_are_sent_to_log_in(app, world):
    for rule, method in _guarded_rules(app):
        client = app.test_client()
        url, response = _request(client, app, rule, method, world["values"])
        body = response.get_data(as_text=True)
        assert response.status_code in {302, 303, *REFUSED}, f"{method} {url}"
        if response.status_code in {302, 303}:
            assert "log-ind" in response.headers["Location"], f"{method} {url}"
        assert not [s for s in world["secrets"] if s in body], f"{method} {url}"


def test_a_leader_opens_only_what_the_role_allows_and_is_logged(app, db_session, world):
    leader, family = world["leader"], world["family"]
    for rule, method in _guarded_rules(app):
        if rule.endpoint == LEADER_REASON_PAGE:
            continue
        client = app.test_client()
        _sign_in(client, leader)
        if rule.endpoint in LEADER_MAY_OPEN:
            _give_reason(client, family)
        before = _audited_views(db_session, leader, family)
        url, response = _request(client, app, rule, method, world["values"])
        if rule.endpoint in LEADER_MAY_OPEN and method == "GET":
            assert response.status_code == 200, f"leader: {url}"
            assert _audited_views(db_session, leader, family) > before, (
                f"leader opened {url} without an audit line"
            )
        elif rule.endpoint not in LEADER_MAY_OPEN:
            _assert_refused(response, url, f"leader {method}", world["secrets"])


def _give_reason(client, family) -> None:
    page = f"/familier/{family.public_id}/begrundelse"
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    response = client.post(page, data={"csrf_token": token, "reason": "Tilsyn"})
    assert response.status_code == 302, response.get_data(as_text=True)


def _audited_views(db_session, leader, family) -> int:
    db_session.expire_all()
    return db_session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.actor_id == leader.id, AuditEvent.family_id == family.id)
    )
