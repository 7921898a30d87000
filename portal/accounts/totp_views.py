"""The staff log-in's second step: a TOTP code, or enrolling an authenticator app.

The password step (``views``) leaves ``pending_login`` in the session; it is
good for five minutes and only for the session version it was given with.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import audit, crypto, db
from portal.accounts import bp, totp, totp_codes
from portal.accounts.forms import TotpForm
from portal.accounts.models import User
from portal.accounts.views import home_for, log_in
from portal.audit import AuditAction
from portal.forms import add_error
from portal.security import limiter, mark_no_store

PENDING_LOGIN_SECONDS = 300

totp_limit = limiter.limit("6 per minute;30 per hour", methods=["POST"])
# Per account across addresses: with five codes per password step, at most two
# password steps' worth an hour.
account_totp_limit = limiter.limit(
    "10 per hour;30 per day",
    methods=["POST"],
    key_func=lambda: "totp-account:" + session["pending_login"]["user"],
    exempt_when=lambda: "pending_login" not in session,
)


def _pending_user() -> User | None:
    """The staff member who gave the right password in the last five minutes."""
    pending = session.get("pending_login")
    if not pending:
        return None
    age = datetime.now(UTC).timestamp() - pending["at"]
    if age > PENDING_LOGIN_SECONDS:
        session.pop("pending_login", None)
        return None
    user = db.session().scalar(select(User).where(User.public_id == pending["user"]))
    if user is None or user.session_version != pending["version"] or not user.active:
        return None
    return user


@bp.route("/medarbejder/log-ind/kode", methods=["GET", "POST"])
@totp_limit
@account_totp_limit
def staff_totp() -> ResponseReturnValue:
    user = _pending_user()
    if user is None:
        flash(_("Log in with e-mail and password first."), "info")
        return redirect(url_for("accounts.staff_login"))
    form = TotpForm()
    if not user.has_totp:
        return _enrol_totp(user, form)
    if form.validate_on_submit():
        db_session = db.session()
        try:
            if totp.verify_totp(db_session, user, form.code.data or ""):
                log_in(user)
                return redirect(home_for(user))
            audit.record_security_event(
                db_session, AuditAction.TOTP_FAILED, account=user
            )
        except totp.TotpLockedOut as error:
            return _lock_out(user, wrong_code=error.tried)
        db_session.commit()
        add_error(form.code, _("The code is wrong or has expired. Try again."))
    status = 400 if form.errors else 200
    return render_template("accounts/totp.html", form=form), status


def _lock_out(user: User, *, wrong_code: bool) -> WerkzeugResponse:
    """Too many wrong codes: drop the pending log-in; the password step again."""
    db_session = db.session()
    if wrong_code:
        audit.record_security_event(db_session, AuditAction.TOTP_FAILED, account=user)
    audit.record_security_event(db_session, AuditAction.LOCKED_OUT, account=user)
    db_session.commit()
    session.pop("pending_login", None)
    flash(
        _("The code was wrong too many times. Log in again with e-mail and password."),
        "error",
    )
    return redirect(url_for("accounts.staff_login"))


def _enrol_totp(user: User, form: TotpForm) -> ResponseReturnValue:
    """Show a QR code for a new secret; save it only after a valid code.

    The page shows the secret, so no cache may keep it."""
    mark_no_store()
    encrypted = session.get("enrol_secret")
    if encrypted is None:
        encrypted = crypto.encrypt(totp_codes.new_totp_secret())
        session["enrol_secret"] = encrypted
    secret = crypto.decrypt(encrypted)
    if form.validate_on_submit():
        code = form.code.data or ""
        if totp_codes.confirm_totp_enrolment(db.session(), user, secret, code):
            log_in(user)  # a fresh session: the enrolment secret is gone from it
            flash(_("The authenticator app is set up. You are logged in."), "success")
            return redirect(home_for(user))
        add_error(
            form.code, _("The code does not match. Check the time on your phone.")
        )
    uri = totp_codes.totp_provisioning_uri(user, secret)
    status = 400 if form.errors else 200
    return render_template(
        "accounts/enrol_totp.html",
        form=form,
        qr_svg=totp_codes.totp_qr_svg(uri, _("QR code for the authenticator app")),
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
    ), status
