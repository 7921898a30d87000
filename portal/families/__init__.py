"""Known families: their records (children, members, custody), the counsellors
assigned to them, invitations, and the family's own pages."""

from flask import Blueprint

bp = Blueprint("families", __name__)

from portal.families import views_family  # noqa: E402, F401
