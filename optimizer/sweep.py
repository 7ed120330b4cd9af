"""Every sweep (frontier points, risk draws, no-regret re-solves) through one executor on Dask.

A sweep is a function ``task(shared, item)`` applied to every item of a list. ``shared`` (the
dataset, the scenario, the plan …) is sent once to each worker; a task may build expensive state
from it once per worker through ``worker_state``. Results come back in the order of the items and
never depend on which worker solved which item, nor on how many workers there are: a task sees
only ``shared`` and its own item (random draws are seeded per item, see optimizer/risk.py).

Where it runs:

* ``InProcess``: in this process, one item after another — for small models, where starting
  processes would cost more than it saves, and for ``workers=1``.
* ``OnDask``: on a dask.distributed cluster. By default a LocalCluster on this machine with one
  single-threaded worker process per CPU core (HiGHS solves a MIP on one thread); with
  ``scheduler="tcp://HOST:8786"`` or ``NTM_DASK_SCHEDULER`` the cluster at that address, whose
  workers must have the project installed. A cluster is started once per process and reused by
  every later sweep (the app keeps one for its lifetime); ``close_clusters`` ends them.

Workers are separate processes started by Dask with ``spawn`` (a fresh interpreter), never a fork
of a threaded Streamlit server. A local worker's memory is capped (``worker_memory_limit``).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from optimizer.limits import machine_memory_mb, solve_memory_mb

SCHEDULER_ENV = "NTM_DASK_SCHEDULER"
"""Environment variable naming a running Dask scheduler (``tcp://HOST:8786``)."""
MIN_ITEMS = 200
"""Below this many candidate items a solve takes milliseconds: sweep in this process."""
MIN_TASKS_PER_WORKER = 2
WORKER_STATES = 4
"""Prepared states a worker keeps (the most recent sweeps'); older ones are dropped."""

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]
"""``progress(done, total)``, called after each finished task."""

_states: OrderedDict[str, Any] = OrderedDict()
"""Per process (a worker, or this one for InProcess): prepared states by sweep token."""
_state_lock = threading.Lock()


def available_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_state(token: str, build: Callable[[], Any]) -> Any:
    """The state of sweep ``token`` in this process, built by ``build()`` on first use."""
    with _state_lock:
        if token in _states:
            _states.move_to_end(token)
            return _states[token]
    state = build()
    with _state_lock:
        _states[token] = state
        while len(_states) > WORKER_STATES:
            _states.popitem(last=False)
    return state


def seed_state(token: str, state: Any) -> None:
    """Give this process the state of sweep ``token`` already built (no rebuild in process)."""
    with _state_lock:
        _states[token] = state


def drop_state(token: str) -> None:
    """Forget this process's state of sweep ``token``."""
    with _state_lock:
        _states.pop(token, None)


@dataclass(frozen=True)
class Shared:
    """What every task of one sweep shares, with a token naming it in the workers' caches."""

    payload: Any
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


class Executor(Protocol):
    """Runs ``task(shared, item)`` for every item; results in the order of ``items``."""

    @property
    def workers(self) -> int:
        """How many tasks run at once."""
        ...

    def run(
        self,
        task: Callable[[Shared, T], R],
        shared: Shared,
        items: Sequence[T],
        progress: Progress | None = None,
    ) -> list[R]: ...


class InProcess:
    """Every task in this process, in order."""

    workers = 1

    def run(
        self,
        task: Callable[[Shared, T], R],
        shared: Shared,
        items: Sequence[T],
        progress: Progress | None = None,
    ) -> list[R]:
        results = []
        for done, item in enumerate(items, start=1):
            results.append(task(shared, item))
            if progress is not None:
                progress(done, len(items))
        return results


class OnDask:
    """Tasks on a dask.distributed cluster (a Client's)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))

    def run(
        self,
        task: Callable[[Shared, T], R],
        shared: Shared,
        items: Sequence[T],
        progress: Progress | None = None,
    ) -> list[R]:
        from distributed import as_completed

        if not items:
            return []
        bundle = self.client.scatter(shared, broadcast=True, hash=False)
        futures = self.client.map(task, [bundle] * len(items), list(items), pure=False)
        index = {future.key: k for k, future in enumerate(futures)}
        results: list[Any] = [None] * len(items)
        try:
            for done, future in enumerate(as_completed(futures, loop=self.client.loop), start=1):
                results[index[future.key]] = future.result()
                if progress is not None:
                    progress(done, len(items))
        finally:
            self.client.cancel([*futures, bundle])
        return results


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def dask_client(scheduler: str | None = None, workers: int | None = None) -> Any:
    """The Dask client of this process for ``scheduler`` (default: ``NTM_DASK_SCHEDULER``, else
    a LocalCluster with ``workers`` single-threaded worker processes, default one per core).

    Started on first use and kept: later calls with the same arguments reuse it.
    """
    import dask
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    key = address or f"local:{workers or available_cores()}"
    with _clients_lock:
        client = _clients.get(key)
        if client is not None and client.status == "running":
            return client
        if address:
            client = Client(address, set_as_default=False)
        else:
            count = workers or available_cores()
            # Dask's statistical profiler samples each task's stack every 10 ms: with two
            # workers on two cores it slowed every solve by about a third (national_34,
            # docs/benchmarks.md); the nannies hand this setting to their workers
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                cluster = LocalCluster(
                    n_workers=count,
                    threads_per_worker=1,
                    memory_limit=worker_memory_limit(count),
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
            client = Client(cluster, set_as_default=False)
        from optimizer.sweep_worker import SolverWorker  # needs distributed: loaded with it

        client.register_plugin(SolverWorker())
        _clients[key] = client
        return client


def worker_memory_limit(workers: int) -> str:
    """Each local worker's memory: the cap of one solve (``optimizer.limits``), never more than
    its share of the machine. Dask's nanny restarts a worker that goes over (issue 19)."""
    return f"{min(solve_memory_mb(), machine_memory_mb() // workers)}MiB"


def close_clusters() -> None:
    """Close every client (and the local clusters) this process started."""
    with _clients_lock:
        clients = list(_clients.values())
        _clients.clear()
    # clients of a scheduler address first: one may point at a local cluster closed below
    clients.sort(key=lambda c: c.cluster is not None)
    for client in clients:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()


atexit.register(close_clusters)


def choose_executor(
    items: int, tasks: int, workers: int | None = None, scheduler: str | None = None
) -> Executor:
    """Where to sweep ``tasks`` tasks on a model with ``items`` candidate items.

    A scheduler (given or in ``NTM_DASK_SCHEDULER``) always wins; ``workers=1`` runs in this
    process; ``workers=n`` a LocalCluster of n workers; by default a LocalCluster of one worker
    per core when the model is large enough and there are enough tasks to share, else in this
    process.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if scheduler or os.environ.get(SCHEDULER_ENV):
        return OnDask(dask_client(scheduler))
    if workers is None:
        if items < MIN_ITEMS or tasks < MIN_TASKS_PER_WORKER * 2 or available_cores() < 2:
            return InProcess()
        workers = available_cores()
    if workers == 1:
        return InProcess()
    return OnDask(dask_client(workers=workers))
