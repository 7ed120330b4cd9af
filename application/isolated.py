"""Run a solve in a worker process held to a memory cap and a time limit.

A scenario that needs more memory than the machine has, or never finishes, must not take the
app's server down with it. :func:`run_isolated` calls a function in a child process (started
by the ``forkserver``, which has the solver's modules loaded once, never by forking the server
itself), with its address space capped (``RLIMIT_AS``, :func:`optimizer.limits.solve_memory_mb`)
and killed after ``time_limit`` seconds. Progress the function reports through its callback
(each settled level) comes back through a pipe while it runs; its result or its exception comes
back at the end. A child that runs out of memory, is killed or crashes raises
:class:`WorkerStopped`, which says which limit stopped it.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Any

from optimizer.limits import solve_memory_mb

SECONDS_ENV = "NTM_SOLVE_SECONDS"
"""A ceiling on any one solve in the worker, in seconds (unset: the scenario's own limits)."""
SLACK = 3
"""Times a scenario's own time limits: a phased plan solves its levels twice (pooled, then year
by year), and the diagnosis of an infeasible one solves again."""
MARGIN_SECONDS = 60.0
"""Added to a scenario's time limits for building the formulation and the checks."""
MEMORY_EXIT = 75
"""The child's exit code when it ran out of memory (a MemoryError it could not report)."""
OUT_OF_MEMORY = {
    MEMORY_EXIT: "a MemoryError",
    127: "glibc could not allocate a new thread's memory (it prints so and exits with 127)",
    -signal.SIGKILL: "killed, as the kernel's out-of-memory killer does",
}
"""Exit codes of a worker that ran out of memory, with how it got there."""
PRELOADED = (
    "optimizer.methods",
    "optimizer.verify",
    "optimizer.explain",
    "optimizer.alternatives",
    "optimizer.replan",
    "optimizer.groups",
    "application.workflow",
)
"""Modules the forkserver imports once, so each worker starts with them loaded."""

_PROGRESS, _DONE, _RAISED = "progress", "done", "raised"


class WorkerStopped(RuntimeError):
    """The worker process was stopped: ``reason`` is ``memory``, ``time`` or ``crashed``."""

    def __init__(self, reason: str, limit: float, exitcode: int | None = None) -> None:
        self.reason, self.limit, self.exitcode = reason, limit, exitcode
        text = {
            "memory": f"the solve used more than {limit:.0f} MB of memory and was stopped",
            "time": f"the solve took longer than {limit:.0f} s and was stopped",
            "crashed": f"the solve process stopped unexpectedly (exit code {exitcode}); it may "
            f"have needed more than the {limit:.0f} MB of memory it may use",
        }[reason]
        super().__init__(text)

    def __reduce__(self):
        return (type(self), (self.reason, self.limit, self.exitcode))


@dataclass(frozen=True)
class _Sender:
    """The callback the function gets in the child: each call goes to the parent."""

    connection: Connection

    def __call__(self, *args: Any) -> None:
        self.connection.send((_PROGRESS, args))


def _cap_memory(limit_mb: int) -> None:
    limit = limit_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _portable(error: BaseException) -> BaseException:
    """The error itself if it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def _child(
    connection: Connection,
    memory_mb: int,
    target: Callable[..., Any],
    args: tuple,
    kwargs: dict[str, Any],
    callback: str | None,
) -> None:
    """The worker: cap the memory, call the function, send back its result or its error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's, which stops us
    try:
        _cap_memory(memory_mb)
        if callback is not None:
            kwargs = {**kwargs, callback: _Sender(connection)}
        result = target(*args, **kwargs)
        connection.send((_DONE, result))
    except MemoryError:
        os._exit(MEMORY_EXIT)
    except BaseException as error:  # every error goes back to the parent
        try:
            connection.send((_RAISED, _portable(error)))
        except MemoryError:
            os._exit(MEMORY_EXIT)
    finally:
        connection.close()


def _context() -> multiprocessing.context.BaseContext:
    """The forkserver (with :data:`PRELOADED` loaded) where there is one, else spawn."""
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOADED))
        return context
    return multiprocessing.get_context("spawn")


def warm_up() -> None:
    """Start the forkserver (and its preloaded modules) now, in the background, so that the
    first solve does not wait 1-3 s for it; a no-op where there is no forkserver."""
    if not sys.platform.startswith("linux"):
        return
    _context()  # sets the preload list of the forkserver started below
    threading.Thread(target=forkserver.ensure_running, name="ntm-forkserver", daemon=True).start()


def time_limit_for(seconds_per_level: float, levels: int, rounds: int = 1) -> float:
    """The worker's wall-clock limit for ``levels`` objective levels of ``seconds_per_level``,
    solved ``rounds`` times (2 when audited by the other solver): :data:`SLACK` times that plus
    :data:`MARGIN_SECONDS`, never above ``NTM_SOLVE_SECONDS`` when it is set."""
    seconds = SLACK * seconds_per_level * max(1, levels) * rounds + MARGIN_SECONDS
    ceiling = os.environ.get(SECONDS_ENV, "").strip()
    if ceiling:
        try:
            seconds = min(seconds, float(ceiling))
        except ValueError:
            raise ValueError(f"{SECONDS_ENV}={ceiling!r}: expected a number of seconds") from None
    return seconds


def run_isolated(
    target: Callable[..., Any],
    *args: Any,
    time_limit: float,
    on_progress: Callable[..., None] | None = None,
    callback: str | None = None,
    memory_mb: int | None = None,
    **kwargs: Any,
) -> Any:
    """``target(*args, **kwargs)`` in a worker process; its result, or the error it raised.

    ``target`` and its arguments must pickle (a module-level function, models, plain data).
    With ``callback``, ``target`` gets that keyword argument: a function whose calls arrive here
    as ``on_progress(*args)`` while the worker runs. Raises :class:`WorkerStopped` when the
    worker goes over ``memory_mb`` (default :func:`solve_memory_mb`) or ``time_limit`` seconds,
    or dies. If ``on_progress`` raises (a page that is left), the worker is killed.
    """
    memory_mb = memory_mb if memory_mb is not None else solve_memory_mb()
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    wanted = callback if on_progress is not None else None
    worker = context.Process(
        target=_child, args=(sender, memory_mb, target, args, kwargs, wanted), daemon=True
    )
    deadline = time.monotonic() + time_limit
    worker.start()
    sender.close()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerStopped("time", time_limit)
            if not receiver.poll(min(remaining, 0.5)):
                continue
            try:
                kind, payload = receiver.recv()
            except EOFError:  # the worker is gone without an answer
                break
            except MemoryError:
                raise WorkerStopped("memory", memory_mb) from None
            if kind == _PROGRESS and on_progress is not None:
                on_progress(*payload)
            elif kind == _DONE:
                return payload
            elif kind == _RAISED:
                raise payload
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receiver.close()
    if worker.exitcode in OUT_OF_MEMORY:
        raise WorkerStopped("memory", memory_mb, worker.exitcode)
    raise WorkerStopped("crashed", memory_mb, worker.exitcode)
