"""The family's own page, ``/familie``: their sessions, their counsellor, what is
new since the last visit, and which e-mails they want. Every view goes
through ``access.family_for_member`` (404 for a removed member or after the read
period)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role
from portal.availability.models import Mode
from portal.booking.models import CounsellingSession
from portal.db import utcnow
from portal.families import access, bp, news, sessions
from portal.families.forms import EmailChoicesForm
from portal.families.models import Family
from portal.security import mark_no_store, roles_required


def place_sentence(session: CounsellingSession) -> str:
    """Where the talk is, in one plain sentence for the family."""
    sentence: str
    if session.mode == Mode.HOME:
        sentence = (
            _("We visit you at %(address)s.", address=session.address)
            if session.address
            else _("We visit you at home.")
        )
    elif session.mode == Mode.PHONE:
        sentence = _("We call you.")
    elif session.mode == Mode.VIDEO:
        sentence = _("We meet on video.")
    elif session.location:
        sentence = _("We meet here: %(place)s.", place=session.location)
    else:
        sentence = _("We meet at the family centre.")
    return sentence


@bp.app_template_global()
def family_session_overview(family: Family) -> sessions.SessionOverview:
    """The family's coming and past sessions, for the staff page's partial
    (``families/_staff_sessions.html``); the caller has checked access."""
    return sessions.overview(sessions.family_sessions(db.session(), family), utcnow())


@bp.get("/familie")
@roles_required(Role.FAMILY)
def family_home() -> ResponseReturnValue:
    mark_no_store()
    family = access.family_for_member(current_user)
    found = sessions.family_sessions(db.session(), family)
    return render_template(
        "families/family_home.html",
        family=family,
        members=sessions.active_members(family),
        overview=sessions.overview(found, utcnow()),
        news=sessions.news_since(found, current_user.previous_login_at),
        case_news=news.case_news(db.session(), family, current_user.previous_login_at),
        counsellor=sessions.primary_counsellor(db.session(), family),
        place_sentence=place_sentence,
        phone=current_app.config["MUNICIPALITY_PHONE"],
        email_form=EmailChoicesForm(
            data={
                "wants_reminders": current_user.wants_reminders,
                "wants_news": current_user.wants_news,
            }
        ),
    )


@bp.post("/familie/paamindelser")
@roles_required(Role.FAMILY)
def reminders() -> WerkzeugResponse:
    """The member's own choice of e-mails: reminders the day before, and news
    (both need an e-mail address)."""
    access.family_for_member(current_user)
    form = EmailChoicesForm()
    if form.validate_on_submit() and current_user.contact_email:
        with db.commit_or_rollback():
            current_user.wants_reminders = bool(form.wants_reminders.data)
            current_user.wants_news = bool(form.wants_news.data)
        flash(_("Your choice is saved."), "success")
    return redirect(url_for("families.family_home"))
