"""families: a case-folded copy of the display name, which the family list searches

Revision ID: 0012_records
Revises: 0011_famsessions
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_records"
down_revision = "0011_famsessions"
branch_labels = None
depends_on = None

families = sa.table(
    "families",
    sa.column("id", sa.Integer()),
    sa.column("display_name", sa.String()),
    sa.column("search_name", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "search_name", sa.String(length=120), nullable=False, server_default=""
            )
        )
    # Python's casefold, as the model does: SQL's lower() misses Æ, Ø and Å.
    connection = op.get_bind()
    rows = connection.execute(sa.select(families.c.id, families.c.display_name))
    for family_id, name in rows.all():
        connection.execute(
            families.update()
            .where(families.c.id == family_id)
            .values(search_name=name.casefold())
        )
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.alter_column("search_name", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.drop_column("search_name")
