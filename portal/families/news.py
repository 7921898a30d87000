"""What is new for a family since a member's last visit, beyond their sessions:
features above ``families`` (a case's notes, goals, interventions) register a
source of news, so the family's page lists them without importing them; and one
neutral e-mail tells members who asked for it that there is news.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask.sansio.app import App
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.families.models import Family
from portal.mail.models import MessageKind
from portal.mail.outbox import enqueue, key_time

#: ``app.extensions`` key: the registered sources of news.
NEWS_SOURCES = "families.news_sources"
#: The family's page, named in the e-mail from PORTAL_BASE_URL: services send it,
#: with or without a request (the demo data, the CLI).
FAMILY_PATH = "/familie"


@dataclass(frozen=True)
class NewsItem:
    """One thing that is new: when it happened, a plain sentence, where to see it."""

    at: datetime
    text: str
    href: str


NewsSource = Callable[[Session, Family, datetime], list[NewsItem]]


def register_news_source(app: App, source: NewsSource) -> None:
    app.extensions.setdefault(NEWS_SOURCES, []).append(source)


def case_news(
    db_session: Session, family: Family, since: datetime | None
) -> list[NewsItem]:
    """Every registered source's news after ``since`` (the member's previous
    log-in), newest first; nothing on a first visit."""
    if since is None:
        return []
    found = [
        item
        for source in current_app.extensions.get(NEWS_SOURCES, [])
        for item in source(db_session, family, since)
    ]
    return sorted(found, key=lambda item: item.at, reverse=True)


def gets_news_mail(member: User) -> bool:
    return bool(
        member.wants_news and member.contact_email and member.removed_at is None
    )


def tell_members_of_news(db_session: Session, family: Family) -> int:
    """Queue "there is news" for each member who asked for it: one e-mail until
    they next log in (the dedupe key holds their last log-in), whatever else
    happens meanwhile. The e-mail says nothing else: others may read it."""
    with force_locale("da"):
        subject = _("There is news on Familieportalen")
        # i18n: an e-mail others may read: no names, no details.
        body = _(
            "Hello\n\n"
            "There is news for you on Familieportalen.\n"
            "Log in to see it:\n%(link)s\n\n"
            "Kind regards\nFamilieportalen",
            link=str(current_app.config["PORTAL_BASE_URL"]).rstrip("/") + FAMILY_PATH,
        )
    told = 0
    for member in family.members:
        if not gets_news_mail(member) or member.contact_email is None:
            continue
        seen = key_time(member.last_login_at) if member.last_login_at else "never"
        enqueue(
            db_session,
            kind=MessageKind.NEWS,
            dedupe_key=f"news:{member.public_id}:{seen}",
            recipient=member.contact_email,
            subject=subject,
            body=body,
        )
        told += 1
    return told
