"""No 500 on hostile input: every route in the URL map, with odd values in every
path argument, every query argument the route reads and every form field it reads,
as a visitor (with Min booking open), a counsellor and a leader.

Routes come from ``app.url_map``, and what a route reads is recorded while it runs
(the request's argument dictionaries note each key looked up, WTForms included),
so a new route, argument or form field is covered without touching this file.
"""

from __future__ import annotations

import re
import traceback
from datetime import UTC, datetime, time, timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
import time_machine
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.utils import cached_property

from portal import security
from portal.accounts.models import Role
from portal.availability.models import Absence, AvailabilitySpan, CounsellorSettings
from portal.booking import courses
from portal.booking import holds as booking_holds
from portal.calendar import feed
from portal.cases import corrections, notes
from portal.cases.notes_models import NoteKind
from tests.conftest import PASSWORD, Browserless, csrf_token_from
from tests.families.test_access_matrix import consent_request, goal_and_intervention

#: Monday 23 March 2026, 09:00 in Copenhagen.
START = datetime(2026, 3, 23, 8, tzinfo=UTC)
HOSTILE = (
    "9999-12-31",
    "0001-01-01",
    "",
    "99999999999999999999",
    "-1",
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "2026-02-30",
    "23:61",
)
ROLES = ("visitor", "counsellor", "leader")
#: Read on every page by the locale selector: tried on the front page only.
APP_WIDE_ARGS = {"lang"}
#: Forms to send first, with their first choices, for routes that need a state:
#: a booking draft with a held time, a next talk or a move on its way, a log-in
#: waiting for its code, a parent found by code for booking on their behalf.
STAFF = ("counsellor", "leader")
WALKS = [
    (
        "/anonym-raadgivning/",
        ROLES,
        [
            ("/anonym-raadgivning", {}),
            ("/anonym-raadgivning/emne", {}),
            ("/anonym-raadgivning/hvordan", {"mode": "centre"}),
            ("/anonym-raadgivning/sprog", {}),
            ("/anonym-raadgivning/tid", {}),
            ("/anonym-raadgivning/kontakt", {}),
        ],
    ),
    (
        "/min-booking/ny-samtale/",
        ("visitor",),
        [
            ("/min-booking/ny-samtale", {"mode": "centre"}),
            ("/min-booking/ny-samtale/tid", {}),
        ],
    ),
    ("/min-booking/flyt/", ("visitor",), [("/min-booking/flyt/{public_id}", {})]),
    (
        "/medarbejder/log-ind/kode",
        ("visitor",),
        [("/medarbejder/log-ind", {"email": "{email}", "password": PASSWORD})],
    ),
    ("/kalender/book/naeste", STAFF, [("/kalender/book/kode", {"code": "{code}"})]),
    (
        "/kalender/book/faerdig",
        STAFF,
        [("/kalender/book?mode=centre&language=da", {})],
    ),
]
#: Run last, as they end what the other routes work on.
ENDING = re.compile(r"aflys|slet|tilbagekald|log-ud|luk|udfald")

_reads: dict[str, set[str]] = {"query": set(), "form": set()}


