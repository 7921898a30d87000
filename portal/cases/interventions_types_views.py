"""The leader's list of intervention types, ``/indsatstyper``: add, rename,
retire and take back into use. Counsellors and families get 403."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.cases import bp, interventions_types
from portal.cases.goals_messages import error_message
from portal.cases.interventions_forms import TypeForm
from portal.cases.interventions_models import InterventionType
from portal.families.records import RecordError
from portal.families.web import Page, leader_only, show
from portal.forms import EmptyForm, add_error, validated


def _to_list() -> WerkzeugResponse:
    return redirect(url_for("cases.intervention_types"))


def _type(type_id: str) -> InterventionType:
    kind = db.session().scalar(
        select(InterventionType).where(InterventionType.public_id == type_id)
    )
    if kind is None:
        abort(404)
    return kind


def _named(form: TypeForm, change: Callable[[str], object], done: str) -> bool:
    """Save a name from ``form``; False (with the reason on the form) if refused."""
    if not form.validate_on_submit():
        return False
    try:
        with db.commit_or_rollback():
            change(validated(form.name.data))
    except RecordError as error:
        add_error(form.name, error_message(error.code))
        return False
    flash(done, "success")
    return True


@bp.route("/indsatstyper", methods=["GET", "POST"])
@leader_only
def intervention_types() -> Page:
    form = TypeForm()
    if _named(
        form,
        lambda name: interventions_types.add_type(db.session(), name),
        _("The type has been added."),
    ):
        return _to_list()
    return show(
        "cases/intervention_types.html",
        form,
        types=interventions_types.all_types(db.session()),
    )


@bp.route("/indsatstyper/<type_id>", methods=["GET", "POST"])
@leader_only
def intervention_type_rename(type_id: str) -> Page:
    kind = _type(type_id)
    form = TypeForm(obj=kind)
    if _named(
        form,
        lambda name: interventions_types.rename_type(db.session(), kind, name),
        _("The type has been renamed."),
    ):
        return _to_list()
    return show("cases/intervention_type_form.html", form, kind=kind)


def _use(
    type_id: str, change: Callable[[Session, InterventionType], None], done: str
) -> WerkzeugResponse:
    kind = _type(type_id)
    if EmptyForm().validate_on_submit():
        with db.commit_or_rollback():
            change(db.session(), kind)
        flash(done, "success")
    return _to_list()


@bp.post("/indsatstyper/<type_id>/udfas")
@leader_only
def intervention_type_retire(type_id: str) -> WerkzeugResponse:
    return _use(
        type_id, interventions_types.retire_type, _("The type has been retired.")
    )


@bp.post("/indsatstyper/<type_id>/genoptag")
@leader_only
def intervention_type_restore(type_id: str) -> WerkzeugResponse:
    return _use(
        type_id, interventions_types.restore_type, _("The type is in use again.")
    )
