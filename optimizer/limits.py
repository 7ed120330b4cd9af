"""How much memory one solve may use: ``NTM_SOLVE_MEMORY_MB``, else half of this machine's memory.

The app's worker process (``application.isolated``) and each Dask worker of a sweep
(``optimizer.sweep``) are held to it, so a scenario that needs more stops with a message instead
of taking the server down.
"""

from __future__ import annotations

import os

MEMORY_ENV = "NTM_SOLVE_MEMORY_MB"
MEMORY_SHARE = 0.5
"""Of the machine's physical memory, when ``NTM_SOLVE_MEMORY_MB`` is not set."""
MINIMUM_MB = 256
"""The least that may be set (a worker with the solver's libraries loaded already takes about
400 MB of address space, so a cap this low stops every solve: a way to test the cap)."""


def machine_memory_mb() -> int:
    """Physical memory of this machine in MiB."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20


def solve_memory_mb() -> int:
    """The memory cap of one solve in MiB (ValueError naming the variable when it is not a
    whole number of at least :data:`MINIMUM_MB`)."""
    configured = os.environ.get(MEMORY_ENV, "").strip()
    if not configured:
        return max(MINIMUM_MB, int(machine_memory_mb() * MEMORY_SHARE))
    try:
        value = int(configured)
    except ValueError:
        raise ValueError(f"{MEMORY_ENV}={configured!r}: expected a whole number of MB") from None
    if value < MINIMUM_MB:
        raise ValueError(f"{MEMORY_ENV}={value}: at least {MINIMUM_MB} MB")
    return value
