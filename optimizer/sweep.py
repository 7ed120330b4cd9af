"""Frontier points shared among worker processes, one per CPU core.

HiGHS solves a MIP on one thread, so a 2-core machine sweeps a budget frontier twice as fast
with two processes. Each worker builds the formulation once (the ``start`` function the frontier
hands in, ``optimizer.frontier._start_worker``) and then solves the points it is handed, in any
order: between points only budget right-hand sides and the
lexicographic fixings change (see optimizer/frontier.py), so a point's model, and with it its
solution, does not depend on which points the worker solved before.

Workers are started with ``spawn`` (a fresh interpreter), never ``fork``: the parent may be a
threaded Streamlit server or hold HiGHS threads, which a forked child must not inherit.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from optimizer.inputs import Inputs

T = TypeVar("T")

MIN_ITEMS = 200
"""Below this many candidate items a point solves in milliseconds and starting processes
(about a second each) would cost more than it saves."""
MIN_POINTS_PER_WORKER = 2


def available_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def sweep_workers(inputs: Inputs, points: int, asked: int | None) -> int:
    """How many processes to sweep with: ``asked`` if given, else one per core when the model is
    large enough and there are enough points to share (1 means in this process)."""
    if asked is not None:
        if asked < 1:
            raise ValueError(f"workers must be at least 1, got {asked}")
        return min(asked, points)
    if len(inputs.items) < MIN_ITEMS:
        return 1
    return max(1, min(available_cores(), points // MIN_POINTS_PER_WORKER))


def sweep_in_processes(
    start: Callable[..., None],
    start_args: tuple[Any, ...],
    solve_point: Callable[[float], T],
    factors: tuple[float, ...],
    workers: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[T]:
    """Solve every factor's point in ``workers`` processes; points in the order of ``factors``.

    Each process runs ``start(*start_args)`` once, then ``solve_point(factor)`` for the factors it
    is handed; both must be module-level functions (a spawned process imports them by name).
    """
    context = multiprocessing.get_context("spawn")
    results: dict[float, T] = {}
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=start,
        initargs=start_args,
    ) as pool:
        pending = {pool.submit(solve_point, factor): factor for factor in factors}
        for done, future in enumerate(as_completed(pending), start=1):
            results[pending[future]] = future.result()
            if progress is not None:
                progress(done, len(factors))
    return [results[factor] for factor in factors]
