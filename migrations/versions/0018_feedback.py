"""session_ratings: a family's rating of a held session, one per session

Revision ID: 0018_feedback
Revises: 0017_consent
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.crypto
import portal.db

revision = "0018_feedback"
down_revision = "0017_consent"
branch_labels = None
depends_on = None

ITEMS = ("heard", "focus", "method", "overall")


def upgrade() -> None:
    op.create_table(
        "session_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        *(sa.Column(item, sa.Integer(), nullable=False) for item in ITEMS),
        sa.Column("comment", portal.crypto.EncryptedText(), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        *(
            sa.CheckConstraint(
                f"{item} BETWEEN 0 AND 10", name=op.f(f"ck_session_ratings_{item}_range")
            )
            for item in ITEMS
        ),
        sa.ForeignKeyConstraint(
            ["counsellor_id"],
            ["users.id"],
            name=op.f("fk_session_ratings_counsellor_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["counselling_sessions.id"],
            name=op.f("fk_session_ratings_session_id_counselling_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_session_ratings_topic_id_topics"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_ratings")),
        sa.UniqueConstraint("session_id", name=op.f("uq_session_ratings_session_id")),
    )
    with op.batch_alter_table("session_ratings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_session_ratings_counsellor_created",
            ["counsellor_id", "created_at"],
            unique=False,
        )
        batch_op.create_index("ix_session_ratings_month", ["month"], unique=False)


def downgrade() -> None:
    op.drop_table("session_ratings")
