"""TOTP codes for staff: enrolment (a new secret, its QR code as inline SVG, the
secret saved only once a code proves the app has it) and which time step a code
belongs to, with ±1 step of clock drift and no step used twice.
"""

from __future__ import annotations

import pyotp
import segno
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.db import utcnow

TOTP_ISSUER = "Familieportalen"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str, title: str) -> str:
    """The enrolment QR code as inline SVG: no request leaves the page."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, title=title, dark="#000", light="#fff"
    )


def matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (±1 step of clock drift), unless used."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def confirm_totp_enrolment(
    db_session: Session, user: User, secret: str, code: str
) -> bool:
    """Save ``secret`` for ``user`` only if ``code`` proves the app has it."""
    step = matching_step(secret, code, None)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_last_step = step
    db_session.flush()
    return True
