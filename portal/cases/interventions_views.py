"""Interventions: the staff's list of a family's interventions with a new one
and a change (assigned counsellors; a leader reads only), and the family's own
list, ``/familie/indsatser``, each intervention with its goals."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from portal import db
from portal.cases import bp, interventions
from portal.cases.goals_family_views import family_only
from portal.cases.goals_models import Goal
from portal.cases.goals_web import family_row, save_or_show
from portal.cases.interventions_forms import InterventionForm
from portal.cases.interventions_models import (
    Intervention,
    InterventionStatus,
    InterventionType,
)
from portal.families.access import family_for_member
from portal.families.models import Family
from portal.families.web import Page, open_family, show, staff_only
from portal.forms import validated
from portal.security import mark_no_store


@bp.get("/familier/<family_id>/indsatser")
@staff_only
def interventions_staff(family_id: str) -> Page:
    family = open_family(family_id, "interventions")
    return show(
        "cases/interventions_staff.html",
        family=family,
        interventions=_listed(family),
    )


@bp.get("/familie/indsatser")
@family_only
def family_interventions() -> Page:
    mark_no_store()
    family = family_for_member(current_user)
    return show(
        "cases/interventions_family.html",
        family=family,
        interventions=_listed(family),
    )


def _listed(family: Family) -> list[Intervention]:
    return list(db.session().scalars(interventions.family_interventions(family)))


def _choices(
    form: InterventionForm, family: Family, row: Intervention | None
) -> tuple[dict[str, InterventionType], dict[str, Goal]]:
    """The types offered (those in use, and the row's own) and the family's goals."""
    kinds = {
        kind.public_id: kind
        for kind in db.session().scalars(
            select(InterventionType).order_by(InterventionType.name)
        )
        if not kind.is_retired or (row is not None and kind.id == row.type_id)
    }
    goals = {
        goal.public_id: goal
        for goal in db.session().scalars(
            select(Goal).where(Goal.family_id == family.id).order_by(Goal.id)
        )
    }
    form.type.choices = [SelectChoice(key, kind.name) for key, kind in kinds.items()]
    form.goals.choices = [SelectChoice(key, goal.title) for key, goal in goals.items()]
    return kinds, goals


def _page(family_id: str, family: Family, row: Intervention | None) -> Page:
    form = InterventionForm(obj=row)
    if row is not None and not form.is_submitted():
        form.type.data = row.type.public_id
        form.goals.data = [goal.public_id for goal in row.goals]
    kinds, goals = _choices(form, family, row)

    def save() -> None:
        text = interventions.InterventionText(
            type=kinds[validated(form.type.data)],
            provider=validated(form.provider.data),
            description=validated(form.description.data),
            starts_on=validated(form.starts_on.data),
            ends_on=form.ends_on.data,
            status=InterventionStatus(form.status.data),
            goals=[goals[key] for key in form.goals.data or []],
        )
        if row is None:
            interventions.create_intervention(db.session(), current_user, family, text)
        else:
            interventions.update_intervention(
                db.session(), current_user, family, row, text
            )

    return save_or_show(
        form,
        save,
        _("The intervention has been saved."),
        lambda: _to_list(family),
        lambda what: open_family(family_id, what),
        "cases/intervention_form.html",
        family=family,
        heading=_("New intervention") if row is None else _("Change the intervention"),
    )


def _to_list(family: Family) -> WerkzeugResponse:
    return redirect(url_for("cases.interventions_staff", family_id=family.public_id))


@bp.route("/familier/<family_id>/indsatser/ny", methods=["GET", "POST"])
@staff_only
def intervention_new(family_id: str) -> Page:
    family = open_family(family_id, "intervention: new", to_change=True)
    return _page(family_id, family, None)


@bp.route("/familier/<family_id>/indsatser/<intervention_id>", methods=["GET", "POST"])
@staff_only
def intervention_edit(family_id: str, intervention_id: str) -> Page:
    family = open_family(family_id, "intervention: change", to_change=True)
    return _page(family_id, family, family_row(Intervention, family, intervention_id))