class _FormReads(ImmutableMultiDict):
    """A request's arguments that note which keys the code looks up."""

    kind = "form"

    def _note(self, key) -> None:
        if isinstance(key, str):
            _reads[self.kind].add(key)

    def __contains__(self, key) -> bool:
        self._note(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - MultiDict's name
        self._note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self._note(key)
        return super().getlist(key, type)


class _QueryReads(_FormReads):
    kind = "query"


class RecordingRequest(Request):
    parameter_storage_class = _FormReads

    @cached_property
    def args(self):
        return _QueryReads(super().args)


#: Valid values for empty date and time inputs, so that the fields next to a
#: hostile one pass and the view gets as far as it can.
_EXAMPLES = {"date": "2026-03-30", "time": "{hour}:00"}


def _shape(value: str) -> str:
    """``2026-03-30`` and ``9999-12-31`` alike: a date; ``23:61``: a time."""
    return re.sub(r"\d+", "9", value)


class _Forms(HTMLParser):
    """Each POST form of a page: its action, its fields' values as the page gives
    them, and valid examples for the empty date and time fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self._select: str | None = None
        self._in_post_form = False

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self._in_post_form = (a.get("method") or "get").lower() == "post"
            if self._in_post_form:
                self.forms.append((a.get("action") or "", {}, {}))
            return
        if not self._in_post_form:
            return
        _action, fields, examples = self.forms[-1]
        if tag == "option" and self._select:
            if self._select not in fields or "selected" in a:
                fields[self._select] = a.get("value") or ""
            return
        if not a.get("name"):
            return
        name = a["name"]
        if tag == "select":
            self._select = name
        elif tag == "textarea":
            fields.setdefault(name, "")
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "checkbox":  # sent only when ticked
                if "checked" in a:
                    fields[name] = a.get("value") or "y"
            elif kind == "radio":  # the chosen one, else the first
                if name not in fields or "checked" in a:
                    fields[name] = a.get("value") or ""
            else:
                fields.setdefault(name, a.get("value") or "")
                if not fields[name] and kind in _EXAMPLES:
                    hour = min(10 + len(examples), 23)  # the next time an hour later
                    examples[name] = _EXAMPLES[kind].format(hour=hour)

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._in_post_form = False


@pytest.fixture
def world(app, db_session, make_user, make_known_family, monkeypatch):
    """A counsellor with weekly times, a booking, an absence, a feed and a known
    family; a leader.

    Rate limits and the booking's anti-automation limits are off, so every request
    reaches the code that reads input."""
    monkeypatch.setattr(security.limiter, "enabled", False)
    monkeypatch.setitem(app.config, "BOOKING_ACTIVE_HOLDS", 1000)
    monkeypatch.setitem(app.config, "BOOKING_MAX_HELD_SHARE", 1.0)
    app.request_class = RecordingRequest
    with time_machine.travel(START, tick=False):
        counsellor = make_user(Role.COUNSELLOR)
        leader = make_user(Role.LEADER)
        db_session.add(CounsellorSettings(counsellor_id=counsellor.id, languages="da"))
        # Monday to Friday: enough free times for every walk to hold one.
        spans = [
            AvailabilitySpan(
                counsellor_id=counsellor.id,
                weekday=weekday,
                start_time=time(8),
                end_time=time(15),
                modes="home,centre,phone,video",
                location="Familiehuset",
            )
            for weekday in range(5)
        ]
        absence = Absence(
            counsellor_id=counsellor.id,
            starts_at=START + timedelta(days=10),
            ends_at=START + timedelta(days=11),
        )
        db_session.add_all([*spans, absence])
        db_session.commit()
        held = booking_holds.hold_slot(
            db_session,
            starts_at=datetime(2026, 3, 24, 9, tzinfo=UTC),  # Tuesday 10:00
            mode="centre",
            language="da",
            now=START,
        )
        booking = courses.create_course(
            db_session, hold_token=held.token, language="da", now=START
        )
        token_row, token = feed.create_feed(db_session, counsellor, now=START)
        family = make_known_family(counsellor=counsellor)
        goal, intervention = goal_and_intervention(db_session, family, counsellor)
        draft = notes.create_draft(
            db_session, counsellor, family, NoteKind.PLAN, "Et udkast"
        )
        published = notes.create_draft(
            db_session, counsellor, family, NoteKind.PLAN, "En note"
        )
        notes.publish(db_session, counsellor, published, now=START)
        asked = corrections.request_correction(
            db_session, family.members[0], published, "Forkert"
        )
        consent = consent_request(db_session, family, counsellor)
        db_session.commit()
        yield {
            "users": {"counsellor": counsellor, "leader": leader},
            "code": booking.code,
            "args": {
                "public_id": booking.session.public_id,
                "calendar.feed_revoke:public_id": token_row.public_id,
                "token": token,
                "span_id": str(spans[0].id),
                "absence_id": str(absence.id),
                "filename": "css/portal.css",
                "raadgiver": counsellor.public_id,
                "email": counsellor.email,
                "code": booking.code,
                "family_id": family.public_id,
                "child_id": family.children[0].public_id,
                "member_id": family.members[0].public_id,
                "goal_id": goal.public_id,
                "intervention_id": intervention.public_id,
                "type_id": intervention.type.public_id,
                # The draft's page for its author; the published note elsewhere.
                "note_id": draft.public_id,
                "cases.note_correct:note_id": published.public_id,
                "request_id": asked.public_id,
                "consent_id": consent.public_id,
                "item_id": consent.recipient.public_id,
            },
        }


def _path(rule, values: dict[str, str]) -> str:
    return re.sub(
        r"<(?:[^<>:]+:)?([^<>]+)>",
        lambda m: quote(values[m[1]], safe=""),
        rule.rule,
    )


def _routes(app):
    rules = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in ("GET", "POST")
        if method in rule.methods
    ]
    return sorted(
        rules,
        key=lambda item: (bool(ENDING.search(item[0].rule)), item[0].rule, item[1]),
    )


class Prober:
    """Sends requests as one role, noting what each route reads, and every 500."""

    def __init__(self, app, db_session, clock, world, role: str) -> None:
        self.app = app
        self.clock = clock
        self.db_session = db_session
        self.world = world
        self.role = role
        self.failures: list[str] = []
        self.client = None
        self.browsers = 0

    def fresh_client(self, path: str = "") -> None:
        """A new browser for each route (what one route ends cannot hide another),
        brought to the state the route needs by the walk for its address."""
        self.clock.shift(timedelta(seconds=30))  # a fresh TOTP time step
        self.client = self.app.test_client()
        self.browsers += 1  # each its own address, as for per-client limits
        self.client.environ_base["REMOTE_ADDR"] = (
            f"10.0.{self.browsers // 250}.{self.browsers % 250 + 1}"
        )
        auth = Browserless(self.client, self.db_session)
        if self.role == "visitor":
            auth.post_form("/min-booking", {"code": self.world["code"]})
        else:
            auth.login(self.world["users"][self.role])
        for prefix, roles, steps in WALKS:
            if path.startswith(prefix) and self.role in roles:
                known = self.world["args"]
                for page, choices in steps:
                    filled = {
                        key: value.format(**known) for key, value in choices.items()
                    }
                    self.submit(page.format(**known), filled)

    def submit(self, page: str, choices: dict[str, str]) -> None:
        """Send the page's own form with its first choices (and ``choices``)."""
        response = self.send("GET", page, label="(walk)")
        parser = _Forms()
        parser.feed(response.get_data(as_text=True) if response else "")
        own = urlsplit(page).path
        for action, fields, examples in parser.forms:
            if urlsplit(action).path in ("", own):
                values = {**fields, **examples, **choices}
                sent = self.send("POST", action or page, values, label="(walk)")
                if sent is not None and sent.status_code < 400:  # errors give 400
                    return
        self.failures.append(f"{self.role}: the walk stopped at {page}")

    def send(self, method: str, url: str, form: dict | None = None, label: str = ""):
        _reads["query"].clear()
        _reads["form"].clear()
        try:
            response = self.client.open(url, method=method, data=form)
        except Exception as error:  # noqa: BLE001 - every crash is a finding
            self.db_session.rollback()
            frames = traceback.extract_tb(error.__traceback__)
            ours = [frame for frame in frames if "/portal/" in frame.filename]
            where = (ours or frames)[-1]
            self.failures.append(
                f"{self.role} {method} {url[:90]} {label}: {type(error).__name__} "
                f"{str(error).splitlines()[0][:100]} ({where.filename}:{where.lineno})"
            )
            return None
        self.db_session.rollback()
        if response.status_code >= 500:
            self.failures.append(
                f"{self.role} {method} {url[:90]} {label}: {response.status_code}"
            )
        return response

    def token(self) -> str:
        """A CSRF token of this browser's session (every page with a form has it)."""
        page = self.client.get("/min-booking").get_data(as_text=True)
        return csrf_token_from(page)


def _forms_by_action(prober: Prober, routes) -> dict[tuple[str, str], dict]:
    """Visit every page and keep each form's fields, by the endpoint it posts to."""
    adapter = prober.app.url_map.bind("localhost")
    found: dict[tuple[str, str], dict] = {}
    for rule, method in routes:
        if method != "GET" or rule.endpoint == "static":
            continue
        url = _path(rule, prober.world["args"])
        response = prober.send("GET", url, label="(page)")
        if response is None or "html" not in response.content_type:
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for action, fields, examples in parser.forms:
            target = urlsplit(action).path or url
            try:
                endpoint, _values = adapter.match(target, method="POST")
            except (NotFound, MethodNotAllowed):
                continue
            found.setdefault((endpoint, target), (fields, examples))
    return found


def _valid_args(world, rule) -> dict[str, str]:
    args = world["args"]
    return {
        name: args.get(f"{rule.endpoint}:{name}", args.get(name, "1"))
        for name in rule.arguments
    }


@pytest.mark.parametrize("role", ROLES)
def test_hostile_input_never_gives_500(app, db_session, world, role):
    routes = _routes(app)
    with time_machine.travel(START, tick=False) as clock:
        prober = Prober(app, db_session, clock, world, role)
        prober.fresh_client()
        forms = _forms_by_action(prober, routes)
        for rule, method in routes:
            _probe_route(prober, forms, rule, method)
    assert not prober.failures, "\n".join(prober.failures[:60])


def _probe_route(prober: Prober, forms: dict, rule, method: str) -> None:
    """The route with valid values, then each hostile value in each place it reads."""
    valid = _valid_args(prober.world, rule)
    url = _path(rule, valid)
    prober.fresh_client(url)
    as_given, examples, baseline = {}, {}, {}
    if method == "POST":
        as_given, examples = forms.get((rule.endpoint, url), ({}, {}))
        as_given = {**as_given, "csrf_token": prober.token()}
        baseline = {**as_given, **examples}
    prober.send(method, url, baseline or None, label="(valid)")
    query_keys = sorted(_reads["query"] - APP_WIDE_ARGS)
    if rule.endpoint == "main.index":
        query_keys = sorted(APP_WIDE_ARGS)
    form_keys = sorted(_reads["form"] - {"csrf_token"}) if method == "POST" else []

    def send(target: str, data: dict | None, label: str) -> None:
        prober.send(method, target, data or None, label=label)

    for name in valid:
        for value in HOSTILE:
            send(_path(rule, {**valid, name: value}), baseline, f"<{name}>")
    for key in query_keys:
        for value in HOSTILE:
            send(f"{url}?{urlencode({key: value})}", baseline, f"?{key}")
    for value in HOSTILE if form_keys else ():
        label = f"={value[:12]!r}"
        send(url, {**baseline, **dict.fromkeys(form_keys, value)}, "all" + label)
        for key in form_keys:
            send(url, {**baseline, key: value}, key + label)
        # Every field that holds a value of this kind (both days of an absence),
        # the others filled in and as the page gives them (a whole-day absence).
        alike = [k for k in form_keys if _shape(baseline.get(k, "")) == _shape(value)]
        if len(alike) > 1:
            for others in (baseline, as_given):
                send(url, {**others, **dict.fromkeys(alike, value)}, "alike" + label)


# --- what the visitor sees: a 400 or 404 page in Danish -------------------------------

NOT_UNDERSTOOD = "Vi kunne ikke forstå forespørgslen"
NOT_FOUND = "Siden findes ikke"


def _error_page(response, code: int, words: str) -> None:
    assert response.status_code == code
    assert words in response.get_data(as_text=True)


def test_days_beyond_the_calendars_years_give_a_danish_400(client, auth, world):
    with time_machine.travel(START, tick=False):
        auth.login(world["users"]["leader"])
        for url in ("/kalender?dato=9999-12-31", "/kalender/dag?dato=0001-01-01"):
            _error_page(client.get(url), 400, NOT_UNDERSTOOD)
        _error_page(client.get("/leder?til=9999-12-31"), 400, NOT_UNDERSTOOD)
        # A missing or mistyped day still means today.
        assert client.get("/leder?til=").status_code == 200
        assert client.get("/kalender?dato=2026-02-30").status_code == 200


def test_ids_beyond_a_database_integer_give_a_danish_404(client, auth, world):
    with time_machine.travel(START, tick=False):
        auth.login(world["users"]["counsellor"])
        for id_ in ("99999999999999999999", str(2**31), "0"):
            page = client.get(f"/kalender/tilgaengelighed/tid/{id_}")
            _error_page(page, 404, NOT_FOUND)
        span = world["args"]["span_id"]
        assert client.get(f"/kalender/tilgaengelighed/tid/{span}").status_code == 200


def test_nul_bytes_give_a_danish_400_or_404_wherever_they_are(client, auth, world):
    with time_machine.travel(START, tick=False):
        login = {"email": "a\x00b@example.dk", "password": "x"}
        _error_page(auth.post_form("/log-ind", login), 400, NOT_UNDERSTOOD)
        auth.login(world["users"]["counsellor"])
        _error_page(client.get("/kalender/samtale/a%00b"), 404, NOT_FOUND)
        _error_page(client.get("/kalender?raadgiver=%00"), 400, NOT_UNDERSTOOD)
        note = f"/kalender/samtale/{world['args']['public_id']}/notat"
        posted = auth.post_form(note, {"note-note": "a\x00b"}, page="/kalender")
        _error_page(posted, 400, NOT_UNDERSTOOD)
