"""Names of variables and constraints, built from business keys by one helper.

PuLP rewrites ``- + [ ] > /`` and spaces in names, so names use ``[a-z0-9_]`` only, e.g.
``budget_central_2024``, ``covers_03994_transport_2025``, ``min_share_extremely_difficult``.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^a-z0-9_]+")


def name(*parts: object) -> str:
    """Join business keys into a solver-safe name: ``name("budget", "central", 2024)``."""
    return "_".join(_UNSAFE.sub("_", str(p).lower()).strip("_") or "x" for p in parts)
