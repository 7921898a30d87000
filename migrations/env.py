"""Alembic environment: the engine comes from the portal's own configuration."""

from __future__ import annotations

from alembic import context

import portal.models  # noqa: F401  (imports every feature's models)
from portal.db import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    # Alembic's own bookkeeping table is not part of the models.
    return not (type_ == "table" and name == "alembic_version")


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from portal import create_app
        from portal.db import engine as app_engine

        with create_app().app_context():
            engine = app_engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with
            # foreign keys on, dropping a table others refer to fails. Switch them
            # off for the migration (outside any transaction) and check after.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=include_object,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken}")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations()
