"""Log-in with MitID: start the flow, and the provider's answer.

The answer is checked in ``accounts.mitid``; here it is decided who logged in: the
member an invitation in progress names (their MitID identity is linked now), or
the member already linked to this identity. Everything else gets a plain Danish
page, saves nothing, and is written to the security log without personal data.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import audit, db
from portal.accounts import mitid, services
from portal.accounts.models import User
from portal.audit import AuditAction
from portal.db import utcnow
from portal.families import bp, invitations
from portal.login_sessions import LoginMethod, start_login_session
from portal.security import limiter, mark_no_store, public_url

mitid_limit = limiter.limit("10 per minute;40 per hour")


def start_flow(invitation: str | None = None) -> ResponseReturnValue:
    """Send the browser to the MitID provider (or say it cannot be reached)."""
    try:
        return mitid.start(public_url("families.mitid_callback"), invitation=invitation)
    except mitid.MitIDUnavailable:
        current_app.logger.warning("MitID provider unreachable at log-in")
        return render_template(
            "families/mitid_problem.html", problem="unavailable"
        ), 503


@bp.post("/log-ind/mitid")
@mitid_limit
def mitid_start() -> ResponseReturnValue:
    if not mitid.enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return start_flow()


def _refused(problem: str, account: User | None = None) -> ResponseReturnValue:
    """A log-in that is not accepted: logged (no personal data), a Danish page."""
    audit.record_security_event(
        db.session(), AuditAction.LOG_IN_FAILED, account=account
    )
    db.session().commit()
    return render_template("families/mitid_problem.html", problem=problem), 400


@bp.get("/log-ind/mitid/svar")
@mitid_limit
def mitid_callback() -> ResponseReturnValue:
    mark_no_store()
    if not mitid.enabled():
        abort(404)
    now = utcnow()
    db_session = db.session()
    try:
        identity = mitid.finish(now)
    except mitid.MitIDUnavailable:
        current_app.logger.warning("MitID provider unreachable at the callback")
        return render_template(
            "families/mitid_problem.html", problem="unavailable"
        ), 503
    except mitid.MitIDRefused as refused:
        current_app.logger.warning("MitID answer refused: %s", refused.code)
        problem = "cancelled" if refused.code == "cancelled" else "refused"
        return _refused(problem)
    if identity.invitation is not None:
        try:
            member = invitations.link_mitid(
                db_session, identity.invitation, identity.subject_key, now
            )
        except invitations.InvitationUnusable as unusable:
            db_session.rollback()
            return _refused("invitation_" + unusable.code)
        except invitations.IdentityTaken:
            db_session.rollback()
            return _refused("identity_taken")
    else:
        found = db_session.scalar(
            select(User).where(User.mitid_subject == identity.subject_key)
        )
        if found is None:
            return _refused("unknown")
        member = found
    if not services.may_log_in(member, now):
        db_session.rollback()
        return _refused("no_access", member)
    return _log_in(member, identity)


def _log_in(member: User, identity: mitid.Identity) -> WerkzeugResponse:
    services.record_log_in(db.session(), member)
    db.session().commit()
    start_login_session(member, method=LoginMethod.MITID, level=identity.acr)
    session[mitid.ID_TOKEN_KEY] = identity.id_token
    return redirect(url_for("families.family_home"))
