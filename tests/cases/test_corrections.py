"""The family asks for a correction; the request shows on the counsellor's family
page until answered, with a corrected version (linked) or a reason; request and
answer stay visible, and an answer is final."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.cases.corrections import open_correction_requests
from portal.cases.corrections_models import CorrectionRequest
from tests.conftest import Browserless

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def asked(client, db_session, family, counsellor, write_note):
    """Mette has asked for a correction of a published note; the counsellor is
    logged in on ``client``."""
    note = write_note(counsellor, family, "Mette kom for sent.")
    member = Browserless(client, db_session)
    member.login(family.members[0])
    url = f"/familie/notater/{note.public_id}/rettelse"
    assert member.post_form(url, {"body": "Jeg kom til tiden."}).status_code == 302
    member.logout()
    member.login(counsellor)
    request = db_session.scalars(select(CorrectionRequest)).one()
    return member, note, request


def answer_url(family, request) -> str:
    return f"/familier/{family.public_id}/rettelser/{request.public_id}"


def test_an_open_request_shows_on_the_family_page_and_overview(
    client, db_session, family, asked
):
    _staff, _note, request = asked
    page = client.get(f"/familier/{family.public_id}").get_data(as_text=True)
    assert answer_url(family, request) in page
    assert open_correction_requests(db_session, [family.id]) == [request]
    assert open_correction_requests(db_session, []) == []


def test_an_answer_needs_a_correction_or_a_reason(client, db_session, family, asked):
    staff, note, request = asked
    same = staff.post_form(
        answer_url(family, request), {"body": "Mette kom for sent.", "reason": ""}
    )
    assert same.status_code == 400
    db_session.expire_all()
    assert db_session.get(CorrectionRequest, request.id).is_open


def test_answering_with_a_corrected_version_links_it(client, db_session, family, asked):
    staff, note, request = asked
    response = staff.post_form(
        answer_url(family, request), {"body": "Mette kom til tiden.", "reason": ""}
    )
    assert response.status_code == 302
    db_session.expire_all()
    answered = db_session.get(CorrectionRequest, request.id)
    assert answered.answer_version.number == 2 and not answered.is_open
    assert answer_url(family, request) not in client.get(
        f"/familier/{family.public_id}"
    ).get_data(as_text=True)
    staff.logout()
    staff.login(family.members[0])
    page = client.get("/familie/notater").get_data(as_text=True)
    assert "Jeg kom til tiden." in page  # the request stays
    assert f'href="#version-{answered.answer_version.public_id}"' in page
    assert "Mette kom for sent." in page  # the old version stays


def test_answering_with_a_reason_keeps_the_note(client, db_session, family, asked):
    staff, note, request = asked
    response = staff.post_form(
        answer_url(family, request),
        {"body": "Mette kom for sent.", "reason": "Mødet startede kl. 9."},
    )
    assert response.status_code == 302
    assert (
        staff.post_form(
            answer_url(family, request),
            {"body": "x", "reason": "igen"},
            page=f"/familier/{family.public_id}/notater",
        ).status_code
        == 409
    )
    staff.logout()
    staff.login(family.members[0])
    page = client.get("/familie/notater").get_data(as_text=True)
    assert "Mødet startede kl. 9." in page and "Jeg kom til tiden." in page
    with pytest.raises(DBAPIError):
        db_session.execute(text("UPDATE correction_requests SET answer_reason = 'x'"))
    db_session.rollback()
