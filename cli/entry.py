"""The ``ntm`` console script and ``python -m cli``: the command line's modules are imported with
the cyclic garbage collector paused, then every object they made is frozen out of its reach.

Importing pandas, SQLAlchemy, pydantic's models and HiGHS makes hundreds of thousands of objects
that live as long as the process; the collector's full passes over them while they are being
made cost about 0.2 s of every command's start (measured on `import cli.main`: 1.13-1.23 s with
the collector on, 0.96-0.99 s paused), and every later full pass would walk them again.
``gc.freeze`` moves them to the permanent generation, the way CPython's documentation suggests
for a process that is done importing.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """``cli.main.main`` after an import with the collector paused."""
    gc.disable()
    try:
        from cli.main import main as run_command
    finally:
        gc.freeze()
        gc.enable()
    return run_command(argv)
