"""The leader's staff accounts at /leder/medarbejdere: create one (with a temporary
password shown once) and deactivate one."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts import bp, passwords, staff
from portal.accounts.leader_forms import StaffAccountForm
from portal.accounts.models import STAFF_ROLES, Role, User
from portal.forms import add_error
from portal.security import roles_required


@bp.route("/leder/medarbejdere", methods=["GET", "POST"])
@roles_required(Role.LEADER)
def staff_accounts() -> tuple[str, int]:
    form = StaffAccountForm()
    created = None
    if form.validate_on_submit():
        try:
            user, password = staff.create_staff_account(
                db.session(),
                current_user,
                email=form.email.data or "",  # DataRequired: never empty
                name=form.name.data or "",
                role=Role(form.role.data),
            )
        except ValueError:
            db.session().rollback()
            add_error(form.email, _("An account with that e-mail already exists."))
        else:
            db.session().commit()
            created = {"user": user, "password": password}
            form = StaffAccountForm(formdata=None)
    members = db.session().scalars(
        select(User).where(User.role.in_(list(STAFF_ROLES))).order_by(User.name)
    )
    status = 400 if form.errors else 200
    return render_template(
        "accounts/staff_accounts.html",
        form=form,
        staff=list(members),
        created=created,
        temporary_hours=passwords.TEMPORARY_PASSWORD_LIFETIME // timedelta(hours=1),
    ), status


@bp.post("/leder/medarbejdere/<public_id>/deaktiver")
@roles_required(Role.LEADER)
def deactivate_staff(public_id: str) -> WerkzeugResponse:
    """Deactivate a staff account; every session it has ends at once.

    (CSRFProtect checks the token of this button's form before we get here.)"""
    user = db.session().scalar(select(User).where(User.public_id == public_id))
    if user is None:
        abort(404)
    try:
        staff.deactivate_staff_account(db.session(), current_user, user)
    except staff.CannotDeactivate:
        db.session().rollback()
        flash(_("You cannot deactivate that account."), "error")
    else:
        db.session().commit()
        flash(
            _("%(name)s can no longer log in, and is logged out.", name=user.name),
            "success",
        )
    return redirect(url_for("accounts.staff_accounts"))
