"""Feedback-informed practice: families rate their sessions, counsellors see the
answers at once, and leaders see aggregates that cannot point at a family."""

from flask import Blueprint
from flask.sansio.blueprints import BlueprintSetupState

bp = Blueprint("feedback", __name__)

#: Any item below this score marks a rating as low (``FEEDBACK_LOW_SCORE``).
DEFAULT_LOW_SCORE = 6


@bp.record_once
def _set_up(state: BlueprintSetupState) -> None:
    from portal.cases.overview_sources import register_attention_source
    from portal.feedback.counsellor import overview_attention

    state.app.config.setdefault("FEEDBACK_LOW_SCORE", DEFAULT_LOW_SCORE)
    register_attention_source(state.app, overview_attention)


from portal.feedback import (  # noqa: E402,F401  (registers routes)
    counsellor_views,
    family_views,
    hooks,
    stats_views,
    views,
)
