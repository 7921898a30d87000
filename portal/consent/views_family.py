"""The family's consent page, ``/familie/samtykke``: questions waiting for
your answer, consents in force, those that have ended, with a yes or no (and
a comment), taking back a yes on the same page, the timeline, every
disclosure with its basis, and the agreed words to print. The family is the
member's own and a consent only one of theirs (else 404); who may answer is
the service's rule (``decisions``)."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask import request as http
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role
from portal.consent import bp, decisions, queries
from portal.consent.disclosure_models import (
    Disclosure,
)
from portal.consent.forms import AnswerForm
from portal.consent.messages import error_message
from portal.consent.models import (
    EventKind,
)
from portal.consent.queries import (
    ConsentView,
    consent_of,
    family_disclosures,
)
from portal.consent.state import ConsentState
from portal.db import utcnow
from portal.families.access import family_for_member
from portal.families.models import Family
from portal.families.records import RecordError
from portal.families.web import Page, show
from portal.forms import EmptyForm
from portal.login_sessions import how_logged_in
from portal.security import mark_no_store, roles_required

family_only = roles_required(Role.FAMILY)


def _views() -> list[ConsentView]:
    """The consents of the member's family that the member may see."""
    mark_no_store()
    views = queries.family_consents(
        db.session(), family_for_member(current_user), utcnow()
    )
    return [view for view in views if view.visible_to(current_user)]


def _disclosures_seen(family: Family, views: list[ConsentView]) -> list[Disclosure]:
    """What was shared under a consent the member may see, and what was shared
    without consent (the family's, not one child's): a consent the member may not
    see stays hidden in its disclosures too."""
    seen = {view.request.id for view in views}
    return [
        disclosure
        for disclosure in family_disclosures(db.session(), family)
        if disclosure.request_id is None or disclosure.request_id in seen
    ]


def _to_page() -> WerkzeugResponse:
    return redirect(url_for("consent.family_consents"))


@bp.get("/familie/samtykke")
@family_only
def family_consents() -> Page:
    views = _views()
    family = family_for_member(current_user)
    return show(
        "consent/family.html",
        family=family,
        waiting=[v for v in views if v.waits_for(current_user)],
        others=[
            v
            for v in views
            if v.state == ConsentState.PENDING and not v.waits_for(current_user)
        ],
        active=[v for v in views if v.state == ConsentState.ACTIVE],
        ended=[
            v
            for v in views
            if v.state not in (ConsentState.PENDING, ConsentState.ACTIVE)
        ],
        disclosures=_disclosures_seen(family, views),
        answer_form=AnswerForm(),
        button_form=EmptyForm(),
    )


def _own(consent_id: str) -> ConsentView:
    """One of the member's own family's consents, else 404."""
    view = consent_of(_views(), consent_id)
    if view is None:
        abort(404)
    return view


def _act(
    view: ConsentView, form_ok: bool, act: Callable[[ConsentView], object], done: str
) -> WerkzeugResponse:
    if form_ok:
        try:
            with db.commit_or_rollback():
                act(view)
        except RecordError as error:
            flash(error_message(error.code), "error")
        else:
            flash(done, "success")
    return _to_page()


@bp.post("/familie/samtykke/<consent_id>/svar")
@family_only
def family_answer(consent_id: str) -> WerkzeugResponse:
    view = _own(consent_id)
    form = AnswerForm()
    grant = http.form.get("answer") == "yes"
    valid = form.validate_on_submit()
    if valid and http.form.get("answer") not in ("yes", "no"):
        abort(400)
    if form.comment.errors:
        # The page shows the question again; say why nothing was saved.
        flash(error_message("comment_too_long"), "error")
    return _act(
        view,
        valid,
        lambda view: decisions.decide(
            db.session(),
            current_user,
            view.request,
            grant=grant,
            comment=form.comment.data or "",
            how=how_logged_in(),
            now=utcnow(),
        ),
        _("Thank you. We have your answer.")
        if grant
        else _("Thank you. We have your no."),
    )


@bp.post("/familie/samtykke/<consent_id>/tilbagekald")
@family_only
def family_withdraw(consent_id: str) -> WerkzeugResponse:
    return _act(
        _own(consent_id),
        EmptyForm().validate_on_submit(),
        lambda view: decisions.withdraw(
            db.session(), current_user, view.request, how_logged_in(), utcnow()
        ),
        _("Your yes is taken back. We will not share any more."),
    )


@bp.get("/familie/samtykke/<consent_id>/udskriv")
@family_only
def family_print(consent_id: str) -> Page:
    view = _own(consent_id)
    grants = [e for e in view.events if e.kind == EventKind.GRANTED]
    return show("consent/print.html", view=view, grants=grants)
