"""Solves in a worker process (application.isolated): the same plan as in this process, each
level reported while it runs, the solver's own errors passed on, and a worker that goes over its
memory cap or its time limit, or dies, stopped with a message while this process carries on."""

from __future__ import annotations

import os
import time

import pytest
from solver_cases import warm_start_level

from application.isolated import WorkerStopped, run_isolated, time_limit_for
from application.workflow import plan_of
from models.scenario import Scenario
from models.scenario_check import ScenarioReferenceError
from optimizer.limits import MEMORY_ENV, machine_memory_mb
from optimizer.plan import LevelResult, Plan
from optimizer.solve import solve
from optimizer.sweep import close_clusters, dask_client

CAP_MB = 1024
"""A memory cap the tests' worker goes over on purpose."""


def _allocate(megabytes: int) -> int:
    """Runs in the worker: take ``megabytes`` of memory at once."""
    block = bytearray(megabytes * 2**20)
    return len(block)


def _decisions(plan: Plan) -> tuple:
    return (
        plan.status,
        plan.items,
        plan.payments,
        plan.communes,
        [(level.objective, level.value, level.proven_optimal) for level in plan.levels],
    )


def test_the_worker_finds_the_same_plan_and_reports_each_level() -> None:
    dataset, scenario = warm_start_level()
    here = solve(dataset, scenario)
    told: list[LevelResult] = []
    there = run_isolated(
        plan_of,
        "optimizer",
        dataset,
        scenario,
        time_limit=120,
        on_progress=told.append,
        callback="on_level",
    )
    assert _decisions(there) == _decisions(here)
    assert [level.objective for level in told] == [level.objective for level in here.levels]


def test_the_worker_is_another_process() -> None:
    assert run_isolated(os.getpid, time_limit=60) != os.getpid()


def test_the_solvers_errors_come_back_as_they_are() -> None:
    dataset, scenario = warm_start_level()
    bad = Scenario.model_validate(
        scenario.model_dump()
        | {"budgets": {"overrides": [{"source": "no_such_source", "year": 2026, "amount": 5}]}}
    )
    with pytest.raises(ScenarioReferenceError) as raised:
        run_isolated(plan_of, "optimizer", dataset, bad, time_limit=60)
    assert "no_such_source" in str(raised.value)
    assert raised.value.problems, "the problems cross the process boundary"


def test_a_worker_over_its_memory_cap_is_stopped_and_this_process_carries_on() -> None:
    with pytest.raises(WorkerStopped) as raised:
        run_isolated(_allocate, 4 * CAP_MB, time_limit=60, memory_mb=CAP_MB)
    assert raised.value.reason == "memory"
    assert str(raised.value) == "the solve used more than 1024 MB of memory and was stopped"
    assert run_isolated(_allocate, 16, time_limit=60, memory_mb=CAP_MB) == 16 * 2**20


def test_a_worker_over_its_time_limit_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(WorkerStopped) as raised:
        run_isolated(time.sleep, 600, time_limit=2)
    assert raised.value.reason == "time"
    assert str(raised.value) == "the solve took longer than 2 s and was stopped"
    assert time.monotonic() - started < 60, "killed at the limit, not waited for"


def test_a_worker_that_dies_is_reported_with_its_exit_code() -> None:
    with pytest.raises(WorkerStopped) as raised:
        run_isolated(os._exit, 3, time_limit=60, memory_mb=CAP_MB)
    assert (raised.value.reason, raised.value.exitcode) == ("crashed", 3)
    assert str(raised.value) == (
        "the solve process stopped unexpectedly (exit code 3); it may have needed more than the "
        "1024 MB of memory it may use"
    )


def test_the_time_limit_follows_the_scenario_under_a_ceiling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NTM_SOLVE_SECONDS", raising=False)
    assert time_limit_for(60, 4) == 3 * 60 * 4 + 60
    assert time_limit_for(60, 4, rounds=2) == 3 * 60 * 4 * 2 + 60
    monkeypatch.setenv("NTM_SOLVE_SECONDS", "300")
    assert time_limit_for(60, 4) == 300
    monkeypatch.setenv("NTM_SOLVE_SECONDS", "soon")
    with pytest.raises(ValueError, match="NTM_SOLVE_SECONDS='soon'"):
        time_limit_for(60, 4)


@pytest.mark.slow
def test_each_dask_worker_of_a_sweep_has_the_memory_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sweeps (frontier points, risk draws) run on Dask's worker processes, not in this one;
    Dask's nanny restarts a worker over its limit: one solve's cap, at most its share of the
    machine. (Three workers: a cluster no other test starts, so it is made under this cap.)"""
    monkeypatch.setenv(MEMORY_ENV, "600")
    try:
        client = dask_client(workers=3)
        limits = [w["memory_limit"] for w in client.scheduler_info()["workers"].values()]
    finally:
        close_clusters()
    share = min(600, machine_memory_mb() // 3) * 2**20
    assert limits == [share] * 3


def test_warm_up_starts_the_forkserver_in_the_background() -> None:
    """The app calls warm_up when it starts, so the first solve finds the forkserver running."""
    import time
    from multiprocessing import forkserver

    from application.isolated import warm_up

    warm_up()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not forkserver._forkserver._forkserver_pid:
        time.sleep(0.05)
    pid = forkserver._forkserver._forkserver_pid
    assert pid, "no forkserver after warm_up"
    os.kill(pid, 0)  # alive
