"""The counsellor's booking settings page (session length, buffer, horizon, notice,
languages), on the calendar's blueprint beside the availability screens."""

from __future__ import annotations

from dataclasses import asdict

from flask import flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.availability.errors import AvailabilityError
from portal.availability.models import LANGUAGES
from portal.availability.settings import SettingsChange, settings_for
from portal.availability.settings_forms import SettingsForm
from portal.calendar import bp, web
from portal.calendar.messages import error_message
from portal.calendar.settings_changes import change_settings
from portal.forms import add_error, validated


@bp.route("/kalender/tilgaengelighed/indstillinger", methods=["GET", "POST"])
@web.staff_only
def settings() -> ResponseReturnValue:
    owner = web.counsellor()
    data = None
    if request.method == "GET":
        data = asdict(SettingsChange.current(settings_for(db.session(), owner.id)))
    form = SettingsForm(data=data)
    if form.validate_on_submit():
        change = SettingsChange(
            session_minutes=validated(form.session_minutes.data),
            home_visit_buffer_minutes=validated(form.home_visit_buffer_minutes.data),
            horizon_weeks=validated(form.horizon_weeks.data),
            minimum_notice_hours=validated(form.minimum_notice_hours.data),
            languages=tuple(
                c for c in validated(form.languages.data) if c in LANGUAGES
            ),
        )
        try:
            with db.commit_or_rollback():
                change_settings(db.session(), owner.id, change)
        except AvailabilityError as error:
            add_error(getattr(form, error.field or ""), error_message(error.code))
        else:
            flash(_("The settings are saved."), "success")
            return web.to_availability()
    return render_template("availability/settings.html", form=form, owner=owner), (
        400 if form.errors else 200
    )
