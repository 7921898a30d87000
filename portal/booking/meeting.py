"""Where and how we meet, per way of talking: the one plain sentence a parent reads
on the review page, the confirmation, Min booking, the printout and the reminder,
and the data a mode needs (a phone talk where we call: the number to call).

The municipality configures each sentence per language (``MEETING_TEXTS``, e.g.
``MEETING_TEXT_CENTRE_DA`` in the environment); without one, a translated default
that uses the municipality's address and phone number. Nothing here says who the
parent is: the reminder e-mail carries the same sentence.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.availability.models import Mode
from portal.booking.contact_checks import validate_phone
from portal.booking.errors import InvalidBooking


def we_call() -> bool:
    """True: for a phone talk we call the parent (a number is needed); False: the
    parent calls us on the municipality's number."""
    return bool(current_app.config["MEETING_WE_CALL"])


def needs_call_phone(mode: str) -> bool:
    return mode == Mode.PHONE and we_call()


def _default(mode: str) -> str:
    config = current_app.config
    address = config["MUNICIPALITY_ADDRESS"]
    phone = config["MUNICIPALITY_PHONE"].replace(" ", "\u00a0")
    texts: dict[str, str] = {
        Mode.CENTRE: _(
            "We meet at the family centre, %(address)s. Ring the bell at the door.",
            address=address,
        ),
        Mode.HOME: _("We visit you at the address you gave us."),
        Mode.VIDEO: _(
            "We put the link to the video talk in My booking before the talk."
        ),
    }
    if mode == Mode.PHONE:
        if we_call():
            return str(
                _("We call you at the time of the talk on the number you gave us.")
            )
        return str(_("You call us at the time of the talk on %(phone)s.", phone=phone))
    return str(texts.get(mode, ""))


def meeting_text(mode: str, locale: str) -> str:
    """Where and how we meet for ``mode``, in ``locale``: the municipality's own
    sentence when it configured one for that language, else ours."""
    configured: dict[str, dict[str, str]] = current_app.config["MEETING_TEXTS"]
    own = configured.get(str(mode), {}).get(locale, "").strip()
    if own:
        return own
    with force_locale(locale):
        return _default(str(mode))


def check_call_phone(mode: str, number: str | None) -> str | None:
    """The number we call for a phone talk (+45XXXXXXXX), else None. The one rule
    for every booking path (the parent's, Min booking's next talk, a counsellor's
    booking on someone's behalf, a move): a phone talk where we call
    (``needs_call_phone``) needs a valid number. Raises InvalidBooking
    ``call_phone_required`` or ``invalid_phone`` at the field ``call_phone``."""
    if not needs_call_phone(mode):
        return None
    if not (number or "").strip():
        raise InvalidBooking("call_phone_required", field="call_phone")
    try:
        return validate_phone(number or "")
    except InvalidBooking:
        raise InvalidBooking("invalid_phone", field="call_phone") from None
