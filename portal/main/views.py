from __future__ import annotations

from flask import jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role
from portal.main import bp
from portal.security import roles_required


@bp.get("/")
def index() -> str:
    return render_template("main/index.html")


@bp.get("/privatliv")
def privacy() -> str:
    return render_template("main/privacy.html")


@bp.get("/tilgaengelighed")
def accessibility() -> str:
    return render_template("main/accessibility.html")


@bp.get("/was")
def accessibility_short() -> WerkzeugResponse:
    """The short address Danish public sites use for the accessibility statement."""
    return redirect(url_for("main.accessibility"), code=301)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """For load balancers: says whether the database answers, and nothing else."""
    try:
        db.session().execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return jsonify(status="error"), 503
    return jsonify(status="ok")


@bp.get("/medarbejder")
@roles_required(Role.COUNSELLOR, Role.LEADER)
def staff_home() -> str:
    return render_template("main/staff_home.html")
