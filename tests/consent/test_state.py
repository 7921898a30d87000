"""The consent's state, derived from its events by one function, as a table of
cases: who answered what, in which order, and when the period ends (at the end
of the last day in Copenhagen, also on the days the clocks change)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.consent.models import EventKind as K
from portal.consent.state import ConsentState as S
from portal.consent.state import Fact, derive_state, period_end

MOTHER, FATHER, YOUNG, COUNSELLOR = 1, 2, 3, 9
LAST_DAY = date(2026, 6, 30)
BEFORE = datetime(2026, 5, 1, 10, tzinfo=UTC)


def facts(*pairs):
    return [Fact(kind, actor) for kind, actor in pairs]


CASES = [
    ("one custody holder, no answer", [MOTHER], [], S.PENDING),
    ("one custody holder grants", [MOTHER], [(K.GRANTED, MOTHER)], S.ACTIVE),
    ("one custody holder declines", [MOTHER], [(K.DECLINED, MOTHER)], S.DECLINED),
    ("two: one grant so far", [MOTHER, FATHER], [(K.GRANTED, MOTHER)], S.PENDING),
    (
        "two: grant + grant",
        [MOTHER, FATHER],
        [(K.GRANTED, MOTHER), (K.GRANTED, FATHER)],
        S.ACTIVE,
    ),
    (
        "two: grant + decline",
        [MOTHER, FATHER],
        [(K.GRANTED, MOTHER), (K.DECLINED, FATHER)],
        S.DECLINED,
    ),
    (
        "two: decline + grant",
        [MOTHER, FATHER],
        [(K.DECLINED, MOTHER), (K.GRANTED, FATHER)],
        S.DECLINED,
    ),
    (
        "two: grant, grant, then one withdraws",
        [MOTHER, FATHER],
        [(K.GRANTED, MOTHER), (K.GRANTED, FATHER), (K.WITHDRAWN, FATHER)],
        S.WITHDRAWN,
    ),
    (
        "a young person of 15 is asked too: parents alone are not enough",
        [MOTHER, FATHER, YOUNG],
        [(K.GRANTED, MOTHER), (K.GRANTED, FATHER)],
        S.PENDING,
    ),
    (
        "a young person of 15 grants last",
        [MOTHER, YOUNG],
        [(K.GRANTED, MOTHER), (K.GRANTED, YOUNG)],
        S.ACTIVE,
    ),
    (
        "a young person of 15 declines",
        [MOTHER, YOUNG],
        [(K.GRANTED, MOTHER), (K.DECLINED, YOUNG)],
        S.DECLINED,
    ),
    ("cancelled while pending", [MOTHER], [(K.CANCELLED, COUNSELLOR)], S.CANCELLED),
    (
        "a grant after a withdrawal changes nothing",
        [MOTHER],
        [(K.GRANTED, MOTHER), (K.WITHDRAWN, MOTHER), (K.GRANTED, MOTHER)],
        S.WITHDRAWN,
    ),
    (
        "a disclosure is no answer",
        [MOTHER],
        [(K.GRANTED, MOTHER), (K.DISCLOSURE, COUNSELLOR)],
        S.ACTIVE,
    ),
    (
        "a grant by someone not asked does not count",
        [MOTHER],
        [(K.GRANTED, FATHER)],
        S.PENDING,
    ),
    ("nobody asked is never active", [], [(K.GRANTED, MOTHER)], S.PENDING),
    (
        "an expiry event ends it",
        [MOTHER],
        [(K.GRANTED, MOTHER), (K.EXPIRED, None)],
        S.EXPIRED,
    ),
]


@pytest.mark.parametrize(
    ("asked", "events", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_state_follows_the_events(asked, events, expected):
    assert derive_state(asked, facts(*events), LAST_DAY, BEFORE) == expected


# Copenhagen is UTC+2 in summer, UTC+1 in winter; the clocks change on the last
# Sunday of March (2026-03-29) and of October (2026-10-25).
BOUNDARIES = [
    ("summer", date(2026, 6, 30), datetime(2026, 6, 30, 22, tzinfo=UTC)),
    ("winter", date(2026, 12, 31), datetime(2026, 12, 31, 23, tzinfo=UTC)),
    (
        "last day is the spring change",
        date(2026, 3, 29),
        datetime(2026, 3, 29, 22, tzinfo=UTC),
    ),
    (
        "day after is the spring change",
        date(2026, 3, 28),
        datetime(2026, 3, 28, 23, tzinfo=UTC),
    ),
    (
        "last day is the autumn change",
        date(2026, 10, 25),
        datetime(2026, 10, 25, 23, tzinfo=UTC),
    ),
    (
        "day after is the autumn change",
        date(2026, 10, 24),
        datetime(2026, 10, 24, 22, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(
    ("last_day", "end"), [b[1:] for b in BOUNDARIES], ids=[b[0] for b in BOUNDARIES]
)
def test_a_consent_ends_exactly_at_the_end_of_its_last_day_in_copenhagen(last_day, end):
    from datetime import timedelta

    granted = facts((K.GRANTED, MOTHER))
    assert period_end(last_day) == end
    just_before = end - timedelta(microseconds=1)
    assert derive_state([MOTHER], granted, last_day, just_before) == S.ACTIVE
    assert derive_state([MOTHER], granted, last_day, end) == S.EXPIRED
    # A request nobody answered in time has ended too.
    assert derive_state([MOTHER], [], last_day, end) == S.EXPIRED


def test_a_decline_stays_a_decline_after_the_period():
    declined = facts((K.DECLINED, MOTHER))
    late = period_end(LAST_DAY)
    assert derive_state([MOTHER], declined, LAST_DAY, late) == S.DECLINED
