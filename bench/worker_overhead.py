"""What solving in the app's worker process costs (issue #19): the pooled Sơn La base plan.

Run from the repository root: ``python -m bench.worker_overhead [ROUNDS]``. Times the first
worker (it starts the forkserver, which loads the solver's modules once), a worker that does
nothing once the forkserver runs, sending the dataset and getting a result back, and then, in
turns, the base plan solved in this process and in a worker (``application.isolated``), by the
clock and by CPU time (the clock is unreliable on a shared machine).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from application.isolated import run_isolated, time_limit_for
from application.workflow import load, plan_of

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "son_la_2021_2025.yaml"


def _seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cpu_timed_plan(dataset, scenario) -> float:
    """The CPU seconds the base plan takes in the process that runs this (a worker)."""
    started = time.process_time()
    plan_of("optimizer", dataset, scenario)
    return time.process_time() - started


def main(rounds: int = 3) -> None:
    loaded = load(SCENARIO)
    dataset, scenario = loaded.dataset, loaded.scenario
    limit = time_limit_for(scenario.solver.time_limit, len(scenario.objectives))
    print(
        f"first worker (starts the forkserver): {_seconds(lambda: run_isolated(os.getpid, time_limit=60)):.2f} s"
    )
    empty = [_seconds(lambda: run_isolated(os.getpid, time_limit=60)) for _ in range(5)]
    print(f"an empty worker, median of 5: {statistics.median(empty):.3f} s")
    sent = [_seconds(lambda: run_isolated(len, dataset.communes, time_limit=60)) for _ in range(3)]
    print(f"a worker given the dataset, median of 3: {statistics.median(sent):.3f} s")
    here, there = [], []
    for _ in range(rounds):
        here.append(_seconds(lambda: plan_of("optimizer", dataset, scenario)))
        there.append(
            _seconds(
                lambda: run_isolated(plan_of, "optimizer", dataset, scenario, time_limit=limit)
            )
        )
    print(f"pooled base in this process: {', '.join(f'{s:.2f}' for s in here)} s")
    print(f"pooled base in a worker:     {', '.join(f'{s:.2f}' for s in there)} s")
    print(f"median difference: {statistics.median(there) - statistics.median(here):+.2f} s")
    cpu_here = [cpu_timed_plan(dataset, scenario) for _ in range(rounds)]
    cpu_there = [
        run_isolated(cpu_timed_plan, dataset, scenario, time_limit=limit) for _ in range(rounds)
    ]
    print(f"CPU s in this process: {', '.join(f'{s:.2f}' for s in cpu_here)}")
    print(f"CPU s in a worker:     {', '.join(f'{s:.2f}' for s in cpu_there)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
