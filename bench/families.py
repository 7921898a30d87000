"""Known families, part of ``make bench`` (``python -m bench.families`` runs it alone).

Seeds a throwaway PostgreSQL schema with 2,000 families of 3-5 people (one or two
adult members holding custody of the children), 20 counsellors (each the primary
contact of 100 families, and the second counsellor of some more) and 2-4
sessions per family, then

* counts the SQL statements of ``/familie``, ``/familier`` and ``/familier/<id>``
  in-process, for a family of three and one of five (tests/families/
  test_query_counts.py asserts the same on a small and a larger data set), and
* load-tests each with 20 logged-in clients (20 members of different families,
  20 counsellors each on their own list and one of their families) against
  gunicorn on 127.0.0.1 (``bench.server``), next to the bare hello route; and
  the members' goals and notes pages (issue 10), their families holding 50
  published notes and 10 goals of 40 scores each.

Targets: p95 < 100 ms and at least 30 % of the hello route's requests/s.
``run(database_url) -> dict`` is what ``make bench`` calls; the schema is dropped
and gunicorn stopped whatever happens. Environment: ``BENCH_DATABASE_URL``,
``BENCH_SECONDS``.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import insert, select

from bench import (
    HELLO,
    bench_app,
    bench_schema,
    count_statements,
    database_url,
    environment,
    settle,
    throwaway_secrets,
)
from bench import load as http_load
from bench.logins import (
    log_in_member,
    log_in_staff,
    member_test_client,
    staff_test_client,
)

FAMILIES = 2_000
COUNSELLORS = 20
#: Every tenth family also has a second counsellor (not the primary contact).
SECOND_COUNSELLOR_EVERY = 10
CLIENTS = 20
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = 2
P95_TARGET_MS = 100
HELLO_SHARE_TARGET = 0.30
PASSWORD = "benchmark-password-" + secrets.token_hex(4)
SURNAMES = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
    "Jørgensen Petersen Madsen Kristensen Olsen Thomsen Poulsen Johansen Møller"
).split()
ADULT_NAMES = "Mette Jonas Sara Ali Line Peter Fatima Søren Maria Ahmad".split()
CHILD_NAMES = "Emma Noah Ida Oscar Freja Omar Alma Karl Ella Yusuf Sofie".split()
MODES = ("centre", "home", "phone", "video")


def _counsellor_email(n: int) -> str:
    return f"bench.raadgiver{n}@example.dk"


@dataclass
class Seeded:
    """What the seed made, and whom the benchmark logs in as."""

    people: int = 0
    adults: int = 0
    sessions: int = 0
    assignments: int = 0
    totp_secrets: list[str] = field(default_factory=list)
    #: Per counsellor, one adult member's e-mail of one of their families.
    member_emails: list[str] = field(default_factory=list)
    #: Per counsellor, one of their families' public id.
    family_ids: list[str] = field(default_factory=list)
    #: Counsellor 0's families of three and of five people: (public id, e-mail).
    by_size: dict[int, tuple[str, str]] = field(default_factory=dict)


def _slots(monday: date) -> list[datetime]:
    """A counsellor's hourly slot starts, Monday-Friday 8-16, from ``monday`` on."""
    from portal.i18n import LOCAL

    starts = []
    for day in range(12 * 7):
        current = monday + timedelta(days=day)
        if current.weekday() < 5:
            for hour in range(8, 16):
                local = datetime.combine(current, clock_time(hour), tzinfo=LOCAL)
                starts.append(local.astimezone(UTC))
    return starts


