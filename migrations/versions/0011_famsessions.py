"""family sessions: where a session takes place, as the counsellor wrote it

A family session at the centre (or anywhere that is not the family's home) keeps
a short place text the family sees on their page. A home visit's address stays
in the encrypted ``address`` column.

Revision ID: 0011_famsessions
Revises: 0010_families
Create Date: 2026-12-01 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_famsessions"
down_revision = "0010_families"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counselling_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("counselling_sessions", schema=None) as batch_op:
        batch_op.drop_column("location")
