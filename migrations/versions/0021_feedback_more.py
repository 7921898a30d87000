"""wellbeing_answers and intervention_reviews: how things are going per session,
and a family's word on an intervention that ended

Revision ID: 0021_feedback_more
Revises: 0019_meeting
Create Date: 2026-12-02 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.crypto
import portal.db

revision = "0021_feedback_more"
down_revision = "0019_meeting"
branch_labels = None
depends_on = None

WELLBEING_ITEMS = ("own", "together", "daily", "overall")


def _range(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{column} BETWEEN 0 AND 10", name=op.f(f"ck_{table}_{column}_range")
    )


def upgrade() -> None:
    op.create_table(
        "wellbeing_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("answered_for", sa.Date(), nullable=False),
        *(sa.Column(item, sa.Integer(), nullable=False) for item in WELLBEING_ITEMS),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        *(_range("wellbeing_answers", item) for item in WELLBEING_ITEMS),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_wellbeing_answers_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["counselling_sessions.id"],
            name=op.f("fk_wellbeing_answers_session_id_counselling_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wellbeing_answers")),
        sa.UniqueConstraint("session_id", name=op.f("uq_wellbeing_answers_session_id")),
    )
    with op.batch_alter_table("wellbeing_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wellbeing_answers_family_id"), ["family_id"], unique=False
        )
    op.create_table(
        "intervention_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intervention_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("difference", sa.Integer(), nullable=False),
        sa.Column("helped", portal.crypto.EncryptedText(), nullable=False),
        sa.Column("change", portal.crypto.EncryptedText(), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        _range("intervention_reviews", "difference"),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_intervention_reviews_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["interventions.id"],
            name=op.f("fk_intervention_reviews_intervention_id_interventions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["intervention_types.id"],
            name=op.f("fk_intervention_reviews_type_id_intervention_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention_reviews")),
        sa.UniqueConstraint(
            "intervention_id", name=op.f("uq_intervention_reviews_intervention_id")
        ),
    )
    with op.batch_alter_table("intervention_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intervention_reviews_family_id"), ["family_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_intervention_reviews_type_id"), ["type_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("intervention_reviews")
    op.drop_table("wellbeing_answers")
