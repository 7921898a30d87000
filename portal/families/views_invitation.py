"""Invitations: the counsellor sends, re-sends and revokes them on the family's
page; the member opens the link and logs in with MitID or chooses a password."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import audit, db
from portal.accounts import mitid, password_rules, services
from portal.accounts.forms import NewPasswordForm
from portal.accounts.models import Role, User
from portal.audit import AuditAction
from portal.db import utcnow
from portal.families import access, bp, invitations
from portal.families.models import Family, Invitation
from portal.families.views_mitid import start_flow
from portal.forms import add_error
from portal.login_sessions import start_login_session
from portal.security import limiter, mark_no_store, roles_required

#: The family's staff page (its view is in the records module).
FAMILY_PAGE = "/familier/{family_id}"
invitation_limit = limiter.limit("10 per minute;40 per hour", methods=["POST"])


def _member_of(family: Family, member_id: str) -> User:
    """A current member of ``family``, loaded through it; else 404."""
    member = db.session().scalar(
        select(User).where(
            User.family_id == family.id,
            User.public_id == member_id,
            User.role == Role.FAMILY,
            User.removed_at.is_(None),
        )
    )
    if member is None:
        abort(404)
    return member


@bp.app_template_global()
def member_invitation_state(
    member: User, invitation: Invitation | None
) -> invitations.MemberState:
    return invitations.member_state(member, utcnow(), invitation)


@bp.post("/familier/<family_id>/medlemmer/<member_id>/invitation")
@roles_required(Role.COUNSELLOR)
def send_invitation(family_id: str, member_id: str) -> WerkzeugResponse:
    family = access.family_for_staff(
        db.session(), current_user, family_id, what="invitation"
    )
    member = _member_of(family, member_id)
    try:
        with db.commit_or_rollback() as db_session:
            invitations.send(db_session, member, by=current_user, now=utcnow())
    except invitations.NoEmail:
        flash(
            _("Add the member's e-mail first: the invitation is sent there."), "error"
        )
    else:
        flash(_("The invitation is sent. The link works for 7 days."), "success")
    return redirect(FAMILY_PAGE.format(family_id=family.public_id))


@bp.post("/familier/<family_id>/medlemmer/<member_id>/invitation/tilbagekald")
@roles_required(Role.COUNSELLOR)
def revoke_invitation(family_id: str, member_id: str) -> WerkzeugResponse:
    family = access.family_for_staff(
        db.session(), current_user, family_id, what="invitation"
    )
    member = _member_of(family, member_id)
    with db.commit_or_rollback() as db_session:
        invitations.revoke(db_session, member, by=current_user, now=utcnow())
    flash(_("The invitation is revoked. The link no longer works."), "success")
    return redirect(FAMILY_PAGE.format(family_id=family.public_id))


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
