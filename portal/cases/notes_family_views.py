"""The family's notes, ``/familie/notater``: every published note with its
versions, the family's responses and correction requests with their answers;
a member responds to a note or asks for a correction. The family comes from
``access.family_for_member``, the note by public id within it (404 otherwise,
drafts included)."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal import db
from portal.accounts.models import Role, User
from portal.cases import bp, corrections, notes_published
from portal.cases.notes_forms import (
    KIND_LABELS,
    CorrectionRequestForm,
    ResponseForm,
)
from portal.cases.notes_messages import error_message
from portal.cases.notes_models import Note
from portal.cases.notes_queries import note_for, notes_with_everything
from portal.cases.notes_web import me, note_url
from portal.families import access
from portal.families.records import RecordError
from portal.forms import PortalForm, validated
from portal.parsing import page_number
from portal.security import mark_no_store, roles_required

family_only = roles_required(Role.FAMILY)


@bp.get("/familie/notater")
@family_only
def family_notes() -> ResponseReturnValue:
    mark_no_store()
    family = access.family_for_member(me())
    found = notes_with_everything(db.session(), family, None, page_number())
    return render_template(
        "cases/notes_family.html", family=family, found=found, kinds=KIND_LABELS
    )


@bp.route("/familie/notater/<note_id>/svar", methods=["GET", "POST"])
@family_only
def family_respond(note_id: str) -> ResponseReturnValue:
    return _family_form(
        note_id,
        ResponseForm(),
        notes_published.respond,
        _("Write an answer"),
        _("Thank you. Your answer is saved with the note."),
    )


@bp.route("/familie/notater/<note_id>/rettelse", methods=["GET", "POST"])
@family_only
def family_correction(note_id: str) -> ResponseReturnValue:
    return _family_form(
        note_id,
        CorrectionRequestForm(),
        corrections.request_correction,
        _("Ask us to fix the note"),
        _("Thank you. We will answer you here."),
    )


def _family_form(
    note_id: str,
    form: PortalForm,
    change: Callable[[Session, User, Note, str], object],
    heading: str,
    done: str,
) -> ResponseReturnValue:
    """One page, one text: a valid submit saves it with the note."""
    mark_no_store()
    family = access.family_for_member(me())
    note = note_for(db.session(), family, note_id, viewer=None)
    if note is None:
        abort(404)
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                change(db.session(), me(), note, validated(form.body.data))
        except RecordError as error:
            form.form_errors.append(error_message(error.code))
        else:
            flash(done, "success")
            return redirect(note_url("cases.family_notes", note, None))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "cases/note_family_form.html",
        form=form,
        note=note,
        heading=heading,
        kinds=KIND_LABELS,
    ), status
