"""Database engines for the store: SQLite tuned for several writers, PostgreSQL via psycopg."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from store.errors import StoreError

SQLITE_BUSY_SECONDS = 30.0
"""How long a SQLite writer waits for another writer's lock before giving up."""
BEGIN_OPTION = "ntm_sqlite_begin"
"""Execution option: how a SQLite transaction begins (DEFERRED for reads, IMMEDIATE for writes)."""


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (already normalised by ``store.config.normalise_url``)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    raise StoreError(
        f"unsupported database {backend!r}: use SQLite (a file path) or PostgreSQL "
        "(postgresql://user@host/db)"
    )


def write_engine(engine: Engine) -> Engine:
    """The same engine, but its SQLite transactions take the write lock when they begin.

    With deferred transactions two SQLite writers can both read, then one fails on upgrading to a
    write lock; ``BEGIN IMMEDIATE`` makes the second wait instead. Other backends ignore it.
    """
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    database = parsed.database
    in_memory = database in (None, "", ":memory:")
    options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
    if in_memory:
        options["poolclass"] = StaticPool
        options["connect_args"]["check_same_thread"] = False
    else:
        Path(str(database)).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # let SQLAlchemy, not the sqlite3 module, decide when transactions begin
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode up to the last commit
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine
