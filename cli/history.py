"""The ``ntm`` commands that use the history store (``store``): recording runs, ``history``,
``show``, ``compare --runs``, ``rerun`` and the ``scenario`` approval workflow.

Thin like the rest of the command line: the store does the saving, diffing and re-solving; this
module opens it (``--database``, else ``NTM_DATABASE_URL``, the settings file or the default SQLite
file), turns its records into text and its errors into exit codes. See docs/cli.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy.exc import SQLAlchemyError

from cli.output import (
    EXIT_INFEASIBLE,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    Console,
    check_out,
    heartbeat,
    num,
    print_plan_summary,
    signed,
    text_table,
    written,
)
from cli.sign_in import acting_user
from models.dataset import Dataset
from models.io import load_package
from models.scenario import Scenario
from models.scenario_check import ScenarioReferenceError, ensure_scenario_fits
from models.scenario_io import load_scenario
from optimizer.plan import Plan
from reports import (
    PLAN_REPORT_FILES,
    staged_output,
    write_comparison_report,
    write_plan_report,
)
from reports.labels import label
from reports.provenance import Provenance
from reports.report import pooled_period
from store import (
    ApprovalState,
    NotFound,
    RunDiff,
    RunRecord,
    RunSummary,
    ScenarioVersionRecord,
    Store,
    StoreError,
    diff_plans,
)
from store.accounts import Action, Identity
from store.config import URL_VARIABLE, default_sqlite_path, display_url, normalise_url, resolve_url
from store.records import SHORT_HASH
from store.store import User

HISTORY_LIMIT = 20
"""Runs ``ntm history`` lists unless told otherwise."""
CHANGES_SHOWN = 3
"""Field changes of a new scenario version printed after a run is recorded."""
TIME_FORMAT = "%Y-%m-%d %H:%M"
SECONDS_FORMAT = "%Y-%m-%d %H:%M:%S"


# -- opening the store -------------------------------------------------------------------------
def _database_origin(database: str | None) -> str:
    """Where the database URL came from, for an error message."""
    if database:
        return "--database"
    if os.environ.get(URL_VARIABLE):
        return URL_VARIABLE
    try:
        if resolve_url(None) == normalise_url(default_sqlite_path()):
            return "the default history file"
    except Exception:  # the settings file itself is broken: that is the origin
        pass
    return "the settings file ([store] database_url)"


def _reason(error: BaseException) -> str:
    """A database error on one line, without SQLAlchemy's "background on this error" link."""
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error)
    text = text.split("(Background on this error")[0]
    return " ".join(text.split())


def open_history(database: str | None, console: Console, *, can_skip: bool = False) -> Store:
    """The history store (migrated on open), or a CliError (exit 1) saying what is wrong.

    ``can_skip``: the command could run without the store, so the message suggests --no-record.
    """
    try:
        history = Store.open(database or None)
    except (StoreError, SQLAlchemyError, OSError, ValueError, ImportError) as error:
        try:
            where = display_url(resolve_url(database or None))
        except Exception:
            where = str(database)
        details = [
            f"database: {where} (from {_database_origin(database)})",
            "give another with --database URL or NTM_DATABASE_URL (a file path means SQLite)",
        ]
        if can_skip:
            details.append("or add --no-record to solve without recording the run")
        raise CliError(
            f"the history store cannot be opened: {_reason(error)}", details=details
        ) from None
    console.progress(f"history store: {display_url(history.url)}")
    return history


def _get_run(history: Store, run_id: int) -> RunRecord:
    try:
        return history.get_run(run_id)
    except NotFound:
        raise CliError(
            f"no run {run_id} in the history store {display_url(history.url)} "
            "(ntm history lists the runs)"
        ) from None


