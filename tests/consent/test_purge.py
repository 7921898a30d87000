"""The purge that erases a closed family erases its consents too: requests,
the people asked, every event, every disclosure (the append-only triggers
refuse UPDATE, not this DELETE). Another family's consents stay."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.accounts.models import Role
from portal.consent import decisions, requests
from portal.consent.disclosure_models import (
    Channel,
    Disclosure,
    disclosure_information,
)
from portal.consent.models import (
    Askee,
    ConsentEvent,
    ConsentRequest,
    ListKind,
    request_information,
)
from portal.families import erasure
from tests.consent.conftest import MITID, item, share
from tests.families.test_purge import CLOSED, close

TABLES = [
    ConsentRequest.__table__,
    Askee.__table__,
    ConsentEvent.__table__,
    Disclosure.__table__,
    request_information,
    disclosure_information,
]


def _counts(db_session):
    db_session.expire_all()
    return [
        db_session.scalar(select(func.count()).select_from(table)) for table in TABLES
    ]


def _consent_with_disclosure(db_session, family, counsellor, now):
    text = requests.RequestText(
        child=family.children[0],
        recipient=item(db_session, ListKind.RECIPIENT, "Skole"),
        information=[item(db_session, ListKind.INFORMATION, "Trivsel")],
        purpose="Hjælp i skolen",
        starts_on=date(2026, 3, 23),
        ends_on=date(2027, 3, 22),
    )
    request = requests.create_request(db_session, counsellor, family, text, now)
    decisions.decide(
        db_session,
        family.members[0],
        request,
        grant=True,
        comment="",
        how=MITID,
        now=now,
    )
    share(
        db_session,
        counsellor,
        family,
        request,
        now,
        what="Trivsel",
        channel=Channel.PHONE,
    )
    db_session.commit()


def test_erasing_a_family_erases_its_consents_and_no_other(
    db_session, clock, make_user, make_known_family, seeded
):
    from tests.factories import NOW

    families = []
    for name in ("Familien Jensen", "Familien Bech"):
        counsellor = make_user(Role.COUNSELLOR)
        family = make_known_family(name, counsellor=counsellor)
        _consent_with_disclosure(db_session, family, counsellor, NOW)
        families.append(family)
    jensen, bech = families
    before = _counts(db_session)
    assert all(count >= 1 for count in before), before
    close(db_session, jensen, CLOSED)
    clock.shift(timedelta(seconds=1))

    assert erasure.erase_closed_families(db_session) == 1
    db_session.commit()

    assert _counts(db_session) == [count // 2 for count in before]
    assert set(db_session.scalars(select(ConsentRequest.family_id))) == {bech.id}
