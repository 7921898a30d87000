"""Alembic migrations build exactly the schema the models describe, on both DBs."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from portal.cli import alembic_config
from portal.db import Base, make_engine
from tests.conftest import database_config


def migrated_engine(tmp_path):
    """An empty database of its own, apart from the one the app fixture built."""
    folder = tmp_path / "migrated"
    folder.mkdir()
    config, drop = database_config(folder)
    engine = make_engine(
        config["SQLALCHEMY_DATABASE_URI"], **config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    return engine, drop


def upgrade(app, engine, revision="head"):
    with app.app_context():
        config = alembic_config()
        config.attributes["engine"] = engine
        command.upgrade(config, revision)
        return config


def test_migrations_match_the_models(app, tmp_path):
    engine, drop = migrated_engine(tmp_path)
    try:
        upgrade(app, engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": _not_alembic}
            )
            diff = compare_metadata(context, Base.metadata)
        assert diff == [], "models changed without a migration: " + repr(diff)
    finally:
        engine.dispose()
        drop()


def test_migrations_downgrade_to_nothing_and_up_again(app, tmp_path):
    engine, drop = migrated_engine(tmp_path)
    try:
        config = upgrade(app, engine)
        with app.app_context():
            command.downgrade(config, "base")
            assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
            command.upgrade(config, "head")
        assert "users" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
        drop()


def test_migrated_audit_log_is_append_only(app, tmp_path):
    engine, drop = migrated_engine(tmp_path)
    try:
        upgrade(app, engine)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_event (occurred_at, actor_role, action,"
                    " object_type, object_id, reason) VALUES (CURRENT_TIMESTAMP,"
                    " 'system', 'view', 'family', '1', '')"
                )
            )
        statements = ["DELETE FROM audit_event"]
        if engine.dialect.name == "postgresql":
            statements.append("TRUNCATE audit_event")
        for statement in statements:
            with engine.connect() as connection:
                try:
                    connection.execute(text(statement))
                except Exception as error:  # noqa: BLE001 - both drivers' errors
                    assert "append-only" in str(error)
                else:
                    raise AssertionError(f"the migrated database allowed {statement}")
    finally:
        engine.dispose()
        drop()


def _not_alembic(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name == "alembic_version")