def _save_version(
    history: Store, scenario: Scenario, user: User, note: str
) -> tuple[ScenarioVersionRecord, bool]:
    """Save the scenario without its ``dataset:`` path (runs record the data itself, and a path
    differs from machine to machine); True when this made a new version."""
    scenario = scenario.model_copy(update={"dataset": None})
    try:
        previous: int | None = history.scenario_version(scenario.name).id
    except NotFound:
        previous = None
    version = history.save_scenario(scenario, user=user, note=note)
    return version, version.id != previous


# -- recording runs ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Recorded:
    """A run just recorded, and whether its scenario version was new."""

    run: RunRecord
    version: ScenarioVersionRecord
    new_version: bool


class Recorder:
    """Records each plan a command makes in the history store, unless ``--no-record``.

    Opened before any solve, so that a store that cannot be opened stops the command before the
    work; use it as a context manager (it closes the store).
    """

    def __init__(self, args: argparse.Namespace, console: Console) -> None:
        self.console = console
        self.note: str = args.note
        self.history = (
            None if args.no_record else open_history(args.database, console, can_skip=True)
        )
        self.user: User = (
            args.user if self.history is None else acting_user(self.history, args.user, console)
        )
        if self.history is not None:  # refused before the solve, not after it
            self.history.check(self.user, Action.RECORD_RUN)
        self._stored: list[tuple[Dataset, str]] = []
        self._unannounced: list[int] = []
        """Runs recorded but not yet announced: a report that then fails to be written leaves
        them recorded, and the user is told which (and how to write the report again)."""

    def __enter__(self) -> Recorder:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self.history is not None:
            self.history.close()
        if _error is not None and self._unannounced:
            ids = ", ".join(str(i) for i in self._unannounced)
            self.console.notice(
                f"the history keeps run {ids}, recorded before the report failed; write its "
                f"report again with: ntm show {self._unannounced[0]} --out DIR"
            )

    def record(
        self,
        scenario: Scenario,
        dataset: Dataset,
        plan: Plan,
        started: datetime,
        finished: datetime,
    ) -> Recorded | None:
        """Save the scenario (a new version only if it changed) and the run; None if not recording."""
        if self.history is None:
            return None
        version, new_version = _save_version(self.history, scenario, self.user, self.note)
        # the first run stores the data; later ones name it by hash instead of hashing it again
        known = next((h for d, h in self._stored if d is dataset), None)
        run = self.history.record_run(
            version,
            known or dataset,
            plan,
            user=self.user,
            started_at=started,
            finished_at=finished,
            note=self.note,
        )
        if known is None:
            self._stored.append((dataset, run.dataset_hash))
        self._unannounced.append(run.id)
        return Recorded(run, version, new_version)

    def announce(self, recorded: Sequence[Recorded | None]) -> None:
        """One line per recorded run: its id and scenario version (and what changed, if new)."""
        self._unannounced.clear()
        for item in recorded:
            if item is None:
                continue
            v = item.version
            text = self.console.t(
                "hist.recorded", run=item.run.id, scenario=v.scenario_name, version=v.version
            )
            if item.new_version:
                text += self.console.t("hist.new_version")
            self.console.out(text)
            if item.new_version and v.changes:
                shown = [c.describe() for c in v.changes[:CHANGES_SHOWN]]
                if len(v.changes) > CHANGES_SHOWN:
                    shown.append(f"… {len(v.changes) - CHANGES_SHOWN} more")
                self.console.out(self.console.t("hist.changes", changes="; ".join(shown)))


def now() -> datetime:
    return datetime.now(UTC)


