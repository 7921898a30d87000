"""The purge's part in consents: when ``families.erasure`` erases a family, its
requests, the people asked, every event and every disclosure go too (the
append-only triggers refuse UPDATE only). Registered on ``ERASERS``."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.consent.disclosure_models import (
    Disclosure,
    disclosure_information,
)
from portal.consent.models import (
    Askee,
    ConsentEvent,
    ConsentRequest,
    request_information,
)
from portal.families.models import Family


def erase_consents(db_session: Session, family: Family) -> None:
    """Delete the family's consent rows, dependent ones first (SQLite may run
    without foreign keys, so no cascade is relied on)."""
    request_ids = select(ConsentRequest.id).where(ConsentRequest.family_id == family.id)
    disclosure_ids = select(Disclosure.id).where(Disclosure.family_id == family.id)
    for statement in (
        delete(ConsentEvent).where(ConsentEvent.request_id.in_(request_ids)),
        delete(disclosure_information).where(
            disclosure_information.c.disclosure_id.in_(disclosure_ids)
        ),
        delete(Disclosure).where(Disclosure.family_id == family.id),
        delete(Askee).where(Askee.request_id.in_(request_ids)),
        delete(request_information).where(
            request_information.c.request_id.in_(request_ids)
        ),
        delete(ConsentRequest).where(ConsentRequest.family_id == family.id),
    ):
        db_session.execute(statement.execution_options(synchronize_session=False))
