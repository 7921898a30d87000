"""booking safety: busy ranges kept apart on PostgreSQL, free text encrypted, holds
counted per client

* ``counselling_sessions.busy_until`` (end plus a home visit's travel buffer) and,
  on PostgreSQL, an exclusion constraint so that no two sessions of one counsellor
  overlap (``btree_gist``, installed in ``public``). Buffers of existing sessions
  are cut back where the next session already starts earlier, so the constraint
  can be added to any calendar the application's lock produced.
* ``anonymous_courses.topic_text`` and ``counselling_sessions.working_note`` are
  encrypted with FIELD_ENCRYPTION_KEYS, existing rows included.
* ``slot_holds.client_key``: the client's daily keyed rate-limit hash (never an
  address), to count its active holds.

Revision ID: 0009_booking_safety
Revises: 0008_account_security
Create Date: 2026-12-01 04:00:00
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

import portal.db
from portal import crypto
from portal.booking.models import CREATE_BTREE_GIST, CREATE_NO_OVERLAP, NO_OVERLAP

revision = "0009_booking_safety"
down_revision = "0008_account_security"
branch_labels = None
depends_on = None

_ENCRYPTED = (
    ("anonymous_courses", "topic_text"),
    ("counselling_sessions", "working_note"),
)


def upgrade() -> None:
    with op.batch_alter_table("counselling_sessions") as batch_op:
        batch_op.add_column(
            sa.Column("busy_until", portal.db.UTCDateTime(timezone=True), nullable=True)
        )
    _fill_busy_until()
    with op.batch_alter_table("counselling_sessions") as batch_op:
        batch_op.alter_column(
            "busy_until",
            existing_type=portal.db.UTCDateTime(timezone=True),
            nullable=False,
        )
        batch_op.create_check_constraint("busy_after_end", "ends_at <= busy_until")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE_BTREE_GIST)
        op.execute(CREATE_NO_OVERLAP)

    with op.batch_alter_table("anonymous_courses") as batch_op:
        batch_op.alter_column(
            "topic_text", existing_type=sa.String(length=500), type_=sa.Text()
        )
    ring = _keyring()
    _rewrite_free_text(lambda value: ring.encrypt(value.encode()).decode())

    with op.batch_alter_table("slot_holds") as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=32)))
        batch_op.create_index(
            batch_op.f("ix_slot_holds_client_key"), ["client_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("slot_holds") as batch_op:
        batch_op.drop_index(batch_op.f("ix_slot_holds_client_key"))
        batch_op.drop_column("client_key")

    ring = _keyring()
    _rewrite_free_text(lambda value: ring.decrypt(value.encode()).decode())
    with op.batch_alter_table("anonymous_courses") as batch_op:
        batch_op.alter_column(
            "topic_text", existing_type=sa.Text(), type_=sa.String(length=500)
        )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE counselling_sessions DROP CONSTRAINT {NO_OVERLAP}")
    with op.batch_alter_table("counselling_sessions") as batch_op:
        batch_op.drop_constraint("busy_after_end", "check")
        batch_op.drop_column("busy_until")


def _fill_busy_until() -> None:
    """End plus the counsellor's current buffer for home visits, cut back to the
    start of the next active session of the same counsellor."""
    bind = op.get_bind()
    sessions = sa.table(
        "counselling_sessions",
        sa.column("id", sa.Integer),
        sa.column("counsellor_id", sa.Integer),
        sa.column("starts_at", portal.db.UTCDateTime(timezone=True)),
        sa.column("ends_at", portal.db.UTCDateTime(timezone=True)),
        sa.column("busy_until", portal.db.UTCDateTime(timezone=True)),
        sa.column("mode", sa.String),
        sa.column("status", sa.String),
    )
    settings = sa.table(
        "counsellor_settings",
        sa.column("counsellor_id", sa.Integer),
        sa.column("home_visit_buffer_minutes", sa.Integer),
    )
    buffers = dict(
        bind.execute(
            sa.select(settings.c.counsellor_id, settings.c.home_visit_buffer_minutes)
        ).all()
    )
    rows = bind.execute(
        sa.select(
            sessions.c.id,
            sessions.c.counsellor_id,
            sessions.c.starts_at,
            sessions.c.ends_at,
            sessions.c.mode,
            sessions.c.status,
        ).order_by(sessions.c.counsellor_id, sessions.c.starts_at)
    ).all()
    active = [row for row in rows if row.status != "cancelled"]
    next_start = {
        row.id: later.starts_at
        for row, later in zip(active, active[1:], strict=False)
        if later.counsellor_id == row.counsellor_id
    }
    for row in rows:
        busy = row.ends_at
        if row.mode == "home":
            busy += timedelta(minutes=buffers.get(row.counsellor_id) or 0)
        if row.id in next_start:
            busy = max(row.ends_at, min(busy, next_start[row.id]))
        bind.execute(
            sessions.update().where(sessions.c.id == row.id).values(busy_until=busy)
        )


def _rewrite_free_text(transform) -> None:
    bind = op.get_bind()
    for table_name, column in _ENCRYPTED:
        table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column))
        for row_id, value in bind.execute(sa.select(table.c.id, table.c[column])):
            if value is not None:
                bind.execute(
                    table.update()
                    .where(table.c.id == row_id)
                    .values({column: transform(value)})
                )


def _keyring():
    """FIELD_ENCRYPTION_KEYS from the app's configuration: ``flask db upgrade``
    runs inside the app, plain ``alembic`` builds one."""
    if has_app_context():
        return crypto.keyring(current_app.config["FIELD_ENCRYPTION_KEYS"])
    from portal import create_app

    return crypto.keyring(create_app().config["FIELD_ENCRYPTION_KEYS"])
