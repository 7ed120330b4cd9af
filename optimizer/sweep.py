"""Frontier points shared among worker processes, one per CPU core.

HiGHS solves a MIP on one thread, so a 2-core machine sweeps a budget frontier twice as fast
with two processes. Each worker builds the formulation once (``_start_worker``) and then solves
the points it is handed, in any order: between points only budget right-hand sides and the
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
from typing import TYPE_CHECKING

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.inputs import Inputs

if TYPE_CHECKING:
    from optimizer.frontier import FrontierPoint

MIN_ITEMS = 200
"""Below this many candidate items a point solves in milliseconds and starting processes
(about a second each) would cost more than it saves."""
MIN_POINTS_PER_WORKER = 2

_worker: dict = {}
"""Per worker process: the prepared inputs, formulation, built budgets and solver."""


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


def _start_worker(dataset: Dataset, scenario: Scenario) -> None:
    from optimizer.formulation import build
    from optimizer.frontier import budget_constraints
    from optimizer.inputs import prepare
    from optimizer.solve import make_level_solver

    inputs = prepare(dataset, scenario)
    f = build(inputs)
    built = {cname: c.constant for cname, c in budget_constraints(f).items()}
    _worker.update(inputs=inputs, f=f, built=built, solver=make_level_solver(scenario.solver))


def _solve_in_worker(factor: float) -> FrontierPoint:
    from optimizer.frontier import _solve_point, scale_budget

    w = _worker
    scale_budget(w["f"], w["built"], factor)
    return _solve_point(w["f"], w["inputs"], factor, w["solver"])


def sweep_in_processes(
    dataset: Dataset,
    scenario: Scenario,
    factors: tuple[float, ...],
    workers: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[FrontierPoint]:
    """Solve every factor's point in ``workers`` processes; points in the order of ``factors``."""
    context = multiprocessing.get_context("spawn")
    results: dict[float, FrontierPoint] = {}
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(dataset, scenario),
    ) as pool:
        pending = {pool.submit(_solve_in_worker, factor): factor for factor in factors}
        for done, future in enumerate(as_completed(pending), start=1):
            results[pending[future]] = future.result()
            if progress is not None:
                progress(done, len(factors))
    return [results[factor] for factor in factors]
