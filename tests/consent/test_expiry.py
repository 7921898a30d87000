"""The daily job writes one "expired" event for each consent whose time ran
out (at the end of its last day in Copenhagen, also on the days the clocks
change), once, tells the counsellor, and the family's timeline shows it. The
state is the same with the row and without it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal import cli
from portal.consent import decisions
from portal.consent.expiry import record_expiries
from portal.consent.history import events_of, state_of
from portal.consent.models import EventKind
from portal.consent.state import ConsentState
from portal.mail.models import OutboxMessage
from tests.consent.conftest import MITID

# Last day and the first moment after it, across both clock changes.
from tests.consent.test_state import BOUNDARIES

SECOND = timedelta(seconds=1)


def _expired(db_session, request):
    db_session.expire_all()
    return [e for e in events_of(db_session, request) if e.kind == EventKind.EXPIRED]


def _granted(ask, answer, household, last_day):
    request = ask(ends_on=last_day)
    answer(household["mette"], request)
    answer(household["jonas"], request)
    return request


@pytest.mark.parametrize(
    ("last_day", "end"), [b[1:] for b in BOUNDARIES], ids=[b[0] for b in BOUNDARIES]
)
def test_the_expiry_is_written_only_once_the_last_day_is_over_in_copenhagen(
    db_session, ask, answer, household, last_day, end
):
    request = _granted(ask, answer, household, last_day)
    assert record_expiries(db_session, end - SECOND) == 0
    db_session.commit()
    assert _expired(db_session, request) == []
    assert record_expiries(db_session, end + SECOND) == 1
    db_session.commit()
    [row] = _expired(db_session, request)
    assert row.actor_id is None
    assert row.at.replace(tzinfo=UTC) == end


@pytest.mark.parametrize("moment", ["before", "at", "after"])
def test_the_state_is_the_same_with_the_row_and_without_it(
    db_session, ask, answer, household, moment
):
    last_day, end = date(2026, 10, 25), datetime(2026, 10, 25, 23, tzinfo=UTC)
    request = _granted(ask, answer, household, last_day)
    record_expiries(db_session, end + SECOND)
    db_session.commit()
    events = events_of(db_session, request)
    without = [e for e in events if e.kind != EventKind.EXPIRED]
    assert len(without) == len(events) - 1
    now = {"before": end + SECOND, "at": end, "after": end + timedelta(days=400)}
    assert state_of(request, events, now[moment]) == ConsentState.EXPIRED
    assert state_of(request, without, now[moment]) == ConsentState.EXPIRED


def test_running_it_again_writes_nothing_and_tells_the_counsellor_once(
    db_session, ask, answer, household
):
    request = _granted(ask, answer, household, date(2026, 6, 30))
    late = datetime(2026, 7, 2, 1, tzinfo=UTC)
    assert record_expiries(db_session, late) == 1
    db_session.commit()
    assert record_expiries(db_session, late) == 0
    assert record_expiries(db_session, late + timedelta(days=3)) == 0
    db_session.commit()
    assert len(_expired(db_session, request)) == 1
    told = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like("consent-expired%"))
    ).all()
    assert [m.recipient for m in told] == [household["counsellor"].email]
    assert "Emma" not in told[0].body and "Skole" not in told[0].body


def test_a_consent_that_ended_otherwise_gets_no_expiry(
    db_session, ask, answer, household
):
    declined = ask(ends_on=date(2026, 6, 30))
    answer(household["mette"], declined, grant=False)
    withdrawn = _granted(ask, answer, household, date(2026, 6, 30))
    decisions.withdraw(
        db_session,
        household["jonas"],
        withdrawn,
        MITID,
        datetime(2026, 4, 1, tzinfo=UTC),
    )
    unanswered = ask(ends_on=date(2026, 6, 30))
    db_session.commit()
    assert record_expiries(db_session, datetime(2026, 7, 1, tzinfo=UTC)) == 1
    db_session.commit()
    assert _expired(db_session, declined) == _expired(db_session, withdrawn) == []
    assert len(_expired(db_session, unanswered)) == 1


def test_the_daily_purge_writes_it_and_the_family_sees_it(
    app, auth, clock, db_session, ask, answer, household
):
    request = _granted(ask, answer, household, date(2026, 6, 30))
    clock.move_to(datetime(2026, 7, 1, 3, 30, tzinfo=UTC))
    output = app.test_cli_runner().invoke(cli.purge).output
    assert "1 consent(s) ran out" in output
    assert len(_expired(db_session, request)) == 1
    auth.login(household["mette"])
    page = auth.client.get("/familie/samtykke").get_data(as_text=True)
    assert "Tiden løb ud." in page
    # The row replaces the line derived from the period, not added to it.
    assert "Tiden løb ud 30" not in page
