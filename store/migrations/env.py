"""Alembic environment for the history store.

``store.migrate`` passes an open connection in ``config.attributes["connection"]``; run from the
``alembic`` command line (``alembic -c store/alembic.ini upgrade head``) the URL comes from
``-x url=…`` or the store's usual configuration (``NTM_DATABASE_URL``, settings file, SQLite).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from store.config import resolve_url
from store.engine import make_engine, write_engine
from store.migrate import ADVISORY_LOCK_KEY
from store.schema import Base

config = context.config


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        transactional_ddl=True,  # all or nothing: a failed upgrade leaves the old schema intact
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # two programs opening a new server at once: the second waits, then finds head
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})")
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = make_engine(resolve_url(url))
    try:
        with write_engine(engine).connect() as owned:
            run_migrations(owned)
            owned.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("the history store's migrations run online only (give a database)")
run_online()
