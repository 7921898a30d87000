"""The feed's pages: the settings page that makes and revokes the address, and the
``.ics`` feed itself. A revoked or unknown token answers 404, and the token never
reaches a log line (``portal.log_redaction``)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal import db, log_redaction
from portal.accounts.models import Role
from portal.calendar import bp, ical, web
from portal.calendar.feed import active_feed, create_feed, revoke_feed
from portal.calendar.feed_lookup import feed_for_token, feed_sessions
from portal.db import utcnow
from portal.forms import EmptyForm
from portal.security import limiter, public_url, roles_required

NEW_ADDRESS = "calendar_feed_new"
#: The new address is shown on the next page only, and not after this long.
NEW_ADDRESS_LIFETIME = timedelta(minutes=10)
#: Calendar clients poll every few minutes to hours; far more is an attack.
FEED_LIMIT = "60 per minute;600 per hour"

counsellor_only = roles_required(Role.COUNSELLOR)


@bp.get("/kalender/feed")
@counsellor_only
def feed_settings() -> ResponseReturnValue:
    feed = active_feed(db.session(), current_user)
    new = web.load_state(NEW_ADDRESS, NEW_ADDRESS_LIFETIME)
    web.clear_state(NEW_ADDRESS)
    address = None
    if new and feed is not None and new.get("feed") == feed.public_id:
        address = public_url("calendar.feed_ics", token=new["token"])
    return render_template(
        "calendar/feed.html", feed=feed, address=address, form=EmptyForm()
    )


@bp.post("/kalender/feed/ny")
@counsellor_only
def feed_create() -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        feed, token = create_feed(db.session(), current_user)
        db.session().commit()
    except IntegrityError:
        db.session().rollback()
        flash(_("The address was just made in another window. Try again."), "error")
        return redirect(url_for("calendar.feed_settings"))
    # Kept encrypted in the session until the next page shows it, then forgotten.
    web.save_state(NEW_ADDRESS, {"feed": feed.public_id, "token": token})
    return redirect(url_for("calendar.feed_settings"))


@bp.post("/kalender/feed/<public_id>/tilbagekald")
@counsellor_only
def feed_revoke(public_id: str) -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        revoke_feed(db.session(), current_user, public_id)
    except LookupError:
        db.session().rollback()
        abort(404)
    db.session().commit()
    web.clear_state(NEW_ADDRESS)
    flash(
        _("The address is closed. Calendars that use it get nothing more."), "success"
    )
    return redirect(url_for("calendar.feed_settings"))


@bp.get("/kalender/feed/<token>.ics")
@limiter.limit(FEED_LIMIT)
def feed_ics(token: str) -> Response:
    feed = feed_for_token(db.session(), token)
    if feed is None:
        abort(404)
    now = utcnow()
    sessions = feed_sessions(db.session(), feed.counsellor_id, now)
    host = urlsplit(current_app.config["PORTAL_BASE_URL"]).hostname or "familieportalen"
    # Staff words in Danish: a calendar client says nothing useful about language.
    with force_locale("da"):
        body = ical.build_feed(
            sessions,
            name=_("Familieportalen: talks"),
            uid=f"feed-{feed.public_id}@{host}",
            host=host,
            now=now,
        )
    feed.last_used_at = now
    db.session().commit()
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = 'inline; filename="familieportalen.ics"'
    return response


@bp.record_once
def _keep_tokens_out_of_logs(state: BlueprintSetupState) -> None:
    log_redaction.redact_feed_tokens(state.app)
