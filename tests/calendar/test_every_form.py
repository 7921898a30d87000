"""Every form that changes something carries a CSRF token, on every page.

The walk takes the URL map's GET routes and opens each one as a visitor (fresh,
halfway through booking, and in Min booking), a family, a counsellor and a
leader, so a new page is checked without anyone remembering to add it here.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

from flask import url_for
from sqlalchemy import select

from portal.accounts.models import Role
from portal.booking.models import CounsellingSession, SessionStatus
from portal.cases import corrections, notes
from portal.cases.interventions_models import Intervention, InterventionStatus
from portal.cases.notes_models import NoteKind
from portal.families import invitations
from portal.families.models import Invitation
from tests.conftest import PASSWORD, Browserless, csrf_token_from
from tests.factories import local
from tests.families.test_access_matrix import consent_request, goal_and_intervention

#: GET routes that give no HTML page to check, and why.
NOT_PAGES = {
    "static": "files",
    "main.healthz": "plain text for the load balancer",
    "calendar.feed_ics": "a calendar file",
    "main.accessibility_short": "a redirect to the accessibility statement",
    "cases.access_log_csv": "a CSV file of the family's access log",
    "cases.export_json": "a JSON file of the family's data",
    "feedback.leader_stats_csv": "a CSV file of the leader's rating statistics",
    "families.mitid_callback": "the MitID provider's way back: a redirect or a "
    "refusal (tests/families/test_mitid.py)",
}


class PostForms(HTMLParser):
    """The page's POST forms and whether each has a non-empty csrf_token input."""

    def __init__(self, page: str):
        super().__init__()
        self.forms: list[tuple[str, bool]] = []
        self._open: list | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._open = [attributes.get("action") or "", False]
        elif tag == "input" and self._open is not None:
            if attributes.get("name") == "csrf_token" and attributes.get("value"):
                self._open[1] = True

    def handle_endtag(self, tag):
        if tag == "form" and self._open is not None:
            self.forms.append(tuple(self._open))
            self._open = None


