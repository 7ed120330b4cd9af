"""Names of variables and constraints, built from business keys by one helper.

Names are labels for people (diagnoses, exported models); the solver interface finds columns
and rows by position, never by name. They are still injective, so two different keys never
share a name: ``name(family, *keys)`` writes the family (a constant of the code, ``[a-z0-9_]``)
as it is and each key with ``[A-Za-z0-9]`` kept and every other character escaped as ``.hex.``
(``R-1`` → ``R.2d.1``, ``r_1`` → ``r.5f.1``, ``Đ`` → ``.110.``). Keys never contain ``_``, so
the ``_`` between them cannot be confused with one inside a code. PuLP rewrites
``- + [ ] > /`` and spaces in names; none of them is left. Examples: ``budget_central_2024``,
``covers_03994_transport_2025``, ``min_share_extremely.5f.difficult``.
"""

from __future__ import annotations

import re

FAMILY = re.compile(r"^[a-z][a-z0-9_]*$")
_ESCAPED = re.compile(r"\.([0-9a-f]+)\.")
_COLLAPSED = re.compile(r"[^a-z0-9_]+")
_KEPT = re.compile(r"[A-Za-z0-9]")
EMPTY_KEY = ".."
"""An empty key (no escape sequence is two dots alone)."""


def escape(key: object) -> str:
    """One business key as a name part: letters and digits kept, any other character ``.hex.``."""
    text = str(key)
    if not text:
        return EMPTY_KEY
    return "".join(ch if _KEPT.match(ch) else f".{ord(ch):x}." for ch in text)


def name(family: str, *keys: object) -> str:
    """Join a family and its business keys into a solver-safe name: ``name("budget", "central",
    2024)`` → ``budget_central_2024``. Different keys always give different names."""
    if not FAMILY.match(family):
        raise ValueError(f"{family!r} is not a name family: use [a-z0-9_], starting with a letter")
    return "_".join([family, *(escape(k) for k in keys)])


def unescape(part: str) -> str:
    """The business key of one escaped name part (``escape`` reversed)."""
    if part == EMPTY_KEY:
        return ""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), part)


def order_key(label: str) -> tuple[str, str]:
    """Sort key for columns: each key lower-cased with its punctuation as ``_`` (the names of
    earlier versions), then the name itself. Solvers follow the column order among tied
    optima, so this keeps the plans of earlier versions on the shipped data; it is an order,
    never an identity."""
    parts = (unescape(p) for p in label.split("_"))
    legacy = "_".join(_COLLAPSED.sub("_", p.lower()).strip("_") or "x" for p in parts)
    return legacy, label
