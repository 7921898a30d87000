"""Consent (samtykke): the leader's lists, a counsellor's request to a family,
and the append-only events that say what became of it (each disclosure is in
``disclosure_models``).

Invariants the database keeps:

* a request, the people asked, its events and disclosures are never changed
  once written: triggers refuse every UPDATE of them (``guards``); only the
  purge of a whole family deletes them;
* a request's period ends on or after the day it starts
  (``ck_consent_requests_period``);
* a grant carries the text the person saw and its SHA-256
  (``ck_consent_events_grant_text``); a disclosure on a statutory basis names
  the basis and a justification, one based on consent names the consent
  (``ck_consent_disclosures_basis``);
* a person decides a request once (``uq_consent_events_one_decision``).

The state of a request is never stored: ``state.derive_state`` reads it from
the events, the one place the rule lives.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import EncryptedText
from portal.db import Base, PublicIdMixin, utcnow
from portal.families.models import Child, Family

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.consent.disclosure_models import Disclosure


class ListKind(enum.StrEnum):
    RECIPIENT = "recipient"
    INFORMATION = "information"
    STATUTE = "statute"


class ListItem(PublicIdMixin, Base):
    """One entry of a list the leader keeps: a recipient (organisation and
    role), a category of information, or a statutory basis for sharing without
    consent. Never deleted, only retired, so old requests keep their words."""

    __tablename__ = "consent_list_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[ListKind] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "name", name="one_name"),)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


def item_links(name: str, column: str, target: str) -> Table:
    """A link table between rows of ``target`` and entries of the leader's
    lists (the categories of information a request or a disclosure names)."""
    return Table(
        name,
        Base.metadata,
        Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True),
        Column("item_id", ForeignKey("consent_list_items.id"), primary_key=True),
    )


request_information = item_links(
    "consent_request_information", "request_id", "consent_requests.id"
)


class ConsentRequest(PublicIdMixin, Base):
    """What a counsellor asks the family to agree to: who receives which
    information about which child, why, and for how long."""

    __tablename__ = "consent_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("consent_list_items.id"))
    recipient_detail: Mapped[str] = mapped_column(EncryptedText(), default="")
    information_detail: Mapped[str] = mapped_column(EncryptedText(), default="")
    purpose: Mapped[str] = mapped_column(EncryptedText())
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    family: Mapped[Family] = relationship()
    child: Mapped[Child] = relationship()
    recipient: Mapped[ListItem] = relationship()
    information: Mapped[list[ListItem]] = relationship(
        secondary=request_information, order_by=ListItem.name
    )
    askees: Mapped[list[Askee]] = relationship(order_by="Askee.id")
    events: Mapped[list[ConsentEvent]] = relationship(
        order_by="ConsentEvent.id", viewonly=True
    )

    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period"),)


class Askee(Base):
    """A person who must answer a request: a custody holder of the child, or the
    young person aged 15 or more. Fixed when the request is made."""

    __tablename__ = "consent_askees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("consent_requests.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    as_young_person: Mapped[bool] = mapped_column(default=False)

    member: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("request_id", "member_id", name="once"),)


class EventKind(enum.StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    DISCLOSURE = "disclosure"


#: The kinds that are a person's answer: one each per person and request.
DECISIONS = (EventKind.GRANTED, EventKind.DECLINED)


class ConsentEvent(PublicIdMixin, Base):
    """One thing that happened to a request, by whom, when, and for a family
    member's act how they logged in. Never changed."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("consent_requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: "mitid" or "password" for a family member's act; empty for staff.
    login_method: Mapped[str] = mapped_column(String(10), default="")
    assurance: Mapped[str] = mapped_column(String(80), default="")
    comment: Mapped[str | None] = mapped_column(EncryptedText())
    consent_text: Mapped[str | None] = mapped_column(EncryptedText())
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    disclosure_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent_disclosures.id", ondelete="CASCADE")
    )

    actor: Mapped[User | None] = relationship()
    disclosure: Mapped[Disclosure | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "kind <> 'granted' OR (consent_text IS NOT NULL "
            "AND text_sha256 IS NOT NULL)",
            name="grant_text",
        ),
        Index(
            "uq_consent_events_one_decision",
            "request_id",
            "actor_id",
            unique=True,
            sqlite_where=text("kind IN ('granted', 'declined')"),
            postgresql_where=text("kind IN ('granted', 'declined')"),
        ),
    )
