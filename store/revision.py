"""The schema revision this program writes, and a database's, read without Alembic.

Opening the store checks that the database is at this program's newest revision. Alembic (with
Mako and Pygments, about 0.1 s to import) and its reading of every migration script are needed
only when it is not: ``Store.open`` reads the one row of ``alembic_version`` here first, and hands
everything else (an empty or older database, an unknown revision, no such table) to
``store.migrate``. ``tests/test_store.py`` checks ``HEAD_REVISION`` against Alembic's head.
"""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

HEAD_REVISION = "0002_accounts"
"""The newest migration in store/migrations/versions (a new migration moves it)."""


def at_head(engine: Engine) -> bool:
    """Whether the database is at ``HEAD_REVISION``; False for anything else, including a
    database that cannot be read this way (``store.migrate`` then finds out what it is)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False
    return [tuple(row) for row in rows] == [(HEAD_REVISION,)]
