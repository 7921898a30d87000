"""Log-in for families and staff, TOTP, log-out, password change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import audit, crypto, db
from portal.accounts import bp, services
from portal.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    TotpForm,
)
from portal.accounts.models import STAFF_ROLES, Role, User
from portal.audit import AuditAction
from portal.forms import add_error
from portal.security import (
    clear_site_data_after_log_out,
    end_login_session,
    keyed_value,
    limiter,
    login_manager,
    mark_no_store,
    start_login_session,
)

PENDING_LOGIN_SECONDS = 300
STAFF_PATH_PREFIXES = ("/medarbejder", "/kalender", "/leder")

# Per client, and per account so a spread-out attack on one account is slowed too.
login_limit = limiter.limit("10 per minute;40 per hour", methods=["POST"])
account_login_limit = limiter.limit(
    "20 per hour",
    methods=["POST"],
    key_func=lambda: "account:" + keyed_value(request.form.get("email", "")),
)
totp_limit = limiter.limit("6 per minute;30 per hour", methods=["POST"])
# Per account across addresses: with five codes per password step, at most two
# password steps' worth an hour.
account_totp_limit = limiter.limit(
    "10 per hour;30 per day",
    methods=["POST"],
    key_func=lambda: "totp-account:" + session["pending_login"]["user"],
    exempt_when=lambda: "pending_login" not in session,
)
# Guessing the current password from a stolen session is slowed per account.
password_change_limit = limiter.limit(
    "10 per hour",
    methods=["POST"],
    key_func=lambda: "password-change:" + current_user.public_id,
    exempt_when=lambda: not current_user.is_authenticated,
)
# Pages a user with a temporary password may open before choosing their own.
TEMPORARY_PASSWORD_ENDPOINTS = {"accounts.change_password", "accounts.logout", "static"}


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return services.load_user_from_session_id(db.session(), session_id)


@login_manager.unauthorized_handler
def unauthorized() -> WerkzeugResponse:
    flash(_("Log in to see the page."), "info")
    if request.path.startswith(STAFF_PATH_PREFIXES):
        return redirect(url_for("accounts.staff_login"))
    return redirect(url_for("accounts.family_login"))


def password_problem_message(code: str) -> str:
    messages: dict[str, str] = {
        "too_short": ngettext(
            "The password must be at least %(num)s character.",
            "The password must be at least %(num)s characters.",
            services.MIN_PASSWORD_LENGTH,
        ),
        "too_long": ngettext(
            "The password can be at most %(num)s character.",
            "The password can be at most %(num)s characters.",
            services.MAX_PASSWORD_LENGTH,
        ),
        "common": _("That password is too common. Choose another one."),
        "personal": _("The password must not be your name or your e-mail."),
    }
    return messages[code]


def _home_for(user: User) -> str:
    if services.must_change_password(user):
        return url_for("accounts.change_password")
    if user.role == Role.COUNSELLOR:
        return url_for("calendar.week")
    return url_for("main.staff_home") if user.is_staff else url_for("main.family_home")


def _already_logged_in() -> WerkzeugResponse:
    flash(_("You are already logged in."), "info")
    return redirect(_home_for(current_user))


@bp.before_app_request
def require_own_password() -> WerkzeugResponse | None:
    """A temporary password gives access to one page: choosing your own."""
    if (
        current_user.is_authenticated
        and services.must_change_password(current_user)
        and request.endpoint not in TEMPORARY_PASSWORD_ENDPOINTS
    ):
        flash(_("Choose your own password before you go on."), "info")
        return redirect(url_for("accounts.change_password"))
    return None


def _check_credentials(form: LoginForm, roles: tuple[Role, ...]) -> User | None:
    """The user whose e-mail and password these are, if this log-in page is theirs.

    A failure is logged by account, if the e-mail names one (never the password or
    the typed address), and the form gets one message whatever went wrong."""
    db_session = db.session()
    expired = False
    try:
        # DataRequired: neither is empty once the form validated.
        user = services.authenticate(
            db_session, form.email.data or "", form.password.data or ""
        )
    except services.InvalidCredentials as error:
        user, account = None, error.account
        expired = isinstance(error, services.TemporaryPasswordExpired)
    else:
        account = user
    if user is not None and user.role in roles:
        return user
    audit.record_security_event(db_session, AuditAction.LOG_IN_FAILED, account=account)
    db_session.commit()
    if expired and account is not None and account.role in roles:
        form.form_errors.append(
            _("The temporary password has expired. Ask your leader for a new one.")
        )
    else:
        # Same words for unknown e-mail, wrong password and the wrong log-in page.
        form.form_errors.append(_("Wrong e-mail or password."))
    return None


def _log_in(user: User) -> None:
    """Log the success, commit, and start a fresh session for ``user``."""
    audit.record_security_event(
        db.session(), AuditAction.LOG_IN, actor=user, account=user
    )
    db.session().commit()
    start_login_session(user)


def _login_page(
    roles: tuple[Role, ...],
    *,
    staff: bool,
    onward: Callable[[User], ResponseReturnValue],
) -> ResponseReturnValue:
    """The log-in page of families and of staff: ``onward`` takes the user whose
    e-mail and password were right to the next step."""
    if current_user.is_authenticated:
        return _already_logged_in()
    form = LoginForm()
    if form.validate_on_submit():
        user = _check_credentials(form, roles)
        if user is not None:
            return onward(user)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("accounts/login.html", form=form, staff=staff), status


def _family_home(user: User) -> ResponseReturnValue:
    _log_in(user)
    return redirect(url_for("main.family_home"))


def _ask_for_totp(user: User) -> ResponseReturnValue:
    """Staff give a TOTP code next; the password step is remembered, not a log-in."""
    services.start_totp_attempts(db.session(), user)
    db.session().commit()
    session.clear()
    session["pending_login"] = {
        "user": user.public_id,
        "version": user.session_version,
        "at": int(datetime.now(UTC).timestamp()),
    }
    return redirect(url_for("accounts.staff_totp"))


@bp.route("/log-ind", methods=["GET", "POST"])
@login_limit
@account_login_limit
def family_login() -> ResponseReturnValue:
    return _login_page((Role.FAMILY,), staff=False, onward=_family_home)


@bp.route("/medarbejder/log-ind", methods=["GET", "POST"])
@login_limit
@account_login_limit
def staff_login() -> ResponseReturnValue:
    return _login_page(STAFF_ROLES, staff=True, onward=_ask_for_totp)


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
            if services.verify_totp(db_session, user, form.code.data or ""):
                _log_in(user)
                return redirect(_home_for(user))
            audit.record_security_event(
                db_session, AuditAction.TOTP_FAILED, account=user
            )
        except services.TotpLockedOut as error:
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
        encrypted = crypto.encrypt(services.new_totp_secret())
        session["enrol_secret"] = encrypted
    secret = crypto.decrypt(encrypted)
    if form.validate_on_submit():
        code = form.code.data or ""
        if services.confirm_totp_enrolment(db.session(), user, secret, code):
            _log_in(user)  # a fresh session: the enrolment secret is gone from it
            flash(_("The authenticator app is set up. You are logged in."), "success")
            return redirect(_home_for(user))
        add_error(
            form.code, _("The code does not match. Check the time on your phone.")
        )
    uri = services.totp_provisioning_uri(user, secret)
    status = 400 if form.errors else 200
    return render_template(
        "accounts/enrol_totp.html",
        form=form,
        qr_svg=services.totp_qr_svg(uri, _("QR code for the authenticator app")),
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
    ), status


@bp.post("/log-ud")
@login_required
def logout() -> WerkzeugResponse:
    services.end_all_sessions(db.session(), current_user)
    db.session().commit()
    end_login_session()
    clear_site_data_after_log_out()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/konto/adgangskode", methods=["GET", "POST"])
@password_change_limit
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()
        if not services.verify_password(user, form.current_password.data or ""):
            add_error(form.current_password, _("The password is wrong."))
        else:
            try:
                services.change_password(
                    db.session(), user, form.new_password.data or ""
                )
            except services.PasswordProblem as problem:
                add_error(form.new_password, password_problem_message(problem.code))
            else:
                db.session().commit()
                start_login_session(user)
                flash(_("Your password has been changed."), "success")
                return redirect(_home_for(user))
    status = 400 if form.errors else 200
    return render_template("accounts/change_password.html", form=form), status
