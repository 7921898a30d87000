"""counselling_sessions: the number we call for a phone talk (encrypted, erased
after the talk like a home visit's address)

Revision ID: 0019_meeting
Revises: 0018_feedback
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.crypto

revision = "0019_meeting"
down_revision = "0018_feedback"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counselling_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("call_phone", portal.crypto.EncryptedText(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("counselling_sessions", schema=None) as batch_op:
        batch_op.drop_column("call_phone")
