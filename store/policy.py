"""Security settings: the four-eyes rule and how long an app session lasts without activity.

Read from the environment first, then the ``[security]`` table of the settings file
(``store.config.settings_path``)::

    [security]
    four_eyes = true        # an approver cannot approve a version they submitted (default true)
    session_hours = 8       # app sessions end after this long without activity (default 8)

Environment: ``NTM_FOUR_EYES`` (``0``/``false`` turns it off), ``NTM_SESSION_HOURS``.
"""

from __future__ import annotations

import os
import tomllib
from datetime import timedelta
from typing import Any

from store.config import settings_path
from store.errors import StoreError

SECURITY_TABLE = "security"
FOUR_EYES_VARIABLE = "NTM_FOUR_EYES"
SESSION_HOURS_VARIABLE = "NTM_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 8.0
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def _security_settings() -> dict[str, Any]:
    path = settings_path()
    if not path.is_file():
        return {}
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise StoreError(f"{path}: not a valid TOML settings file ({error})") from None
    table = settings.get(SECURITY_TABLE, {})
    return table if isinstance(table, dict) else {}


def four_eyes_required() -> bool:
    """Whether an approver is refused approving their own submission (default: yes)."""
    value = os.environ.get(FOUR_EYES_VARIABLE)
    if value is not None and value.strip():
        return value.strip().lower() not in FALSE_WORDS
    setting = _security_settings().get("four_eyes", True)
    if not isinstance(setting, bool):
        raise StoreError(f"{settings_path()}: [security] four_eyes must be true or false")
    return setting


def session_timeout() -> timedelta:
    """How long an app session may stay idle before it has to sign in again (default 8 hours)."""
    value: Any = os.environ.get(SESSION_HOURS_VARIABLE) or _security_settings().get(
        "session_hours", DEFAULT_SESSION_HOURS
    )
    try:
        hours = float(value)
    except (TypeError, ValueError):
        raise StoreError(
            f"session hours must be a number of hours, not {str(value)[:40]!r}"
        ) from None
    if not 0 < hours <= 24 * 30:
        raise StoreError("session hours must be more than 0 and at most 720")
    return timedelta(hours=hours)
