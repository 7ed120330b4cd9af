"""From files to plans: load a scenario and its data package, check that they fit, solve, compare.

The command line (``cli.main``) and any other front end call these functions; they print
nothing. Errors are the loaders' own (ScenarioFileError, DataPackageError), ScenarioReferenceError
for a scenario naming what the dataset does not have, and the solver's (SolveTimeout,
SolverUnavailable). Progress, where work is long, goes to an optional callback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models.dataset import Dataset
from models.io import load_package
from models.scenario import Scenario
from models.scenario_check import ScenarioProblem, ensure_scenario_fits
from models.scenario_io import ScenarioFileError, load_scenario
from optimizer.baselines import BASELINES
from optimizer.methods import OPTIMIZER, plan_by
from optimizer.plan import Plan
from optimizer.solve import LevelCallback, solve
from optimizer.verify import verified
from reports.charts import load_chart_library

Progress = Callable[[str], None]
"""``progress(message)``: one line about long work (a level solved, a rule applied, …)."""


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario file read and checked against the data package it runs on."""

    path: Path
    scenario: Scenario
    dataset: Dataset
    dataset_path: Path
    warnings: tuple[ScenarioProblem, ...] = field(default=())

    @property
    def label(self) -> str:
        """Short name of the scenario: its file name without the extension."""
        return self.path.stem


def dataset_path_for(scenario_path: Path, scenario: Scenario, override: str | Path | None) -> Path:
    """The package to use: ``override`` if given, else the scenario's ``dataset``."""
    if override is not None:
        return Path(override)
    if scenario.dataset is None:
        raise ScenarioFileError(
            scenario_path, ["dataset: the scenario names no data package; give one with --dataset"]
        )
    return Path(scenario.dataset)


def load(
    scenario_path: str | Path,
    dataset_override: str | Path | None = None,
    cache: dict[Path, Dataset] | None = None,
) -> LoadedScenario:
    """Read a scenario file, load its data package and check the scenario's references.

    ``cache`` (package path → Dataset) avoids loading the same package twice for several
    scenarios. Raises ScenarioFileError, DataPackageError or ScenarioReferenceError.
    """
    path = Path(scenario_path)
    scenario = load_scenario(path)
    package = dataset_path_for(path, scenario, dataset_override).resolve()
    if cache is not None and package in cache:
        dataset = cache[package]
    else:
        dataset = load_package(package)
        if cache is not None:
            cache[package] = dataset
    warnings = ensure_scenario_fits(dataset, scenario)
    return LoadedScenario(path, scenario, dataset, package, tuple(warnings))


def solve_loaded(loaded: LoadedScenario, on_level: LevelCallback | None = None) -> Plan:
    """Solve the scenario (lexicographic levels), telling ``on_level`` each level once settled.

    Raises SolveTimeout or SolverUnavailable; an infeasible scenario returns a Plan with a
    diagnosis.
    """
    return solve(loaded.dataset, loaded.scenario, on_level=on_level)


def baseline_rules() -> dict[str, Callable[[Dataset, Scenario], Plan]]:
    """The baseline rules by name (``optimizer.baselines.BASELINES``)."""
    return dict(BASELINES)


def run_baselines(
    dataset: Dataset,
    scenario: Scenario,
    rules: Iterable[str],
    progress: Progress | None = None,
) -> dict[str, Plan]:
    """Each named rule's plan, by rule name; raises KeyError naming the known rules."""
    available = baseline_rules()
    plans = {}
    for rule in rules:
        if rule not in available:
            known = ", ".join(available) or "none installed"
            raise KeyError(f"unknown baseline rule {rule!r} (known: {known})")
        if progress is not None:
            progress(f"baseline {rule}")
        plans[rule] = available[rule](dataset, scenario)
    return plans


class BesideTheSolve:
    """The baseline rules' plans and the report's chart library, prepared in a thread of their
    own while the optimizer solves: HiGHS releases the GIL, so on a machine with two cores this
    work costs no wall time (``ntm run``)."""

    def __init__(self, dataset: Dataset, scenario: Scenario, rules: Iterable[str]) -> None:
        self._plans: dict[str, Plan] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._prepare,
            args=(dataset, scenario, list(rules)),
            name="ntm-beside-the-solve",
            daemon=True,  # a Ctrl+C during the solve does not wait for it
        )
        self._thread.start()

    def _prepare(self, dataset: Dataset, scenario: Scenario, rules: list[str]) -> None:
        try:
            self._plans = run_baselines(dataset, scenario, rules)
            load_chart_library()
        except BaseException as error:  # handed to the caller by result()
            self._error = error

    def result(self) -> dict[str, Plan]:
        """The baseline plans by rule, once ready; an error of a rule is raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._plans


def unique_labels(paths: Iterable[Path], reserved: Iterable[str] = ()) -> list[str]:
    """A short distinct label per scenario file (its stem; ``stem_2`` … when stems repeat)."""
    taken = set(reserved)
    labels = []
    for path in paths:
        base = Path(path).stem
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        labels.append(candidate)
    return labels


def plan_of(
    method: str,
    dataset: Dataset,
    scenario: Scenario,
    verify: bool = False,
    on_level: LevelCallback | None = None,
) -> Plan:
    """The plan of ``method`` (``optimizer.methods.plan_by``), telling ``on_level`` each level
    once settled; with ``verify``, the optimizer's plan audited by the other solver."""
    plan = plan_by(method, dataset, scenario, on_level=on_level)
    return verified(dataset, scenario, plan) if verify and method == OPTIMIZER else plan
