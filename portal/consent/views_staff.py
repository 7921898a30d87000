"""The counsellor's consent pages under ``/familier/<family_id>/samtykke``:
the family's consents with their states, a new request, one consent with its
timeline, cancel and a disclosure on it, and a disclosure on a statutory
basis. Assigned counsellors change; a leader reads (audited, with a reason)."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

# SelectChoice is new in WTForms 3.3; types-WTForms (3.2) does not know it yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from portal import db
from portal.consent import bp, disclosures, requests
from portal.consent.disclosure_models import (
    Channel,
)
from portal.consent.forms import DisclosureForm, RequestForm, StatutoryDisclosureForm
from portal.consent.models import (
    ConsentRequest,
    ListKind,
)
from portal.consent.queries import consent_of, family_consents, family_disclosures
from portal.consent.web import family_request, offer, save
from portal.db import utcnow
from portal.families.models import Family
from portal.families.web import Page, open_family, show, staff_only
from portal.forms import EmptyForm, validated
from portal.timeutil import local_today


def _to_list(family: Family) -> WerkzeugResponse:
    return redirect(url_for("consent.consents_staff", family_id=family.public_id))


@bp.get("/familier/<family_id>/samtykke")
@staff_only
def consents_staff(family_id: str) -> Page:
    family = open_family(family_id, "consents")
    return show(
        "consent/staff_list.html",
        family=family,
        views=family_consents(db.session(), family, utcnow()),
        disclosures=family_disclosures(db.session(), family),
    )


@bp.get("/familier/<family_id>/samtykke/<consent_id>")
@staff_only
def consent_staff(family_id: str, consent_id: str) -> Page:
    family = open_family(family_id, "consent")
    view = consent_of(family_consents(db.session(), family, utcnow()), consent_id)
    if view is None:
        family_request(family, consent_id)  # 404
    return show(
        "consent/staff_consent.html", family=family, view=view, button_form=EmptyForm()
    )


@bp.route("/familier/<family_id>/samtykke/ny", methods=["GET", "POST"])
@staff_only
def consent_new(family_id: str) -> Page:
    family = open_family(family_id, "consent: new", to_change=True)
    today = local_today()
    form = RequestForm(
        data={"starts_on": today, "ends_on": requests.last_day_allowed(today)}
    )
    children = {c.public_id: c for c in family.children if not c.is_removed}
    form.child.choices = [SelectChoice(k, c.first_name) for k, c in children.items()]
    recipients = offer(form.recipient, ListKind.RECIPIENT)
    information = offer(form.information, ListKind.INFORMATION)

    def ask() -> None:
        requests.create_request(
            db.session(),
            current_user,
            family,
            requests.RequestText(
                child=children[validated(form.child.data)],
                recipient=recipients[validated(form.recipient.data)],
                information=[information[k] for k in form.information.data or []],
                recipient_detail=form.recipient_detail.data or "",
                information_detail=form.information_detail.data or "",
                purpose=validated(form.purpose.data),
                starts_on=validated(form.starts_on.data),
                ends_on=validated(form.ends_on.data),
            ),
            utcnow(),
        )

    return save(
        form,
        ask,
        _("The family is asked."),
        lambda: _to_list(family),
        lambda what: open_family(family_id, what, to_change=True),
        "consent/staff_form.html",
        family=family,
        heading=_("Ask for consent"),
    )


@bp.post("/familier/<family_id>/samtykke/<consent_id>/aflys")
@staff_only
def consent_cancel(family_id: str, consent_id: str) -> Page:
    family = open_family(family_id, "consent: cancel", to_change=True)
    request = family_request(family, consent_id)
    return save(
        EmptyForm(),
        lambda: requests.cancel_request(
            db.session(), current_user, family, request, utcnow()
        ),
        _("The request is cancelled."),
        lambda: _to_list(family),
        lambda what: open_family(family_id, what, to_change=True),
        "consent/staff_consent.html",
        family=family,
        view=consent_of(family_consents(db.session(), family, utcnow()), consent_id),
        button_form=EmptyForm(),
    )


def _disclosure_page(
    family_id: str, family: Family, consent: ConsentRequest | None
) -> Page:
    form = (
        DisclosureForm(data={"shared_on": local_today()})
        if consent
        else StatutoryDisclosureForm(data={"shared_on": local_today()})
    )
    recipients = offer(form.recipient, ListKind.RECIPIENT)
    information = offer(form.information, ListKind.INFORMATION)
    statutes = (
        offer(form.statute, ListKind.STATUTE)
        if isinstance(form, StatutoryDisclosureForm)
        else {}
    )

    def record() -> None:
        statute = None
        justification = ""
        if isinstance(form, StatutoryDisclosureForm):
            statute = statutes[validated(form.statute.data)]
            justification = form.justification.data or ""
        disclosures.record_disclosure(
            db.session(),
            current_user,
            family,
            disclosures.DisclosureText(
                recipient=recipients[validated(form.recipient.data)],
                information=[information[k] for k in form.information.data or []],
                what=validated(form.what.data),
                shared_on=validated(form.shared_on.data),
                channel=Channel(validated(form.channel.data)),
                consent=consent,
                statute=statute,
                justification=justification,
            ),
            utcnow(),
        )

    return save(
        form,
        record,
        _("The disclosure is recorded."),
        lambda: _to_list(family),
        lambda what: open_family(family_id, what, to_change=True),
        "consent/staff_disclosure.html",
        family=family,
        consent=consent,
    )


@bp.route(
    "/familier/<family_id>/samtykke/<consent_id>/videregivelse",
    methods=["GET", "POST"],
)
@staff_only
def consent_disclose(family_id: str, consent_id: str) -> Page:
    family = open_family(family_id, "disclosure: new", to_change=True)
    return _disclosure_page(family_id, family, family_request(family, consent_id))


@bp.route("/familier/<family_id>/videregivelser/ny", methods=["GET", "POST"])
@staff_only
def statutory_disclose(family_id: str) -> Page:
    family = open_family(family_id, "disclosure: statutory", to_change=True)
    return _disclosure_page(family_id, family, None)
