"""Booking a session with a known family in the counsellor's own calendar (a
leader: in the calendar of the counsellor they chose, who must be assigned to the
family). Thin: the rules are in ``portal.calendar.family_sessions``."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, g, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal import db
from portal.accounts.models import Role, User
from portal.availability.forms import mode_choices
from portal.availability.models import Mode
from portal.availability.settings import settings_for
from portal.booking import replay
from portal.calendar import bp, family_sessions, services, web
from portal.calendar.booking_forms import FamilySessionForm
from portal.calendar.chosen_time import book_when_sent, open_booked
from portal.families import access as family_access
from portal.families.models import Family
from portal.families.sessions import active_members, primary_counsellor

STATE = "calendar_family_session"
#: Time to agree on the time with the family before the form must be opened again.
KEY_LIFETIME = timedelta(hours=1)


def _owner() -> User:
    owner = web.owner(optional=True)
    if owner is None:
        abort(404)
    return owner


@bp.get("/kalender/familiesamtale")
@web.staff_only
def family_choose() -> ResponseReturnValue:
    """The families the calendar's counsellor serves, to book a session with."""
    owner = _owner()
    families = db.session().scalars(family_access.visible_families(owner)).all()
    return render_template(
        "calendar/family_choose.html", owner=owner, families=families
    )


def _family_and_owner(family_id: str) -> tuple[Family, User]:
    """The family, if the viewer may open it, and the counsellor whose calendar
    gets the session: the viewer; for a leader the counsellor chosen, or else the
    family's primary counsellor. 404 unless that counsellor is assigned."""
    family = family_access.family_for_staff(
        db.session(), current_user, family_id, what="book a family session"
    )
    owner: User | None
    if current_user.role == Role.LEADER and not request.args.get(web.COUNSELLOR_ARG):
        owner = primary_counsellor(db.session(), family)
        g.calendar_owner = owner
    else:
        owner = web.owner(optional=True)
    if owner is None or not family_access.is_assigned(db.session(), owner, family):
        abort(404)
    return family, owner


@bp.route("/kalender/familiesamtale/<family_id>", methods=["GET", "POST"])
@web.staff_only
def book_family(family_id: str) -> ResponseReturnValue:
    family, owner = _family_and_owner(family_id)
    mode = request.args.get("mode", str(Mode.CENTRE))
    if mode not in set(Mode):
        mode = str(Mode.CENTRE)
    state = web.load_state(STATE, KEY_LIFETIME) or {}
    if state.get("family") != family.public_id or state.get("booked"):
        if request.method == "GET":
            state = {"family": family.public_id, "key": replay.new_idempotency_key()}
            web.save_state(STATE, state)
    members = active_members(family)
    form = FamilySessionForm(data={"idempotency_key": state.get("key")})
    form.participants.choices = [(m.public_id, m.name) for m in members]
    if request.method == "GET":
        form.participants.data = [m.public_id for m in members]
    if request.method == "POST" and (
        form.idempotency_key.data != state.get("key") or state.get("booked")
    ):
        flash(_("The form was too old. Choose the time again."), "warning")
        return redirect(web.cal_url("calendar.book_family", family_id=family_id))
    attempt = book_when_sent(
        form,
        lambda starts_at: family_sessions.book_family_session(
            db.session(),
            owner,
            family,
            starts_at=starts_at,
            mode=mode,
            participants=form.participants.data or [],
            idempotency_key=state["key"],
            address=form.address.data,
            location=form.location.data,
            actor=current_user,
        ),
        fields=("address", "participants", "location"),
    )
    if attempt.made is not None:
        booked = _("The family session is booked.")
        return open_booked(STATE, state, attempt.made.public_id, booked)
    settings = settings_for(db.session(), owner.id)
    return render_template(
        "calendar/book_family.html",
        owner=owner,
        family=family,
        mode=mode,
        modes=mode_choices(),
        form=form,
        problem=attempt.problem,
        week=web.free_week(
            owner.id,
            mode=mode,
            language=services.talk_language(db.session(), owner.id),
            offset=web.week_offset(),
            weeks_ahead=settings.horizon_weeks,
        ),
    ), attempt.status
