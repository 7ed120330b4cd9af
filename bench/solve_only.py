"""The floor under ``ntm run``: a process that imports the engine, loads one scenario and its
data package, solves it and prints the solve's own seconds, nothing else (no baselines, no
history, no report). ``python -m bench.solve_only SCENARIO.yaml``; ``bench.cases.run_end_to_end``
times it as a whole process beside ``ntm run`` to show how much of the fixed cost a process
pays before any of the command's own work."""

from __future__ import annotations

import gc
import sys


def main(argv: list[str]) -> None:
    gc.disable()  # as cli.entry: imports with the collector paused, then frozen
    from application.workflow import load, solve_loaded

    gc.freeze()
    gc.enable()
    plan = solve_loaded(load(argv[0]))
    print(plan.timings.total_seconds)


if __name__ == "__main__":
    main(sys.argv[1:])
