"""The family's "Hent jeres data": a page with two downloads, the JSON file
(``export.build``) and a view to print. Both are the member's own action and
are written to the audit log; both go through ``access.family_for_member``."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from flask import Response, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit, db
from portal.accounts.models import Role
from portal.cases import bp, export
from portal.db import utcnow
from portal.families import access
from portal.families.models import Family
from portal.i18n import format_date, format_datetime
from portal.security import mark_no_store, roles_required

#: Keys the printed view leaves out: codes for machines, not for a parent.
NOT_PRINTED = frozenset({"id", "action", "object_type"})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*[+-]\d{2}:\d{2}\Z")


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


def shown(value: Any) -> str:
    """A JSON value as a parent reads it: times and dates in words, yes/no."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return format_datetime(datetime.fromisoformat(value))
    if isinstance(value, str) and ISO_DATE.match(value):
        return format_date(date.fromisoformat(value))
    return str(value)


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
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="vores-data.json"'},
    )


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
        not_printed=NOT_PRINTED,
        shown=shown,
    )
