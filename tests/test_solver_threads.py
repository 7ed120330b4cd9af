"""Solver threads in one long-lived process (the app's server): HiGHS keeps one thread scheduler
per process, and a scenario asking for another thread count than an earlier one must still be
solved, alone or beside another solve."""

from __future__ import annotations

import threading

import pytest

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.solve import solve
from optimizer.sweep import Shared
from optimizer.threads import highs_threads


def _with_threads(threads: int | None) -> Scenario:
    """The fixture dataset's years, with ``threads`` asked for."""
    solver = {"threads": threads} if threads else {}
    return Scenario(name="threads", horizon={"start": 2022, "end": 2024}, solver=solver)


def _answer(dataset: Dataset, scenario: Scenario) -> tuple:
    plan = solve(dataset, scenario)
    return plan.status, tuple(round(level.value, 6) for level in plan.levels)


def test_each_thread_count_in_turn_gives_the_same_plan(dataset) -> None:
    """Before: a solve asking for 1 thread after one that asked for none (or 2) failed with
    "the scheduler has already been initialized to use 2 threads"."""
    answers = {
        threads: _answer(dataset, _with_threads(threads)) for threads in (None, 1, 2, 1, None, 2)
    }
    assert len(set(answers.values())) == 1


def test_a_solve_beside_another_with_a_different_count_runs_on_the_scheduler_as_it_is() -> None:
    """While one solve holds the scheduler, another asking for a different count is not given
    it (a restart would pull the scheduler from under the first); alone, it is."""
    with highs_threads(1) as first:
        assert first == 1
        with highs_threads(2) as second:
            assert second is None
    with highs_threads(2) as alone:
        assert alone == 2


def test_solves_with_different_counts_in_parallel_threads_all_succeed(dataset) -> None:
    answers: list[tuple] = []
    errors: list[BaseException] = []

    def run(threads: int | None) -> None:
        try:
            answers.append(_answer(dataset, _with_threads(threads)))
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=run, args=(t,)) for t in (1, 2, None, 1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(answers) == 5 and len(set(answers)) == 1


def _worker_default(shared: Shared, item: int) -> int | None:
    from optimizer import threads

    return threads._default


@pytest.mark.slow
def test_sweep_workers_solve_on_one_thread_each(dask_workers) -> None:
    """One worker per core: each worker's HiGHS runs one thread, not one per core."""
    executor = dask_workers(2)
    assert executor.run(_worker_default, Shared(None), [1, 2, 3, 4]) == [1, 1, 1, 1]


def _profiling(shared: Shared, item: int) -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


@pytest.mark.slow
def test_sweep_workers_do_not_sample_their_tasks(dask_workers) -> None:
    """Dask's statistical profiler slowed each solve by about a third with two workers."""
    assert dask_workers(2).run(_profiling, Shared(None), [1, 2]) == [False, False]
