"""Scenarios and runs of this session: the current scenario, solved runs, plans cached per question.

A *run* is one scenario answered by one method (the optimizer, or a baseline rule; see
``optimizer.methods``) on one data package. Plans are kept in the server's
``plan_cache()`` (a ``ui.server_cache.ServerCache``), keyed on the package path, when its files
last changed, the scenario's ``model_dump_json()`` and the method, so the same question is solved
once per server, whichever page asks it. The first time a session gets a plan, it is recorded in
the history store (``ui.history.record``), with the session's user name.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from application.isolated import WorkerStopped, run_isolated, time_limit_for, warm_up
from application.workflow import plan_of
from models.dataset import Dataset
from models.messages import has_text
from models.scenario import Horizon, Scenario, SolverSettings
from models.scenario_check import ScenarioReferenceError, scenario_errors
from models.scenario_io import ScenarioFileError, load_scenario, save_scenario
from optimizer.baselines import BASELINES
from optimizer.methods import BASELINE_PREFIX, OPTIMIZER
from optimizer.plan import LevelResult, Plan
from optimizer.solve import LevelCallback, SolverError, SolverUnavailable, SolveTimeout
from optimizer.verify import verified
from store.accounts import Action
from ui import auth, history
from ui.format import literal, number
from ui.i18n import current_language, objective_name, t
from ui.level_text import level_value, settled_line
from ui.problem_text import problem_line
from ui.server_cache import ServerCache
from ui.state import REPO_ROOT, data_last_modified, data_path, load_dataset

SCENARIOS_DIR = REPO_ROOT / "scenarios"
"""Scenarios shipped with the product (read-only for the app)."""
USER_DIR_ENV_VAR = "NTM_USER_DIR"
DEFAULT_USER_DIR = REPO_ROOT / "user"
"""Where the app writes: saved scenarios (``scenarios/``) and imported packages (``uploads/``)."""
DEFAULT_TIME_LIMIT = 60.0
"""Seconds per objective level for a scenario the app builds itself."""
PLANS_CACHED = 32
"""Plans kept in the server's cache (a Sơn La plan is a few MB)."""

CURRENT_KEY = "scenario.current"
"""Session state: the current scenario as ``{"data": package path, "json": scenario JSON}``."""
RUNS_KEY = "runs"
"""Session state: label → :class:`Run`, in the order they were run."""
SOLVED_KEY = "runs.solved"
"""Session state: cache keys this session has already solved (shown without a progress box)."""
SELECTED_KEY = "results.selected"
"""Session state: the label of the run the Results page shows."""

SolveError = (SolveTimeout, SolverUnavailable, SolverError, ScenarioReferenceError, WorkerStopped)
"""What a solve may raise that the user can act on (raise the time limit, install a solver, fix
a scenario that names what the package lacks, ask less of the worker process)."""


@dataclass(frozen=True)
class Run:
    """A scenario answered by one method on one data package; its plan comes from the cache."""

    label: str
    data: str
    scenario: str
    """``Scenario.model_dump_json()``."""
    method: str = OPTIMIZER
    """``optimizer`` or ``baseline:<name>``."""
    verify: bool = False
    """The audit switch: every level solved again with the other solver (optimizer/verify.py)."""

    def scenario_model(self) -> Scenario:
        return Scenario.model_validate_json(self.scenario)


