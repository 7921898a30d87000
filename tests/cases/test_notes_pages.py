"""The notes pages: SQL statements do not grow with notes x versions x
responses x requests; the family's notes page reads easily in Danish; the export
holds every published note with its versions and nothing of a draft or of
another family."""

from __future__ import annotations

import pytest

from portal.cases import corrections, notes_published
from portal.cases.notes_export import notes_for_export
from tests.conftest import Browserless, count_queries
from tests.families.test_plain_language import assert_easy

pytestmark = pytest.mark.usefixtures("clock")

BODY = (
    "Vi talte om **skolen**.\n\n- Mette henter\n- Jonas bringer\n\nSe https://borger.dk"
)


def grow(db_session, family, counsellor, write_note, count: int) -> None:
    member = family.members[0]
    for n in range(count):
        note = write_note(counsellor, family, f"{BODY} {n}")
        notes_published.correct(db_session, counsellor, note, f"{BODY} rettet {n}")
        notes_published.respond(db_session, member, note, "Tak for det.")
        asked = corrections.request_correction(db_session, member, note, "Forkert.")
        if n % 2:
            corrections.answer(db_session, counsellor, asked, body="", reason="Nej.")
    write_note(counsellor, family, "Udkast", publish=False)
    db_session.commit()


def test_notes_pages_run_as_many_statements_with_more_notes(
    app, client, db_session, family, counsellor, write_note
):
    staff = Browserless(app.test_client(), db_session)
    staff.login(counsellor)
    Browserless(client, db_session).login(family.members[0])
    pages = {
        f"/familier/{family.public_id}/notater": staff.client,
        "/familie/notater": client,
    }
    grow(db_session, family, counsellor, write_note, 1)

    def counts():
        db_session.close()
        return {path: count_queries(app, who, path) for path, who in pages.items()}

    small = counts()
    grow(
        db_session,
        db_session.merge(family),
        db_session.merge(counsellor),
        write_note,
        6,
    )
    assert counts() == small


def test_the_familys_notes_page_reads_easily(
    client, auth, db_session, family, counsellor, write_note
):
    auth.login(family.members[0])
    assert_easy(client.get("/familie/notater").get_data(as_text=True))  # empty
    grow(db_session, family, counsellor, write_note, 2)
    page = client.get("/familie/notater").get_data(as_text=True)
    assert "Nej." in page and "Tak for det." in page
    assert_easy(page)
    note_id = page.split("/familie/notater/")[1].split("/")[0]
    for form in ("svar", "rettelse"):
        assert_easy(
            client.get(f"/familie/notater/{note_id}/{form}").get_data(as_text=True)
        )


def test_the_export_has_every_published_note_and_nothing_else(
    db_session, family, counsellor, write_note, make_known_family
):
    grow(db_session, family, counsellor, write_note, 2)
    other = make_known_family("Familien Anden", counsellor=counsellor)
    write_note(counsellor, other, "Om en anden familie")
    exported = notes_for_export(db_session, family)
    assert len(exported) == 2
    assert [v["number"] for v in exported[0]["versions"]] == [1, 2]
    assert exported[0]["responses"][0]["text"] == "Tak for det."
    assert exported[1]["correction_requests"][0]["reason"] == "Nej."
    flat = repr(exported)
    assert "Udkast" not in flat and "anden familie" not in flat
    assert "'id': 1," not in flat  # public ids only


def test_the_notes_come_ten_a_page_newest_first(
    app, client, db_session, family, counsellor, write_note
):
    """A case grows for years: each list shows ten notes, with links to newer and
    older ones; a hostile page number shows the first page."""
    for n in range(12):
        write_note(counsellor, family, f"Samtale nummer {n:02d}.")
    staff = Browserless(app.test_client(), db_session)
    staff.login(counsellor)
    Browserless(client, db_session).login(family.members[0])
    for who, path in (
        (client, "/familie/notater"),
        (staff.client, f"/familier/{family.public_id}/notater"),
    ):
        first = who.get(path).get_data(as_text=True)
        assert [f"nummer {n:02d}" in first for n in range(12)] == [False] * 2 + [
            True
        ] * 10
        assert f'href="{path}?side=2"' in first and "Nyere" not in first
        second = who.get(f"{path}?side=2").get_data(as_text=True)
        assert "nummer 00" in second and "nummer 01" in second
        assert "nummer 02" not in second
        assert f'href="{path}"' in second and "?side=3" not in second
        for hostile in ("0", "-1", "x", "99999999999"):
            assert who.get(f"{path}?side={hostile}").status_code == 200


def test_an_answer_leads_back_to_the_page_of_its_note(
    auth, client, db_session, family, counsellor, write_note
):
    oldest = write_note(counsellor, family, "Den første samtale.")
    for n in range(10):
        write_note(counsellor, family, f"Samtale {n}.")
    auth.login(family.members[0])
    page = f"/familie/notater/{oldest.public_id}/svar"
    response = auth.post_form(page, {"body": "Tak."})
    assert response.headers["Location"] == (
        f"/familie/notater?side=2#note-{oldest.public_id}"
    )
    newest = f"/familie/notater/{family_newest(db_session, family)}/svar"
    response = auth.post_form(newest, {"body": "Tak."})
    assert response.headers["Location"].startswith("/familie/notater#note-")


def family_newest(db_session, family) -> str:
    from sqlalchemy import select

    from portal.cases.notes_models import Note

    return db_session.scalars(
        select(Note.public_id)
        .where(Note.family_id == family.id)
        .order_by(Note.published_at.desc(), Note.id.desc())
    ).first()