def _session_rows(
    counsellors: list[int], family_rows, rng: random.Random, now: datetime
) -> list[dict]:
    """Each counsellor's families' sessions (2-4 a family) in the counsellor's
    own hourly grid, in a shuffled order, from four weeks ago on: none overlap."""
    from portal.booking.models import SessionStatus

    today = now.date()
    grid = _slots(today - timedelta(days=today.weekday(), weeks=4))
    queues: list[list[int]] = [[] for _ in counsellors]
    for n, (family_id, _public) in enumerate(family_rows):
        queues[n % COUNSELLORS].extend([family_id] * rng.randint(2, 4))
    session_rows = []
    for counsellor, queue in zip(counsellors, queues, strict=True):
        rng.shuffle(queue)
        for k, (family_id, start) in enumerate(zip(queue, grid, strict=False)):
            past = start < now
            cancelled = k % 9 == 0
            mode = MODES[k % len(MODES)]
            session_rows.append(
                {
                    "family_id": family_id,
                    "counsellor_id": counsellor,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=1),
                    "busy_until": start + timedelta(hours=1),
                    "mode": mode,
                    "location": "Familiehuset" if mode == "centre" else None,
                    "address": "Skolevej 3" if mode == "home" and not past else None,
                    "status": SessionStatus.CANCELLED
                    if cancelled
                    else (SessionStatus.HELD if past else SessionStatus.BOOKED),
                    "cancelled_at": now - timedelta(days=2) if cancelled else None,
                    "created_at": min(now, start) - timedelta(days=14 - k % 14),
                }
            )
    return session_rows


def _seed(app, rng: random.Random) -> Seeded:
    """Bulk inserts (as bench/seed.py), so 2,000 families take seconds."""
    import pyotp

    from portal import db
    from portal.accounts import passwords
    from portal.accounts import services as accounts
    from portal.accounts.models import Role, User
    from portal.booking.models import CounsellingSession
    from portal.db import Base
    from portal.families.models import (
        Child,
        Family,
        FamilyAssignment,
        custody,
        session_participants,
    )

    Base.metadata.create_all(app.extensions["db_engine"])
    seeded = Seeded()
    now = datetime.now(UTC)
    with app.app_context():
        session = db.session()
        counsellors = []
        for n in range(COUNSELLORS):
            user = accounts.create_user(
                session,
                email=_counsellor_email(n),
                name=f"Rådgiver {n}",
                role=Role.COUNSELLOR,
                password=PASSWORD,
            )
            user.totp_secret = pyotp.random_base32()
            counsellors.append(user.id)
            seeded.totp_secrets.append(user.totp_secret)
        names = [f"Familien {rng.choice(SURNAMES)}" for _ in range(FAMILIES)]
        family_rows = session.execute(
            insert(Family).returning(
                Family.id, Family.public_id, sort_by_parameter_order=True
            ),
            [{"display_name": name, "search_name": name.casefold()} for name in names],
        ).all()
        password_hash = passwords.hash_password(PASSWORD)
        sizes = [rng.randint(3, 5) for _ in family_rows]
        member_rows, child_rows = [], []
        for n, ((family_id, _public), size) in enumerate(
            zip(family_rows, sizes, strict=True)
        ):
            surname = names[n].removeprefix("Familien ")
            adults = 1 if size == 3 and n % 3 == 0 else 2
            for a in range(adults):
                email = f"medlem{n}.{a}@example.dk"
                member_rows.append(
                    {
                        "name": f"{rng.choice(ADULT_NAMES)} {surname}",
                        "role": Role.FAMILY,
                        "family_id": family_id,
                        "contact_email": email,
                        "login_key": accounts.login_key(email),
                        "password_hash": password_hash,
                        "last_login_at": now - timedelta(days=7),
                    }
                )
            for _ in range(size - adults):
                child_rows.append(
                    {
                        "family_id": family_id,
                        "first_name": rng.choice(CHILD_NAMES),
                        "birth_date": date(2008, 1, 1)
                        + timedelta(days=rng.randrange(16 * 365)),
                    }
                )
        adult_ids: dict[int, list[int]] = {}
        for member_id, family_id in session.execute(
            insert(User).returning(User.id, User.family_id), member_rows
        ):
            adult_ids.setdefault(family_id, []).append(member_id)
        custody_rows = [
            {"child_id": child_id, "member_id": member_id}
            for child_id, family_id in session.execute(
                insert(Child).returning(Child.id, Child.family_id), child_rows
            )
            for member_id in adult_ids[family_id]
        ]
        session.execute(insert(custody), custody_rows)
        assignment_rows = []
        for n, (family_id, public_id) in enumerate(family_rows):
            primary = n % COUNSELLORS
            assignment_rows.append(
                {
                    "family_id": family_id,
                    "counsellor_id": counsellors[primary],
                    "is_primary": True,
                }
            )
            if n % SECOND_COUNSELLOR_EVERY == 0:
                second = (primary + 1) % COUNSELLORS
                assignment_rows.append(
                    {"family_id": family_id, "counsellor_id": counsellors[second]}
                )
            if n < COUNSELLORS:  # the first family of each counsellor
                seeded.family_ids.append(public_id)
                seeded.member_emails.append(f"medlem{n}.0@example.dk")
            if primary == 0 and sizes[n] not in seeded.by_size:
                seeded.by_size[sizes[n]] = (public_id, f"medlem{n}.0@example.dk")
        session.execute(insert(FamilyAssignment), assignment_rows)

        session_rows = _session_rows(counsellors, family_rows, rng, now)
        participant_rows = [
            {"session_id": session_id, "member_id": member_id}
            for session_id, family_id in session.execute(
                insert(CounsellingSession).returning(
                    CounsellingSession.id, CounsellingSession.family_id
                ),
                session_rows,
            )
            for member_id in adult_ids[family_id]
        ]
        session.execute(insert(session_participants), participant_rows)
        session.commit()
    seeded.people = len(member_rows) + len(child_rows)
    seeded.adults = len(member_rows)
    seeded.sessions = len(session_rows)
    seeded.assignments = len(assignment_rows)
    return seeded


