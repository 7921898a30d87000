"""What the family has read cannot be rewritten, also past the application: the
database refuses an UPDATE of a note's version, of a family's response, of a
published note's content (its session link may still change) and of an answered
correction request. Deleting stays possible, for the purge of a whole family.

The same statements serve the models (tests build the schema with
``create_all``) and the migration ``0014_notes``.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

from portal.cases.corrections_models import CorrectionRequest
from portal.cases.notes_models import Note, NoteResponse, NoteVersion

MESSAGE = "published notes, their versions and responses cannot be changed"
#: (table, the columns an UPDATE may not touch or None for all, the condition)
GUARDS = [
    ("note_versions", None, None),
    ("note_responses", None, None),
    (
        "notes",
        "family_id, author_id, kind, draft_body, created_at, published_at",
        "OLD.published_at IS NOT NULL",
    ),
    ("correction_requests", None, "OLD.answered_at IS NOT NULL"),
]


FUNCTION = (
    "CREATE OR REPLACE FUNCTION notes_immutable() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"
)


def statements(dialect: str) -> list[tuple[str, str]]:
    """(table, statement) pairs that create the guards on ``dialect``; on
    PostgreSQL each table's own list (re)creates the function first."""
    found: list[tuple[str, str]] = []
    for table, columns, condition in GUARDS:
        of = f" OF {columns}" if columns else ""
        if dialect == "sqlite":
            when = f" WHEN {condition}" if condition else ""
            found.append(
                (
                    table,
                    f"CREATE TRIGGER {table}_immutable BEFORE UPDATE"
                    f"{of} ON {table}{when} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
                )
            )
        elif dialect == "postgresql":
            when = f" WHEN ({condition})" if condition else ""
            found.append((table, FUNCTION))
            found.append(
                (
                    table,
                    f"CREATE TRIGGER {table}_immutable BEFORE UPDATE"
                    f"{of} ON {table} FOR EACH ROW{when} "
                    "EXECUTE FUNCTION notes_immutable()",
                )
            )
    return found


def drop_statements(dialect: str) -> list[str]:
    on = " ON {table}" if dialect == "postgresql" else ""
    drops = [
        f"DROP TRIGGER IF EXISTS {table}_immutable" + on.format(table=table)
        for table, _columns, _condition in GUARDS
    ]
    if dialect == "postgresql":
        drops.append("DROP FUNCTION IF EXISTS notes_immutable()")
    return drops


_TABLES: dict[str, Table] = {
    str(model.__tablename__): model.__table__  # type: ignore[misc]
    for model in (Note, NoteVersion, NoteResponse, CorrectionRequest)
}
for _dialect in ("sqlite", "postgresql"):
    for _table, _statement in statements(_dialect):
        event.listen(
            _TABLES[_table],
            "after_create",
            # SQLAlchemy's DDL constructor has no annotations.
            DDL(_statement).execute_if(dialect=_dialect),  # type: ignore[no-untyped-call]
        )
