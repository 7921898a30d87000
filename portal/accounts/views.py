"""Log-in for families and staff, TOTP, log-out, password change, staff accounts."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import crypto, db
from portal.accounts import bp, services
from portal.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    StaffAccountForm,
    TotpForm,
)
from portal.accounts.models import STAFF_ROLES, Role, User
from portal.security import (
    clear_site_data_after_log_out,
    end_login_session,
    keyed_value,
    limiter,
    login_manager,
    roles_required,
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


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return services.load_user_from_session_id(db.session(), session_id)


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Log in to see the page."), "info")
    if request.path.startswith(STAFF_PATH_PREFIXES):
        return redirect(url_for("accounts.staff_login"))
    return redirect(url_for("accounts.family_login"))


def password_problem_message(code: str) -> str:
    return {
        "too_short": _("The password must be at least 8 characters."),
        "too_long": _("The password can be at most 128 characters."),
        "common": _("That password is too common. Choose another one."),
        "personal": _("The password must not be your name or your e-mail."),
    }[code]


def _home_for(user: User) -> str:
    if user.role == Role.COUNSELLOR:
        return url_for("calendar.week")
    return url_for("main.staff_home") if user.is_staff else url_for("main.family_home")


def _already_logged_in():
    flash(_("You are already logged in."), "info")
    return redirect(_home_for(current_user))


@bp.route("/log-ind", methods=["GET", "POST"])
@login_limit
@account_login_limit
def family_login():
    if current_user.is_authenticated:
        return _already_logged_in()
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session(), form.email.data, form.password.data
            )
        except services.InvalidCredentials:
            user = None
        if user is not None and user.role == Role.FAMILY:
            db.session().commit()
            start_login_session(user)
            return redirect(url_for("main.family_home"))
        # Same words for unknown e-mail, wrong password and a staff account.
        form.form_errors.append(_("Wrong e-mail or password."))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("accounts/login.html", form=form, staff=False), status


@bp.route("/medarbejder/log-ind", methods=["GET", "POST"])
@login_limit
@account_login_limit
def staff_login():
    if current_user.is_authenticated:
        return _already_logged_in()
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session(), form.email.data, form.password.data
            )
        except services.InvalidCredentials:
            user = None
        if user is not None and user.role in STAFF_ROLES:
            db.session().commit()
            session.clear()
            session["pending_login"] = {
                "user": user.public_id,
                "version": user.session_version,
                "at": int(datetime.now(UTC).timestamp()),
            }
            return redirect(url_for("accounts.staff_totp"))
        form.form_errors.append(_("Wrong e-mail or password."))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("accounts/login.html", form=form, staff=True), status


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
def staff_totp():
    user = _pending_user()
    if user is None:
        flash(_("Log in with e-mail and password first."), "info")
        return redirect(url_for("accounts.staff_login"))
    form = TotpForm()
    if not user.has_totp:
        return _enrol_totp(user, form)
    if form.validate_on_submit():
        if services.verify_totp(db.session(), user, form.code.data):
            db.session().commit()
            start_login_session(user)
            return redirect(_home_for(user))
        form.code.errors.append(_("The code is wrong or has expired. Try again."))
    status = 400 if form.errors else 200
    return render_template("accounts/totp.html", form=form), status


def _enrol_totp(user: User, form: TotpForm):
    """Show a QR code for a new secret; save it only after a valid code."""
    encrypted = session.get("enrol_secret")
    if encrypted is None:
        encrypted = crypto.encrypt(services.new_totp_secret())
        session["enrol_secret"] = encrypted
    secret = crypto.decrypt(encrypted)
    if form.validate_on_submit():
        if services.confirm_totp_enrolment(db.session(), user, secret, form.code.data):
            db.session().commit()
            session.pop("enrol_secret", None)
            start_login_session(user)
            flash(_("The authenticator app is set up. You are logged in."), "success")
            return redirect(_home_for(user))
        form.code.errors.append(
            _("The code does not match. Check the time on your phone.")
        )
    uri = services.totp_provisioning_uri(user, secret)
    status = 400 if form.errors else 200
    return render_template(
        "accounts/enrol_totp.html",
        form=form,
        qr_svg=services.totp_qr_svg(uri),
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
    ), status


@bp.post("/log-ud")
@login_required
def logout():
    services.end_all_sessions(db.session(), current_user)
    db.session().commit()
    end_login_session()
    clear_site_data_after_log_out()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/konto/adgangskode", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not services.verify_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("The password is wrong."))
        else:
            try:
                services.change_password(
                    db.session(), current_user, form.new_password.data
                )
            except services.PasswordProblem as problem:
                form.new_password.errors.append(password_problem_message(problem.code))
            else:
                user = current_user._get_current_object()
                db.session().commit()
                start_login_session(user)
                flash(_("Your password has been changed."), "success")
                return redirect(_home_for(user))
    status = 400 if form.errors else 200
    return render_template("accounts/change_password.html", form=form), status


@bp.route("/leder/medarbejdere", methods=["GET", "POST"])
@roles_required(Role.LEADER)
def staff_accounts():
    form = StaffAccountForm()
    created = None
    if form.validate_on_submit():
        password = secrets.token_urlsafe(12)
        try:
            user = services.create_user(
                db.session(),
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                password=password,
            )
        except ValueError:
            db.session().rollback()
            form.email.errors.append(_("An account with that e-mail already exists."))
        else:
            db.session().commit()
            created = {"user": user, "password": password}
            form = StaffAccountForm(formdata=None)
    staff = db.session().scalars(
        select(User).where(User.role.in_(list(STAFF_ROLES))).order_by(User.name)
    )
    status = 400 if form.errors else 200
    return render_template(
        "accounts/staff_accounts.html", form=form, staff=list(staff), created=created
    ), status
