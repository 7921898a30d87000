"""Telling a family's counsellors that a consent ended without them: the
family took it back, or its time ran out. A neutral e-mail through the outbox
(no names, no details; the overview says which), once per consent and
counsellor."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.consent.models import ConsentRequest, EventKind
from portal.mail.models import MessageKind
from portal.mail.outbox import enqueue


def _words(kind: EventKind, link: str) -> tuple[str, str]:
    if kind == EventKind.EXPIRED:
        # i18n: an e-mail to staff: no names, no details.
        return _("A consent has expired"), _(
            "Hello\n\nA family's consent has expired.\n"
            "See your overview:\n%(link)s\n\nFamilieportalen",
            link=link,
        )
    # i18n: an e-mail to staff: no names, no details.
    return _("A consent has been withdrawn"), _(
        "Hello\n\nA family has withdrawn a consent.\n"
        "See your overview:\n%(link)s\n\nFamilieportalen",
        link=link,
    )


def tell_counsellors(db: Session, request: ConsentRequest, kind: EventKind) -> None:
    """A neutral e-mail to each counsellor of the family: a consent ended by
    ``kind`` (withdrawn or expired)."""
    base = str(current_app.config["PORTAL_BASE_URL"]).rstrip("/")
    with force_locale("da"):
        subject, body = _words(kind, base + "/oversigt")
    for assignment in request.family.assignments:
        email = assignment.counsellor.email
        if email:
            enqueue(
                db,
                kind=MessageKind.NEWS,
                dedupe_key=(
                    f"consent-{kind}:{request.public_id}:"
                    f"{assignment.counsellor.public_id}"
                ),
                recipient=email,
                subject=subject,
                body=body,
            )
