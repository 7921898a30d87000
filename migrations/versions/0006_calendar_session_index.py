"""an index on counselling sessions by counsellor and start, for calendar views

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 18:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_counselling_sessions_counsellor_starts_at",
        "counselling_sessions",
        ["counsellor_id", "starts_at"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_counselling_sessions_counsellor_starts_at",
        table_name="counselling_sessions",
    )
