"""Invitations, the staff side: the counsellor sends, re-sends and revokes them on
the family's page (the member opens the link in ``views_invitation_link``)."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal import db
from portal.accounts.models import Role, User
from portal.db import utcnow
from portal.families import access, bp, invitations
from portal.families.models import Family, Invitation
from portal.security import roles_required

#: The family's staff page (its view is in the records module).
FAMILY_PAGE = "/familier/{family_id}"


def _family_and_member(family_id: str, member_id: str) -> tuple[Family, User]:
    """The family the counsellor may open, and a current member of it; else 404."""
    family = access.family_for_staff(
        db.session(), current_user, family_id, what="invitation"
    )
    return family, _member_of(family, member_id)


def _member_of(family: Family, member_id: str) -> User:
    """A current member of ``family``, loaded through it; else 404."""
    member = db.session().scalar(
        select(User).where(
            User.family_id == family.id,
            User.public_id == member_id,
            User.role == Role.FAMILY,
            User.removed_at.is_(None),
        )
    )
    if member is None:
        abort(404)
    return member


@bp.app_template_global()
def member_invitation_state(
    member: User, invitation: Invitation | None
) -> invitations.MemberState:
    return invitations.member_state(member, utcnow(), invitation)


@bp.post("/familier/<family_id>/medlemmer/<member_id>/invitation")
@roles_required(Role.COUNSELLOR)
def send_invitation(family_id: str, member_id: str) -> WerkzeugResponse:
    family, member = _family_and_member(family_id, member_id)
    try:
        with db.commit_or_rollback() as db_session:
            invitations.send(db_session, member, by=current_user, now=utcnow())
    except invitations.NoEmail:
        flash(
            _("Add the member's e-mail first: the invitation is sent there."), "error"
        )
    else:
        flash(_("The invitation is sent. The link works for 7 days."), "success")
    return redirect(FAMILY_PAGE.format(family_id=family.public_id))


@bp.post("/familier/<family_id>/medlemmer/<member_id>/invitation/tilbagekald")
@roles_required(Role.COUNSELLOR)
def revoke_invitation(family_id: str, member_id: str) -> WerkzeugResponse:
    family, member = _family_and_member(family_id, member_id)
    with db.commit_or_rollback() as db_session:
        invitations.revoke(db_session, member, by=current_user, now=utcnow())
    flash(_("The invitation is revoked. The link no longer works."), "success")
    return redirect(FAMILY_PAGE.format(family_id=family.public_id))
