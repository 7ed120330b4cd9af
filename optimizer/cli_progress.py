"""A progress bar on stderr for sweeps (frontier points, risk draws): redrawn in place on a
terminal, one line per step otherwise (a log file keeps every step); silent with --quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from optimizer.cli_output import Console

BAR_WIDTH = 30


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``[#########---------] 12/21`` for ``done`` of ``total``."""
    filled = 0 if total <= 0 else round(width * done / total)
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total}"


def progress_bar(console: Console, label: str) -> Callable[[int, int], None]:
    """``tick(done, total)`` drawing ``ntm: label [###---] done/total (seconds)`` on stderr."""
    started = time.perf_counter()
    terminal = sys.stderr.isatty()

    def tick(done: int, total: int) -> None:
        if console.quiet:
            return
        line = f"ntm: {label} {bar(done, total)} ({time.perf_counter() - started:.0f} s)"
        if terminal:
            end = "\n" if done >= total else ""
            print(f"\r{line}", end=end, file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    return tick


def add_scheduler_option(parser) -> None:
    """``--scheduler tcp://HOST:8786``: sweep on that Dask cluster (else $NTM_DASK_SCHEDULER,
    else a local cluster)."""
    from optimizer.sweep import SCHEDULER_ENV

    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=f"a running Dask scheduler to sweep on, e.g. tcp://HOST:8786 (default: "
        f"${SCHEDULER_ENV}, else a cluster of one worker process per core on this machine)",
    )
