"""The booking's print page: the code, its QR code, the time, where and how we
meet, and the address where the code is used. Plain HTML, no script needed.

The code is shown again only as the confirmation shows it: to the browser whose
draft made the booking, within CODE_REPLAY_WINDOW (``replay.replayed_booking``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.booking import bp, draft, replay
from portal.booking.errors import HoldExpired
from portal.booking.notify import my_booking_url
from portal.booking.qr import booking_qr_svg
from portal.i18n import mode_label


@bp.get("/anonym-raadgivning/udskriv")
def print_booking() -> ResponseReturnValue:
    answers = draft.load()
    try:
        booking = replay.replayed_booking(db.session(), answers.get("idempotency_key"))
    except HoldExpired:
        booking = None
    if booking is None or booking.code is None or not answers.get("confirmed"):
        flash(_("Type your booking code to see your booking."), "info")
        return redirect(url_for("booking.my_booking"))
    return render_template(
        "booking/print.html",
        booking=booking,
        code=booking.code,
        qr_svg=booking_qr_svg(booking.code),
        mode=booking.session.mode,
        mode_name=mode_label(booking.session.mode),
        address=my_booking_url(),
    )
