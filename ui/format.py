"""Numbers, percentages and money as a Vietnamese (or English) reader expects them.

Vietnamese writes ``1.234,5``: "." groups thousands and "," marks decimals; English the other way
round. Money in the data is million VND (triệu đồng); from 1,000 million on it is shown in tỷ đồng.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone

MILLION_PER_BILLION = 1000
"""1 tỷ đồng = 1,000 triệu đồng."""
MISSING = "–"
"""Shown for a missing or undefined value."""

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
"""Indochina Time (UTC+7, no daylight saving): times the store keeps in UTC are shown in it."""
_MOMENT_FORMATS = {"vi": "%d/%m/%Y %H:%M", "en": "%Y-%m-%d %H:%M"}

_MONEY_UNITS = {
    "vi": ("triệu đồng", "tỷ đồng"),
    "en": ("million VND", "billion VND"),
}


def number(value: float | None, decimals: int = 0, lang: str = "vi") -> str:
    """``1234.5`` → ``1.234,5`` (vi) or ``1,234.5`` (en); None or NaN → ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0,0"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(fraction: float | None, decimals: int = 1, lang: str = "vi") -> str:
    """A fraction as a percentage: ``0.2166`` → ``21,7%`` (vi) or ``21.7%`` (en)."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return MISSING
    return f"{number(fraction * 100, decimals, lang)}%"


def money(million_vnd: float | None, lang: str = "vi", decimals: int = 1) -> str:
    """Million VND as text: below 1,000 in triệu đồng, from 1,000 on in tỷ đồng.

    ``850`` → ``850 triệu đồng``; ``1234500`` → ``1.234,5 tỷ đồng`` (vi).
    """
    if million_vnd is None or (isinstance(million_vnd, float) and math.isnan(million_vnd)):
        return MISSING
    millions, billions = _MONEY_UNITS.get(lang, _MONEY_UNITS["vi"])
    if abs(round(million_vnd)) >= MILLION_PER_BILLION:
        return f"{number(million_vnd / MILLION_PER_BILLION, decimals, lang)} {billions}"
    return f"{number(million_vnd, 0, lang)} {millions}"


def in_billions(million_vnd: float | None, lang: str = "vi", decimals: int = 1) -> str:
    """Million VND always in tỷ đồng (one unit on a page): ``500`` → ``0,5 tỷ đồng``."""
    if million_vnd is None or (isinstance(million_vnd, float) and math.isnan(million_vnd)):
        return MISSING
    unit = _MONEY_UNITS.get(lang, _MONEY_UNITS["vi"])[1]
    return f"{number(million_vnd / MILLION_PER_BILLION, decimals, lang)} {unit}"


def moment(when: datetime | None, lang: str = "vi") -> str:
    """A UTC time in Vietnam time: ``23/11/2026 14:05`` (vi) or ``2026-11-23 14:05`` (en).

    A time without a zone is taken as UTC (how the store keeps every time).
    """
    if when is None:
        return MISSING
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(VIETNAM_TIME).strftime(_MOMENT_FORMATS.get(lang, _MOMENT_FORMATS["vi"]))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~$:&@])")
"""Characters with a meaning anywhere in Streamlit's markdown (emphasis, links, HTML, LaTeX,
``:material/…:`` icons and ``:red[…]`` colours)."""
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([-+=#>]|\d+[.)])")
_BARE_LINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|www)(?=\\?[:.])|(?=\\@))")
"""Where GitHub-flavoured markdown starts a link on its own (``https:``, ``www.``, an e-mail's
``@``), escaped or not: a word joiner (U+2060, invisible) is put there, which breaks the link."""
WORD_JOINER = "\u2060"
"""What opens a list, or underlines a heading, at the start of a line."""


def literal(text: object) -> str:
    """Text from data (a commune or scenario name) made safe to put into markdown: every markdown
    character is escaped, so it shows as written (no bold, link, heading or Streamlit directive),
    and line breaks become spaces (no new paragraph or list)."""
    flat = " ".join(str(text).splitlines())
    escaped = _BARE_LINK.sub(lambda m: m[1] + WORD_JOINER, _MARKDOWN_SPECIAL.sub(r"\\\1", flat))
    return _MARKDOWN_LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], escaped)