#: Issue 10's case pages: each benchmarked family has this many published notes
#: and goals with this many scores each.
CASE_NOTES = 50
CASE_GOALS = 10
SCORES_PER_GOAL = 40
NOTE_TEXT = (
    "Vi talte om morgenerne. **Mette** fortalte, at det går bedre.\n\n"
    "- Emma kommer i skole til tiden\n- Aftenen er stadig svær\n\n"
    "Vi aftalte at tale om det igen om to uger."
)


def _seed_cases(app, seeded: Seeded) -> str:
    """The logged-in members' families (one per counsellor) get their case through
    the real services: notes (published, so each has a version) and goals with
    scores, so the pages read and decrypt what production would."""
    from portal import db
    from portal.accounts.models import User
    from portal.cases import goals, goals_progress, notes
    from portal.cases.notes_models import NoteKind
    from portal.families.models import Family

    began = time.perf_counter()
    with app.app_context():
        session = db.session()
        for n, public_id in enumerate(seeded.family_ids):
            family = session.scalars(
                select(Family).where(Family.public_id == public_id)
            ).one()
            counsellor = session.scalars(
                select(User).where(User.email == _counsellor_email(n))
            ).one()
            for _ in range(CASE_NOTES):
                note = notes.create_draft(
                    session, counsellor, family, NoteKind.CONVERSATION, NOTE_TEXT
                )
                notes.publish(session, counsellor, note)
            for g in range(CASE_GOALS):
                goal = goals.create_goal(
                    session,
                    counsellor,
                    family,
                    goals.GoalText(
                        title=f"Mål {g + 1}: roligere morgener",
                        change="Morgenerne bliver roligere.",
                        why="Der er mange konflikter før skole.",
                        how_we_know="Emma kommer i skole til tiden.",
                        target_date=date.today() + timedelta(days=180),
                    ),
                )
                for k in range(SCORES_PER_GOAL):
                    goals_progress.add_score(
                        session,
                        counsellor,
                        family,
                        goal,
                        score=1 + (g + k) % 10,
                        scored_on=date.today()
                        - timedelta(days=7 * (SCORES_PER_GOAL - k)),
                        note="Lidt bedre end sidst.",
                    )
            session.commit()
    return (
        f"{len(seeded.family_ids)} families with {CASE_NOTES} notes and "
        f"{CASE_GOALS} goals x {SCORES_PER_GOAL} scores each, in "
        f"{time.perf_counter() - began:.1f} s"
    )


def _statements(app, seeded: Seeded) -> dict[str, str]:
    """Each page's statements in-process, for a family of three and one of five:
    the same count for both (no N+1)."""
    counsellor = staff_test_client(
        app, _counsellor_email(0), PASSWORD, seeded.totp_secrets[0]
    )
    home, page = [], []
    for size in (3, 5):
        public_id, email = seeded.by_size[size]
        member = member_test_client(app, email, PASSWORD)
        home.append(count_statements(app, member, "/familie")[0])
        page.append(count_statements(app, counsellor, f"/familier/{public_id}")[0])
    listed, html = count_statements(app, counsellor, "/familier")
    same = home[0] == home[1] and page[0] == page[1]
    return {
        "families_statements": (
            f"/familie {home[0]} and {home[1]} (a family of 3 and of 5), "
            f"/familier {listed} ({html.count('/familier/') - 1} links), "
            f"/familier/<id> {page[0]} and {page[1]} "
            f"[constant: {'met' if same else 'MISSED'}]"
        )
    }


