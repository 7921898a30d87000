"""The staff's note pages of a family: the list (published notes and one's own
drafts), a new draft, the draft page (text, preview, LIX hint, publish, delete);
corrections are ``corrections_views``. Every view opens the family through
``open_family`` (audited) and the note by public id within it."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import User
from portal.booking.models import CounsellingSession
from portal.cases import bp, notes, readability
from portal.cases.notes_forms import KIND_LABELS, NoteForm
from portal.cases.notes_models import Note, NoteKind
from portal.cases.notes_queries import notes_with_everything
from portal.cases.notes_web import (
    conflict,
    form_or_conflict,
    load_note,
    me,
    note_url,
    refused,
    session_choices,
)
from portal.cases.sanitise import render
from portal.families.records import RecordError
from portal.families.web import Page, open_family, show, staff_only
from portal.forms import EmptyForm, validated
from portal.parsing import page_number

LIST = "/familier/<family_id>/notater"
ONE = LIST + "/<note_id>"


def to_list(family_id: str, note: Note | None = None) -> WerkzeugResponse:
    if note is None:
        return redirect(url_for("cases.notes", family_id=family_id))
    return redirect(note_url("cases.notes", note, me(), family_id=family_id))


def _answers(
    form: NoteForm, sessions: dict[str, CounsellingSession]
) -> tuple[NoteKind, str, CounsellingSession | None]:
    """The draft as the note form gives it: kind, text and the chosen session."""
    chosen = sessions.get(form.session.data or "")
    return NoteKind(form.kind.data), validated(form.body.data), chosen


@bp.get(LIST, endpoint="notes")
@staff_only
def notes_page(family_id: str) -> tuple[str, int]:
    family = open_family(family_id, "notes")
    found = notes_with_everything(db.session(), family, me(), page_number())
    return show("cases/notes.html", family=family, found=found, kinds=KIND_LABELS)


@bp.route(LIST + "/ny", methods=["GET", "POST"])
@staff_only
def note_new(family_id: str) -> Page:
    family = open_family(family_id, "note: new", to_change=True)
    form = NoteForm()
    sessions = session_choices(form, family)
    if form.validate_on_submit():
        kind, body, meeting = _answers(form, sessions)
        try:
            with db.commit_or_rollback():
                note = notes.create_draft(
                    db.session(), me(), family, kind, body, meeting
                )
        except RecordError as error:
            return form_or_conflict(
                family_id, "note: new", error, form, heading=_("New note")
            )
        flash(_("The draft is saved. Only you can see it."), "success")
        return redirect(
            url_for("cases.note_draft", family_id=family_id, note_id=note.public_id)
        )
    return show("cases/note_form.html", form, family=family, heading=_("New note"))


@bp.route(ONE, methods=["GET", "POST"])
@staff_only
def note_draft(family_id: str, note_id: str) -> Page:
    """The author's draft: change it, see it as the family will with its LIX,
    publish or delete it. A published note answers 409."""
    family = open_family(family_id, "note: draft", to_change=True)
    note = load_note(family, note_id)
    if not note.is_draft:
        return conflict("note_published")
    data = {
        "kind": note.kind,
        "session": note.session.public_id if note.session else "",
        "body": note.draft_body,
    }
    form = NoteForm(data=None if request.method == "POST" else data)
    sessions = session_choices(form, family)
    if form.validate_on_submit():
        kind, body, meeting = _answers(form, sessions)
        try:
            with db.commit_or_rollback():
                notes.update_draft(db.session(), me(), note, kind, body, meeting)
        except RecordError as error:
            outcome = refused(family_id, error, form, "note: draft")
            if isinstance(outcome, tuple):
                return outcome
        else:
            flash(_("The draft is saved. Only you can see it."), "success")
            return redirect(
                url_for("cases.note_draft", family_id=family_id, note_id=note_id)
            )
    preview = render(note.draft_body or "")
    lix = readability.lix_of_html(preview)
    return show(
        "cases/note_draft.html",
        form,
        family=family,
        note=note,
        preview=preview,
        lix=lix,
        level=readability.level(lix) if lix is not None else None,
        button=EmptyForm(),
        kinds=KIND_LABELS,
    )


@bp.post(ONE + "/offentliggoer")
@staff_only
def note_publish(family_id: str, note_id: str) -> Page:
    return _draft_action(family_id, note_id, notes.publish, _("The note is published."))


@bp.post(ONE + "/slet")
@staff_only
def note_delete(family_id: str, note_id: str) -> Page:
    return _draft_action(
        family_id, note_id, notes.delete_draft, _("The draft is deleted.")
    )


def _draft_action(
    family_id: str,
    note_id: str,
    action: Callable[[Session, User, Note], object],
    done: str,
) -> Page:
    what = f"note: {action.__name__}"
    family = open_family(family_id, what, to_change=True)
    note = load_note(family, note_id)
    if EmptyForm().validate_on_submit():
        try:
            with db.commit_or_rollback():
                action(db.session(), me(), note)
        except RecordError as error:
            outcome = refused(family_id, error, None, what)
            if isinstance(outcome, tuple):
                return outcome
            db.session().commit()
        else:
            flash(done, "success")
    return to_list(family_id, note if action is notes.publish else None)
