"""What every command that reads a scenario shares: loading it with its package, the warnings,
a loader's error as lines, and the default output folder."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from application.workflow import LoadedScenario, load, solve_loaded
from cli.output import CliError, Console, heartbeat
from models.io import DataPackageError
from models.scenario_check import ScenarioProblem, ScenarioReferenceError
from models.scenario_io import ScenarioFileError
from optimizer.plan import LevelResult, Plan

DEFAULT_OUT = Path("out")


def problem_lines(error: Exception) -> tuple[str, list[str]]:
    """A loader's error as a headline and one line per located problem."""
    if isinstance(error, ScenarioFileError):
        if len(error.problems) == 1:
            return f"{error.path}: {error.problems[0]}", []
        return f"{error.path}: {len(error.problems)} problem(s)", [str(p) for p in error.problems]
    if isinstance(error, DataPackageError):
        headline = f"data package {error.source}: {len(error.problems)} problem(s), nothing loaded"
        return headline, [str(p) for p in error.problems]
    return str(error), []


def load_scenario(
    console: Console, path: str, dataset: str | None, cache: dict | None = None
) -> LoadedScenario:
    """Load a scenario and its package, saying so; warnings on stderr; a reference the package
    lacks is a CliError listing each."""
    console.progress(f"loading {path}")
    try:
        loaded = load(path, dataset, cache)
    except ScenarioReferenceError as error:
        raise CliError(
            f"{path}: the scenario names what the data package does not have "
            f"({len(error.problems)} problem(s))",
            details=[str(p) for p in error.problems],
        ) from None
    warn(console, loaded.path, loaded.warnings)
    return loaded


def warn(console: Console, path: Path, warnings: Sequence[ScenarioProblem]) -> None:
    for warning in warnings:
        print(f"ntm: warning: {path}: {warning}", file=sys.stderr, flush=True)


def default_out(*parts: str) -> Path:
    return DEFAULT_OUT.joinpath(*parts)


def solve_scenario(console: Console, loaded: LoadedScenario) -> Plan:
    """Solve a loaded scenario, telling each level on stderr as soon as it is settled."""
    s = loaded.scenario
    what = (
        f"solving {s.name!r} ({len(s.objectives)} levels, {s.solver.name.value}, "
        f"time limit {s.solver.time_limit:g} s per level)"
    )

    def told(level: LevelResult) -> None:  # as soon as each level is settled
        value = f"{level.value:,.0f}" if float(level.value).is_integer() else f"{level.value:,.2f}"
        console.progress(f"  level {level.objective.value}: {value} ({level.seconds:.1f} s)")

    with heartbeat(console, what):
        return solve_loaded(loaded, on_level=told)
