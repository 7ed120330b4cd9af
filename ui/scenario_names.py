"""Names of edited scenarios: an edit never silently takes the name of the scenario it came from.

A run or a saved file is known by its scenario's name (the Compare page, the history's version line,
the file name), so an edited scenario that kept the name of another one would replace it there.
Pure functions; the Scenario page decides when to call them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from models.scenario import Scenario

IGNORED_FIELDS = {"name", "description", "dataset"}
"""Fields that do not make two scenarios different questions."""


def same_question(a: Scenario, b: Scenario) -> bool:
    """Whether two scenarios ask the same question (they may differ in name, text and package)."""
    return a.model_dump(exclude=IGNORED_FIELDS) == b.model_dump(exclude=IGNORED_FIELDS)


def taken_by_another(scenario: Scenario, known: Iterable[Scenario]) -> bool:
    """Whether a known scenario of the same name asks another question."""
    return any(k.name == scenario.name and not same_question(k, scenario) for k in known)


def edited_name(name: str, taken: set[str], suffix: str) -> str:
    """``name (suffix)``, else ``name (suffix 2)``, ``name (suffix 3)``… the first not taken.

    A name that already ends in ``(suffix)`` or ``(suffix N)`` is counted on, not suffixed twice.
    """
    pattern = re.compile(rf"^(?P<base>.*) \({re.escape(suffix)}(?: (?P<n>\d+))?\)$")
    match = pattern.match(name)
    base = match["base"] if match else name
    first = int(match["n"] or 1) + 1 if match else 1
    for n in range(first, first + 10_000):
        candidate = f"{base} ({suffix})" if n == 1 else f"{base} ({suffix} {n})"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free name for {name!r}")  # pragma: no cover - 10,000 edits of one name
