"""Availability screens: weekly times, absences, settings, and resolving the booked
sessions a change would drop. Thin: form -> availability service -> commit once.

They are part of the counsellor's calendar (its page frame, the leader's choice of
counsellor, no caching), so they register on the calendar's blueprint: the URLs
and endpoint names (``calendar.availability`` ...) are the calendar's."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import overload

from flask import abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from portal import db
from portal.accounts.models import User
from portal.availability import changes, services
from portal.availability.changes import Change, NewAbsence, SpanChange
from portal.availability.errors import AvailabilityError, Conflicts
from portal.availability.forms import AbsenceForm, ConflictForm, SettingsForm, SpanForm
from portal.availability.models import LANGUAGES
from portal.availability.settings import save_settings, settings_for
from portal.calendar import bp, web
from portal.calendar.messages import error_message
from portal.forms import EmptyForm, PortalForm, add_error, validated
from portal.i18n import LOCAL


def _overview() -> ResponseReturnValue:
    return redirect(web.cal_url("calendar.availability"))


def _owner() -> User:
    """The counsellor whose availability is shown (``web.owner`` answers 403/404)."""
    return _present(web.owner())


def _present(owner: User | None) -> User:
    """Without ``optional``, ``web.owner`` has answered 404 for nobody already;
    its type allows None for the leader's optional choice."""
    if owner is None:
        abort(404)
    return owner


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
            services.apply_change(db.session(), owner.id, change)
    except Conflicts:
        web.keep_pending(owner, change)
        return redirect(web.cal_url("calendar.conflicts"))
    except AvailabilityError as error:
        target = getattr(form, error.field or "", None) if form is not None else None
        if target is not None:
            add_error(target, error_message(error.code))
            return None
        flash(error_message(error.code), "error")
        return _overview()
    flash(success, "success")
    return _overview()


@bp.get("/kalender/tilgaengelighed", endpoint="availability")
@web.staff_only
def availability_overview() -> ResponseReturnValue:
    owner = _owner()
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
    return _span_page(_owner(), None)


@bp.route("/kalender/tilgaengelighed/tid/<int:span_id>", methods=["GET", "POST"])
@web.staff_only
def span_edit(span_id: int) -> ResponseReturnValue:
    return _span_page(_owner(), span_id)


@bp.post("/kalender/tilgaengelighed/tid/<int:span_id>/slet")
@web.staff_only
def span_delete(span_id: int) -> ResponseReturnValue:
    owner = _owner()
    if not EmptyForm().validate_on_submit():
        return _overview()
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
    owner = _owner()
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
    owner = _owner()
    if EmptyForm().validate_on_submit():
        try:
            with db.commit_or_rollback():
                services.delete_absence(db.session(), owner.id, absence_id)
        except AvailabilityError:
            return abort(404)
        flash(_("The absence is deleted."), "success")
    return _overview()


@bp.route("/kalender/tilgaengelighed/indstillinger", methods=["GET", "POST"])
@web.staff_only
def settings() -> ResponseReturnValue:
    owner = _owner()
    current = settings_for(db.session(), owner.id)
    data = None
    if request.method == "GET":
        data = {
            "session_minutes": current.session_minutes,
            "home_visit_buffer_minutes": current.home_visit_buffer_minutes,
            "horizon_weeks": current.horizon_weeks,
            "minimum_notice_hours": current.minimum_notice_hours,
            "languages": current.language_codes,
        }
    form = SettingsForm(data=data)
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                save_settings(
                    db.session(),
                    owner.id,
                    session_minutes=validated(form.session_minutes.data),
                    home_visit_buffer_minutes=validated(
                        form.home_visit_buffer_minutes.data
                    ),
                    horizon_weeks=validated(form.horizon_weeks.data),
                    minimum_notice_hours=validated(form.minimum_notice_hours.data),
                    languages=[
                        c for c in validated(form.languages.data) if c in LANGUAGES
                    ],
                )
        except AvailabilityError as error:
            add_error(getattr(form, error.field or ""), error_message(error.code))
        else:
            flash(_("The settings are saved."), "success")
            return _overview()
    return render_template("availability/settings.html", form=form, owner=owner), (
        400 if form.errors else 200
    )


def _whole_days(change: Change) -> tuple[date, date] | None:
    """(first day, last day) of an absence of whole days, else None."""
    if not isinstance(change, NewAbsence):
        return None
    start = change.starts_at.astimezone(LOCAL)
    end = change.ends_at.astimezone(LOCAL)
    if start.time() != time(0) or end.time() != time(0):
        return None
    return start.date(), end.date() - timedelta(days=1)


@bp.route("/kalender/tilgaengelighed/konflikter", methods=["GET", "POST"])
@web.staff_only
def conflicts() -> ResponseReturnValue:
    owner = _owner()
    change = web.pending_change(owner)
    if change is None:
        flash(_("There is no change waiting."), "info")
        return _overview()
    form = ConflictForm()
    status = 200
    if form.validate_on_submit():
        action = request.form.get("action")
        if action == "discard":
            web.clear_state(web.PENDING)
            flash(_("The change is dropped. Nothing was changed."), "info")
            return _overview()
        reason = None
        if action == "cancel_all":
            reason = (form.reason.data or "").strip()
            if not reason:
                add_error(form.reason, error_message("reason_required"))
        if not form.errors:
            try:
                with db.commit_or_rollback():
                    cancelled = services.apply_change(
                        db.session(), owner.id, change, cancel_reason=reason
                    )
            except Conflicts:
                flash(
                    _(
                        "Some talks are still booked in that time. Move or cancel "
                        "them first."
                    ),
                    "error",
                )
                status = 409
            except AvailabilityError as error:
                web.clear_state(web.PENDING)
                flash(error_message(error.code), "error")
                return _overview()
            else:
                web.clear_state(web.PENDING)
                if cancelled:
                    flash(
                        ngettext(
                            "The change is saved. %(num)d talk was cancelled, and "
                            "families with an e-mail are told.",
                            "The change is saved. %(num)d talks were cancelled, and "
                            "families with an e-mail are told.",
                            len(cancelled),
                        ),
                        "success",
                    )
                else:
                    flash(_("The change is saved."), "success")
                return _overview()
        else:
            status = 400
    in_the_way = changes.conflicts(db.session(), owner.id, change)
    return render_template(
        "availability/conflicts.html",
        form=form,
        owner=owner,
        change=change,
        whole_days=_whole_days(change),
        in_the_way=in_the_way,
    ), status
