"""What a family agreed to, and what was shared, cannot be rewritten, also past
the application: the database refuses every UPDATE of a consent request, the
people asked, the request's information, its events and the disclosures.
Deleting stays possible, for the purge of a whole family.

The same statements serve the models (tests build the schema with
``create_all``) and the migration ``0017_consent``.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import DDL, Table, event

from portal.consent.disclosure_models import (
    Disclosure,
    disclosure_information,
)
from portal.consent.models import (
    Askee,
    ConsentEvent,
    ConsentRequest,
    request_information,
)

MESSAGE = "consent history is append-only"
TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        cast(Table, ConsentRequest.__table__),
        cast(Table, Askee.__table__),
        cast(Table, ConsentEvent.__table__),
        cast(Table, Disclosure.__table__),
        request_information,
        disclosure_information,
    )
}
PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION consent_append_only() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"
)


def trigger(dialect: str, table: str) -> str:
    """The statement that makes ``table`` refuse UPDATE on ``dialect``."""
    if dialect == "sqlite":
        return (
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION consent_append_only()"
    )


def create_statements(dialect: str) -> list[str]:
    first = [PG_FUNCTION] if dialect == "postgresql" else []
    return first + [trigger(dialect, table) for table in TABLES]


def drop_statements(dialect: str) -> list[str]:
    on = dialect == "postgresql"
    drops = [
        f"DROP TRIGGER IF EXISTS {table}_append_only" + (f" ON {table}" if on else "")
        for table in TABLES
    ]
    return drops + (["DROP FUNCTION IF EXISTS consent_append_only()"] if on else [])


for _name, _table in TABLES.items():
    for _dialect in ("sqlite", "postgresql"):
        statements = [trigger(_dialect, _name)]
        if _dialect == "postgresql":
            statements.insert(0, PG_FUNCTION)
        for _statement in statements:
            event.listen(
                _table,
                "after_create",
                # SQLAlchemy's DDL constructor has no annotations.
                DDL(_statement).execute_if(dialect=_dialect),  # type: ignore[no-untyped-call]
            )
