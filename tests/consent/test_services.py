"""The consent services without HTTP: who is asked, answers, withdrawal,
cancelling, and every refusal (a clear reason, nothing stored)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from portal.consent import decisions, lists, requests
from portal.consent.history import events_of, state_of
from portal.consent.models import ConsentEvent, ConsentRequest, EventKind, ListKind
from portal.consent.state import ConsentState
from portal.consent.text import text_hash
from portal.families.records import RecordError
from portal.mail.models import OutboxMessage
from tests.consent.conftest import MITID, item
from tests.factories import NOW


def _state(db_session, request, at=NOW):
    db_session.expire_all()
    return state_of(request, events_of(db_session, request), at)


def _count(db_session, model):
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


def test_every_custody_holder_of_the_child_is_asked(ask, household):
    request = ask()
    asked = {a.member_id for a in request.askees}
    assert asked == {household["mette"].id, household["jonas"].id}


def test_the_young_person_of_15_is_asked_too(ask, household):
    request = ask(household["oskar_child"])
    asked = {(a.member_id, a.as_young_person) for a in request.askees}
    assert asked == {
        (household["mette"].id, False),
        (household["jonas"].id, False),
        (household["oskar"].id, True),
    }


def test_both_must_grant_and_one_decline_declines(db_session, ask, answer, household):
    both = ask()
    answer(household["mette"], both)
    assert _state(db_session, both) == ConsentState.PENDING
    answer(household["jonas"], both)
    assert _state(db_session, both) == ConsentState.ACTIVE
    other = ask()
    answer(household["mette"], other)
    answer(household["jonas"], other, grant=False, comment="Ikke skolen")
    assert _state(db_session, other) == ConsentState.DECLINED


def test_a_grant_stores_the_words_and_how_the_person_logged_in(
    db_session, ask, answer, household
):
    request = ask()
    answer(household["mette"], request)
    grant = events_of(db_session, request)[-1]
    assert grant.kind == EventKind.GRANTED
    assert grant.actor_id == household["mette"].id
    assert (grant.login_method, grant.assurance) == ("mitid", MITID.level)
    assert "Skole" in grant.consent_text and "Emma" in grant.consent_text
    assert grant.text_sha256 == text_hash(grant.consent_text)


def test_the_stored_text_survives_later_edits_of_the_lists(
    db_session, ask, answer, household
):
    request = ask()
    answer(household["mette"], request)
    lists.rename_item(db_session, item(db_session, ListKind.RECIPIENT, "Skole"), "X")
    lists.rename_item(
        db_session, item(db_session, ListKind.INFORMATION, "Trivsel"), "Y"
    )
    db_session.commit()
    grant = events_of(db_session, request)[-1]
    assert "Skole" in grant.consent_text and "Trivsel" in grant.consent_text
    assert grant.text_sha256 == text_hash(grant.consent_text)


@pytest.mark.parametrize(
    ("who", "code"),
    [("sara", "not_asked"), ("oskar", "not_asked")],
    ids=["custody holder of another child", "young person not asked"],
)
def test_someone_not_asked_cannot_decide(db_session, ask, household, who, code):
    request = ask()
    with pytest.raises(RecordError) as refused:
        decisions.decide(
            db_session,
            household[who],
            request,
            grant=True,
            comment="",
            how=MITID,
            now=NOW,
        )
    db_session.rollback()
    assert refused.value.code == code
    assert _count(db_session, ConsentEvent) == 1  # only "requested"


def test_a_second_decision_by_the_same_person_is_refused(
    db_session, ask, answer, household
):
    request = ask()
    answer(household["mette"], request)
    with pytest.raises(RecordError) as refused:
        answer(household["mette"], request, grant=False)
    db_session.rollback()
    assert refused.value.code == "already_answered"
    assert _count(db_session, ConsentEvent) == 2


def test_the_database_keeps_one_decision_per_person(db_session, ask, household):
    request = ask()
    for kind in (EventKind.GRANTED, EventKind.DECLINED):
        db_session.add(
            ConsentEvent(
                request_id=request.id,
                kind=kind,
                actor_id=household["mette"].id,
                consent_text="t",
                text_sha256="0" * 64,
            )
        )
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


@pytest.mark.parametrize("ending", ["withdrawn", "cancelled", "expired"])
def test_no_decision_on_an_ended_request(db_session, ask, answer, household, ending):
    request = ask()
    later = NOW
    if ending == "withdrawn":
        answer(household["mette"], request)
        decisions.withdraw(db_session, household["mette"], request, MITID, NOW)
    elif ending == "cancelled":
        requests.cancel_request(
            db_session, household["counsellor"], household["family"], request, NOW
        )
    else:
        later = NOW + timedelta(days=400)
    db_session.commit()
    before = _count(db_session, ConsentEvent)
    with pytest.raises(RecordError) as refused:
        answer(household["jonas"], request, at=later)
    db_session.rollback()
    assert refused.value.code == f"already_{ending}"
    assert _count(db_session, ConsentEvent) == before


def test_withdrawal_is_one_action_and_tells_the_counsellor(
    db_session, ask, answer, household
):
    request = ask()
    answer(household["mette"], request)
    answer(household["jonas"], request)
    decisions.withdraw(db_session, household["jonas"], request, MITID, NOW)
    db_session.commit()
    assert _state(db_session, request) == ConsentState.WITHDRAWN
    told = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like("consent-%"))
    ).all()
    assert [m.recipient for m in told] == [household["counsellor"].email]
    assert "Emma" not in told[0].body and "Skole" not in told[0].body


def test_a_pending_request_is_cancelled_only_while_pending(
    db_session, ask, answer, household
):
    request = ask()
    answer(household["mette"], request)
    answer(household["jonas"], request)
    with pytest.raises(RecordError) as refused:
        requests.cancel_request(
            db_session, household["counsellor"], household["family"], request, NOW
        )
    assert refused.value.code == "not_pending"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"ends_on": date(2027, 3, 23)}, "period_too_long"),
        ({"ends_on": date(2026, 3, 22)}, "end_before_start"),
        ({"purpose": "  "}, "purpose_required"),
        ({"information": [], "information_detail": ""}, "information_required"),
        ({"starts_on": date(2026, 3, 1)}, "start_in_past"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_stored(db_session, ask, changes, code):
    with pytest.raises(RecordError) as refused:
        ask(**changes)
    db_session.rollback()
    assert refused.value.code == code
    assert _count(db_session, ConsentRequest) == 0


def test_twelve_months_to_the_day_before_is_allowed(ask):
    assert ask(ends_on=date(2027, 3, 22)).ends_on == date(2027, 3, 22)


def test_the_history_cannot_be_rewritten_in_the_database(
    db_session, ask, answer, household
):
    request = ask()
    answer(household["mette"], request)
    for statement in (
        "UPDATE consent_events SET kind = 'declined'",
        "UPDATE consent_requests SET purpose = 'noget andet'",
        "UPDATE consent_askees SET member_id = member_id",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            db_session.execute(text(statement))
        db_session.rollback()
