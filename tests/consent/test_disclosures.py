"""Disclosures: refused, with a reason and nothing stored, without an active
consent that covers the recipient and the information; on a statutory basis
only with a basis from the list and a justification. And the property: over
random sequences of events, a consent-based disclosure is recorded only while
every asked person has granted and the period has not ended."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from portal.consent import decisions, disclosures, requests
from portal.consent.disclosure_models import (
    Basis,
    Channel,
    Disclosure,
)
from portal.consent.models import (
    ConsentEvent,
    EventKind,
    ListKind,
)
from portal.families.records import RecordError
from tests.consent.conftest import MITID, item, share
from tests.factories import NOW


@pytest.fixture
def disclose(db_session, household):
    def record(consent=None, *, at=NOW, **changes):
        text = disclosures.DisclosureText(
            recipient=item(db_session, ListKind.RECIPIENT, "Skole"),
            information=[item(db_session, ListKind.INFORMATION, "Trivsel")],
            what="Emmas trivsel i klassen",
            shared_on=date(2026, 3, 23),
            channel=Channel.MEETING,
            consent=consent,
        )
        for name, value in changes.items():
            setattr(text, name, value)
        row = disclosures.record_disclosure(
            db_session, household["counsellor"], household["family"], text, at
        )
        db_session.commit()
        return row

    return record


def _refused(db_session, record, *args, **kwargs) -> str:
    with pytest.raises(RecordError) as refused:
        record(*args, **kwargs)
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Disclosure)) == 0
    return refused.value.code


@pytest.fixture
def active(ask, answer, household):
    request = ask()
    answer(household["mette"], request)
    answer(household["jonas"], request)
    return request


def test_a_disclosure_under_an_active_consent_is_recorded(db_session, active, disclose):
    row = disclose(active)
    assert row.basis == Basis.CONSENT
    kinds = list(
        db_session.scalars(select(ConsentEvent.kind).order_by(ConsentEvent.id))
    )
    assert kinds[-1] == EventKind.DISCLOSURE


def test_refused_while_someone_has_not_answered(
    db_session, ask, answer, household, disclose
):
    request = ask()
    answer(household["mette"], request)
    assert _refused(db_session, disclose, request) == "consent_pending"


def test_refused_after_withdrawal(db_session, active, household, disclose):
    decisions.withdraw(db_session, household["mette"], active, MITID, NOW)
    db_session.commit()
    assert _refused(db_session, disclose, active) == "consent_withdrawn"


def test_refused_after_expiry(db_session, active, disclose):
    after = NOW + timedelta(days=366)
    assert _refused(db_session, disclose, active, at=after) == "consent_expired"


def test_refused_after_a_decline(db_session, ask, answer, household, disclose):
    request = ask()
    answer(household["mette"], request, grant=False)
    assert _refused(db_session, disclose, request) == "consent_declined"


def test_refused_for_a_recipient_outside_the_consent(db_session, active, disclose):
    other = item(db_session, ListKind.RECIPIENT, "PPR")
    assert _refused(db_session, disclose, active, recipient=other) == (
        "recipient_outside"
    )


def test_refused_for_information_outside_the_consent(db_session, active, disclose):
    health = item(db_session, ListKind.INFORMATION, "Helbred")
    assert _refused(db_session, disclose, active, information=[health]) == (
        "information_outside"
    )


def test_refused_without_a_consent_or_a_statute(db_session, household, disclose):
    assert _refused(db_session, disclose) == "consent_required"


def test_refused_for_another_familys_consent(
    db_session, active, disclose, make_known_family, household
):
    other = make_known_family("Familien Anden")
    text = disclosures.DisclosureText(
        recipient=active.recipient,
        information=list(active.information),
        what="x",
        shared_on=date(2026, 3, 23),
        channel=Channel.PHONE,
        consent=active,
    )
    with pytest.raises(RecordError) as refused:
        disclosures.record_disclosure(
            db_session, household["counsellor"], other, text, NOW
        )
    assert refused.value.code == "consent_required"


def test_a_statutory_disclosure_needs_a_justification(db_session, disclose):
    statute = lists_first_statute(db_session)
    assert _refused(db_session, disclose, statute=statute, justification=" ") == (
        "justification_required"
    )
    row = disclose(statute=statute, justification="Bekymring for barnets sundhed")
    assert row.basis == Basis.STATUTE and row.request_id is None


def lists_first_statute(db_session):
    from portal.consent.lists import items

    return items(db_session, ListKind.STATUTE)[0]


# The property: a random sequence of answers, withdrawals, cancels, days passing
# and disclosure attempts; each attempt is recorded exactly when the model says
# the consent is in force.
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), st.sampled_from(["mette", "jonas"])),
        st.tuples(st.just("decline"), st.sampled_from(["mette", "jonas"])),
        st.tuples(st.just("withdraw"), st.sampled_from(["mette", "jonas"])),
        st.tuples(st.just("cancel"), st.just("")),
        st.tuples(st.just("days"), st.integers(min_value=20, max_value=300)),
        st.tuples(st.just("disclose"), st.just("")),
    ),
    max_size=12,
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
@example(
    steps=[("grant", "mette"), ("grant", "jonas"), ("days", 192), ("disclose", "")]
)
@example(
    steps=[("grant", "mette"), ("grant", "jonas"), ("days", 191), ("disclose", "")]
)
@example(steps=[("grant", "mette"), ("disclose", ""), ("grant", "jonas")])
@example(
    steps=[
        ("grant", "jonas"),
        ("grant", "mette"),
        ("withdraw", "mette"),
        ("disclose", ""),
    ]
)
def test_a_disclosure_is_recorded_only_while_everyone_granted_and_in_period(
    db_session, ask, household, steps
):
    db_session.execute(delete(ConsentEvent))
    db_session.execute(delete(Disclosure))
    db_session.commit()
    request = ask(ends_on=date(2026, 9, 30))
    end = request.ends_on
    now = NOW
    latest: dict[str, str] = {}
    ended = False
    family, counsellor = household["family"], household["counsellor"]
    for action, arg in steps:
        in_force = (
            not ended
            and latest.get("mette") == "grant"
            and latest.get("jonas") == "grant"
            and now.date() <= end
        )
        try:
            if action in ("grant", "decline"):
                decisions.decide(
                    db_session,
                    household[arg],
                    request,
                    grant=action == "grant",
                    comment="",
                    how=MITID,
                    now=now,
                )
                latest[arg] = action
                ended = ended or action == "decline"
            elif action == "withdraw":
                decisions.withdraw(db_session, household[arg], request, MITID, now)
                ended = True
            elif action == "cancel":
                requests.cancel_request(db_session, counsellor, family, request, now)
                ended = True
            elif action == "days":
                now += timedelta(days=arg)
                continue
            else:
                share(db_session, counsellor, family, request, now)
                assert in_force, f"recorded outside the consent: {steps}"
            db_session.commit()
        except RecordError:
            db_session.rollback()
            if action == "disclose":
                assert not in_force, f"refused inside the consent: {steps}"
