"""What is new about consents since a member's last visit, for "Nyt siden
sidst" on ``/familie``: a new question from us, and information we shared.
Registered with ``families.news``; staff's doing only."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.consent.disclosure_models import (
    Disclosure,
)
from portal.consent.models import (
    ConsentRequest,
)
from portal.families.models import Family
from portal.families.news import NewsItem


def consent_news(
    db_session: Session, family: Family, since: datetime
) -> list[NewsItem]:
    href = url_for("consent.family_consents")
    asked = db_session.scalars(
        select(ConsentRequest.created_at).where(
            ConsentRequest.family_id == family.id, ConsentRequest.created_at > since
        )
    )
    shared = db_session.scalars(
        select(Disclosure.recorded_at).where(
            Disclosure.family_id == family.id, Disclosure.recorded_at > since
        )
    )
    return [NewsItem(at, _("We ask for your consent."), href) for at in asked] + [
        NewsItem(at, _("We have shared information about you."), href) for at in shared
    ]
