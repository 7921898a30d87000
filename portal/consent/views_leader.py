"""The leader's consent pages: the three lists (``/samtykkelister``: add,
retire, take back into use) and the disclosures made without consent
(``/leder/videregivelser``), flagged for review; each family on that page is
an audited reading of its data. Counsellors and families get 403."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import audit, db
from portal.consent import bp, lists
from portal.consent.forms import ItemForm
from portal.consent.messages import error_message
from portal.consent.models import ListItem, ListKind
from portal.consent.queries import statutory_disclosures
from portal.families.models import Family
from portal.families.records import RecordError
from portal.families.web import Page, leader_only, show
from portal.forms import EmptyForm, add_error, validated


def _to_lists() -> WerkzeugResponse:
    return redirect(url_for("consent.consent_lists"))


@bp.route("/samtykkelister", methods=["GET", "POST"])
@leader_only
def consent_lists() -> Page:
    form = ItemForm()
    if form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                lists.add_item(
                    db.session(),
                    ListKind(validated(form.kind.data)),
                    validated(form.name.data),
                )
        except RecordError as error:
            add_error(form.name, error_message(error.code))
        else:
            flash(_("Added to the list."), "success")
            return _to_lists()
    return show(
        "consent/lists.html",
        form,
        lists={kind: lists.items(db.session(), kind) for kind in ListKind},
        button_form=EmptyForm(),
    )


def _item(item_id: str) -> ListItem:
    item = db.session().scalar(select(ListItem).where(ListItem.public_id == item_id))
    if item is None:
        abort(404)
    return item


@bp.post("/samtykkelister/<item_id>/udfas")
@leader_only
def consent_item_retire(item_id: str) -> WerkzeugResponse:
    item = _item(item_id)
    if EmptyForm().validate_on_submit():
        with db.commit_or_rollback():
            lists.retire_item(db.session(), item)
        flash(_("Retired. It is not offered for anything new."), "success")
    return _to_lists()


@bp.post("/samtykkelister/<item_id>/genoptag")
@leader_only
def consent_item_restore(item_id: str) -> WerkzeugResponse:
    item = _item(item_id)
    if EmptyForm().validate_on_submit():
        with db.commit_or_rollback():
            lists.restore_item(db.session(), item)
        flash(_("In use again."), "success")
    return _to_lists()


@bp.get("/leder/videregivelser")
@leader_only
def statutory_overview() -> Page:
    rows = statutory_disclosures(db.session())
    families = {
        family.id: family
        for family in db.session().scalars(
            select(Family).where(Family.id.in_({row.family_id for row in rows}))
        )
    }
    for family in families.values():
        audit.record(
            db.session(),
            actor=current_user,
            action=audit.AuditAction.VIEW,
            object_type="family",
            object_id=family.public_id,
            family=family,
            reason="disclosures without consent",
        )
    return show("consent/statutory.html", rows=rows, families=families)