# -- formatting --------------------------------------------------------------------------------
def _when(moment: datetime, pattern: str = TIME_FORMAT) -> str:
    """A stored (UTC) moment in this machine's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime(pattern)


def _state(console: Console, state: ApprovalState) -> str:
    """An approval state as the app names it, in lower case (it sits inside a line here)."""
    named = console.t(f"approval.{state.value}")
    return named[:1].lower() + named[1:]


def _status(console: Console, run: RunSummary) -> str:
    return console.t(f"status.{run.status.value}")


def _at_standard(run: RunSummary) -> str:
    if run.at_standard_after is None:
        return "–"
    return f"{run.at_standard_before} → {run.at_standard_after}"


def _run_line(console: Console, run: RunSummary) -> str:
    """One line naming a run: scenario version, method, status, data, when, who."""
    return console.t(
        "hist.run_line",
        run=run.id,
        scenario=run.scenario_name,
        version=run.scenario_version,
        state=_state(console, run.approval_state),
        method=run.method,
        status=_status(console, run),
        dataset=run.dataset_name,
        hash=run.dataset_hash[:SHORT_HASH],
        when=_when(run.finished_at),
        user=run.run_by,
    )


# -- ntm history -------------------------------------------------------------------------------
def cmd_history(args: argparse.Namespace, console: Console) -> int:
    """The recorded runs, newest first: a table."""
    if args.limit < 1:
        raise CliError("--limit must be at least 1", EXIT_USAGE)
    with open_history(args.database, console) as history:
        runs = history.list_runs(scenario=args.scenario, user=args.user, limit=args.limit)
        where = display_url(history.url)
    if not runs:
        console.out(console.t("hist.empty", database=where))
        return EXIT_OK
    t = console.t
    header = [
        t("hist.col.run"),
        t("hist.col.when"),
        t("hist.col.scenario"),
        t("hist.col.approval"),
        t("hist.col.dataset"),
        t("hist.col.method"),
        t("hist.col.status"),
        t("hist.col.at_standard"),
        t("hist.col.money"),
        t("hist.col.user"),
    ]
    rows = [
        [
            str(r.id),
            _when(r.finished_at),
            f"{r.scenario_name} v{r.scenario_version}",
            _state(console, r.approval_state),
            f"{r.dataset_name} {r.dataset_hash[:SHORT_HASH]}",
            r.method + (f" ({t('hist.rerun_of', run=r.rerun_of)})" if r.rerun_of else ""),
            _status(console, r),
            _at_standard(r),
            console.money(r.money_total),
            r.run_by,
        ]
        for r in runs
    ]
    console.out(text_table(header, rows, align="rllllllrrl"))
    if len(runs) == args.limit:
        console.out(t("hist.more", limit=args.limit))
    return EXIT_OK


# -- ntm show ----------------------------------------------------------------------------------
def cmd_show(args: argparse.Namespace, console: Console) -> int:
    """One stored run: where it came from, its plan's summary; its report with --out."""
    out = check_out(Path(args.out)) if args.out else None
    with open_history(args.database, console) as history:
        run = _get_run(history, args.run)
        version = history.scenario_version_by_id(run.scenario_version_id)
        data = history.dataset_record(run.dataset_hash)
        dataset = history.load_dataset(run.dataset_hash)
    t = console.t
    console.out(
        t(
            "hist.show.title",
            run=run.id,
            scenario=run.scenario_name,
            version=run.scenario_version,
            state=_state(console, run.approval_state),
        )
    )
    console.out(
        t(
            "hist.show.version",
            user=version.saved_by,
            when=_when(version.saved_at),
            changes=version.change_summary(),
        )
    )
    if version.note:
        console.out(t("hist.show.version_note", note=version.note))
    console.out(
        t(
            "hist.show.approval",
            state=_state(console, version.state),
            user=version.state_by,
            when=_when(version.state_at),
        )
    )
    console.out(
        t(
            "hist.show.dataset",
            name=data.name,
            province=data.province,
            year=data.base_year,
            hash=data.short_hash,
            communes=data.communes,
            items=data.investments,
        )
    )
    console.out(
        t(
            "hist.show.method",
            method=run.method,
            solver=run.solver_version or run.solver or "–",
            pulp=run.pulp_version or "–",
        )
    )
    console.out(
        t(
            "hist.show.when",
            user=run.run_by,
            started=_when(run.started_at, SECONDS_FORMAT),
            finished=_when(run.finished_at, SECONDS_FORMAT),
        )
    )
    console.out(
        t(
            "hist.show.timings",
            prepare=console.number(run.prepare_seconds, 2),
            build=console.number(run.build_seconds, 2),
            solve=console.number(run.solve_seconds, 2),
            total=console.number(run.total_seconds, 2),
        )
    )
    if run.rerun_of is not None:
        console.out("  " + t("hist.rerun_of", run=run.rerun_of))
    if run.note:
        console.out(t("hist.show.note", note=run.note))
    console.out()
    print_plan_summary(console, run.plan, dataset, run.scenario)
    if out is not None:
        with staged_output(out, replaces=PLAN_REPORT_FILES) as folder:
            paths = write_plan_report(
                folder,
                run.plan,
                dataset,
                run.scenario,
                None,
                args.lang,
                provenance=Provenance.of_run(run),
            )
        written(console, out, [p.relative_to(folder) for p in paths])
    return EXIT_OK


