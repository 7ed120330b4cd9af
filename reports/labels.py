"""Every text the reports and the command line show, keyed, in Vietnamese (default) and English.

Tables (``reports.tables``) use stable snake_case column keys; the Excel writer and the
command line turn keys into words here. CSV and JSON keep the keys, so scripts can read them.
"""

from __future__ import annotations

from collections.abc import Mapping

from models.messages import LANGUAGES as LANGUAGES  # the command line offers these
from models.messages import entries, has_text, text

DEFAULT_LANGUAGE = "vi"
REPORT_PREFIX = "report."
"""A report's own words for a key whose app text means something else (the report's commune
column holds codes, its money column names the unit): ``report.<key>`` in the catalogues."""

LABELS: Mapping[str, Mapping[str, str]] = entries()
"""Every text by key and language, as the catalogues (models/messages/<lang>.yaml) hold them."""


def label(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled: the report's own words
    (``report.<key>``) where it has them, else the text the app shows too.

    An unknown key is returned as it is, so a new column still gets a (plain) header.
    """
    for candidate in (REPORT_PREFIX + key, key):
        if has_text(candidate):
            return text(candidate, lang, **values)
    return key.split(".", 1)[-1] if not values else key


def yes_no(value: object, lang: str = DEFAULT_LANGUAGE) -> str:
    return label("value.yes" if value else "value.no", lang)