def walk(app, client, values: dict, rendered: set[str], who: str) -> int:
    """Open every GET route whose arguments ``values`` can fill; check each POST
    form on the pages that open. Returns how many forms were checked."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if not rule.arguments <= values.keys():
            continue
        with app.test_request_context():
            url = url_for(
                rule.endpoint, **{name: values[name] for name in rule.arguments}
            )
        response = client.get(url)
        if response.status_code != 200:
            continue  # not for this visitor, or a step they cannot open yet
        assert response.mimetype == "text/html", url
        rendered.add(rule.endpoint)
        for action, has_token in PostForms(response.get_data(as_text=True)).forms:
            assert has_token, f"{who}: the form to {action!r} on {url} has no token"
            checked += 1
    return checked


def post(client, url: str, data: dict, page: str | None = None):
    html = client.get(page or url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token_from(html), **data})


def first_time(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="time"[^>]*value="([^"]+)"', page).group(1)


def test_every_post_form_has_a_csrf_token(
    app, db_session, counsellor, leader, make_known_family, make_user, book
):
    booking = book(counsellor, local(2026, 3, 25, 10))
    known = make_known_family(counsellor=counsellor)
    moving = f"/min-booking/flyt/{booking.session.public_id}"
    rendered: set[str] = set()

    staff = app.test_client()
    Browserless(staff, db_session).login(counsellor)
    span = re.search(
        r"/kalender/tilgaengelighed/tid/(\d+)",
        staff.get("/kalender/tilgaengelighed").get_data(as_text=True),
    )
    invited = make_user(Role.FAMILY)
    token = "an-invitation-token"
    db_session.add(
        Invitation(
            member_id=invited.id,
            token_hash=invitations.token_hash(token),
            expires_at=local(2026, 4, 1, 12),
        )
    )
    goal, intervention = goal_and_intervention(db_session, known, counsellor)
    published = notes.create_draft(
        db_session, counsellor, known, NoteKind.PLAN, "En note"
    )
    notes.publish(db_session, counsellor, published)
    asked = corrections.request_correction(
        db_session, known.members[0], published, "Forkert"
    )
    draft = notes.create_draft(db_session, counsellor, known, NoteKind.PLAN, "Udkast")
    consent = consent_request(db_session, known, counsellor)
    db_session.commit()
    values = {
        "public_id": booking.session.public_id,
        "span_id": int(span.group(1)),
        "token": token,
        "family_id": known.public_id,
        "child_id": known.children[0].public_id,
        "member_id": known.members[0].public_id,
        "goal_id": goal.public_id,
        "intervention_id": intervention.public_id,
        "type_id": intervention.type.public_id,
        "note_id": published.public_id,
        "request_id": asked.public_id,
        "consent_id": consent.public_id,
    }
    # A parent on the phone read their code aloud; an absence over their talk waits.
    post(staff, "/kalender/book/kode", {"code": booking.code})
    post(
        staff,
        "/kalender/tilgaengelighed/fravaer/ny",
        {
            "start_date": "2026-03-25",
            "start_time": "08:00",
            "end_date": "2026-03-25",
            "end_time": "16:00",
        },
    )
    checked = walk(app, staff, values, rendered, "counsellor")
    # A draft's own page opens for its author only while it is a draft.
    checked += walk(
        app, staff, {**values, "note_id": draft.public_id}, rendered, "author"
    )

    boss = app.test_client()
    Browserless(boss, db_session).login(leader)
    # A leader says why before opening a family (the reason page is walked too).
    walk(app, boss, values, rendered, "leader")
    post(boss, f"/familier/{known.public_id}/begrundelse", {"reason": "Tilsyn"})
    checked += walk(app, boss, values, rendered, "leader")

    family = app.test_client()
    Browserless(family, db_session).login(known.members[0])
    checked += walk(app, family, values, rendered, "family")

    visitor = app.test_client()
    checked += walk(app, visitor, values, rendered, "visitor")
    # Halfway through booking: every step up to the review opens.
    post(visitor, "/anonym-raadgivning", {}, page="/anonym-raadgivning")
    post(visitor, "/anonym-raadgivning/emne", {"topic": "none"})
    post(visitor, "/anonym-raadgivning/hvordan", {"mode": "centre"})
    post(visitor, "/anonym-raadgivning/sprog", {"language": "da"})
    chosen = first_time(visitor, "/anonym-raadgivning/tid")
    post(visitor, "/anonym-raadgivning/tid", {"time": chosen})
    post(visitor, "/anonym-raadgivning/kontakt", {})
    # In Min booking with the code, halfway through booking a talk and moving one.
    post(visitor, "/min-booking", {"code": booking.code})
    post(visitor, "/min-booking/ny-samtale", {"mode": "centre"})
    chosen = first_time(visitor, "/min-booking/ny-samtale/tid")
    post(visitor, "/min-booking/ny-samtale/tid", {"time": chosen})
    post(visitor, moving, {"time": first_time(visitor, moving)})
    checked += walk(app, visitor, values, rendered, "visitor booking")
    # Booked: the print page opens for the browser that booked.
    review = visitor.get("/anonym-raadgivning/tjek").get_data(as_text=True)
    key = re.search(r'idempotency_key[^>]*value="([^"]+)"', review).group(1)
    post(
        visitor,
        "/anonym-raadgivning/bekraeft",
        {"idempotency_key": key},
        page="/anonym-raadgivning/tjek",
    )
    checked += walk(app, visitor, values, rendered, "visitor booked")
    # Halfway through a staff log-in.
    newcomer = app.test_client()
    post(
        newcomer,
        "/medarbejder/log-ind",
        {"email": counsellor.email, "password": PASSWORD},
    )
    checked += walk(app, newcomer, values, rendered, "staff logging in")

    # Held talks are rated from Min booking and from /familie (feedback).
    checked += _walk_held(app, db_session, visitor, family, booking, known, rendered)

    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES
    }
    assert pages - rendered == set(), "pages the walk could not open"
    assert checked > 40


def _walk_held(app, db_session, visitor, family, booking, known, rendered) -> int:
    """The pages of a held talk: the anonymous one and a known family's."""
    anonymous = db_session.merge(booking.session)
    anonymous.status = SessionStatus.HELD
    starts = local(2026, 3, 20, 10)
    held = CounsellingSession(
        family_id=known.id,
        counsellor_id=anonymous.counsellor_id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        mode="centre",
        status=SessionStatus.HELD,
    )
    db_session.add(held)
    # An ended intervention is answered from /familie too.
    ended = db_session.scalar(
        select(Intervention).where(Intervention.family_id == known.id)
    )
    ended.status = InterventionStatus.ENDED
    db_session.commit()
    # The walk booked a course of its own since: open Min booking with this one.
    post(visitor, "/min-booking", {"code": booking.code})
    family_values = {"public_id": held.public_id, "intervention_id": ended.public_id}
    return walk(
        app, visitor, {"public_id": anonymous.public_id}, rendered, "visitor rating"
    ) + walk(app, family, family_values, rendered, "family rating")
