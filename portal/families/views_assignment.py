"""The leader's page for a family's counsellors: assign, choose the primary
contact, remove. Reassigning is assigning the new one and removing the old."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role, User
from portal.families import assignment, bp
from portal.families.forms import AssignForm, CounsellorActionForm
from portal.families.models import Family
from portal.families.records import RecordError
from portal.families.web import Page, form_page, leader_only, open_family, refused
from portal.forms import validated


def _staff_member(public_id: str) -> User:
    """A staff account by public id; whether it may be assigned is the service's
    rule, so a leader's account is found here and refused there."""
    user = db.session().scalar(
        select(User).where(User.public_id == public_id, User.role != Role.FAMILY)
    )
    if user is None:
        abort(404)
    return user


def _to_assignment(family: Family) -> WerkzeugResponse:
    return redirect(url_for("families.counsellors", family_id=family.public_id))


@bp.route("/familier/<family_id>/raadgivere", methods=["GET", "POST"])
@leader_only
def counsellors(family_id: str) -> Page:
    family = open_family(family_id, "counsellors")
    form = AssignForm()
    active = db.session().scalars(
        select(User)
        .where(User.role == Role.COUNSELLOR, User.active.is_(True))
        .order_by(User.name)
    )
    names = {person.public_id: person.name for person in active}
    form.counsellor.choices = [("", _("Choose a counsellor")), *names.items()]
    chosen = form.counsellor.data
    return form_page(
        family_id,
        family,
        form,
        lambda: assignment.assign(
            db.session(),
            current_user,
            family,
            _staff_member(validated(form.counsellor.data)),
            primary=bool(form.primary.data),
        ),
        _("%(name)s is assigned.", name=names.get(chosen or "", "")),
        template="families/assignment.html",
        after=_to_assignment,
        assignments=sorted(family.assignments, key=lambda a: a.counsellor.name),
    )


@bp.post("/familier/<family_id>/raadgivere/primaer")
@leader_only
def assignment_primary(family_id: str) -> WerkzeugResponse:
    return _act(
        family_id, assignment.make_primary, _("The primary contact is changed.")
    )


@bp.post("/familier/<family_id>/raadgivere/fjern")
@leader_only
def assignment_remove(family_id: str) -> WerkzeugResponse:
    return _act(family_id, assignment.unassign, _("The counsellor is removed."))


def _act(
    family_id: str,
    change: Callable[[Session, User, Family, User], None],
    done: str,
) -> WerkzeugResponse:
    family = open_family(family_id, "counsellors")
    form = CounsellorActionForm()
    if not form.validate_on_submit():
        abort(400)
    counsellor = _staff_member(validated(form.counsellor.data))
    try:
        with db.commit_or_rollback():
            change(db.session(), current_user, family, counsellor)
    except RecordError as error:
        family = refused(family_id, error)
        db.session().commit()
    else:
        flash(done, "success")
    return _to_assignment(family)
