"""What the staff's consent views share: a request loaded through its family
(anything else is 404), the choices the forms offer, and a form that saves in
one transaction or shows why not (the refused attempt logged for staff)."""

from __future__ import annotations

from functools import partial

from flask import abort
from sqlalchemy import select

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.fields.core import Field

from portal import db
from portal.consent.lists import items
from portal.consent.messages import error_message
from portal.consent.models import ConsentRequest, ListItem, ListKind
from portal.families import web
from portal.families.models import Family


def family_request(family: Family, public_id: str) -> ConsentRequest:
    row = db.session().scalar(
        select(ConsentRequest).where(
            ConsentRequest.family_id == family.id,
            ConsentRequest.public_id == public_id,
        )
    )
    if row is None:
        abort(404)
    return row


def offer(field: Field, kind: ListKind) -> dict[str, ListItem]:
    """The entries of ``kind`` in use as ``field``'s choices, by public id."""
    offered = {item.public_id: item for item in items(db.session(), kind, in_use=True)}
    field.choices = [SelectChoice(key, item.name) for key, item in offered.items()]  # type: ignore[attr-defined]
    return offered


#: ``families.web.save_or_show`` with consent's words for a refusal.
save = partial(web.save_or_show, messages=error_message)
