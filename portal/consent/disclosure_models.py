"""What a counsellor actually shared (videregivelse), on a consent or on a
statutory basis: the database refuses a disclosure without its basis
(``ck_consent_disclosures_basis``) and, like every consent row, any UPDATE of it
(``guards``)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.consent.models import ConsentRequest, ListItem, item_links
from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow

if TYPE_CHECKING:
    from portal.accounts.models import User


class Basis(enum.StrEnum):
    CONSENT = "consent"
    STATUTE = "statute"


class Channel(enum.StrEnum):
    PHONE = "phone"
    LETTER = "letter"
    MEETING = "meeting"
    SECURE_EMAIL = "secure_email"


disclosure_information = item_links(
    "consent_disclosure_information", "disclosure_id", "consent_disclosures.id"
)


class Disclosure(PublicIdMixin, Base):
    """One actual sharing (videregivelse): on a consent, or on a statutory basis
    from the leader's list with a written justification."""

    __tablename__ = "consent_disclosures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    basis: Mapped[Basis] = mapped_column(String(10))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent_requests.id", ondelete="CASCADE"), index=True
    )
    statute_id: Mapped[int | None] = mapped_column(ForeignKey("consent_list_items.id"))
    justification: Mapped[str | None] = mapped_column(EncryptedText())
    recipient_id: Mapped[int] = mapped_column(ForeignKey("consent_list_items.id"))
    what: Mapped[str] = mapped_column(EncryptedText())
    shared_on: Mapped[date] = mapped_column()
    channel: Mapped[Channel] = mapped_column(String(14))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[ConsentRequest | None] = relationship()
    statute: Mapped[ListItem | None] = relationship(foreign_keys=[statute_id])
    recipient: Mapped[ListItem] = relationship(foreign_keys=[recipient_id])
    information: Mapped[list[ListItem]] = relationship(
        secondary=disclosure_information, order_by=ListItem.name
    )
    recorded_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(basis = 'consent' AND request_id IS NOT NULL AND statute_id IS NULL)"
            " OR (basis = 'statute' AND request_id IS NULL AND statute_id IS NOT "
            "NULL AND justification IS NOT NULL)",
            name="basis",
        ),
    )
