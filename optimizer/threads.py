"""How many solver threads a solve gets: a scenario's request capped at the cores, and agreed
with HiGHS's one scheduler per process.

HiGHS starts a single thread scheduler per process with the thread count of the first solve that
runs, and refuses any later solve that asks for another count ("the scheduler has already been
initialized"): in the app's server, a scenario asking for one thread after another that asked for
none failed. :func:`highs_threads` restarts the scheduler with the new count when no other solve
of this process is running, and otherwise lets the solve run on the scheduler as it is (the
thread count changes how fast an answer comes, never the answer).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import highspy

_lock = threading.Lock()
_scheduler: int | None = None
"""Threads HiGHS's scheduler of this process was started with; 0 for HiGHS's own choice,
None before the first solve."""
_running = 0
"""HiGHS solves of this process running now."""
_default: int | None = None
"""Threads for a solve that asks for none (None: HiGHS's own choice); a sweep worker sets 1."""


def usable_threads(requested: int) -> int:
    """``requested``, but never more than the CPU cores this process may use (a scenario asking
    for 100 000 threads crashed the server process)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(requested, cores))


def set_default_threads(threads: int | None) -> None:
    """Threads for the solves of this process that ask for none (a sweep worker: 1, so that
    one worker per core does not run two threads per core)."""
    global _default
    _default = None if threads is None else usable_threads(threads)


@contextmanager
def highs_threads(requested: int | None) -> Iterator[int | None]:
    """Hold one HiGHS solve; yield the thread count to set on it (None: leave HiGHS's choice).

    A count other than the one the scheduler runs with restarts the scheduler when no other solve
    is running; while one is, the new solve runs on the scheduler as it is.
    """
    global _scheduler, _running
    wanted = usable_threads(requested) if requested else _default
    with _lock:
        if wanted is None or wanted == _scheduler or _scheduler is None:
            given = wanted
        elif _running == 0:
            highspy.Highs.resetGlobalScheduler(True)
            given = wanted
        else:
            given = None  # another solve is using the scheduler: join it as it is
        if _scheduler is None or given is not None:
            _scheduler = given or 0
        _running += 1
    try:
        yield given
    finally:
        with _lock:
            _running -= 1
