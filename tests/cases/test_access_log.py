"""The family's "Hvem har set vores oplysninger" (/familie/adgang): every staff
read and change of the family, and only those, by month, and as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from portal.accounts.models import Role
from portal.audit import AuditAction, AuditEvent
from portal.cases import access_log
from tests.conftest import count_queries
from tests.factories import local

pytestmark = pytest.mark.usefixtures("clock")


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_staff_reads_and_changes_are_in_the_familys_log(
    client, auth, db_session, family, member, counsellor
):
    page = f"/familier/{family.public_id}"
    auth.login(counsellor)
    assert client.get(page).status_code == 200
    added = auth.post_form(
        f"{page}/boern/ny", {"first_name": "Oskar", "birth_date": "2019-09-12"}
    )
    assert added.status_code == 302
    auth.logout()

    auth.login(member)
    html = text(client.get("/familie/adgang"))
    assert "Hvem har set vores oplysninger" in html
    assert "Så på jeres sag" in html
    assert "Tilføjede et barn" in html
    assert "Anna Andersen, rådgiver" in html


def test_only_staff_and_only_this_family(
    client,
    auth,
    db_session,
    family,
    member,
    counsellor,
    make_user,
    make_known_family,
    staff_did,
):
    other = make_known_family("Familien Bech", adults=("Sara Bech",))
    stranger = make_user(Role.COUNSELLOR, name="Bo Fremmed")
    staff_did(stranger, other)
    staff_did(counsellor, family)
    auth.login(member)
    client.get("/familie/adgang.csv")  # the member's own action
    html = text(client.get("/familie/adgang"))
    assert "Anna Andersen" in html
    assert "Bo Fremmed" not in html
    assert "Hentede" not in html  # the family's own download is not staff's


def test_month_filter_defaults_to_the_newest_month(
    client, auth, db_session, family, member, counsellor, clock, make_user, staff_did
):
    staff_did(counsellor, family)  # March 2026
    clock.move_to(local(2026, 4, 30, 23, 30))  # still April in Copenhagen
    staff_did(make_user(Role.COUNSELLOR, name="Bo April"), family)
    auth.login(member)
    html = text(client.get("/familie/adgang"))
    assert 'value="2026-04" selected' in html and 'value="2026-03"' in html
    assert "Bo April" in html and "Anna Andersen" not in html
    html = text(client.get("/familie/adgang?maaned=2026-03"))
    assert "Anna Andersen" in html and "Bo April" not in html
    html = text(client.get("/familie/adgang?maaned=1999-01"))  # no such month
    assert "Bo April" in html


def test_a_long_month_comes_in_pages(
    client, auth, db_session, family, member, counsellor, staff_did, monkeypatch
):
    monkeypatch.setattr(access_log, "PAGE_SIZE", 2)
    for _n in range(3):
        staff_did(counsellor, family)
    auth.login(member)
    first = text(client.get("/familie/adgang"))
    assert first.count("Anna Andersen, rådgiver") == 2 and "side=2" in first
    second = text(client.get("/familie/adgang?maaned=2026-03&side=2"))
    assert second.count("Anna Andersen, rådgiver") == 1


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the byte order mark"
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_csv_has_danish_headers_quotes_and_no_formulas(
    client, auth, db_session, family, member, make_user, staff_did
):
    leader = make_user(Role.LEADER, name='=HYPERLINK("http://x")')
    staff_did(leader, family, stated_reason='+SUM(1); "citat", -1 @a')
    auth.login(member)
    rows = rows_of(client.get("/familie/adgang.csv"))
    assert rows[0] == ["Tid", "Hvad", "Rolle", "Navn", "Grund"]
    assert rows[1] == [
        "2026-03-23 09:00",
        "Så på jeres sag",
        "leder",
        '\'=HYPERLINK("http://x")',
        '\'+SUM(1); "citat", -1 @a',
    ]
    for cell in (cell for row in rows for cell in row):
        assert not cell.startswith(("=", "+", "-", "@")), cell


def test_csv_of_one_month_and_its_download_is_logged(
    client, auth, db_session, family, member, counsellor, clock, staff_did
):
    staff_did(counsellor, family)
    clock.move_to(local(2026, 4, 2, 10))
    staff_did(counsellor, family)
    auth.login(member)
    response = client.get("/familie/adgang.csv?maaned=2026-04")
    assert 'filename="adgang-2026-04.csv"' in response.headers["Content-Disposition"]
    assert [row[0] for row in rows_of(response)[1:]] == ["2026-04-02 10:00"]
    assert len(rows_of(client.get("/familie/adgang.csv"))) == 3
    db_session.expire_all()
    downloads = db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.EXPORT, AuditEvent.actor_id == member.id
        )
    ).all()
    assert [(e.object_type, e.family_id) for e in downloads] == [
        ("access_log", family.id)
    ] * 2


def test_no_route_changes_the_log(app):
    """The family's log pages only read; nothing in the application edits or
    deletes audit rows (the ORM and the database refuse it: tests/test_audit.py,
    on SQLite and PostgreSQL)."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/familie/adgang", "/familie/data")):
            assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule.rule


def test_the_page_does_not_grow_in_queries(
    app, client, auth, db_session, family, member, counsellor, make_user, staff_did
):
    staff_did(counsellor, family)
    auth.login(member)
    db_session.close()
    few = count_queries(app, client, "/familie/adgang")
    for n in range(20):
        staff_did(make_user(Role.LEADER, name=f"Leder {n}"), family, stated_reason="x")
    db_session.close()
    assert count_queries(app, client, "/familie/adgang") == few
