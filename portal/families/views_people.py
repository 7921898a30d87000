"""Staff pages for a family's children and members: add, change, remove with a
reason, and a young person (15+) becoming a member. Each loads the child or
member through the family the viewer may open, never by its id alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypedDict

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import Field

from portal import db
from portal.accounts.models import Role, User
from portal.families import bp, children, members
from portal.families.models import Child, Family
from portal.families.people_forms import (
    ChildForm,
    MemberForm,
    RemoveForm,
    YoungPersonForm,
)
from portal.families.web import Page, form_page, open_family, staff_only
from portal.forms import validated


def _child(family: Family, child_id: str) -> Child:
    child = db.session().scalar(
        select(Child).where(Child.family_id == family.id, Child.public_id == child_id)
    )
    if child is None:
        abort(404)
    return child


def _member(family: Family, member_id: str) -> User:
    member = db.session().scalar(
        select(User).where(
            User.family_id == family.id,
            User.role == Role.FAMILY,
            User.public_id == member_id,
        )
    )
    if member is None:
        abort(404)
    return member


def _current_children(family: Family) -> list[Child]:
    return [child for child in family.children if not child.is_removed]


class ChildDetails(TypedDict):
    first_name: str
    birth_date: date


def _child_details(form: ChildForm) -> ChildDetails:
    """The form's answers as the children service takes them."""
    return {
        "first_name": validated(form.first_name.data),
        "birth_date": validated(form.birth_date.data),
    }


def _child_page(
    family_id: str,
    family: Family,
    form: ChildForm,
    save: Callable[[ChildDetails], object],
    done: str,
    heading: str,
) -> Page:
    """Adding and changing a child: the same form, its answers given to ``save``."""
    return form_page(
        family_id,
        family,
        form,
        lambda: save(_child_details(form)),
        done,
        heading=heading,
        fields=[form.first_name, form.birth_date],
    )


@bp.route("/familier/<family_id>/boern/ny", methods=["GET", "POST"])
@staff_only
def child_new(family_id: str) -> Page:
    family = open_family(family_id, "add child", to_change=True)
    return _child_page(
        family_id,
        family,
        ChildForm(),
        lambda details: children.add_child(
            db.session(), current_user, family, **details
        ),
        _("The child has been added."),
        _("Add a child"),
    )


@bp.route("/familier/<family_id>/boern/<child_id>", methods=["GET", "POST"])
@staff_only
def child_edit(family_id: str, child_id: str) -> Page:
    family = open_family(family_id, "change child", to_change=True)
    child = _child(family, child_id)
    return _child_page(
        family_id,
        family,
        ChildForm(obj=child),
        lambda details: children.update_child(
            db.session(), current_user, family, child, **details
        ),
        _("The child's details have been saved."),
        _("Change a child's details"),
    )


@bp.route("/familier/<family_id>/boern/<child_id>/fjern", methods=["GET", "POST"])
@staff_only
def child_remove(family_id: str, child_id: str) -> Page:
    family = open_family(family_id, "remove child", to_change=True)
    child = _child(family, child_id)
    return _remove_page(
        family_id,
        family,
        child.first_name,
        lambda reason: children.remove_child(
            db.session(), current_user, family, child, reason=reason
        ),
        _("%(name)s is no longer in the family.", name=child.first_name),
    )


def _remove_page(
    family_id: str,
    family: Family,
    name: str,
    remove: Callable[[str], object],
    done: str,
) -> Page:
    """Removing a child or a member: ``remove`` gets the reason, which the family's
    history keeps."""
    form = RemoveForm()
    return form_page(
        family_id,
        family,
        form,
        lambda: remove(validated(form.reason.data)),
        done,
        heading=_("Remove %(name)s from the family", name=name),
        fields=[form.reason],
    )