# -- where scenarios live ------------------------------------------------------------------------
def user_dir() -> Path:
    """The folder the app writes to: ``$NTM_USER_DIR`` or ``user/`` in the project."""
    configured = os.environ.get(USER_DIR_ENV_VAR, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_USER_DIR


def scenario_roots() -> list[Path]:
    """Where an uploaded scenario's ``extends:`` and ``dataset:`` may point: the shipped scenarios
    and data, and the user folder (never elsewhere on the server)."""
    return [REPO_ROOT / "scenarios", REPO_ROOT / "data", user_dir(), data_path()]


def user_scenarios_dir() -> Path:
    return user_dir() / "scenarios"


def uploads_dir() -> Path:
    return user_dir() / "uploads"


def scenario_files() -> list[Path]:
    """Shipped scenarios, then the user's saved ones, each list sorted by file name."""
    shipped = sorted(SCENARIOS_DIR.glob("*.yaml"))
    saved = sorted(user_scenarios_dir().glob("*.yaml")) if user_scenarios_dir().is_dir() else []
    return shipped + saved


def is_user_file(path: Path) -> bool:
    return path.resolve().parent == user_scenarios_dir().resolve()


@st.cache_data(show_spinner=False, max_entries=64)
def _read_scenario(path: str, last_modified: float) -> Scenario:
    del last_modified  # only part of the cache key
    return load_scenario(path)


def read_scenario(path: Path) -> Scenario:
    """A scenario file, validated (cached on path and modification time); ScenarioFileError."""
    return _read_scenario(str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0)


def readable_scenarios() -> dict[Path, Scenario]:
    """Every scenario file that loads (broken files are left out here; the picker reports them)."""
    found = {}
    for path in scenario_files():
        try:
            found[path] = read_scenario(path)
        except ScenarioFileError:
            continue
    return found


def same_package(scenario: Scenario, data: Path) -> bool:
    """Whether a scenario is written for the package at ``data`` (or names no package)."""
    return scenario.dataset is None or Path(scenario.dataset).resolve() == data.resolve()


def slug(text: str) -> str:
    """A file name from a scenario name: ``Sơn La – cắt 20%`` → ``son_la_cat_20``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "scenario"


def user_scenario_path(scenario: Scenario) -> Path:
    """The file in the user's folder a scenario is saved to (named after it)."""
    return user_scenarios_dir() / f"{slug(scenario.name)}.yaml"


def save_user_scenario(scenario: Scenario) -> Path:
    """Write the scenario as YAML into the user's folder, named after it; returns the path."""
    user_scenarios_dir().mkdir(parents=True, exist_ok=True)
    return save_scenario(scenario, user_scenario_path(scenario))


# -- the current scenario ------------------------------------------------------------------------
def default_scenario(dataset: Dataset, data: Path) -> Scenario:
    """A plain scenario for any package: every budget year, default objectives and floor."""
    years = dataset.years or (dataset.info.base_year + 1,)
    return Scenario(
        name=t("scenario.default_name", name=dataset.info.name),
        dataset=str(data.resolve()),
        horizon=Horizon(start=min(years), end=max(years)),
        solver=SolverSettings(time_limit=DEFAULT_TIME_LIMIT),
    )


def starting_scenario(dataset: Dataset, data: Path) -> Scenario:
    """The first shipped scenario written for this package, else :func:`default_scenario`."""
    for path, scenario in readable_scenarios().items():
        if not is_user_file(path) and scenario.dataset and same_package(scenario, data):
            return scenario
    return default_scenario(dataset, data)


def for_package(scenario: Scenario, data: Path) -> Scenario:
    """The scenario pointed at the package in use (a file may name another one)."""
    return scenario.model_copy(update={"dataset": str(data.resolve())})


def current_scenario(dataset: Dataset) -> Scenario:
    """The scenario this session is working on, for the package in use."""
    data = data_path()
    entry = st.session_state.get(CURRENT_KEY)
    if entry and entry["data"] == str(data.resolve()):
        return Scenario.model_validate_json(entry["json"])
    scenario = for_package(starting_scenario(dataset, data), data)
    set_current_scenario(scenario)
    return scenario


def set_current_scenario(scenario: Scenario) -> None:
    data = data_path()
    st.session_state[CURRENT_KEY] = {
        "data": str(data.resolve()),
        "json": for_package(scenario, data).model_dump_json(),
    }


# -- methods, runs and plans ---------------------------------------------------------------------
def baselines() -> dict[str, Callable[[Dataset, Scenario], Plan]]:
    """Baseline rules by name (``optimizer.baselines.BASELINES``)."""
    return dict(BASELINES)


def method_name(method: str, lang: str | None = None) -> str:
    """``optimizer`` → "Tối ưu"; ``baseline:formula`` → the baseline's name in the language."""
    if method == OPTIMIZER:
        return t("method.optimizer", lang)
    name = method.removeprefix(BASELINE_PREFIX)
    key = f"baseline.{name}"
    return t(key, lang) if has_text(key) else name.replace("_", " ")


def compute_plan(
    dataset: Dataset,
    scenario: Scenario,
    method: str = OPTIMIZER,
    on_level: LevelCallback | None = None,
    verify: bool = False,
) -> Plan:
    """Answer a scenario by a method (no caching): the optimizer, telling ``on_level`` each
    objective level as soon as it is settled (with ``verify``, audited by the other solver),
    or a baseline rule. It runs in a worker process held to a memory cap and a time limit
    (``application.isolated``); a worker stopped by either raises WorkerStopped."""
    return run_isolated(
        plan_of,
        method,
        dataset,
        scenario,
        verify,
        time_limit=solve_seconds(scenario, verify),
        on_progress=on_level,
        callback="on_level",
    )


def plan_in_worker(method: str, dataset: Dataset, scenario: Scenario) -> Plan:
    """``compute_plan`` in the shape of ``store.Solver``: the store's re-runs solve in a worker
    process too."""
    return compute_plan(dataset, scenario, method)


def solve_seconds(scenario: Scenario, verify: bool = False) -> float:
    """How long the worker process may take on the scenario (application.isolated)."""
    rounds = 2 if verify else 1
    return time_limit_for(scenario.solver.time_limit, len(scenario.objectives), rounds)


def failure_reason(error: Exception, lang: str | None = None) -> str:
    """Why a solve failed, for the page: a stopped worker in the language, else the error."""
    if isinstance(error, WorkerStopped):
        lang = lang or current_language()
        if error.reason == "memory":
            return t("worker.memory", lang, mb=number(error.limit, 0, lang))
        if error.reason == "time":
            return t("worker.time", lang, seconds=number(error.limit, 0, lang))
        return t("worker.crashed", lang, code=error.exitcode, mb=number(error.limit, 0, lang))
    return literal(error)


APP_MODULES = (
    "streamlit",
    "store.accounts",
    "ui.auth",
    "ui.i18n",
    "ui.pages.data",
    "ui.runs",
    "ui.state",
)
"""What app.py imports: a solve's worker process imports app.py (multiprocessing loads the
parent's main script in each worker), so the forkserver has these loaded once."""


@st.cache_resource(show_spinner=False)
def worker_server() -> bool:
    """Start the solve workers' forkserver once per server, when the first page is drawn; with
    the modules of app.py, which multiprocessing imports in every worker (as its main script)."""
    warm_up(also=APP_MODULES)
    return True


@st.cache_resource(show_spinner=False)
def plan_cache() -> ServerCache[Plan]:
    """One plan cache per server (plans are frozen models, so sharing them is safe). Not
    ``st.cache_data``: it would replay the progress lines written while a plan solves."""
    return ServerCache(PLANS_CACHED)


def cached_plan(
    data: str,
    last_modified: float,
    scenario_json: str,
    method: str,
    verify: bool = False,
    on_level: LevelCallback | None = None,
) -> Plan:
    """The plan for the package (at its modification time), the scenario JSON and the method:
    from the server's cache, or solved now, telling ``on_level`` each level as it is settled.
    With ``verify`` the plan carries the other solver's audit (a cached plan is audited, not
    solved again; the audited plan also answers the same run without the audit).
    A failed solve raises and caches nothing."""
    plain = (data, last_modified, scenario_json, method)
    key = (*plain, True) if verify else plain
    plan = plan_cache().get(key)
    if plan is None:
        dataset = load_dataset(Path(data))
        scenario = Scenario.model_validate_json(scenario_json)
        plan = plan_cache().get(plain) if verify else None
        if plan is None:
            plan = compute_plan(dataset, scenario, method, on_level, verify)
        elif plan.verification is None:
            seconds = solve_seconds(scenario, verify=True)
            plan = run_isolated(verified, dataset, scenario, plan, time_limit=seconds)
        plan_cache().put(key, plan)
        plan_cache().put(plain, plan)
    return plan


def _progress_writer(run: Run, scenario: Scenario, status) -> LevelCallback:
    """Write each settled level into the run's progress box as the solver settles it, so the
    first answer (communes at standard) shows while the tie-breaking levels are still solving."""
    total = len(scenario.objectives)
    floor = scenario.floor_for(load_dataset(Path(run.data)).criteria.size)
    settled: list[LevelResult] = []

    def told(level: LevelResult) -> None:
        settled.append(level)
        lang = current_language()
        st.write(settled_line(level, len(settled), total, floor, lang))
        progress = t(
            "run.solving_progress",
            name=literal(run.label),
            method=method_name(run.method),
            done=len(settled),
            total=total,
        )
        # the first level's figure (communes at standard) on screen while the rest solve
        first = settled[0]
        figure = f"{objective_name(first.objective, lang, floor)}: {level_value(first, first.value, lang)}"
        status.update(label=f"{progress} — {figure}")

    return told


def _key(run: Run) -> tuple[str, float, str, str, bool]:
    return (run.data, data_last_modified(Path(run.data)), run.scenario, run.method, run.verify)


def plan_for(run: Run) -> Plan | None:
    """The run's plan: from the cache, or solved now inside a progress box.

    A solve that finds no plan in time, or a missing solver, is shown as an error and gives None;
    it is never replaced by something that looks like a plan.
    """
    key = _key(run)
    solved: set = st.session_state.setdefault(SOLVED_KEY, set())
    if key in solved:
        try:
            return cached_plan(*key)
        except SolveError as error:  # evicted from the cache and failing now
            st.error(t("run.failed", name=literal(run.label), reason=failure_reason(error)))
            return None
    if not auth.may(Action.RECORD_RUN):  # a viewer sees stored plans but solves nothing
        st.info(t("auth.cannot_run"), icon=":material/lock:")
        return None
    problems = check_errors(run)
    if problems:  # e.g. a scenario written for another package, run from Results or Compare
        st.error(t("scenario.checks_error"))
        st.code("\n".join(problems), language=None)
        return None
    scenario = run.scenario_model()
    label = t("run.solving", name=literal(run.label), method=method_name(run.method))
    with st.status(label, expanded=False) as status:
        if run.method == OPTIMIZER:
            st.write(
                t(
                    "run.solving_detail",
                    levels=len(scenario.objectives),
                    limit=number(scenario.solver.time_limit, 0, current_language()),
                )
            )
        started, started_at = time.perf_counter(), datetime.now(UTC)
        try:
            told = _progress_writer(run, scenario, status) if run.method == OPTIMIZER else None
            plan = cached_plan(*key, on_level=told)
        except SolveError as error:
            status.update(label=t("run.failed_short", name=literal(run.label)), state="error")
            st.error(t("run.failed", name=literal(run.label), reason=failure_reason(error)))
            return None
        seconds = time.perf_counter() - started
        status.update(
            label=t(
                "run.solved",
                name=literal(run.label),
                seconds=number(seconds, 1, current_language()),
            ),
            state="complete",
        )
    finished_at = datetime.now(UTC)
    # outside the (collapsed) status box, so that a warning about the store is seen
    recorded = history.record(scenario, load_dataset(Path(run.data)), plan, started_at, finished_at)
    if recorded is not None:
        status.caption(
            t(
                "history.recorded",
                run=recorded.id,
                name=recorded.scenario_name,
                version=recorded.scenario_version,
            )
        )
    solved.add(key)
    return plan


def solved_plan(scenario: Scenario) -> Plan | None:
    """The optimizer's plan of ``scenario`` on the package in use, if this session solved it
    (from the cache; never solved here)."""
    run = Run("", str(data_path().resolve()), scenario.model_dump_json(), OPTIMIZER)
    key = _key(run)
    if key not in st.session_state.get(SOLVED_KEY, set()):
        return None
    return plan_cache().get(key[:4])  # cached_plan keeps a plan under its key without the audit


def check_errors(run: Run) -> list[str]:
    """What the run's scenario names that its package lacks (a solve would raise on it)."""
    dataset = load_dataset(Path(run.data))
    scenario = run.scenario_model()
    lang = current_language()
    return [problem_line(p, lang) for p in scenario_errors(dataset, scenario)]


def runs() -> dict[str, Run]:
    """The runs of this session on the package in use, by label, oldest first."""
    data = str(data_path().resolve())
    every: dict[str, Run] = st.session_state.get(RUNS_KEY, {})
    return {label: run for label, run in every.items() if run.data == data}


def add_run(scenario: Scenario, method: str = OPTIMIZER, verify: bool = False) -> Run:
    """Record a run of ``scenario`` (replacing an earlier run of the same scenario name and method
    on the same package, whatever the language its label was written in); ``verify``: audit the
    plan with the other solver."""
    data = data_path().resolve()
    label = scenario.name if method == OPTIMIZER else f"{scenario.name} · {method_name(method)}"
    run = Run(
        label=label,
        data=str(data),
        scenario=scenario.model_dump_json(),
        method=method,
        verify=verify and method == OPTIMIZER,
    )
    every: dict[str, Run] = st.session_state.setdefault(RUNS_KEY, {})
    every.pop(label, None)
    for other, earlier in list(every.items()):  # a baseline labelled in the other language
        if (earlier.data, earlier.method) == (run.data, method) and (
            earlier.scenario_model().name == scenario.name
        ):
            every.pop(other)
    every[label] = run
    return run


def select_run(label: str) -> None:
    """Make the Results page show this run next time it opens."""
    st.session_state[SELECTED_KEY] = label