# -- ntm compare --runs ------------------------------------------------------------------------
def print_run_diff(console: Console, run_a: RunRecord, run_b: RunRecord, diff: RunDiff) -> None:
    """The headline figures of both runs with their change, then the decisions that differ."""
    a, b = diff.run_a, diff.run_b
    floors = {r.plan.kpis.floor for r in (run_a, run_b) if r.plan.kpis is not None}
    floor = floors.pop() if len(floors) == 1 else ""
    header = [
        console.t("col.indicator"),
        console.t("hist.run", run=a),
        console.t("hist.run", run=b),
        "Δ",
    ]
    rows = []
    for kpi in diff.kpis:
        name = kpi.name.removesuffix("_after")
        decimals = 2 if name == "mean_criteria" else 0
        change = None if kpi.a is None or kpi.b is None else kpi.b - kpi.a
        rows.append(
            [
                label(f"kpi.{name}", console.lang, floor=floor),
                console.number(num(kpi.a), decimals),
                console.number(num(kpi.b), decimals),
                signed(console, change, decimals),
            ]
        )
    console.out(text_table(header, rows))
    console.out()
    for line in diff.model_copy(update={"kpis": ()}).lines():
        console.out(line)


def compare_runs(args: argparse.Namespace, console: Console) -> int:
    """``ntm compare --runs A B``: two stored runs, decision by decision (nothing is solved)."""
    a, b = args.runs
    if a == b:
        raise CliError("--runs needs two different runs", EXIT_USAGE)
    if args.dataset:
        raise CliError("--dataset does not apply to --runs (each run keeps its data)", EXIT_USAGE)
    out = check_out(Path(args.out)) if args.out else None
    with open_history(args.database, console) as history:
        run_a, run_b = _get_run(history, a), _get_run(history, b)
        dataset = history.load_dataset(run_a.dataset_hash) if out is not None else None
    for run in (run_a, run_b):
        console.out(_run_line(console, run))
    if run_a.dataset_hash != run_b.dataset_hash:
        console.out(console.t("hist.other_data"))
    console.out()
    print_run_diff(console, run_a, run_b, diff_plans(run_a.plan, run_b.plan, run_a=a, run_b=b))
    if out is not None and dataset is not None:
        plans = {f"run_{a}": run_a.plan, f"run_{b}": run_b.plan}
        files = {
            f"run_{r.id}": f"run {r.id}: {r.scenario_name} v{r.scenario_version}"
            for r in (run_a, run_b)
        }
        with staged_output(out) as folder:
            origins = {f"run_{r.id}": Provenance.of_run(r) for r in (run_a, run_b)}
            period = pooled_period((run_a.scenario, run_b.scenario))
            paths, _ = write_comparison_report(
                folder, plans, dataset, files, args.lang, origins, period
            )
        written(console, out, [p.relative_to(folder) for p in paths])
    return EXIT_OK