def _member_form(family: Family, member: User | None = None) -> MemberForm:
    form = MemberForm(obj=member)
    if member is not None and not form.is_submitted():
        form.email.data = member.contact_email
        held = [c.public_id for c in family.children if member in c.custody_holders]
        form.custody.data = held
    if member is not None and member.child_id is not None:
        del form.custody  # a young person holds no custody
    else:
        form.custody.choices = [
            (child.public_id, child.first_name) for child in _current_children(family)
        ]
    return form


def _member_fields(form: MemberForm) -> list[Field]:
    fields: list[Field] = [form.name, form.email, form.phone]
    return [*fields, form.custody] if "custody" in form else fields


class MemberDetails(TypedDict):
    name: str
    email: str
    phone: str
    custody_of: list[Child]


def _member_details(family: Family, form: MemberForm) -> MemberDetails:
    """The form's answers as the members service takes them."""
    chosen = set(form.custody.data or []) if "custody" in form else set()
    return {
        "name": validated(form.name.data),
        "email": form.email.data or "",
        "phone": form.phone.data or "",
        "custody_of": [c for c in _current_children(family) if c.public_id in chosen],
    }


def _member_page(
    family_id: str,
    family: Family,
    member: User | None,
    save: Callable[[MemberDetails], object],
    done: str,
    heading: str,
) -> Page:
    """Adding an adult and changing a member: the same form (without custody for
    a young person), its answers given to ``save``."""
    form = _member_form(family, member)
    return form_page(
        family_id,
        family,
        form,
        lambda: save(_member_details(family, form)),
        done,
        heading=heading,
        fields=_member_fields(form),
    )


@bp.route("/familier/<family_id>/voksne/ny", methods=["GET", "POST"])
@staff_only
def adult_new(family_id: str) -> Page:
    family = open_family(family_id, "add adult", to_change=True)
    return _member_page(
        family_id,
        family,
        None,
        lambda details: members.add_adult(
            db.session(), current_user, family, **details
        ),
        _("The adult has been added."),
        _("Add an adult"),
    )


@bp.route("/familier/<family_id>/medlemmer/<member_id>", methods=["GET", "POST"])
@staff_only
def member_edit(family_id: str, member_id: str) -> Page:
    family = open_family(family_id, "change member", to_change=True)
    member = _member(family, member_id)
    return _member_page(
        family_id,
        family,
        member,
        lambda details: members.update_member(
            db.session(), current_user, family, member, **details
        ),
        _("The member's details have been saved."),
        _("Change a member's details"),
    )


@bp.route("/familier/<family_id>/medlemmer/<member_id>/fjern", methods=["GET", "POST"])
@staff_only
def member_remove(family_id: str, member_id: str) -> Page:
    family = open_family(family_id, "remove member", to_change=True)
    member = _member(family, member_id)
    return _remove_page(
        family_id,
        family,
        member.name,
        lambda reason: members.remove_member(
            db.session(), current_user, family, member, reason=reason
        ),
        _("%(name)s is no longer a member and cannot log in.", name=member.name),
    )


@bp.route("/familier/<family_id>/unge/ny", methods=["GET", "POST"])
@staff_only
def young_person_new(family_id: str) -> Page:
    family = open_family(family_id, "add young person", to_change=True)
    form = YoungPersonForm()
    current = _current_children(family)
    form.child.choices = [(child.public_id, child.first_name) for child in current]
    chosen = next((c for c in current if c.public_id == form.child.data), None)
    return form_page(
        family_id,
        family,
        form,
        lambda: members.add_young_person(
            db.session(),
            current_user,
            family,
            _child(family, validated(form.child.data)),
            email=form.email.data or "",
            phone=form.phone.data or "",
        ),
        _("%(name)s is now a member.", name=chosen.first_name if chosen else ""),
        heading=_("A young person becomes a member"),
        intro=_(
            "A child can become a member from the age of %(age)s.",
            age=members.YOUNG_PERSON_AGE,
        ),
        fields=[form.child, form.email, form.phone],
    )
