"""Availability screens: the overview, weekly times and absences. Thin: form ->
``availability_changes.apply_change`` -> commit once; a change with booked talks
in its way waits in the session for ``conflict_views``.

They are part of the counsellor's calendar (its page frame, the leader's choice of
counsellor, no caching); the settings page is ``settings_views``."""

from __future__ import annotations

from typing import overload

from flask import abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.accounts.models import User
from portal.availability import changes, services
from portal.availability.absence_forms import AbsenceForm
from portal.availability.changes import Change, SpanChange
from portal.availability.errors import AvailabilityError
from portal.availability.forms import SpanForm
from portal.availability.settings import settings_for
from portal.calendar import bp, web
from portal.calendar.availability_changes import Conflicts, apply_change
from portal.calendar.messages import error_message
from portal.forms import EmptyForm, PortalForm, add_error, validated


@overload
def _apply(
    owner: User, change: Change, form: PortalForm, success: str
) -> ResponseReturnValue | None: ...
@overload
def _apply(
    owner: User, change: Change, form: None, success: str
) -> ResponseReturnValue: ...
def _apply(
    owner: User, change: Change, form: PortalForm | None, success: str
) -> ResponseReturnValue | None:
    """Apply ``change``; on conflicts keep it pending and show them. With a form,
    None means: show the form again, with the error under its field."""
    try:
        with db.commit_or_rollback():
            apply_change(db.session(), owner.id, change)
    except Conflicts:
        web.keep_pending(owner, change)
        return redirect(web.cal_url("calendar.conflicts"))
    except AvailabilityError as error:
        target = getattr(form, error.field or "", None) if form is not None else None
        if target is not None:
            add_error(target, error_message(error.code))
            return None
        flash(error_message(error.code), "error")
        return web.to_availability()
    flash(success, "success")
    return web.to_availability()


@bp.get("/kalender/tilgaengelighed", endpoint="availability")
@web.staff_only
def availability_overview() -> ResponseReturnValue:
    owner = web.counsellor()
    session = db.session()
    settings = settings_for(session, owner.id)
    spans = services.spans_of(session, owner.id)
    page = render_template(
        "availability/availability.html",
        owner=owner,
        settings=settings,
        spans=spans,
        absences=services.absences_of(session, owner.id),
        pending=web.pending_change(owner),
        button=EmptyForm(),
        words=web.words(),
    )
    session.commit()  # default settings for a new counsellor
    return page


def _span_change(form: SpanForm, span_id: int | None) -> SpanChange:
    return SpanChange(
        span_id=span_id,
        weekday=int(form.weekday.data),
        start_time=validated(form.start_time.data),
        end_time=validated(form.end_time.data),
        modes=tuple(form.modes.data or ()),
        location=(form.location.data or "").strip(),
    )


def _span_page(owner: User, span_id: int | None) -> ResponseReturnValue:
    span = None
    if span_id is not None:
        try:
            span = services.span_of(db.session(), owner.id, span_id)
        except AvailabilityError:
            return abort(404)
    data = None
    if request.method == "GET" and span is not None:
        data = {
            "weekday": str(span.weekday),
            "start_time": span.start_time,
            "end_time": span.end_time,
            "modes": [str(m) for m in span.mode_list],
            "location": span.location,
        }
    form = SpanForm(data=data)
    if form.validate_on_submit():
        done = _apply(
            owner,
            _span_change(form, span_id),
            form,
            _("The time is saved."),
        )
        if done is not None:
            return done
    return render_template(
        "availability/span_form.html", form=form, owner=owner, span=span
    ), (400 if form.errors else 200)


@bp.route("/kalender/tilgaengelighed/tid/ny", methods=["GET", "POST"])
@web.staff_only
def span_new() -> ResponseReturnValue:
    return _span_page(web.counsellor(), None)


@bp.route("/kalender/tilgaengelighed/tid/<int:span_id>", methods=["GET", "POST"])
@web.staff_only
def span_edit(span_id: int) -> ResponseReturnValue:
    return _span_page(web.counsellor(), span_id)


@bp.post("/kalender/tilgaengelighed/tid/<int:span_id>/slet")
@web.staff_only
def span_delete(span_id: int) -> ResponseReturnValue:
    owner = web.counsellor()
    if not EmptyForm().validate_on_submit():
        return web.to_availability()
    try:
        span = services.span_of(db.session(), owner.id, span_id)
    except AvailabilityError:
        return abort(404)
    change = SpanChange(
        span_id=span.id,
        weekday=span.weekday,
        start_time=span.start_time,
        end_time=span.end_time,
        modes=tuple(str(m) for m in span.mode_list),
        location=span.location,
        delete=True,
    )
    return _apply(owner, change, None, _("The time is deleted."))


@bp.route("/kalender/tilgaengelighed/fravaer/ny", methods=["GET", "POST"])
@web.staff_only
def absence_new() -> ResponseReturnValue:
    owner = web.counsellor()
    form = AbsenceForm()
    if form.validate_on_submit():
        change = changes.absence_from_local(
            validated(form.start_date.data),
            validated(form.end_date.data),
            form.start_time.data,
            form.end_time.data,
            form.reason.data or "",
        )
        done = _apply(owner, change, form, _("The absence is saved."))
        if done is not None:
            return done
    return render_template("availability/absence_form.html", form=form, owner=owner), (
        400 if form.errors else 200
    )


@bp.post("/kalender/tilgaengelighed/fravaer/<int:absence_id>/slet")
@web.staff_only
def absence_delete(absence_id: int) -> ResponseReturnValue:
    owner = web.counsellor()
    if EmptyForm().validate_on_submit():
        try:
            with db.commit_or_rollback():
                services.delete_absence(db.session(), owner.id, absence_id)
        except AvailabilityError:
            return abort(404)
        flash(_("The absence is deleted."), "success")
    return web.to_availability()
