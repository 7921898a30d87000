"""The counsellor's start page (``/oversigt``): their families and what asks for
attention. The calendar is one click away, in the navigation and on the page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal import db
from portal.accounts.models import Role
from portal.cases import bp
from portal.cases.notes_forms import KIND_LABELS
from portal.cases.overview import counsellor_overview
from portal.db import utcnow
from portal.security import mark_no_store, roles_required


@bp.get("/oversigt")
@roles_required(Role.COUNSELLOR)
def overview() -> str:
    mark_no_store()
    return render_template(
        "cases/overview.html",
        families=counsellor_overview(db.session(), current_user, utcnow()),
        kinds=KIND_LABELS,
    )
