"""The staff's family pages: the list, a new family, the family's page, its name,
closing and reopening. Children and members: ``views_people``; counsellors:
``views_assignment``."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role, User
from portal.families import access, bp, invitations, lifecycle
from portal.families.forms import FamilyForm, FamilySearchForm
from portal.families.models import Child, Family, FamilyAssignment
from portal.families.records import RecordError
from portal.families.web import (
    Page,
    form_page,
    open_family,
    refused,
    show,
    staff_only,
    to_family,
)
from portal.forms import EmptyForm, validated
from portal.security import mark_no_store
from portal.timeutil import age_on, local_today

#: The list shows this many families at most; a search narrows it.
LIST_LIMIT = 100
#: Each family's primary counsellor, joined to the list once (aliased, since
#: ``visible_families`` correlates its own FamilyAssignment). Built once, not per
#: request: building ORM aliases costs more than the query itself.
_PRIMARY = aliased(FamilyAssignment)
_PRIMARY_COUNSELLOR = aliased(User)
_PRIMARY_JOIN = and_(_PRIMARY.family_id == Family.id, _PRIMARY.is_primary)
_PRIMARY_COUNSELLOR_JOIN = _PRIMARY_COUNSELLOR.id == _PRIMARY.counsellor_id


@bp.get("/familier")
@staff_only
def family_list() -> tuple[str, int]:
    mark_no_store()
    form = FamilySearchForm(request.args)
    query = access.visible_families(current_user)
    searched = form.validate() and bool(form.q.data and form.q.data.strip())
    if searched:
        folded = validated(form.q.data).strip().casefold()
        query = query.where(Family.search_name.contains(folded, autoescape=True))
    # Plain rows of what the table shows, not Family objects: a list of 100 is
    # read on every visit, and building ORM objects would cost more than the query.
    families = (
        db.session()
        .execute(
            query.with_only_columns(
                Family.public_id,
                Family.display_name,
                Family.closed_at,
                _PRIMARY_COUNSELLOR.name.label("primary"),
                maintain_column_froms=True,
            )
            .outerjoin(_PRIMARY, _PRIMARY_JOIN)
            .outerjoin(_PRIMARY_COUNSELLOR, _PRIMARY_COUNSELLOR_JOIN)
            .limit(LIST_LIMIT + 1)
        )
        .all()
    )
    return show(
        "families/list.html",
        form,
        families=families[:LIST_LIMIT],
        more=len(families) > LIST_LIMIT,
        searched=searched,
        limit=LIST_LIMIT,
    )


@bp.route("/familier/ny", methods=["GET", "POST"])
@staff_only
def family_new() -> Page:
    form = FamilyForm()
    if form.validate_on_submit():
        with db.commit_or_rollback():
            family = lifecycle.create_family(
                db.session(), current_user, validated(form.display_name.data)
            )
        flash(_("The family has been created."), "success")
        if current_user.role == Role.LEADER:
            return redirect(url_for("families.counsellors", family_id=family.public_id))
        return to_family(family)
    return show("families/form.html", form, family=None, heading=_("New family"))


@bp.get("/familier/<family_id>")
@staff_only
def family_page(family_id: str) -> tuple[str, int]:
    """One statement per kind of thing shown (members, children with their
    custody holders, counsellors, invitations, sessions), however many there are:
    tests/families/test_query_counts.py counts them."""
    family = open_family(family_id, "family page")
    today = local_today()
    session = db.session()
    people = session.scalars(
        select(User).where(User.family_id == family.id).order_by(User.id)
    ).all()
    everyone = session.scalars(
        select(Child)
        .where(Child.family_id == family.id)
        .options(selectinload(Child.custody_holders))
        .order_by(Child.birth_date, Child.id)
    ).all()
    children = [child for child in everyone if not child.is_removed]
    custody = {
        member.id: [c.first_name for c in children if member in c.custody_holders]
        for member in people
    }
    left = [
        (child.removed_at, child.first_name, child.removed_reason)
        for child in everyone
        if child.removed_at is not None
    ] + [
        (member.removed_at, member.name, member.removed_reason)
        for member in people
        if member.removed_at is not None
    ]
    members = [member for member in people if member.removed_at is None]
    return show(
        "families/page.html",
        family=family,
        assignments=session.scalars(
            select(FamilyAssignment)
            .where(FamilyAssignment.family_id == family.id)
            .options(joinedload(FamilyAssignment.counsellor))
            .order_by(FamilyAssignment.is_primary.desc(), FamilyAssignment.id)
        ).all(),
        children=children,
        members=members,
        custody=custody,
        latest_invitations=invitations.latest_by_member(session, members),
        history=sorted(left, key=lambda row: row[0]),
        ages={child.id: age_on(child.birth_date, today) for child in children},
        button=EmptyForm(),
    )


@bp.route("/familier/<family_id>/navn", methods=["GET", "POST"])
@staff_only
def family_rename(family_id: str) -> Page:
    family = open_family(family_id, "rename family", to_change=True)
    form = FamilyForm(obj=family)
    return form_page(
        family_id,
        family,
        form,
        lambda: lifecycle.rename_family(
            db.session(), current_user, family, validated(form.display_name.data)
        ),
        _("The family's name has been changed."),
        heading=_("The family's name"),
    )


@bp.post("/familier/<family_id>/luk")
@staff_only
def family_close(family_id: str) -> WerkzeugResponse:
    """Close the case (CSRF is checked before this runs)."""
    return _change_status(family_id, lifecycle.close_family, _("The family is closed."))


@bp.post("/familier/<family_id>/genaabn")
@staff_only
def family_reopen(family_id: str) -> WerkzeugResponse:
    return _change_status(
        family_id, lifecycle.reopen_family, _("The family is open again.")
    )


def _change_status(
    family_id: str,
    change: Callable[[Session, User, Family], None],
    done: str,
) -> WerkzeugResponse:
    family = open_family(family_id, "family status", to_change=True)
    try:
        with db.commit_or_rollback():
            change(db.session(), current_user, family)
    except RecordError as error:
        family = refused(family_id, error)
        db.session().commit()
    else:
        flash(done, "success")
    return to_family(family)
