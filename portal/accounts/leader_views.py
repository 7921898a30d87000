"""The leader's security log at /leder/sikkerhed (staff accounts: ``staff_views``)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from portal import db
from portal.accounts import bp
from portal.accounts.leader_forms import SecurityLogForm
from portal.accounts.models import Role
from portal.accounts.security_log import EventFilter, security_events
from portal.audit import SECURITY_ACTIONS, AuditAction
from portal.security import roles_required

#: The form's fields, kept in the links between pages.
FILTERS = ("type", "email", "first_day", "last_day")


def action_names() -> dict[str, str]:
    return {
        AuditAction.LOG_IN: _("Logged in"),
        AuditAction.LOG_IN_FAILED: _("Log-in failed"),
        AuditAction.TOTP_FAILED: _("Wrong code from the app"),
        AuditAction.LOCKED_OUT: _("Too many wrong codes"),
        AuditAction.RATE_LIMITED: _("Too many attempts"),
        AuditAction.CSRF_FAILED: _("Form too old or from another site"),
        AuditAction.FORBIDDEN: _("Refused access"),
        AuditAction.PASSWORD_CHANGED: _("Password changed"),
        AuditAction.ACCOUNT_CREATED: _("Staff account created"),
        AuditAction.ACCOUNT_DEACTIVATED: _("Staff account deactivated"),
        AuditAction.FEED_CREATED: _("Calendar address created"),
        AuditAction.FEED_REVOKED: _("Calendar address revoked"),
    }


@bp.get("/leder/sikkerhed")
@roles_required(Role.LEADER)
def security_log() -> tuple[str, int]:
    names = action_names()
    form = SecurityLogForm(request.args)
    form.type.choices = [("", _("All events"))] + [
        (str(action), names[action]) for action in SECURITY_ACTIONS
    ]
    wanted = EventFilter()
    if form.validate():
        wanted = EventFilter(
            action=AuditAction(form.type.data) if form.type.data else None,
            email=form.email.data or "",
            first_day=form.first_day.data,
            last_day=form.last_day.data,
        )
    page = security_events(db.session(), wanted, request.args.get("side", 1, int))
    # The filters, to keep them when moving between pages.
    kept = {name: request.args[name] for name in FILTERS if name in request.args}
    status = 400 if form.errors else 200
    return render_template(
        "accounts/security_log.html",
        form=form,
        page=page,
        names=names,
        kept=kept,
    ), status
