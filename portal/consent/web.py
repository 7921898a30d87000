"""What the staff's consent views share: a request loaded through its family
(anything else is 404), the choices the forms offer, and a form that saves in
one transaction or shows why not (the refused attempt logged for staff)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.fields.core import Field

from portal import db
from portal.consent.lists import items
from portal.consent.messages import error_message
from portal.consent.models import ConsentRequest, ListItem, ListKind
from portal.families.models import Family
from portal.families.records import RecordError
from portal.families.web import Page, show
from portal.forms import PortalForm, add_error


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


def save(
    form: PortalForm,
    change: Callable[[], object],
    done: str,
    after: Callable[[], WerkzeugResponse],
    reopen: Callable[[str], Family],
    template: str,
    **context: Any,
) -> Page:
    """A valid submit makes ``change`` in one transaction and goes to ``after``;
    a refusal stores nothing, reopens the family with ``reopen(what)`` and
    shows the form with what was typed and why."""
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                change()
        except RecordError as error:
            context["family"] = reopen(f"refused: {error.code}")
            message = error_message(error.code)
            if error.field is not None and error.field in form:
                add_error(form[error.field], message)
            else:
                form.form_errors.append(message)
        else:
            flash(done, "success")
            return after()
    return show(template, form, **context)
