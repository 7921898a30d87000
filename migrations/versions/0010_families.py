"""known families: children, custody, assigned counsellors, invitations, family
sessions with their participants, and the user columns family members need

Family members are users with the family role. Their e-mail address moves out of
the plain ``users.email`` (staff only from now on, a CHECK says so) into the
encrypted ``contact_email``; they are found by keyed hashes (``login_key``,
``mitid_subject``). No family members exist in production before this revision,
so there is nothing to move; ``seed-demo`` rewrites the demo members.

Revision ID: 0010_families
Revises: 0009_booking_safety
Create Date: 2026-12-01 07:05:20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.crypto
import portal.db


revision = "0010_families"
down_revision = "0009_booking_safety"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("first_name", portal.crypto.EncryptedText(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("removed_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_reason", portal.crypto.EncryptedText(), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_children_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
        sa.UniqueConstraint("public_id", name=op.f("uq_children_public_id")),
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_children_family_id"), ["family_id"], unique=False
        )

    op.create_table(
        "custody",
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_custody_child_id_children"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["users.id"],
            name=op.f("fk_custody_member_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("child_id", "member_id", name=op.f("pk_custody")),
    )
    with op.batch_alter_table("custody", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custody_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "family_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("assigned_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["users.id"],
            name=op.f("fk_family_assignments_assigned_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["counsellor_id"],
            ["users.id"],
            name=op.f("fk_family_assignments_counsellor_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_family_assignments_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_assignments")),
    )
    with op.batch_alter_table("family_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_family_assignments_counsellor_id"),
            ["counsellor_id"],
            unique=False,
        )
        batch_op.create_index(
            "uq_family_assignments_family_counsellor",
            ["family_id", "counsellor_id"],
            unique=True,
        )
        batch_op.create_index(
            "uq_family_assignments_one_primary",
            ["family_id"],
            unique=True,
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_invitations_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["users.id"],
            name=op.f("fk_invitations_member_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("public_id", name=op.f("uq_invitations_public_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitations_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "session_participants",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["users.id"],
            name=op.f("fk_session_participants_member_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["counselling_sessions.id"],
            name=op.f("fk_session_participants_session_id_counselling_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "session_id", "member_id", name=op.f("pk_session_participants")
        ),
    )
    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_participants_member_id"), ["member_id"], unique=False
        )

    with op.batch_alter_table("counselling_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_counselling_sessions_family_id"), ["family_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_counselling_sessions_family_id_families"),
            "families",
            ["family_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_check_constraint(
            "course_or_family", "course_id IS NULL OR family_id IS NULL"
        )

    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status", sa.String(length=10), nullable=False, server_default="open"
            )
        )
        batch_op.add_column(
            sa.Column("closed_at", portal.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("erased_at", portal.db.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contact_email", portal.crypto.EncryptedText(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("phone", portal.crypto.EncryptedText(), nullable=True)
        )
        batch_op.add_column(sa.Column("login_key", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("mitid_subject", sa.String(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("child_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "wants_reminders",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
        batch_op.add_column(
            sa.Column("removed_at", portal.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("removed_reason", portal.crypto.EncryptedText(), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "last_login_at", portal.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "previous_login_at", portal.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.alter_column(
            "email", existing_type=sa.VARCHAR(length=254), nullable=True
        )
        batch_op.alter_column(
            "password_hash", existing_type=sa.VARCHAR(length=255), nullable=True
        )
        batch_op.create_index(
            batch_op.f("ix_users_family_id"), ["family_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_users_login_key"), ["login_key"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_users_mitid_subject"), ["mitid_subject"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_users_child_id_children"),
            "children",
            ["child_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            "staff_email", "role = 'family' OR email IS NOT NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("staff_email", type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_users_child_id_children"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_users_mitid_subject"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_users_login_key"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_users_family_id"))
        batch_op.alter_column(
            "password_hash", existing_type=sa.VARCHAR(length=255), nullable=False
        )
        batch_op.alter_column(
            "email", existing_type=sa.VARCHAR(length=254), nullable=False
        )
        batch_op.drop_column("previous_login_at")
        batch_op.drop_column("last_login_at")
        batch_op.drop_column("removed_reason")
        batch_op.drop_column("removed_at")
        batch_op.drop_column("wants_reminders")
        batch_op.drop_column("child_id")
        batch_op.drop_column("mitid_subject")
        batch_op.drop_column("login_key")
        batch_op.drop_column("phone")
        batch_op.drop_column("contact_email")

    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("status")

    with op.batch_alter_table("counselling_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("course_or_family", type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_counselling_sessions_family_id_families"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_counselling_sessions_family_id"))
        batch_op.drop_column("family_id")

    with op.batch_alter_table("session_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_participants_member_id"))

    op.drop_table("session_participants")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitations_member_id"))

    op.drop_table("invitations")
    with op.batch_alter_table("family_assignments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_family_assignments_one_primary",
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )
        batch_op.drop_index("uq_family_assignments_family_counsellor")
        batch_op.drop_index(batch_op.f("ix_family_assignments_counsellor_id"))

    op.drop_table("family_assignments")
    with op.batch_alter_table("custody", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_member_id"))

    op.drop_table("custody")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_children_family_id"))

    op.drop_table("children")