# -- ntm rerun ---------------------------------------------------------------------------------
def cmd_rerun(args: argparse.Namespace, console: Console) -> int:
    """Solve a stored run again, on its stored data (reproduced?) or on a new data package."""
    dataset = load_package(args.dataset) if args.dataset else None
    with open_history(args.database, console) as history:
        original = _get_run(history, args.run)
        user = acting_user(history, args.user, console)
        if dataset is None:
            new = _rerun_on_stored_data(history, original, user, console)
        else:
            new = _rerun_on_new_data(history, original, dataset, args.dataset, user, console)
    return EXIT_OK if new.plan.feasible else EXIT_INFEASIBLE


def _what(run: RunSummary) -> str:
    return f"run {run.id} ({run.scenario_name} v{run.scenario_version}, {run.method})"


def _rerun_on_stored_data(
    history: Store, original: RunRecord, user: User, console: Console
) -> RunRecord:
    """Re-solve on the stored data; say whether the plan is reproduced, and how it differs."""
    with heartbeat(console, f"re-solving {_what(original)} on its stored data"):
        reproduction = history.rerun(original.id, user=user)
    new = reproduction.new
    console.out(_run_line(console, original))
    console.out(_run_line(console, new))
    key = "hist.reproduced" if reproduction.reproduced else "hist.not_reproduced"
    console.out(console.t(key, run=new.id, original=original.id))
    for change in reproduction.environment_changed:
        console.out(console.t("hist.environment", change=change))
    if not reproduction.reproduced:
        console.out()
        print_run_diff(console, original, new, reproduction.diff)
    return new


def _rerun_on_new_data(
    history: Store,
    original: RunRecord,
    dataset: Dataset,
    path: str,
    user: User,
    console: Console,
) -> RunRecord:
    """Solve the run's scenario version on a new package (checked first); show what changes."""
    try:
        warnings = ensure_scenario_fits(dataset, original.scenario)
    except ScenarioReferenceError as error:
        raise CliError(
            f"{path}: run {original.id}'s scenario names what the data package does not have "
            f"({len(error.problems)} problem(s))",
            details=[str(p) for p in error.problems],
        ) from None
    for warning in warnings:
        print(f"ntm: warning: {path}: {warning}", file=sys.stderr, flush=True)
    with heartbeat(console, f"solving {_what(original)} on {path}"):
        new = history.run_on_dataset(
            original.scenario_version_id,
            dataset,
            user=user,
            note=f"run {original.id}'s scenario on {Path(path).name}",
            method=original.method,
            rerun_of=original.id,
        )
    console.out(_run_line(console, original))
    console.out(_run_line(console, new))
    if new.dataset_hash == original.dataset_hash:
        console.out(console.t("hist.same_data"))
    console.out()
    diff = diff_plans(original.plan, new.plan, run_a=original.id, run_b=new.id)
    print_run_diff(console, original, new, diff)
    return new


# -- ntm scenario ------------------------------------------------------------------------------
TRANSITION_FROM = {
    "submit": ApprovalState.DRAFT,
    "approve": ApprovalState.SUBMITTED,
    "reject": ApprovalState.SUBMITTED,
}


def cmd_scenario_transition(args: argparse.Namespace, console: Console) -> int:
    """submit / approve / reject one scenario version."""
    with open_history(args.database, console) as history:
        user = acting_user(history, args.user, console)
        if not isinstance(user, Identity):
            console.notice(
                "this history store has no user accounts, so anyone may approve; create the "
                "first admin with: ntm user add NAME --role admin"
            )
        move = getattr(history, args.action)
        record = move(args.name, args.version, user=user, note=args.note)
    console.out(
        console.t(
            "hist.moved",
            scenario=record.scenario_name,
            version=record.version,
            before=_state(console, TRANSITION_FROM[args.action]),
            after=_state(console, record.state),
            user=record.state_by,
        )
    )
    return EXIT_OK


