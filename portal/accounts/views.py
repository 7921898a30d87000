"""Log-in for families and staff (the password step) and log-out.

Staff give a TOTP code next (``totp_views``); choosing a password is in
``password_views``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import audit, db
from portal.accounts import bp, mitid, passwords, services, totp
from portal.accounts.forms import (
    LoginForm,
)
from portal.accounts.models import STAFF_ROLES, Role, User
from portal.audit import AuditAction
from portal.login_sessions import (
    clear_site_data_after_log_out,
    end_login_session,
    start_login_session,
)
from portal.security import keyed_value, limiter, login_manager, public_url

STAFF_PATH_PREFIXES = ("/medarbejder", "/kalender", "/leder")

# Per client, and per account so a spread-out attack on one account is slowed too.
login_limit = limiter.limit("10 per minute;40 per hour", methods=["POST"])
account_login_limit = limiter.limit(
    "20 per hour",
    methods=["POST"],
    key_func=lambda: "account:" + keyed_value(request.form.get("email", "")),
)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return services.load_user_from_session_id(db.session(), session_id)


@login_manager.unauthorized_handler
def unauthorized() -> WerkzeugResponse:
    flash(_("Log in to see the page."), "info")
    if request.path.startswith(STAFF_PATH_PREFIXES):
        return redirect(url_for("accounts.staff_login"))
    return redirect(url_for("accounts.family_login"))


def home_for(user: User) -> str:
    if passwords.must_change_password(user):
        return url_for("accounts.change_password")
    if user.role == Role.COUNSELLOR:
        return url_for("cases.overview")  # their families; the calendar one click on
    return (
        url_for("main.staff_home") if user.is_staff else url_for("families.family_home")
    )


def _already_logged_in() -> WerkzeugResponse:
    flash(_("You are already logged in."), "info")
    return redirect(home_for(current_user))


def _check_credentials(form: LoginForm, roles: tuple[Role, ...]) -> User | None:
    """The user whose e-mail and password these are, if this log-in page is theirs.

    A failure is logged by account, if the e-mail names one (never the password or
    the typed address), and the form gets one message whatever went wrong."""
    db_session = db.session()
    expired = False
    try:
        # DataRequired: neither is empty once the form validated.
        user = services.authenticate(
            db_session,
            form.email.data or "",
            form.password.data or "",
            family=roles == (Role.FAMILY,),
        )
    except services.InvalidCredentials as error:
        user, account = None, error.account
        expired = isinstance(error, services.TemporaryPasswordExpired)
    else:
        account = user
    closed = user is not None and not services.may_log_in(user)
    if user is not None and user.role in roles and not closed:
        return user
    audit.record_security_event(db_session, AuditAction.LOG_IN_FAILED, account=account)
    db_session.commit()
    if closed and account is not None and account.role in roles:
        form.form_errors.append(
            _(
                "You can no longer log in here. Call us if you have questions: "
                "%(phone)s.",
                phone=current_app.config["MUNICIPALITY_PHONE"],
            )
        )
    elif expired and account is not None and account.role in roles:
        form.form_errors.append(
            _("The temporary password has expired. Ask your leader for a new one.")
        )
    else:
        # Same words for unknown e-mail, wrong password and the wrong log-in page.
        form.form_errors.append(_("Wrong e-mail or password."))
    return None


def log_in(user: User) -> None:
    """Log the success, commit, and start a fresh session for ``user``."""
    services.record_log_in(db.session(), user)
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
    return render_template(
        "accounts/login.html", form=form, staff=staff, mitid=mitid.enabled()
    ), status


def _family_home(user: User) -> ResponseReturnValue:
    log_in(user)
    return redirect(url_for("families.family_home"))


def _ask_for_totp(user: User) -> ResponseReturnValue:
    """Staff give a TOTP code next; the password step is remembered, not a log-in."""
    totp.start_totp_attempts(db.session(), user)
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


@bp.post("/log-ud")
@login_required
def logout() -> WerkzeugResponse:
    """End every session of the user here and, after a MitID log-in, the session
    at the provider too (the provider sends the browser back to the front page)."""
    id_token = session.get(mitid.ID_TOKEN_KEY, "")
    services.end_all_sessions(db.session(), current_user)
    db.session().commit()
    end_login_session()
    clear_site_data_after_log_out()
    flash(_("You are logged out."), "success")
    at_provider = mitid.end_session_url(id_token, public_url("main.index"))
    return redirect(at_provider or url_for("main.index"))
