"""The answers of a booking in progress, kept between the steps.

They live in the session cookie, encrypted (Fernet): the server stores nothing about
an anonymous parent until they confirm, and the cookie tells nobody who holds the
phone what the parent wrote. A draft is forgotten after an hour without use.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import session

from portal import crypto, db
from portal.booking import holds as booking_holds

#: The parent's answers so far, as JSON in the encrypted session cookie.
Draft = dict[str, Any]

DRAFT_KEY = "booking_draft"
DRAFT_LIFETIME = timedelta(hours=1)


def _now() -> datetime:
    return datetime.now(UTC)


def load(name: str = DRAFT_KEY) -> Draft:
    token = session.get(name)
    if not token:
        return {}
    try:
        draft: Draft = json.loads(crypto.decrypt(token))
    except Exception:  # noqa: BLE001 - an old key or a damaged cookie: start again
        return {}
    if _now().timestamp() - draft.get("touched", 0) > DRAFT_LIFETIME.total_seconds():
        return {}
    return draft


def save(draft: Draft, name: str = DRAFT_KEY) -> None:
    draft["touched"] = int(_now().timestamp())
    session[name] = crypto.encrypt(json.dumps(draft))


def update(name: str = DRAFT_KEY, /, **answers: object) -> Draft:
    draft = load(name)
    draft.update(answers)
    save(draft, name)
    return draft


def clear(name: str = DRAFT_KEY) -> None:
    session.pop(name, None)


def release_hold(answers: Draft, name: str = DRAFT_KEY) -> None:
    """Forget the chosen time and give it back (a new mode, language or expiry);
    flushes, the view commits."""
    token = answers.pop("hold_token", None)
    answers.pop("starts_at", None)
    answers.pop("hold_expires_at", None)
    save(answers, name)
    if token:
        booking_holds.release_hold(db.session(), token)
