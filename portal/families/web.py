"""What the staff's family views share: who may use them, opening a family (with
its audit row, and for a leader the reason they gave), and a refused change
(rolled back, the attempt logged)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as cookie
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role
from portal.audit import AuditEvent
from portal.db import utcnow
from portal.families import access
from portal.families.messages import error_message
from portal.families.models import Family
from portal.families.records import RecordError
from portal.forms import PortalForm, explain_refusal
from portal.security import mark_no_store, roles_required

staff_only = roles_required(Role.COUNSELLOR, Role.LEADER)
leader_only = roles_required(Role.LEADER)


#: The page that asks a leader why (``cases.leader_reason_views``).
REASON_PAGE = "cases.leader_reason"
#: Where the session keeps the reasons given: family public id -> [until, row id].
REASONS = "family_reasons"
REASON_MINUTES = 30


def open_family(family_id: str, what: str, *, to_change: bool = False) -> Family:
    """The family if the current staff member may open it (else 404), or change
    its records (``to_change``: assigned counsellors only); the opening is written
    to the audit log, which the family will see. A leader who has not said why
    in the last ``REASON_MINUTES`` is sent to say it first."""
    mark_no_store()
    reason = None
    if not to_change and access.needs_reason(current_user):
        reason = held_reason(family_id)
        if reason is None:
            here = request.full_path.rstrip("?") if request.method == "GET" else ""
            abort(redirect(url_for(REASON_PAGE, family_id=family_id, next=here)))
    return access.family_for_staff(
        db.session(),
        current_user,
        family_id,
        what=what,
        to_change=to_change,
        stated_reason=reason,
    )


def hold_reason(event: AuditEvent) -> None:
    """Keep the reason in ``event`` (its family's opening) for a short while, so
    that each page of that family does not ask again; expired ones are dropped."""
    now = utcnow().timestamp()
    minutes = int(current_app.config.get("LEADER_REASON_MINUTES", REASON_MINUTES))
    held = {k: v for k, v in cookie.get(REASONS, {}).items() if v[0] > now}
    held[event.object_id] = [now + minutes * 60, event.id]
    cookie[REASONS] = held


def held_reason(family_id: str) -> str | None:
    """The reason the current user gave for this family, while it holds. The
    cookie keeps only the row's id: the words stay in the database."""
    until, event_id = cookie.get(REASONS, {}).get(family_id, (0, 0))
    if until <= utcnow().timestamp():
        return None
    return db.session().scalar(
        select(AuditEvent.stated_reason).where(
            AuditEvent.id == event_id,
            AuditEvent.actor_id == current_user.id,
            AuditEvent.object_id == family_id,
        )
    )


def refused(
    family_id: str, error: RecordError, form: PortalForm | None = None
) -> Family:
    """After a service refused a change: nothing of it is kept, the attempt is
    logged with its code only, and the form (or a message) says why."""
    db.session().rollback()
    family = open_family(family_id, f"refused: {error.code}")
    explain_refusal(form, error.field, error_message(error.code))
    return family


def show(
    template: str, form: PortalForm | None = None, **context: Any
) -> tuple[str, int]:
    """Commit what the request wrote (the audit rows of opening a family), then
    the page; 400 when the form was refused."""
    db.session().commit()
    status = 400 if form is not None and (form.errors or form.form_errors) else 200
    return render_template(template, form=form, **context), status


def to_family(family: Family) -> WerkzeugResponse:
    return redirect(url_for("families.family_page", family_id=family.public_id))


Page = tuple[str, int] | WerkzeugResponse


def form_page(
    family_id: str,
    family: Family,
    form: PortalForm,
    change: Callable[[], object],
    done: str,
    *,
    template: str = "families/form.html",
    after: Callable[[Family], WerkzeugResponse] = to_family,
    **context: Any,
) -> Page:
    """The one shape of a staff form about a family: a valid submit makes the
    ``change`` in one transaction and goes on with ``done`` shown; a refusal
    shows the form again with what was typed and why."""
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                change()
        except RecordError as error:
            family = refused(family_id, error, form)
        else:
            flash(done, "success")
            return after(family)
    return show(template, form, family=family, **context)


def save_or_show(
    form: PortalForm,
    change: Callable[[], object],
    done: str,
    after: Callable[[], WerkzeugResponse],
    reopen: Callable[[str], Family],
    template: str,
    messages: Callable[[str], str],
    **context: Any,
) -> Page:
    """A valid submit makes ``change`` in one transaction and goes to ``after``
    with ``done`` shown; a refusal rolls back, opens the family again with
    ``reopen(what)`` (so the refused attempt is logged for staff) and shows the
    form with what was typed and why (``messages`` says a refusal's code in
    words: each feature has its own)."""
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                change()
        except RecordError as error:
            context["family"] = reopen(f"refused: {error.code}")
            explain_refusal(form, error.field, messages(error.code))
        else:
            flash(done, "success")
            return after()
    return show(template, form, **context)
