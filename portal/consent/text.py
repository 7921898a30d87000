"""The words a family agrees to: built from the request as it reads at the
moment of the grant, stored with the grant with its SHA-256, so a later change
of the leader's lists cannot change what was agreed, and the family can print
exactly that."""

from __future__ import annotations

import hashlib

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.consent.models import ConsentRequest
from portal.i18n import format_date


def consent_text(request: ConsentRequest) -> str:
    """The request in plain Danish, one line a point (always Danish: it is the
    record of what was agreed, whatever language the page was read in)."""
    information = [item.name for item in request.information]
    if request.information_detail:
        information.append(request.information_detail)
    recipient = request.recipient.name
    if request.recipient_detail:
        recipient = f"{recipient} ({request.recipient_detail})"
    with force_locale("da"):
        lines = [
            _(
                "We may share information about %(child)s.",
                child=request.child.first_name,
            ),
            _("With: %(recipient)s.", recipient=recipient),
            _("What: %(information)s.", information=", ".join(information)),
            _("Why: %(purpose)s", purpose=request.purpose),
            _(
                "From %(start)s to %(end)s.",
                start=format_date(request.starts_on),
                end=format_date(request.ends_on),
            ),
            _("You can take back your yes at any time."),
        ]
    return "\n".join(lines)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
