"""TOTP failures per account, temporary passwords, no TRUNCATE of the audit log

Revision ID: 0008_account_security
Revises: 0007
Create Date: 2026-12-01 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db
from portal.audit import POSTGRESQL_TRUNCATE_TRIGGER

revision = "0008_account_security"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("totp_failures", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "password_expires_at",
                portal.db.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_TRUNCATE_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("password_expires_at")
        batch_op.drop_column("totp_failures")
