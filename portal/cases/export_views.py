"""The family's "Hent jeres data": a page with two downloads, the JSON file
(``export.build``) and a view to print. Both are the member's own action and
are written to the audit log; both go through ``access.family_for_member``."""

from __future__ import annotations

import json

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import audit, db
from portal.accounts.models import Role
from portal.cases import bp, export, export_printed
from portal.db import utcnow
from portal.families import access
from portal.families.models import Family
from portal.security import mark_no_store, roles_required
from portal.web_files import download


def _exported(what: str) -> Family:
    """The member's family, with the download written to the audit log."""
    mark_no_store()
    family = access.family_for_member(current_user)
    audit.record(
        db.session(),
        actor=current_user,
        action=audit.AuditAction.EXPORT,
        object_type="family",
        object_id=family.public_id,
        family=family,
        reason=what,
    )
    return family


@bp.get("/familie/data")
@roles_required(Role.FAMILY)
def export_page() -> ResponseReturnValue:
    mark_no_store()
    access.family_for_member(current_user)
    return render_template("cases/export.html")


@bp.get("/familie/data.json")
@roles_required(Role.FAMILY)
def export_json() -> ResponseReturnValue:
    family = _exported("json")
    data = export.build(db.session(), family, utcnow())
    db.session().commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return download(body, "vores-data.json", "application/json")


@bp.get("/familie/data/udskrift")
@roles_required(Role.FAMILY)
def export_print() -> ResponseReturnValue:
    family = _exported("print")
    data = export.build(db.session(), family, utcnow())
    db.session().commit()
    return render_template(
        "cases/export_print.html",
        data=data,
        sections=export.SECTIONS.values(),
        labels=export.FIELD_LABELS,
        printed=export_printed.printed,
        shown=export_printed.shown,
    )
