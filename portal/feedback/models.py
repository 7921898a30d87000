"""A family's rating of one held session.

The database keeps the rules that matter:

* **One rating per session**: a unique key on ``session_ratings.session_id``, so
  two tabs or two quick submits store one rating; the second ends in an
  IntegrityError that the service turns into "already rated".
* **Scores 0 to 10**: a CHECK on each of the four items.

A rating is linked to the session, never to a person: an anonymous course stays
anonymous, and a known family's rating does not say which member gave it. The
statistics' dimensions (month, mode, topic, counsellor) are copied at rating
time, so the leader's page reads one table and a deleted course changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.crypto import EncryptedText
from portal.db import Base, utcnow

#: The four items, in the order the form asks them.
ITEMS = ("heard", "focus", "method", "overall")
MIN_SCORE = 0
MAX_SCORE = 10
MAX_COMMENT = 1000


def score_range(column: str) -> CheckConstraint:
    return CheckConstraint(
        f"{column} BETWEEN {MIN_SCORE} AND {MAX_SCORE}", name=f"{column}_range"
    )


class SessionRating(Base):
    """How a family found one session: four 0-10 items and optional words."""

    __tablename__ = "session_ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("counselling_sessions.id", ondelete="CASCADE"), unique=True
    )
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    anonymous: Mapped[bool] = mapped_column()
    mode: Mapped[str] = mapped_column(String(10))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL")
    )
    # The session's month in Copenhagen, "2026-03": grouped alike on every database.
    month: Mapped[str] = mapped_column(String(7))
    heard: Mapped[int] = mapped_column()
    focus: Mapped[int] = mapped_column()
    method: Mapped[int] = mapped_column()
    overall: Mapped[int] = mapped_column()
    # Plain text, tags stripped by bleach; encrypted at rest like all free text.
    comment: Mapped[str] = mapped_column(EncryptedText(), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        *(score_range(item) for item in ITEMS),
        Index("ix_session_ratings_counsellor_created", "counsellor_id", "created_at"),
        Index("ix_session_ratings_month", "month"),
    )

    def scores(self) -> dict[str, int]:
        return {item: getattr(self, item) for item in ITEMS}

    def lowest(self) -> int:
        return min(self.scores().values())
