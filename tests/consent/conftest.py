"""The consent tests share the families fixtures and add: the seeded lists,
a family of two custody holders and a young person of 15 (``household``), and
quick ways to ask (``ask``) and answer (``answer``)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.accounts.models import Role
from portal.consent import decisions, disclosures, lists, requests
from portal.consent.disclosure_models import (
    Channel,
)
from portal.consent.models import (
    ListKind,
)
from portal.families.models import Child
from portal.login_sessions import HowLoggedIn, LoginMethod
from tests.factories import NOW
from tests.families.conftest import oidc_issuer  # noqa: F401  (session-wide provider)

MITID = HowLoggedIn(
    LoginMethod.MITID, "https://data.gov.dk/concept/core/nsis/loa/Substantial"
)
PASSWORD_LOGIN = HowLoggedIn(LoginMethod.PASSWORD)


def share(
    db_session, counsellor, family, request, now, *, what="x", channel=Channel.LETTER
):
    """Record that ``counsellor`` shared what ``request`` covers, under it."""
    return disclosures.record_disclosure(
        db_session,
        counsellor,
        family,
        disclosures.DisclosureText(
            recipient=request.recipient,
            information=list(request.information),
            what=what,
            shared_on=date(2026, 3, 23),
            channel=channel,
            consent=request,
        ),
        now,
    )


@pytest.fixture
def seeded(db_session):
    lists.ensure_items(db_session)
    db_session.commit()


def item(db_session, kind: ListKind, name: str):
    return next(i for i in lists.items(db_session, kind) if i.name == name)


@pytest.fixture
def household(db_session, make_user, make_known_family, seeded, clock):
    """Mette and Jonas hold custody of Emma (10) and Oskar (15, a member);
    Sara holds custody of Lily only. Counsellor Anna serves the family."""
    anna = make_user(Role.COUNSELLOR, name="Anna Rådgiver")
    family = make_known_family(
        "Familien Holm",
        counsellor=anna,
        adults=("Mette Holm", "Jonas Holm", "Sara Holm"),
        children=(("Emma", date(2015, 5, 1)), ("Oskar", date(2010, 2, 1))),
    )
    mette, jonas, sara = family.members
    emma, oskar_child = sorted(family.children, key=lambda c: c.first_name)
    lily = Child(family=family, first_name="Lily", birth_date=date(2019, 1, 1))
    db_session.add(lily)
    lily.custody_holders.append(sara)
    for child in (emma, oskar_child):
        child.custody_holders.remove(sara)
    oskar = make_user(Role.FAMILY, name="Oskar Holm", family=family)
    oskar.child_id = oskar_child.id
    db_session.add(lily)
    db_session.commit()
    return {
        "family": family,
        "counsellor": anna,
        "mette": mette,
        "jonas": jonas,
        "sara": sara,
        "oskar": oskar,
        "emma": emma,
        "oskar_child": oskar_child,
        "lily": lily,
    }


@pytest.fixture
def ask(db_session, household):
    """``ask(child=emma, ...)``: a committed request by the counsellor."""

    def make(child=None, *, at: datetime = NOW, **changes):
        text = requests.RequestText(
            child=child or household["emma"],
            recipient=item(db_session, ListKind.RECIPIENT, "Skole"),
            information=[item(db_session, ListKind.INFORMATION, "Trivsel")],
            purpose="Så skolen kan hjælpe Emma i frikvarteret.",
            starts_on=date(2026, 3, 23),
            ends_on=date(2027, 3, 22),
        )
        for name, value in changes.items():
            setattr(text, name, value)
        request = requests.create_request(
            db_session, household["counsellor"], household["family"], text, at
        )
        db_session.commit()
        return request

    return make


@pytest.fixture
def answer(db_session):
    def decide(member, request, grant=True, *, at: datetime = NOW, comment=""):
        decisions.decide(
            db_session,
            member,
            request,
            grant=grant,
            comment=comment,
            how=MITID,
            now=at,
        )
        db_session.commit()

    return decide
