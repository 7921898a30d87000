"""Consents where the counsellor and the family look beyond the consent page:
the counsellor's overview lists pending, soon-ending (30 days) and withdrawn
consents; the family's data export holds every consent, decision and
disclosure, matching docs/export-schema.json."""

from __future__ import annotations

import json
from datetime import date, timedelta

from portal.cases.overview import counsellor_overview
from portal.consent import decisions, disclosures
from portal.consent.attention import Why
from portal.consent.disclosure_models import (
    Channel,
)
from tests.cases.test_export import SCHEMA, check
from tests.consent.conftest import MITID
from tests.factories import NOW


def _whys(db_session, household, at=NOW):
    rows = counsellor_overview(db_session, household["counsellor"], at)
    return [item.why for row in rows for item in row.consents]


def test_the_overview_lists_pending_ending_and_withdrawn_consents(
    db_session, ask, answer, household
):
    pending = ask()
    assert _whys(db_session, household) == [Why.PENDING]
    answer(household["mette"], pending)
    answer(household["jonas"], pending)
    assert _whys(db_session, household) == []
    last_days = pending.ends_on - timedelta(days=29)
    from portal.timeutil import local_midnight

    assert _whys(db_session, household, local_midnight(last_days)) == [Why.ENDING]
    decisions.withdraw(db_session, household["jonas"], pending, MITID, NOW)
    db_session.commit()
    assert _whys(db_session, household) == [Why.WITHDRAWN]
    assert _whys(db_session, household, NOW + timedelta(days=31)) == []


def test_the_overview_page_links_to_the_consent(auth, ask, household):
    request = ask()
    auth.login(household["counsellor"])
    page = auth.client.get("/oversigt").get_data(as_text=True)
    assert "venter på familiens svar" in page
    assert request.public_id in page


def test_the_export_holds_consents_decisions_and_disclosures(
    auth, db_session, ask, answer, household
):
    request = ask()
    answer(household["mette"], request, comment="Fint for mig")
    answer(household["jonas"], request)
    disclosures.record_disclosure(
        db_session,
        household["counsellor"],
        household["family"],
        disclosures.DisclosureText(
            recipient=request.recipient,
            information=list(request.information),
            what="Trivsel i klassen",
            shared_on=date(2026, 3, 23),
            channel=Channel.MEETING,
            consent=request,
        ),
        NOW,
    )
    db_session.commit()
    auth.login(household["mette"])
    data = json.loads(auth.client.get("/familie/data.json").get_data(as_text=True))
    check(data, SCHEMA)
    (consent,) = data["consents"]
    kinds = [e["kind"] for e in consent["events"]]
    assert kinds == ["requested", "granted", "granted", "disclosure"]
    grant = consent["events"][1]
    assert grant["comment"] == "Fint for mig" and grant["logged_in_with"] == "mitid"
    assert "Skole" in grant["agreed_text"] and len(grant["agreed_text_sha256"]) == 64
    (shared,) = data["disclosures"]
    assert shared["basis"] == "consent" and shared["consent"] == consent["id"]
    assert shared["what"] == "Trivsel i klassen"