def cmd_scenario_versions(args: argparse.Namespace, console: Console) -> int:
    """Every version of a scenario: state, who saved it, runs, changes; the approval events."""
    with open_history(args.database, console) as history:
        versions = history.scenario_versions(args.name)
        events = history.approval_history(args.name)
        runs = Counter(
            r.scenario_version for r in history.list_runs(scenario=args.name, limit=None)
        )
    t = console.t
    header = [
        t("hist.col.version"),
        t("hist.col.approval"),
        t("hist.col.saved"),
        t("hist.col.saved_by"),
        t("hist.col.runs"),
        t("hist.col.note"),
    ]
    rows = [
        [
            f"v{v.version}",
            _state(console, v.state),
            _when(v.saved_at),
            v.saved_by,
            str(runs.get(v.version, 0)),
            v.note,
        ]
        for v in versions
    ]
    console.out(t("hist.versions", scenario=args.name, count=len(versions)))
    console.out(text_table(header, rows, align="llllrl"))
    console.out(t("hist.changes_by_version"))
    for v in versions:
        console.out(f"  v{v.version}: {v.change_summary()}")
    if events:
        console.out(t("hist.approvals"))
        for e in events:
            note = f" — {e.note}" if e.note else ""
            console.out(
                f"  v{e.version}: {_state(console, e.from_state)} → {_state(console, e.to_state)}"
                f" ({e.done_by}, {_when(e.done_at)}){note}"
            )
    return EXIT_OK


def cmd_scenario_list(args: argparse.Namespace, console: Console) -> int:
    """Every stored scenario with its newest version and the approved ones."""
    with open_history(args.database, console) as history:
        scenarios = history.list_scenarios()
        where = display_url(history.url)
    if not scenarios:
        console.out(console.t("hist.no_scenarios", database=where))
        return EXIT_OK
    t = console.t
    header = [
        t("hist.col.scenario"),
        t("hist.col.versions"),
        t("hist.col.latest"),
        t("hist.col.approved"),
        t("hist.col.updated"),
    ]
    rows = [
        [
            s.name,
            str(s.versions),
            f"v{s.latest_version} ({_state(console, s.latest_state)})",
            ", ".join(f"v{n}" for n in s.approved_versions) or "–",
            _when(s.updated_at),
        ]
        for s in scenarios
    ]
    console.out(text_table(header, rows, align="lrlll"))
    return EXIT_OK


def cmd_scenario_save(args: argparse.Namespace, console: Console) -> int:
    """Save a scenario file as a new draft version (nothing is solved)."""
    scenario = load_scenario(args.scenario)
    with open_history(args.database, console) as history:
        user = acting_user(history, args.user, console)
        version, new = _save_version(history, scenario, user, args.note)
    key = "hist.saved" if new else "hist.unchanged"
    console.out(console.t(key, scenario=version.scenario_name, version=version.version))
    if new and version.changes:
        for change in version.changes:
            console.out(f"  {change.describe()}")
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------------
def add_record_options(parser: argparse.ArgumentParser) -> None:
    """--no-record, --user, --note: for the commands that record their runs."""
    parser.add_argument(
        "--no-record",
        action="store_true",
        help="do not record the run in the history store (then the store is not opened at all)",
    )
    parser.add_argument(
        "--user", metavar="NAME", help="who runs it (default: $NTM_USER, else the login name)"
    )
    parser.add_argument(
        "--note", default="", metavar="TEXT", help="a note stored with the run and the version"
    )


def _add_lang(parser: argparse.ArgumentParser, languages: Sequence[str], default: str) -> None:
    parser.add_argument(
        "--lang", choices=languages, default=default, help="language of the output: vi or en"
    )


