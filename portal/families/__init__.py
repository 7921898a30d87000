"""Known families: their records (children, members, custody), the counsellors
assigned to them, invitations, and the family's own pages."""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("families", __name__)


@bp.record_once
def _ask_before_members_log_in(state: BlueprintSetupState) -> None:
    """Every log-in (password or MitID) asks whether a member may still read."""
    from portal.accounts.services import LOG_IN_CHECKS
    from portal.families.access import may_log_in

    state.app.extensions.setdefault(LOG_IN_CHECKS, []).append(may_log_in)


from portal.families import (  # noqa: E402, F401  (routes)
    views_assignment,
    views_family,
    views_invitation,
    views_invitation_link,
    views_mitid,
    views_people,
    views_staff,
)
