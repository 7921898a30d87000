"""session revision and change time, for calendar feeds' SEQUENCE and LAST-MODIFIED

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 18:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counselling_sessions") as batch_op:
        batch_op.add_column(
            sa.Column("revision", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "changed_at", portal.db.UTCDateTime(timezone=True), nullable=True
            )
        )
    # Sessions cancelled before this migration were sent with SEQUENCE 1.
    op.execute(
        "UPDATE counselling_sessions SET revision = 1, changed_at = cancelled_at "
        "WHERE status = 'cancelled'"
    )


def downgrade() -> None:
    with op.batch_alter_table("counselling_sessions") as batch_op:
        batch_op.drop_column("changed_at")
        batch_op.drop_column("revision")
