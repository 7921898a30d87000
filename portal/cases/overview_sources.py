"""What features above ``cases`` add to the counsellor's overview: each
registered source returns, for the counsellor's families, short items that ask
for attention (a low session rating, say), so the overview lists them without
importing those features. Like ``families.news``'s sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask.sansio.app import App
from sqlalchemy.orm import Session

from portal.accounts.models import User

#: ``app.extensions`` key: the registered sources.
ATTENTION_SOURCES = "cases.attention_sources"


@dataclass(frozen=True)
class AttentionItem:
    """One line on the overview: a plain sentence and where to act on it."""

    text: str
    href: str
    link_text: str


#: (session, counsellor, family ids) -> items per family id; one query or a few,
#: whatever the number of families.
AttentionSource = Callable[[Session, User, list[int]], dict[int, list[AttentionItem]]]


def register_attention_source(app: App, source: AttentionSource) -> None:
    app.extensions.setdefault(ATTENTION_SOURCES, []).append(source)


def attention_items(
    db_session: Session, counsellor: User, ids: list[int]
) -> dict[int, list[AttentionItem]]:
    """Every registered source's items, per family id."""
    found: dict[int, list[AttentionItem]] = {}
    if not ids:
        return found
    for source in current_app.extensions.get(ATTENTION_SOURCES, []):
        for family_id, items in source(db_session, counsellor, ids).items():
            found.setdefault(family_id, []).extend(items)
    return found
