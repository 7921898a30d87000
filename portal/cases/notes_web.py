"""What the staff's note views share: loading a note of the opened family (404
for another family's note or someone else's draft), the family's sessions as
choices, and a refused change: rolled back, the attempt logged with its code,
and either the form again (400) or, for a note whose state forbids the change
(a published note edited or deleted, an answered request answered), 409."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from portal import db
from portal.accounts.models import User
from portal.booking.models import CounsellingSession
from portal.cases.notes_messages import CONFLICTS, error_message
from portal.cases.notes_models import Note
from portal.cases.notes_queries import note_for, page_of
from portal.families.models import Family
from portal.families.records import RecordError
from portal.families.sessions import family_sessions
from portal.families.web import Page, open_family, show
from portal.forms import PortalForm, explain_refusal
from portal.i18n import format_datetime
from portal.parsing import PAGE_ARG


def me() -> User:
    """The logged-in user itself, not Flask-Login's proxy: a proxy stored in a
    relationship would name whoever is logged in when it is read later."""
    user: User = current_user._get_current_object()
    return user


def note_url(endpoint: str, note: Note, viewer: User | None, **values: Any) -> str:
    """The list ``endpoint`` at the page and place where ``note`` stands."""
    page = page_of(db.session(), note.family, viewer, note)
    if page > 1:
        values[PAGE_ARG] = page
    return url_for(endpoint, _anchor=f"note-{note.public_id}", **values)


def load_note(family: Family, note_id: str) -> Note:
    note = note_for(db.session(), family, note_id, me())
    if note is None:
        abort(404)
    return note


def conflict(code: str) -> tuple[str, int]:
    """The page for a change the note's state forbids; nothing was changed."""
    db.session().commit()  # the audit row of opening the family
    return render_template(
        "errors/error.html",
        code=409,
        title=_("This cannot be changed"),
        text=error_message(code),
    ), 409


def refused(
    family_id: str, error: RecordError, form: PortalForm | None, what: str
) -> Family | tuple[str, int]:
    """After a service refused: the family opened again (its audit row says
    what was refused), or the conflict page."""
    db.session().rollback()
    family = open_family(family_id, f"{what}: refused {error.code}")
    if error.code in CONFLICTS:
        return conflict(error.code)
    explain_refusal(form, error.field, error_message(error.code))
    return family


def session_choices(form: Any, family: Family) -> dict[str, CounsellingSession]:
    """Offer the family's sessions (newest first) in ``form.session``; returns
    them by public id, so the view finds the chosen one (or none for "")."""
    found = list(reversed(family_sessions(db.session(), family)))
    form.session.choices = [SelectChoice("", _("No session"))] + [
        SelectChoice(s.public_id, format_datetime(s.starts_at)) for s in found
    ]
    return {s.public_id: s for s in found}


def form_or_conflict(
    family_id: str, what: str, error: RecordError, form: PortalForm, **context: Any
) -> Page:
    """A refused form: the conflict page, or the form again with why."""
    outcome = refused(family_id, error, form, what)
    if isinstance(outcome, tuple):
        return outcome
    return show("cases/note_form.html", form, family=outcome, **context)
