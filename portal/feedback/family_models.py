"""What a known family tells us beyond a session's rating: how things are going
(four 0-10 items, at most once per session) and whether an intervention made a
difference when it ended.

The database keeps the rules that matter:

* **At most one answer per session** (``wellbeing_answers.session_id`` unique)
  and **one per intervention** (``intervention_reviews.intervention_id``
  unique): two tabs or a double click store one.
* **Scores 0 to 10**: a CHECK on each.

The intervention's type is copied at answer time, so the leader's statistics
read one table; the words are encrypted at rest like all free text.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from portal.crypto import EncryptedText
from portal.db import Base, utcnow
from portal.feedback.models import score_range

#: How things are going: own wellbeing; the family; school, work or friends;
#: overall. In the order the form asks them.
WELLBEING_ITEMS = ("own", "together", "daily", "overall")


class WellbeingAnswer(Base):
    """How things were going for a family at one held session."""

    __tablename__ = "wellbeing_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("counselling_sessions.id", ondelete="CASCADE"), unique=True
    )
    # The session's day in Copenhagen: where the answer sits on the trend.
    answered_for: Mapped[date] = mapped_column()
    own: Mapped[int] = mapped_column()
    together: Mapped[int] = mapped_column()
    daily: Mapped[int] = mapped_column()
    overall: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = tuple(score_range(item) for item in WELLBEING_ITEMS)

    def scores(self) -> dict[str, int]:
        return {item: getattr(self, item) for item in WELLBEING_ITEMS}


class InterventionReview(Base):
    """The family's word on an intervention that ended: did it make a
    difference in our life (0-10), what helped, what should change."""

    __tablename__ = "intervention_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("interventions.id", ondelete="CASCADE"), unique=True
    )
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    type_id: Mapped[int] = mapped_column(
        ForeignKey("intervention_types.id"), index=True
    )
    difference: Mapped[int] = mapped_column()
    helped: Mapped[str] = mapped_column(EncryptedText(), default="")
    change: Mapped[str] = mapped_column(EncryptedText(), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (score_range("difference"),)
