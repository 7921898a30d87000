"""The page that asks a leader why they open a family (``families.web`` sends
them here), then goes on to the page they asked for."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import db
from portal.cases import bp
from portal.cases.leader_reason import LeaderReasonForm, give_reason
from portal.families import access, web
from portal.forms import validated
from portal.security import mark_no_store


def _next_page(family_id: str) -> str:
    """Where to go on: a page of this family only (never another site)."""
    page = url_for("families.family_page", family_id=family_id)
    wanted = request.args.get("next", "")
    if wanted == page or wanted.startswith((page + "/", page + "?")):
        if "\\" not in wanted and "//" not in wanted:
            return wanted
    return page


@bp.route("/familier/<family_id>/begrundelse", methods=["GET", "POST"])
@web.staff_only
def leader_reason(family_id: str) -> ResponseReturnValue:
    mark_no_store()
    family = access.visible_family(db.session(), current_user, family_id)
    if family is None:
        abort(404)
    if not access.needs_reason(current_user):
        return redirect(_next_page(family_id))
    form = LeaderReasonForm()
    if form.validate_on_submit():
        with db.commit_or_rollback() as db_session:
            event = give_reason(
                db_session, current_user, family, validated(form.reason.data)
            )
            web.hold_reason(event)
        return redirect(_next_page(family_id))
    page = render_template(
        "cases/leader_reason.html",
        form=form,
        family=family,
        minutes=web.REASON_MINUTES,
    )
    return page, 400 if form.errors else 200
