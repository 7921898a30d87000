"""Anti-automation: a script with fresh cookies cannot hold or book a week empty,
and what it runs into is a calm Danish message with the phone number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.booking import holds
from portal.booking.models import SlotHold
from portal.booking.slots import free_slots
from tests.booking.test_views import Parent
from tests.factories import NOW, local

#: Monday to Friday 09-12 of a week without holidays: 15 one-hour times.
MONDAY = local(2026, 4, 13, 0)
WEEK_TIMES = [
    local(2026, 4, 13, 9 + hour) + timedelta(days=day)
    for day in range(5)
    for hour in range(3)
]
PHONE = "70\u00a010\u00a020\u00a030"


@pytest.fixture
def counsellor(make_counsellor, clock):
    return make_counsellor()


def script_holds(app, times, *, address=lambda i: "192.0.2.1"):
    """Like a script: a fresh cookie for every time; returns the last response
    of each attempt to choose a time."""
    responses = []
    for i, starts_at in enumerate(times):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address(i)
        parent = Parent(client)
        parent.answer_until_time()
        responses.append(parent.choose_time(starts_at))
    return responses


def free_that_week(db_session) -> int:
    db_session.expire_all()
    slots = free_slots(db_session, MONDAY, MONDAY + timedelta(weeks=1), mode="centre")
    return len(slots)


def test_one_client_with_fresh_cookies_holds_at_most_three_times(
    app, counsellor, db_session
):
    responses = script_holds(app, WEEK_TIMES)
    held = [r for r in responses if r.status_code == 302]
    assert len(held) == 3
    refused = responses[3]
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Du har valgt mange tider på kort tid" in page and PHONE in page
    assert free_that_week(db_session) == len(WEEK_TIMES) - 3


def test_many_clients_together_hold_at_most_the_configured_share_of_a_week(
    app, counsellor, db_session
):
    responses = script_holds(app, WEEK_TIMES, address=lambda i: f"192.0.2.{i + 1}")
    held = [r for r in responses if r.status_code == 302]
    # No more than 30 % of the week's 15 times; the rest stays bookable.
    assert len(held) == 4
    page = responses[-1].get_data(as_text=True)
    assert responses[-1].status_code == 429
    assert "Mange booker lige nu" in page and PHONE in page
    assert free_that_week(db_session) == len(WEEK_TIMES) - 4


def test_choosing_times_again_and_again_is_limited_per_hour(app, counsellor, clock):
    client = app.test_client()
    parent = Parent(client)
    parent.answer_until_time()
    # One parent changing their mind keeps one hold, but not for ever.
    statuses = [parent.choose_time(starts_at).status_code for starts_at in WEEK_TIMES]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    clock.shift(timedelta(hours=1, minutes=1))
    parent.answer_until_time()
    assert parent.choose_time(WEEK_TIMES[-1]).status_code == 302


def test_a_client_makes_at_most_five_new_courses_a_day(app, counsellor, db_session):
    codes = []
    for starts_at in WEEK_TIMES[:6]:
        parent = Parent(app.test_client())
        parent.answer_until_time()
        parent.choose_time(starts_at)
        parent.post("/anonym-raadgivning/kontakt", {})
        response, _data = parent.confirm()
        codes.append(response.status_code)
        last = parent
    assert codes == [200] * 5 + [302]
    page = last.get("/anonym-raadgivning").get_data(as_text=True)
    assert "Du kan ikke booke flere nye forløb på nettet i dag" in page
    assert db_session.scalar(select(func.count(SlotHold.id))) == 0


def test_holds_keep_only_the_daily_client_hash(app, counsellor, db_session):
    script_holds(app, WEEK_TIMES[:1], address=lambda i: "198.51.100.7")
    [key] = db_session.scalars(select(SlotHold.client_key)).all()
    assert key and "198.51" not in key and len(key) == 32


def test_staff_and_the_rules_themselves_are_not_limited(db_session, counsellor):
    for starts_at in WEEK_TIMES[:6]:
        holds.hold_slot(
            db_session, starts_at=starts_at, mode="centre", language="da", now=NOW
        )
    assert db_session.scalar(select(func.count(SlotHold.id))) == 6
