"""What every Dask worker of a sweep is set up with when it starts (a worker plugin, so a worker
the nanny restarts gets it too): HiGHS on one thread, since a LocalCluster runs one worker per
core, and the engine imported once at start (with this module) rather than by the first task."""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

import optimizer.solve  # noqa: F401  (the engine, loaded when the worker receives the plugin)
from optimizer.threads import set_default_threads


class SolverWorker(WorkerPlugin):
    """Sets a worker up to solve: one HiGHS thread."""

    name = "ntm-solver-worker"

    def setup(self, worker: Any) -> None:
        set_default_threads(1)
