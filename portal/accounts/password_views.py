"""Choosing your own password: required after a temporary one, and any time later."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts import bp, password_rules, passwords, services
from portal.accounts.forms import ChangePasswordForm
from portal.accounts.models import User
from portal.accounts.views import home_for
from portal.forms import add_error
from portal.login_sessions import start_login_session
from portal.security import limiter

# Guessing the current password from a stolen session is slowed per account.
password_change_limit = limiter.limit(
    "10 per hour",
    methods=["POST"],
    key_func=lambda: "password-change:" + current_user.public_id,
    exempt_when=lambda: not current_user.is_authenticated,
)
# Pages a user with a temporary password may open before choosing their own.
TEMPORARY_PASSWORD_ENDPOINTS = {"accounts.change_password", "accounts.logout", "static"}


@bp.before_app_request
def require_own_password() -> WerkzeugResponse | None:
    """A temporary password gives access to one page: choosing your own."""
    if (
        current_user.is_authenticated
        and passwords.must_change_password(current_user)
        and request.endpoint not in TEMPORARY_PASSWORD_ENDPOINTS
    ):
        flash(_("Choose your own password before you go on."), "info")
        return redirect(url_for("accounts.change_password"))
    return None


@bp.route("/konto/adgangskode", methods=["GET", "POST"])
@password_change_limit
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()
        if not passwords.verify_password(user, form.current_password.data or ""):
            add_error(form.current_password, _("The password is wrong."))
        else:
            try:
                services.change_password(
                    db.session(), user, form.new_password.data or ""
                )
            except password_rules.PasswordProblem as problem:
                add_error(
                    form.new_password, password_rules.problem_message(problem.code)
                )
            else:
                db.session().commit()
                start_login_session(user)
                flash(_("Your password has been changed."), "success")
                return redirect(home_for(user))
    status = 400 if form.errors else 200
    return render_template("accounts/change_password.html", form=form), status