def add_history_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    general: argparse.ArgumentParser,
    languages: Sequence[str],
    default_language: str,
) -> None:
    """history, show, rerun and scenario (compare --runs is an option of compare)."""
    history = commands.add_parser(
        "history",
        parents=[general],
        help="the runs recorded in the history store",
        description="List the recorded runs, newest first: id, when, scenario and version, "
        "approval state, data package, method, status, communes at standard, money, who.",
    )
    history.add_argument("--scenario", metavar="NAME", help="only runs of this scenario")
    history.add_argument("--user", metavar="NAME", help="only runs by this user")
    history.add_argument(
        "--limit", type=int, default=HISTORY_LIMIT, help=f"at most N runs (default {HISTORY_LIMIT})"
    )
    _add_lang(history, languages, default_language)
    history.set_defaults(handler=cmd_history)

    show = commands.add_parser(
        "show",
        parents=[general],
        help="one recorded run: its summary, scenario version, data, solver; its report",
        description="Show a recorded run: scenario version and approval, data package, method, "
        "solver and versions, timings and the plan's summary. With --out, write its report "
        "(the same files as run) from the stored plan, without solving.",
    )
    show.add_argument("run", metavar="RUN", type=int, help="run id (ntm history lists them)")
    show.add_argument("--out", metavar="DIR", help="write the run's report into DIR")
    _add_lang(show, languages, default_language)
    show.set_defaults(handler=cmd_show)

    rerun = commands.add_parser(
        "rerun",
        parents=[general],
        help="solve a recorded run again (reproduced?) or on new data",
        description="Solve a recorded run's scenario version again with the same method. "
        "Without --dataset on its stored data: says whether the plan is reproduced exactly "
        "(same items, start years and payments) and lists any difference. With --dataset on a "
        "new data package: shows what changes. Either way the new run is recorded.",
    )
    rerun.add_argument("run", metavar="RUN", type=int, help="run id (ntm history lists them)")
    rerun.add_argument(
        "--dataset", metavar="DATA", help="a new data package (CSV folder, .xlsx or .zip)"
    )
    rerun.add_argument(
        "--user", metavar="NAME", help="who runs it (default: $NTM_USER, else the login name)"
    )
    _add_lang(rerun, languages, default_language)
    rerun.set_defaults(handler=cmd_rerun)

    scenario = commands.add_parser(
        "scenario",
        parents=[general],
        help="scenario versions and their approval (draft → submitted → approved)",
        description="Scenario versions in the history store and their approval: a version is "
        "a draft when saved, submitted for approval, then approved (frozen for good) or returned "
        "to draft (reject).",
    )
    actions = scenario.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[general], help="every stored scenario")
    _add_lang(listing, languages, default_language)
    listing.set_defaults(handler=cmd_scenario_list)
    versions = actions.add_parser(
        "versions", parents=[general], help="a scenario's versions, changes and approvals"
    )
    versions.add_argument("name", metavar="NAME", help="the scenario's name (its name: field)")
    _add_lang(versions, languages, default_language)
    versions.set_defaults(handler=cmd_scenario_versions)
    save = actions.add_parser(
        "save",
        parents=[general],
        help="save a scenario file as a new draft version (without solving)",
    )
    save.add_argument("scenario", metavar="SCENARIO.yaml")
    save.add_argument("--user", metavar="NAME", help="who saves it")
    save.add_argument("--note", default="", metavar="TEXT", help="what changed, and why")
    _add_lang(save, languages, default_language)
    save.set_defaults(handler=cmd_scenario_save)
    helps = {
        "submit": "draft → submitted: put a version forward for approval",
        "approve": "submitted → approved: the version is frozen from now on",
        "reject": "submitted → draft: return a version to its author (say why with --note)",
    }
    for action, text in helps.items():
        move = actions.add_parser(action, parents=[general], help=text, description=text)
        move.add_argument("name", metavar="NAME", help="the scenario's name")
        move.add_argument("version", metavar="VERSION", type=int, help="version number")
        move.add_argument("--note", default="", metavar="TEXT", help="stored with the event")
        move.add_argument("--user", metavar="NAME", help="who does it (default: login name)")
        _add_lang(move, languages, default_language)
        move.set_defaults(handler=cmd_scenario_transition)
