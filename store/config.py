"""Where the history lives: an explicit URL, ``NTM_DATABASE_URL``, a settings file, or SQLite.

Resolution order (the first that is set wins):

1. the URL given to :func:`resolve_url` / ``Store.open(url)``;
2. the environment variable ``NTM_DATABASE_URL``;
3. ``database_url`` in the ``[store]`` table of the settings file — ``$NTM_SETTINGS`` if set, else
   ``$XDG_CONFIG_HOME/ntm-budget/settings.toml`` (``~/.config/ntm-budget/settings.toml``);
4. an embedded SQLite file, ``$XDG_DATA_HOME/ntm-budget/history.db``
   (``~/.local/share/ntm-budget/history.db``).

A value without ``://`` is a path to a SQLite file; ``postgres://`` and ``postgresql://`` URLs use
the psycopg (3) driver.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from store.errors import StoreError

URL_VARIABLE = "NTM_DATABASE_URL"
SETTINGS_VARIABLE = "NTM_SETTINGS"
USER_VARIABLE = "NTM_USER"
APP_FOLDER = "ntm-budget"
SQLITE_FILE = "history.db"
SETTINGS_FILE = "settings.toml"
SETTINGS_TABLE = "store"
SETTINGS_KEY = "database_url"
POSTGRES_DRIVER = "postgresql+psycopg"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else Path.home() / fallback


def default_sqlite_path() -> Path:
    """The embedded history file used when no database is configured."""
    return _xdg("XDG_DATA_HOME", ".local/share") / APP_FOLDER / SQLITE_FILE


def settings_path() -> Path:
    """The settings file that may name a shared database."""
    explicit = os.environ.get(SETTINGS_VARIABLE)
    if explicit:
        return Path(explicit)
    return _xdg("XDG_CONFIG_HOME", ".config") / APP_FOLDER / SETTINGS_FILE


def _url_from_settings(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise StoreError(f"{path}: not a valid TOML settings file ({error})") from None
    table = settings.get(SETTINGS_TABLE, {})
    value = table.get(SETTINGS_KEY) if isinstance(table, dict) else None
    if value is not None and not isinstance(value, str):
        raise StoreError(f"{path}: [{SETTINGS_TABLE}] {SETTINGS_KEY} must be a string URL")
    return value or None


def resolve_url(url: str | Path | None = None) -> str:
    """The database URL to use, normalised (see the module docstring for the order)."""
    chosen = url if url not in (None, "") else os.environ.get(URL_VARIABLE)
    if not chosen:
        chosen = _url_from_settings(settings_path())
    if not chosen:
        chosen = default_sqlite_path()
    return normalise_url(chosen)


def normalise_url(url: str | Path) -> str:
    """A SQLAlchemy URL: a bare path becomes ``sqlite:///<absolute path>``; Postgres uses psycopg."""
    text = str(url)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    parsed = make_url(text)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername=POSTGRES_DRIVER)
    return parsed.render_as_string(hide_password=False)


def display_url(url: str | URL) -> str:
    """The URL with its password hidden, for messages and logs."""
    return make_url(str(url)).render_as_string(hide_password=True)


def default_user() -> str:
    """Who is saving when the caller names nobody: ``$NTM_USER``, else the login name."""
    value = os.environ.get(USER_VARIABLE)
    if value:
        return value
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something
        return "unknown"
