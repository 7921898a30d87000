"""Correcting a published note, on a counsellor's own initiative or as the
answer to the family's correction request: the new version keeps the old ones
visible. The family opened through ``open_family`` (audited), the note or the
request by public id within it."""

from __future__ import annotations

from flask import abort, flash, request
from flask_babel import gettext as _

from portal import db
from portal.cases import bp, corrections, notes_published
from portal.cases.corrections_models import CorrectionRequest
from portal.cases.notes_forms import AnswerForm, CorrectForm
from portal.cases.notes_views import ONE, to_list
from portal.cases.notes_web import conflict, form_or_conflict, load_note, me
from portal.families.models import Family
from portal.families.records import RecordError
from portal.families.web import Page, open_family, show, staff_only
from portal.forms import validated


@bp.route(ONE + "/ret", methods=["GET", "POST"])
@staff_only
def note_correct(family_id: str, note_id: str) -> Page:
    """A new version of a published note; the old one stays visible."""
    family = open_family(family_id, "note: correct", to_change=True)
    note = load_note(family, note_id)
    if note.is_draft:
        return conflict("note_draft")
    form = CorrectForm(
        data=None if request.method == "POST" else {"body": note.current.body}
    )
    context = {"heading": _("Correct the note"), "note": note}
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                notes_published.correct(
                    db.session(), me(), note, validated(form.body.data)
                )
        except RecordError as error:
            return form_or_conflict(family_id, "note: correct", error, form, **context)
        flash(_("The note is corrected. The old version is still shown."), "success")
        return to_list(family_id, note)
    return show("cases/note_form.html", form, family=family, **context)


@bp.app_template_global()
def open_correction_requests_of(family: Family) -> list[CorrectionRequest]:
    """The family's unanswered requests, for the staff's family page (the
    caller has opened the family)."""
    return corrections.open_correction_requests(db.session(), [family.id])


@bp.route("/familier/<family_id>/rettelser/<request_id>", methods=["GET", "POST"])
@staff_only
def correction_answer(family_id: str, request_id: str) -> Page:
    """Answer the family's request: a corrected text, a reason, or both."""
    what = "correction request: answer"
    family = open_family(family_id, what, to_change=True)
    found = corrections.request_of_family(db.session(), family, request_id)
    if found is None:
        abort(404)
    if not found.is_open:
        return conflict("request_answered")
    note = found.note
    posted = request.method == "POST"
    form = AnswerForm(data=None if posted else {"body": note.current.body})
    context = {"heading": _("Answer the request"), "note": note, "asked": found}
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                corrections.answer(
                    db.session(),
                    me(),
                    found,
                    body=validated(form.body.data),
                    reason=form.reason.data or "",
                )
        except RecordError as error:
            return form_or_conflict(family_id, what, error, form, **context)
        flash(_("The family can now see your answer."), "success")
        return to_list(family_id, note)
    return show("cases/note_form.html", form, family=family, **context)
