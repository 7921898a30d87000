"""The session page and its actions. Thin: read the form, call a service, commit
once, redirect."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role
from portal.availability.changes import Blocker, blocker
from portal.availability.forms import mode_choices
from portal.availability.models import Mode
from portal.availability.settings import settings_for
from portal.booking.errors import BookingError
from portal.booking.meeting import needs_call_phone
from portal.booking.models import MAX_SESSIONS, CounsellingSession, SessionStatus
from portal.calendar import access, bp, services, session_log, web
from portal.calendar.booking_forms import TimeChoiceForm
from portal.calendar.chosen_time import book_when_sent
from portal.calendar.forms import CancelForm, NoteForm, OutcomeForm
from portal.calendar.messages import error_message
from portal.db import utcnow
from portal.families import web as family_web
from portal.forms import add_error
from portal.i18n import LOCAL

BACK_TO_CONFLICTS = "konflikter"


def _session_or_404(public_id: str) -> CounsellingSession:
    """The session if the viewer may open it; a family session also goes through
    its family's rule (assigned counsellor, or a leader who has said why), which
    logs the access."""
    found = access.visible_session(db.session(), current_user, public_id)
    if found is None:
        abort(404)
    if found.family is not None:
        family_web.open_family(found.family.public_id, "family session")
    return found


def _back(session: CounsellingSession) -> WerkzeugResponse:
    """Where an action returns to: the conflicts being resolved, or the session."""
    if request.args.get("tilbage") == BACK_TO_CONFLICTS:
        return redirect(
            url_for("calendar.conflicts", raadgiver=session.counsellor.public_id)
            if current_user.role == Role.LEADER
            else url_for("calendar.conflicts")
        )
    return redirect(url_for("calendar.session_page", public_id=session.public_id))


def _tell_family(session: CounsellingSession) -> None:
    course = session.course
    if course is not None and course.contact_email:
        flash(_("The family gets an e-mail about it."), "info")
    elif course is not None and course.contact_phone:
        flash(
            _("The family has no e-mail with us. Call them on the number shown."),
            "warning",
        )


@bp.get("/kalender/samtale/<public_id>")
@web.staff_only
def session_page(public_id: str) -> ResponseReturnValue:
    session = _session_or_404(public_id)
    g.calendar_owner = session.counsellor
    now = utcnow()
    is_own = session.counsellor_id == current_user.id
    shows_contact = session.status == SessionStatus.BOOKED and (
        session.address
        or session.call_phone
        or (session.course and session.course.contact_phone)
    )
    if shows_contact:
        session_log.record_view(db.session(), current_user, session)
    db.session().commit()
    return render_template(
        "calendar/session.html",
        session=session,
        course=session.course,
        family=session.family,
        is_own=is_own,
        shows_contact=shows_contact,
        started=session.starts_at <= now,
        changeable=session.status == SessionStatus.BOOKED,
        limit=MAX_SESSIONS,
        outcome_form=OutcomeForm(prefix="outcome"),
        note_form=NoteForm(prefix="note", data={"note": session.working_note}),
        owner=session.counsellor,
        session_day=session.starts_at.astimezone(LOCAL).date().isoformat(),
    )


def _change_and_return(
    public_id: str,
    form: FlaskForm,
    change: Callable[[], object],
    *,
    invalid: str,
    done: str,
) -> WerkzeugResponse:
    """A small form on the session page: commit its one change and go back to
    the page, saying what came of it (``invalid``, ``done`` or the refusal)."""
    if not form.validate_on_submit():
        flash(invalid, "error")
        return redirect(url_for("calendar.session_page", public_id=public_id))
    try:
        with db.commit_or_rollback():
            change()
    except BookingError as error:
        flash(error_message(error.code), "error")
    else:
        flash(done, "success")
    return redirect(url_for("calendar.session_page", public_id=public_id))


@bp.post("/kalender/samtale/<public_id>/udfald")
@web.staff_only
def outcome(public_id: str) -> ResponseReturnValue:
    session = _session_or_404(public_id)
    form = OutcomeForm(prefix="outcome")
    return _change_and_return(
        public_id,
        form,
        lambda: services.mark_outcome(
            db.session(), session, form.outcome.data, actor=current_user
        ),
        invalid=_("Choose what happened."),
        done=_("Saved."),
    )


@bp.post("/kalender/samtale/<public_id>/notat")
@web.staff_only
def note(public_id: str) -> ResponseReturnValue:
    session = _session_or_404(public_id)
    if session.counsellor_id != current_user.id:
        abort(403)  # the working note is the counsellor's own
    form = NoteForm(prefix="note")
    return _change_and_return(
        public_id,
        form,
        lambda: services.save_note(
            db.session(), session, form.note.data, actor=current_user
        ),
        invalid=error_message("note_too_long"),
        done=_("The note is saved."),
    )


@bp.route("/kalender/samtale/<public_id>/aflys", methods=["GET", "POST"])
@web.staff_only
def cancel(public_id: str) -> ResponseReturnValue:
    session = _session_or_404(public_id)
    g.calendar_owner = session.counsellor
    if session.status != SessionStatus.BOOKED:
        flash(error_message("not_changeable"), "info")
        return redirect(url_for("calendar.session_page", public_id=public_id))
    form = CancelForm()
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                services.cancel_by_counsellor(
                    db.session(), session, form.reason.data, actor=current_user
                )
        except BookingError as error:
            add_error(form.reason, error_message(error.code))
        else:
            flash(_("The talk is cancelled."), "success")
            _tell_family(session)
            return _back(session)
    return render_template(
        "calendar/cancel.html",
        session=session,
        form=form,
        owner=session.counsellor,
        back_to=request.args.get("tilbage"),
    ), (400 if form.errors else 200)


def _pending_blocker(session: CounsellingSession) -> Blocker | None:
    """While resolving conflicts, offer only times the pending change leaves free."""
    if request.args.get("tilbage") != BACK_TO_CONFLICTS:
        return None
    change = web.pending_change(session.counsellor)
    if change is None:
        return None
    return blocker(db.session(), session.counsellor_id, change)


@bp.route("/kalender/samtale/<public_id>/flyt", methods=["GET", "POST"])
@web.staff_only
def move(public_id: str) -> ResponseReturnValue:
    session = _session_or_404(public_id)
    g.calendar_owner = session.counsellor
    if session.status != SessionStatus.BOOKED or not services.has_owner(session):
        flash(error_message("not_changeable"), "info")
        return redirect(url_for("calendar.session_page", public_id=public_id))
    mode = request.args.get("mode", str(session.mode))
    if mode not in set(Mode):
        mode = str(session.mode)
    form = TimeChoiceForm()
    blocks = _pending_blocker(session)
    settings = settings_for(db.session(), session.counsellor_id)
    attempt = book_when_sent(
        form,
        lambda starts_at: services.move_by_counsellor(
            db.session(),
            session,
            starts_at,
            mode=mode,
            address=(form.address.data or "").strip() or None,
            call_phone=(form.call_phone.data or "").strip() or None,
            blocks=blocks,
            actor=current_user,
        ),
        fields=("address", "call_phone"),
    )
    if attempt.booked:
        flash(_("The talk is moved."), "success")
        _tell_family(session)
        return _back(session)
    return render_template(
        "calendar/move.html",
        session=session,
        form=form,
        owner=session.counsellor,
        mode=mode,
        modes=mode_choices(),
        problem=attempt.problem,
        needs_address=mode == Mode.HOME and not session.address,
        needs_call=needs_call_phone(mode) and not session.call_phone,
        back_to=request.args.get("tilbage"),
        week=web.free_week(
            session.counsellor_id,
            mode=mode,
            language=services.talk_language(
                db.session(), session.counsellor_id, session
            ),
            offset=web.week_offset(),
            weeks_ahead=settings.horizon_weeks,
            ignore_session_id=session.id,
            blocks=blocks,
        ),
    ), attempt.status
