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
