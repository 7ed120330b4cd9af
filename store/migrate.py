"""Schema migrations (Alembic, shipped in ``store/migrations``), applied programmatically.

``upgrade(engine)`` is what ``Store.open`` runs: it brings any database — empty or made by an older
version of ntm-budget — to the newest schema, in one transaction, and does nothing when the schema
is current. Concurrent upgrades are serialised (a PostgreSQL advisory lock; SQLite's write lock).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from store.engine import write_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ADVISORY_LOCK_KEY = 0x6E746D_6869  # "ntm hi": one key for every ntm-budget schema upgrade


def alembic_config() -> Config:
    """An Alembic configuration pointing at the shipped migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest schema revision this program knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "store/migrations has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` in one transaction; a no-op when already there."""
    config = alembic_config()
    with write_engine(engine).connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to ``revision`` ("base": an empty database). Loses history."""
    config = alembic_config()
    with write_engine(engine).connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()


def knows_revision(revision: str) -> bool:
    """Whether ``revision`` is one of the shipped migrations (False: a newer program made it)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False
