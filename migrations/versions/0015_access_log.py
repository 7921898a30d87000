"""audit log: the reason a member of staff gave for opening a family

Revision ID: 0015_access_log
Revises: 0014_notes
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_access_log"
down_revision = "0014_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: on SQLite batch mode copies the table
    # and would drop the triggers that keep the log append-only.
    op.add_column(
        "audit_event", sa.Column("stated_reason", sa.String(length=500), nullable=True)
    )


def downgrade() -> None:
    # SQLite has dropped columns in place since 3.35, triggers kept.
    op.drop_column("audit_event", "stated_reason")
