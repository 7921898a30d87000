"""The member's side of an invitation: the link in the e-mail, where they log in
with MitID or choose a password (staff send and revoke it in ``views_invitation``)."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit, db
from portal.accounts import mitid, password_rules, services
from portal.accounts.forms import NewPasswordForm
from portal.audit import AuditAction
from portal.db import utcnow
from portal.families import bp, invitations
from portal.families.models import Invitation
from portal.families.views_mitid import start_flow
from portal.forms import add_error
from portal.login_sessions import start_login_session
from portal.security import limiter, mark_no_store

invitation_limit = limiter.limit("10 per minute;40 per hour", methods=["POST"])


def _unusable(code: str) -> ResponseReturnValue:
    audit.record_security_event(db.session(), AuditAction.LOG_IN_FAILED)
    db.session().commit()
    return render_template("families/invitation_unusable.html", problem=code), 410


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@invitation_limit
def invitation(token: str) -> ResponseReturnValue:
    """The link in the e-mail: log in with MitID or choose a password."""
    mark_no_store()
    if current_user.is_authenticated:
        flash(_("Log out first. Then open the link in the e-mail again."), "info")
        return redirect(url_for("main.index"))
    now = utcnow()
    try:
        found = invitations.usable(db.session(), token[:100], now)
    except invitations.InvitationUnusable as unusable:
        return _unusable(unusable.code)
    form = NewPasswordForm()
    if request.method == "POST" and request.form.get("choice") == "mitid":
        if not mitid.enabled():
            abort(404)
        return start_flow(invitation=found.public_id)
    if form.validate_on_submit():
        response = _choose_password(found, form, now)
        if response is not None:
            return response
    status = 400 if form.errors else 200
    return render_template(
        "families/invitation.html", form=form, mitid=mitid.enabled()
    ), status


def _choose_password(
    found: Invitation, form: NewPasswordForm, now: datetime
) -> ResponseReturnValue | None:
    """Set the password and log the member in; None when the form must be shown
    again with the problem."""
    try:
        with db.commit_or_rollback() as db_session:
            member = invitations.choose_password(
                db_session, found, form.new_password.data or "", now
            )
            services.record_log_in(db_session, member, now)
    except password_rules.PasswordProblem as problem:
        add_error(form.new_password, password_rules.problem_message(problem.code))
        return None
    except invitations.InvitationUnusable as unusable:
        return _unusable(unusable.code)
    start_login_session(member)
    flash(_("Your password is saved. Next time, log in without MitID."), "success")
    return redirect(url_for("families.family_home"))
