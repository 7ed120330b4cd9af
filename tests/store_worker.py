"""A separate process that writes to the history store, for the concurrency and crash tests.

python tests/store_worker.py save URL SCENARIO WORKER COUNT
    save COUNT versions of SCENARIO, each with distinct content, as user worker-WORKER
python tests/store_worker.py crash URL DATASET_FOLDER
    record a run on a new dataset and die (os._exit) right after the run row is written,
    before the transaction commits
"""

from __future__ import annotations

import os
import sys

from sqlalchemy import event

from models.io import load_package
from models.scenario import Budgets, Horizon, Scenario
from optimizer.plan import Plan, PlanStatus
from store import Store
from store.schema import RunRow

CRASH_EXIT_CODE = 17
HORIZON = Horizon(start=2026, end=2027)


def versioned_scenario(name: str, worker: int, index: int) -> Scenario:
    """Distinct content per (worker, index): the budget scale encodes both."""
    return Scenario(name=name, horizon=HORIZON, budgets=Budgets(scale=1 + worker + index / 100))


def save(url: str, name: str, worker: int, count: int) -> None:
    with Store.open(url) as history:
        for index in range(count):
            history.save_scenario(
                versioned_scenario(name, worker, index),
                user=f"worker-{worker}",
                note=f"{worker}/{index}",
            )


def crash(url: str, folder: str) -> None:
    dataset = load_package(folder)
    history = Store.open(url)
    scenario = Scenario(name="crash", horizon=HORIZON)
    version = history.save_scenario(scenario, user="crasher")

    @event.listens_for(RunRow, "after_insert")
    def _die(*_args: object) -> None:
        os._exit(CRASH_EXIT_CODE)  # the power goes out: no rollback, no cleanup

    plan = Plan(scenario="crash", method="optimizer", status=PlanStatus.OPTIMAL)
    history.record_run(version, dataset, plan, user="crasher")
    raise SystemExit("the run was recorded: the crash did not happen")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "save":
        save(args[0], args[1], int(args[2]), int(args[3]))
    elif command == "crash":
        crash(args[0], args[1])
    else:
        raise SystemExit(f"unknown command {command!r}")
