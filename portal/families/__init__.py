"""Known families: their records (children, members, custody), the counsellors
assigned to them, invitations, and the family's own pages."""

from flask import Blueprint

bp = Blueprint("families", __name__)

from portal.families import (  # noqa: E402, F401  (routes)
    views_assignment,
    views_family,
    views_invitation,
    views_mitid,
    views_people,
    views_staff,
)
