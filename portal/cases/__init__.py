"""A known family's case, open to the family itself: goals and their progress,
notes with every version and the family's responses, interventions, who has
seen the family's data, and the family's own download of it all.

It sits above ``families`` (whose access rule it uses) and below ``calendar``."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("cases", __name__)


@bp.record_once
def _erase_with_the_family(state: BlueprintSetupState) -> None:
    """The purge that erases a family erases its case too."""
    from portal.cases.erasure import erase_case
    from portal.families.erasure import ERASERS

    state.app.extensions.setdefault(ERASERS, []).append(erase_case)


@bp.record_once
def _tell_what_is_new(state: BlueprintSetupState) -> None:
    """The family's page lists what is new in their case."""
    from portal.cases.news_sources import SOURCES
    from portal.families.news import register_news_source

    for source in SOURCES:
        register_news_source(state.app, source)


from portal.cases import (  # noqa: E402, F401  (routes)
    access_log_views,
    corrections_views,
    export_views,
    goals_family_views,
    goals_staff_views,
    goals_web,
    interventions_types_views,
    interventions_views,
    leader_reason_views,
    notes_family_views,
    notes_views,
    overview_views,
)
