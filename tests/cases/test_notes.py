"""Notes: a draft is its author's alone; publishing shows it to the family and
freezes it (also against a crafted POST and in the database); a correction is a
new version that keeps the old one visible; the family responds."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.accounts.models import Role
from portal.cases import notes_published
from portal.cases.notes_models import Note, NoteVersion
from tests.conftest import Browserless, csrf_token_from

pytestmark = pytest.mark.usefixtures("clock")


def notes_url(family) -> str:
    return f"/familier/{family.public_id}/notater"


def test_a_draft_is_invisible_to_the_family_and_to_colleagues(
    app, client, db_session, family, counsellor, colleague, write_note
):
    write_note(counsellor, family, "Hemmeligt udkast om Mette", publish=False)
    Browserless(client, db_session).login(family.members[0])
    assert "Hemmeligt udkast" not in client.get("/familie/notater").get_data(
        as_text=True
    )
    other = Browserless(app.test_client(), db_session)
    other.login(colleague)
    page = other.client.get(notes_url(family)).get_data(as_text=True)
    assert "Hemmeligt udkast" not in page
    note = db_session.scalars(select(Note)).one()
    draft = f"{notes_url(family)}/{note.public_id}"
    assert other.client.get(draft).status_code == 404
    token = csrf_token_from(
        other.client.get(notes_url(family) + "/ny").get_data(as_text=True)
    )
    for action in ("/offentliggoer", "/slet"):
        response = other.client.post(draft + action, data={"csrf_token": token})
        assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(Note, note.id).is_draft


def test_the_author_writes_previews_with_lix_and_publishes(
    client, auth, db_session, family, counsellor
):
    auth.login(counsellor)
    response = auth.post_form(
        notes_url(family) + "/ny",
        {"kind": "assessment", "session": "", "body": "Mette har det godt. **Fint.**"},
    )
    assert response.status_code == 302
    draft_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Fint.</strong>" in draft_page
    assert "LIX" in draft_page and "Let" in draft_page
    note = db_session.scalars(select(Note)).one()
    publish = f"{notes_url(family)}/{note.public_id}/offentliggoer"
    assert auth.post_form(publish, {}, page=notes_url(family)).status_code == 302
    db_session.expire_all()
    assert not note.is_draft and note.current.number == 1
    auth.logout()
    auth.login(family.members[0])
    page = client.get("/familie/notater").get_data(as_text=True)
    assert "Mette har det godt." in page and "Vurdering" in page


def test_a_published_note_cannot_be_edited_or_deleted_by_a_crafted_post(
    client, auth, db_session, family, counsellor, write_note
):
    note = write_note(counsellor, family, "Det oprindelige")
    auth.login(counsellor)
    one = f"{notes_url(family)}/{note.public_id}"
    token = csrf_token_from(
        client.get(notes_url(family) + "/ny").get_data(as_text=True)
    )
    edit = {"csrf_token": token, "kind": "plan", "session": "", "body": "Ændret"}
    assert client.post(one, data=edit).status_code == 409
    assert client.post(one + "/slet", data={"csrf_token": token}).status_code == 409
    assert (
        client.post(one + "/offentliggoer", data={"csrf_token": token}).status_code
        == 409
    )
    db_session.expire_all()
    assert [v.body for v in db_session.get(Note, note.id).versions] == [
        "Det oprindelige"
    ]


def test_the_database_refuses_to_rewrite_what_was_published(
    db_session, family, counsellor, write_note
):
    note = write_note(counsellor, family, "Det oprindelige")
    for statement in (
        "UPDATE note_versions SET body = 'x'",
        "UPDATE notes SET kind = 'plan'",
        "UPDATE notes SET published_at = NULL, draft_body = 'x'",
    ):
        with pytest.raises(DBAPIError):
            db_session.execute(text(statement))
        db_session.rollback()
    db_session.execute(text("UPDATE notes SET session_id = NULL"))  # a link only
    db_session.commit()
    assert db_session.get(Note, note.id).current.body == "Det oprindelige"


def test_a_correction_keeps_the_old_version_visible(
    client, auth, db_session, family, counsellor, colleague, write_note
):
    note = write_note(counsellor, family, "Mette kom for sent.")
    other = Browserless(client, db_session)
    other.login(colleague)
    url = f"{notes_url(family)}/{note.public_id}/ret"
    same = other.post_form(url, {"body": "Mette kom for sent."})
    assert same.status_code == 400
    assert other.post_form(url, {"body": "Mette kom til tiden."}).status_code == 302
    other.logout()
    other.login(family.members[0])
    page = client.get("/familie/notater").get_data(as_text=True)
    assert page.index("Mette kom til tiden.") < page.index("Mette kom for sent.")
    assert "Rettet" in page and "Bo Kollega" in page
    versions = db_session.scalars(select(NoteVersion).order_by(NoteVersion.number))
    assert [v.number for v in versions] == [1, 2]


def test_the_family_responds_and_the_answer_stays(
    client, auth, db_session, family, counsellor, write_note
):
    note = write_note(counsellor, family)
    member = family.members[0]
    auth.login(member)
    url = f"/familie/notater/{note.public_id}/svar"
    assert auth.post_form(url, {"body": "Vi er enige."}).status_code == 302
    auth.logout()
    auth.login(counsellor)
    page = client.get(notes_url(family)).get_data(as_text=True)
    assert "Vi er enige." in page and member.name in page
    with pytest.raises(DBAPIError):
        db_session.execute(text("UPDATE note_responses SET body = 'x'"))
    db_session.rollback()


def test_the_family_cannot_respond_to_a_draft(
    db_session, family, counsellor, write_note
):
    from portal.families.records import RecordError

    draft = write_note(counsellor, family, publish=False)
    with pytest.raises(RecordError):
        notes_published.respond(db_session, family.members[0], draft, "Hej")


def test_a_session_of_another_family_cannot_be_linked(
    client, auth, db_session, family, counsellor, make_known_family
):
    auth.login(counsellor)
    response = auth.post_form(
        notes_url(family) + "/ny",
        {"kind": "plan", "session": "not-a-session", "body": "Tekst"},
    )
    assert response.status_code == 400
    assert db_session.scalars(select(Note)).first() is None


def test_a_leader_reads_but_cannot_change(
    app, db_session, family, counsellor, make_user, write_note
):
    note = write_note(counsellor, family)
    leader = Browserless(app.test_client(), db_session)
    leader.login(make_user(Role.LEADER))
    reason = f"/familier/{family.public_id}/begrundelse"
    assert leader.post_form(reason, {"reason": "Tilsyn"}).status_code == 302
    assert leader.client.get(notes_url(family)).status_code == 200
    for path in ("/ny", f"/{note.public_id}/ret", f"/{note.public_id}"):
        assert leader.client.get(notes_url(family) + path).status_code == 403
