"""A withdrawal and a disclosure at the same moment, on PostgreSQL, repeated:
the disclosure is recorded before the withdrawal or refused, never after.

Each round is played in a fixed order (as tests/booking/test_races.py does):
one transaction takes its step and stays open, the other runs in a thread, and
the first commits only once the second waits for the request's row lock, or has
finished without waiting, which is what happens when either lock is missing."""

from __future__ import annotations

from datetime import date

from portal.consent import decisions, disclosures
from portal.consent.disclosure_models import (
    Channel,
)
from portal.consent.history import events_of, state_of
from portal.consent.models import (
    ConsentRequest,
    EventKind,
    ListKind,
)
from portal.consent.state import ConsentState
from portal.families.records import RecordError
from tests.booking.test_races import in_thread, new_session, wait_until_blocked_or_done
from tests.conftest import requires_postgresql
from tests.consent.conftest import MITID, item
from tests.factories import NOW

pytestmark = requires_postgresql
ROUNDS = 4


def _active(ask, answer, household):
    request = ask()
    answer(household["mette"], request)
    answer(household["jonas"], request)
    return request.id


def _disclose(db, household, request_id):
    request = db.get(ConsentRequest, request_id)
    disclosures.record_disclosure(
        db,
        db.merge(household["counsellor"]),
        db.merge(household["family"]),
        disclosures.DisclosureText(
            recipient=item(db, ListKind.RECIPIENT, "Skole"),
            information=[item(db, ListKind.INFORMATION, "Trivsel")],
            what="Emmas trivsel i klassen",
            shared_on=date(2026, 3, 23),
            channel=Channel.PHONE,
            consent=request,
        ),
        NOW,
    )


def _withdraw(db, household, request_id):
    decisions.withdraw(
        db,
        db.merge(household["jonas"]),
        db.get(ConsentRequest, request_id),
        MITID,
        NOW,
    )


def _kinds(app, request_id):
    with new_session(app) as check:
        request = check.get(ConsentRequest, request_id)
        events = events_of(check, request)
        return [e.kind for e in events], state_of(request, events, NOW)


def _run(app, first, second):
    """``first`` (uncommitted) then ``second`` in a thread; True if the thread
    had to wait for ``first``."""
    thread, result = in_thread(app, second)
    wait_until_blocked_or_done(app, thread, result.get("pid"))
    waited = thread.is_alive()
    first.commit()
    thread.join(60)
    return waited, result


def test_a_withdrawal_at_the_moment_of_a_disclosure_comes_after_it(
    app, db_session, ask, answer, household
):
    for _round in range(ROUNDS):
        request_id = _active(ask, answer, household)
        first = new_session(app)
        _disclose(first, household, request_id)
        waited, result = _run(
            app, first, lambda db, r=request_id: _withdraw(db, household, r)
        )
        first.close()
        assert waited, "the withdrawal did not wait for the disclosure's lock"
        assert result["outcome"] == "ok"
        kinds, state = _kinds(app, request_id)
        assert kinds[-2:] == [EventKind.DISCLOSURE, EventKind.WITHDRAWN]
        assert state == ConsentState.WITHDRAWN


def test_a_disclosure_at_the_moment_of_a_withdrawal_is_refused(
    app, db_session, ask, answer, household
):
    for _round in range(ROUNDS):
        request_id = _active(ask, answer, household)
        first = new_session(app)
        _withdraw(first, household, request_id)
        outcome: dict = {}

        def disclose(db, r=request_id, outcome=outcome):
            try:
                _disclose(db, household, r)
            except RecordError as refused:
                db.rollback()
                outcome["code"] = refused.code

        waited, _result = _run(app, first, disclose)
        first.close()
        assert waited, "the disclosure did not wait for the withdrawal's lock"
        assert outcome.get("code") == "consent_withdrawn"
        kinds, _state = _kinds(app, request_id)
        assert EventKind.DISCLOSURE not in kinds