def _verdict(result: http_load.Result, hello: http_load.Result) -> str:
    p95 = result.percentile_ms(95)
    share = result.rps / hello.rps if hello.rps else 0.0
    return (
        f"{result.clients} clients, {result.requests} requests, {result.errors} "
        f"errors, {result.rps:.1f} requests/s ({share:.0%} of hello), "
        f"p50 {result.percentile_ms(50):.1f} ms, p95 {p95:.1f} ms "
        f"[p95 < {P95_TARGET_MS} ms: {'met' if p95 < P95_TARGET_MS else 'MISSED'}; "
        f">= {HELLO_SHARE_TARGET:.0%} of hello: "
        f"{'met' if share >= HELLO_SHARE_TARGET and not result.errors else 'MISSED'}]"
    )


def _load_test(port: int, seeded: Seeded) -> dict[str, str]:
    """Log 20 members and 20 counsellors in over HTTP, then load each page."""
    members, staff = [], []
    for n in range(CLIENTS):
        client = http_load.Client("127.0.0.1", port)
        members.append(log_in_member(client, seeded.member_emails[n], PASSWORD))
        client.close()
        client = http_load.Client("127.0.0.1", port)
        staff.append(
            log_in_staff(client, _counsellor_email(n), PASSWORD, seeded.totp_secrets[n])
        )
        client.close()
    pages = [f"/familier/{public_id}" for public_id in seeded.family_ids]
    loads = {
        "/familie": (members, "/familie"),
        "/familier": (staff, "/familier"),
        "/familier/<id>": (staff, pages),  # each counsellor one of their families
        "/familie/maal": (members, "/familie/maal"),
        "/familie/notater": (members, "/familie/notater"),
    }
    results = {
        route: http_load.run_logged_in(port, path, jars, LOAD_SECONDS, WARMUP_SECONDS)
        for route, (jars, path) in loads.items()
    }
    hello = http_load.run_logged_in(
        port, HELLO, [{}] * CLIENTS, LOAD_SECONDS, WARMUP_SECONDS
    )
    return {
        f"families {route}": _verdict(result, hello)
        for route, result in results.items()
    } | {
        "families hello": (
            f"{hello.clients} clients, {hello.rps:.1f} requests/s, p50 "
            f"{hello.percentile_ms(50):.1f} ms, p95 {hello.percentile_ms(95):.1f} ms"
        )
    }


def run(url: str) -> dict:
    """Seed, count the pages' statements, load-test them; return the figures."""
    from bench.server import gunicorn

    env = throwaway_secrets()
    with bench_schema(url) as schema, environment(env):
        app = bench_app(url, schema)
        try:
            began = time.perf_counter()
            seeded = _seed(app, random.Random(2026))  # noqa: S311 - reproducible
            settle(app.extensions["db_engine"])
            seeding = time.perf_counter() - began
            figures: dict[str, str] = {
                "families_seeded": (
                    f"{FAMILIES} families, {seeded.people} people "
                    f"({seeded.adults} adult members), {COUNSELLORS} counsellors "
                    f"with {seeded.assignments} assignments, {seeded.sessions} "
                    f"sessions, in {seeding:.1f} s"
                )
            }
            figures["families_cases"] = _seed_cases(app, seeded)
            settle(app.extensions["db_engine"])
            figures |= _statements(app, seeded)
        finally:
            app.extensions["db_engine"].dispose()
        server_env = {**env, "BENCH_DATABASE_URL": url, "BENCH_SCHEMA": schema}
        with gunicorn(server_env) as port:
            figures |= _load_test(port, seeded)
    return figures


def main() -> int:
    from bench.server import WORKER_CLASS, WORKERS

    print(
        f"Families benchmark: {FAMILIES} families, {CLIENTS} clients, "
        f"gunicorn {WORKERS} {WORKER_CLASS} workers, {LOAD_SECONDS:g} s a route"
    )
    figures = run(database_url())
    for key, value in figures.items():
        print(f"{key}: {value}")
    return 1 if any("MISSED" in value for value in figures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
