"""The consent pages through the client: the family answers and takes back a
yes on /familie/samtykke, only the ones asked can answer, the counsellor asks
and records disclosures (bad input: a Danish message, nothing stored), the
leader keeps the lists and sees disclosures without consent."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.accounts.models import Role
from portal.consent.disclosure_models import (
    Disclosure,
)
from portal.consent.history import events_of, state_of
from portal.consent.models import (
    ConsentEvent,
    ConsentRequest,
    ListKind,
)
from portal.consent.state import ConsentState
from tests.consent.conftest import item
from tests.factories import NOW

PAGE = "/familie/samtykke"


def _state(db_session, request):
    db_session.expire_all()
    return state_of(request, events_of(db_session, request), NOW)


def test_a_parent_sees_the_question_and_says_yes(auth, db_session, ask, household):
    request = ask()
    auth.login(household["mette"])
    page = auth.client.get(PAGE).get_data(as_text=True)
    assert "Venter på dit svar" in page and "Skole" in page and "Emma" in page
    url = f"{PAGE}/{request.public_id}/svar"
    response = auth.post_form(url, {"answer": "yes", "comment": "Fint"}, page=PAGE)
    assert response.status_code == 302
    grant = events_of(db_session, request)[-1]
    assert grant.actor_id == household["mette"].id
    assert grant.login_method == "password" and grant.comment == "Fint"


def test_a_parent_takes_back_the_yes_with_one_action(
    auth, db_session, ask, answer, household
):
    request = ask()
    answer(household["mette"], request)
    answer(household["jonas"], request)
    auth.login(household["jonas"])
    page = auth.client.get(PAGE).get_data(as_text=True)
    assert "Tag mit ja tilbage" in page
    url = f"{PAGE}/{request.public_id}/tilbagekald"
    assert auth.post_form(url, {}, page=PAGE).status_code == 302
    assert _state(db_session, request) == ConsentState.WITHDRAWN


def test_a_custody_holder_of_another_child_cannot_answer(
    auth, db_session, ask, household
):
    request = ask()
    auth.login(household["sara"])
    url = f"{PAGE}/{request.public_id}/svar"
    # Not hers to see at all: as if it did not exist.
    assert auth.post_form(url, {"answer": "yes"}, page=PAGE).status_code == 404
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(ConsentEvent)) == 1


def test_the_counsellor_asks_and_a_too_long_period_is_refused(
    auth, db_session, household
):
    family = household["family"]
    auth.login(household["counsellor"])
    url = f"/familier/{family.public_id}/samtykke/ny"
    data = {
        "child": household["emma"].public_id,
        "recipient": item(db_session, ListKind.RECIPIENT, "Skole").public_id,
        "information": [item(db_session, ListKind.INFORMATION, "Trivsel").public_id],
        "purpose": "Så skolen kan hjælpe",
        "starts_on": "2026-03-23",
        "ends_on": "2027-03-23",
    }
    refused = auth.post_form(url, data)
    assert refused.status_code == 400
    assert "højst være 12 måneder" in refused.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(ConsentRequest)) == 0
    assert auth.post_form(url, {**data, "ends_on": "2027-03-22"}).status_code == 302
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(ConsentRequest)) == 1


def test_a_statutory_disclosure_without_justification_is_refused(
    auth, db_session, household
):
    family = household["family"]
    auth.login(household["counsellor"])
    url = f"/familier/{family.public_id}/videregivelser/ny"
    data = {
        "statute": item(
            db_session, ListKind.STATUTE, "Underretningspligt (Barnets Lov § 133)"
        ).public_id,
        "justification": "",
        "recipient": item(db_session, ListKind.RECIPIENT, "PPR").public_id,
        "information": [item(db_session, ListKind.INFORMATION, "Trivsel").public_id],
        "what": "Bekymring",
        "shared_on": "2026-03-23",
        "channel": "phone",
    }
    refused = auth.post_form(url, data)
    assert refused.status_code == 400
    assert "Skriv begrundelsen" in refused.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Disclosure)) == 0
    ok = auth.post_form(url, {**data, "justification": "Barnet er i fare"})
    assert ok.status_code == 302


def test_the_family_sees_a_disclosure_with_its_basis(
    auth, db_session, ask, answer, household, make_user
):
    request = ask()
    answer(household["mette"], request)
    answer(household["jonas"], request)
    auth.login(household["counsellor"])
    family = household["family"]
    url = f"/familier/{family.public_id}/samtykke/{request.public_id}/videregivelse"
    data = {
        "recipient": request.recipient.public_id,
        "information": [i.public_id for i in request.information],
        "what": "Emma har det svært i frikvarteret",
        "shared_on": "2026-03-23",
        "channel": "meeting",
    }
    assert auth.post_form(url, data).status_code == 302
    auth.logout()
    auth.login(household["mette"])
    page = auth.client.get(PAGE).get_data(as_text=True)
    assert "Emma har det svært i frikvarteret" in page
    assert "I sagde ja til det" in page
    seen = auth.client.get("/familie/adgang").get_data(as_text=True)
    assert "Delte oplysninger om jer" in seen
    assert "Så på jeres samtykker" in seen
    # Sara holds custody of Lily only: what was shared about Emma is not hers.
    auth.logout()
    auth.login(household["sara"])
    page = auth.client.get(PAGE).get_data(as_text=True)
    assert "Emma har det svært i frikvarteret" not in page


def test_the_leader_keeps_the_lists_and_sees_disclosures_without_consent(
    auth, db_session, household, make_user
):
    leader = make_user(Role.LEADER, name="Lone Leder")
    auth.login(leader)
    assert auth.client.get("/samtykkelister").status_code == 200
    response = auth.post_form(
        "/samtykkelister", {"kind": "recipient", "name": "Tandpleje"}
    )
    assert response.status_code == 302
    assert item(db_session, ListKind.RECIPIENT, "Tandpleje")
    assert auth.client.get("/leder/videregivelser").status_code == 200


def test_a_too_long_comment_is_refused_with_a_message(auth, db_session, ask, household):
    request = ask()
    auth.login(household["mette"])
    url = f"{PAGE}/{request.public_id}/svar"
    response = auth.post_form(
        url, {"answer": "yes", "comment": "x" * 1001}, page=PAGE, follow_redirects=True
    )
    assert "Skriv højst 1000 tegn" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(ConsentEvent)) == 1


def test_an_answer_after_a_mitid_log_in_records_mitid_and_its_level(
    app, client, auth, db_session, ask, household, oidc_issuer
):
    from portal.accounts import mitid as portal_mitid
    from portal.config_checks import ACR_SUBSTANTIAL
    from tests.families.conftest import MitID

    app.config["OIDC_ISSUER"] = oidc_issuer
    provider = MitID(client, oidc_issuer)
    request = ask()
    member = household["mette"]
    sub = provider.identity()
    member.mitid_subject = portal_mitid.subject_key(sub)
    db_session.commit()
    assert provider.log_in(sub).status_code == 302
    url = f"{PAGE}/{request.public_id}/svar"
    assert auth.post_form(url, {"answer": "no"}, page=PAGE).status_code == 302
    answer = events_of(db_session, request)[-1]
    assert (answer.login_method, answer.assurance) == ("mitid", ACR_SUBSTANTIAL)


def test_only_those_concerned_see_a_consent(auth, db_session, ask, household):
    """Sara holds custody of Lily only: a consent about Emma is not hers to
    see, on the list or on any of its pages; Oskar sees the one about him."""
    about_emma = ask()
    about_oskar = ask(child=household["oskar_child"])
    auth.login(household["sara"])
    page = auth.client.get(PAGE).get_data(as_text=True)
    assert about_emma.public_id not in page and about_oskar.public_id not in page
    base = f"{PAGE}/{about_emma.public_id}"
    assert auth.client.get(f"{base}/udskriv").status_code == 404
    for action, data in (("svar", {"answer": "yes"}), ("tilbagekald", {})):
        assert auth.post_form(f"{base}/{action}", data, page=PAGE).status_code == 404
    auth.logout()
    auth.login(household["oskar"])
    page = auth.client.get(PAGE).get_data(as_text=True)
    assert about_oskar.public_id in page
    assert auth.client.get(f"{PAGE}/{about_oskar.public_id}/udskriv").status_code == 200
