"""Resolving the booked talks an availability change would drop: move or cancel
each (through the session actions), cancel all with one reason, or drop the
change. The change waits in the session (``web.pending_change``) meanwhile."""

from __future__ import annotations

from datetime import date, time, timedelta

from flask import flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from portal import db
from portal.availability.changes import Change, NewAbsence
from portal.availability.errors import AvailabilityError
from portal.availability.forms import ConflictForm
from portal.calendar import bp, web
from portal.calendar.availability_changes import Conflicts, apply_change
from portal.calendar.availability_changes import conflicts as find_conflicts
from portal.calendar.messages import error_message
from portal.forms import add_error
from portal.i18n import LOCAL


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
    owner = web.counsellor()
    change = web.pending_change(owner)
    if change is None:
        flash(_("There is no change waiting."), "info")
        return web.to_availability()
    form = ConflictForm()
    status = 200
    if form.validate_on_submit():
        action = request.form.get("action")
        if action == "discard":
            web.clear_state(web.PENDING)
            flash(_("The change is dropped. Nothing was changed."), "info")
            return web.to_availability()
        reason = None
        if action == "cancel_all":
            reason = (form.reason.data or "").strip()
            if not reason:
                add_error(form.reason, error_message("reason_required"))
        if not form.errors:
            try:
                with db.commit_or_rollback():
                    cancelled = apply_change(
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
                return web.to_availability()
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
                return web.to_availability()
        else:
            status = 400
    in_the_way = find_conflicts(db.session(), owner.id, change)
    return render_template(
        "availability/conflicts.html",
        form=form,
        owner=owner,
        change=change,
        whole_days=_whole_days(change),
        in_the_way=in_the_way,
    ), status
