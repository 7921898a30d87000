"""Database plumbing: declarative base, one session per app context, UTC times.

Services take a ``Session`` and only flush; the view that handles the request
commits once (or rolls back), as in Indico.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from flask import Flask, current_app, g
from sqlalchemy import (
    BigInteger,
    CursorResult,
    DateTime,
    Index,
    MetaData,
    Result,
    String,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every database.

    SQLite has no time zones; storing naive UTC and re-attaching UTC on the way out
    gives the same behaviour as PostgreSQL's ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime in UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def partial_unique_index(name: str, *columns: str, where: str) -> Index:
    """A unique index over only the rows that match ``where`` (SQL), the same on
    SQLite and PostgreSQL: each dialect takes the condition under its own name."""
    condition = text(where)
    return Index(
        name,
        *columns,
        unique=True,
        sqlite_where=condition,
        postgresql_where=condition,
    )


class epoch_seconds(FunctionElement[int]):  # noqa: N801 - reads as an SQL function
    """A ``UTCDateTime`` column as POSIX seconds, computed by the database.

    For code that compares thousands of times (free slots): integers cost far
    less to fetch and compare than datetimes.
    """

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_seconds, "postgresql")
def _epoch_seconds_postgresql(
    element: epoch_seconds, compiler: SQLCompiler, **kw: Any
) -> str:
    return (
        f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS BIGINT)"
    )


@compiles(epoch_seconds, "sqlite")
def _epoch_seconds_sqlite(
    element: epoch_seconds, compiler: SQLCompiler, **kw: Any
) -> str:
    # UTCDateTime keeps naive UTC text on SQLite, which strftime reads as UTC.
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


def utcnow() -> datetime:
    return datetime.now(UTC)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed.

    Its result is a CursorResult; ``Session.execute`` is typed for SELECTs."""
    return cast(CursorResult[Any], result).rowcount


def new_public_id() -> str:
    """A random identifier for URLs, so numeric ids are never guessable from outside."""
    return secrets.token_urlsafe(12)


class PublicIdMixin:
    public_id: Mapped[str] = mapped_column(
        String(32), unique=True, default=new_public_id
    )


def _enable_sqlite_foreign_keys(
    dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry
) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, **options: Any) -> Engine:
    """An engine whose errors and echo never show bound values: those are what
    people typed (e-mail addresses, notes), and logs are kept longer than data."""
    engine = create_engine(url, hide_parameters=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def init_app(app: Flask) -> None:
    engine = make_engine(
        app.config["SQLALCHEMY_DATABASE_URI"],
        echo=app.config["SQLALCHEMY_ECHO"],
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
    )
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        db_session = g.pop("db_session", None)
        if db_session is not None:
            db_session.close()


def session() -> Session:
    """The current app context's database session."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    db_session: Session = g.db_session
    return db_session


@contextmanager
def commit_or_rollback() -> Iterator[Session]:
    """The view's one commit: commit the request's work at the end of the block,
    or roll it back and re-raise on any error (a service's refusal included), so
    the view handles the error with a clean session."""
    current = session()
    try:
        yield current
        current.commit()
    except BaseException:
        current.rollback()
        raise


def engine() -> Engine:
    db_engine: Engine = current_app.extensions["db_engine"]
    return db_engine
