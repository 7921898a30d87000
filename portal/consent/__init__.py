"""Consent before sharing (samtykke): a counsellor asks, every custody holder
(and the young person of 15 or more) answers, any of them withdraws with one
action, and each disclosure proves its legal basis. The history is
append-only; the state is derived from it (``state.derive_state``).

It sits above ``families`` (whose access rule it uses) and below ``cases``
(whose overview and export show it)."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("consent", __name__)


@bp.record_once
def _erase_with_the_family(state: BlueprintSetupState) -> None:
    """The purge that erases a family erases its consents too."""
    from portal.consent.erasure import erase_consents
    from portal.families.erasure import ERASERS

    state.app.extensions.setdefault(ERASERS, []).append(erase_consents)


@bp.record_once
def _tell_what_is_new(state: BlueprintSetupState) -> None:
    """The family's page lists new consent requests and disclosures."""
    from portal.consent.news import consent_news
    from portal.families.news import register_news_source

    register_news_source(state.app, consent_news)


from portal.consent import (  # noqa: E402, F401  (routes)
    views_family,
    views_leader,
    views_staff,
)
