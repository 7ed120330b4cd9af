"""How many solver threads this machine can honour: a scenario's request capped at the cores."""

from __future__ import annotations

import os


def usable_threads(requested: int) -> int:
    """``requested``, but never more than the CPU cores this process may use (a scenario asking
    for 100 000 threads crashed the server process)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(requested, cores))
