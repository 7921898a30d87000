"""The booking code as a QR code whose link carries the code only after ``#``.

Browsers never send the part after ``#`` to a server, so scanning the code opens
Min booking without the code appearing in any request or log; a small script on
the page moves it into the form.
"""

from __future__ import annotations

import segno

from portal.security import public_url


def booking_qr_svg(formatted_code: str) -> str:
    link = public_url("booking.my_booking") + "#" + formatted_code
    return segno.make(link, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", omitsize=False
    )
