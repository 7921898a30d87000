"""The counsellor's own ratings (``/vurderinger``): every rating of a session they
held, newest first, the low ones marked. Not for leaders: they see aggregates."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal import db
from portal.accounts.models import Role
from portal.feedback import bp
from portal.feedback.counsellor import low_score, own_ratings
from portal.security import mark_no_store, roles_required


@bp.get("/vurderinger")
@roles_required(Role.COUNSELLOR)
def counsellor_ratings() -> str:
    mark_no_store()
    return render_template(
        "feedback/counsellor.html",
        rated=own_ratings(db.session(), current_user),
        threshold=low_score(),
    )
