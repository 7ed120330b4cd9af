"""The ``ntm`` command line: validate a data package, solve scenarios, compare, sweep budgets.

Thin by design: it parses arguments, reports progress on stderr, prints summaries on stdout and
maps errors to exit codes. Loading and checking live in ``application.workflow``, solving in
``optimizer.solve`` / ``baselines`` / ``frontier``, files in ``reports``; the commands
that use the history store (recording runs, history, show, compare --runs, rerun, scenario) in
``cli.history``, and what every command shares in ``cli.output``.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from application.workflow import (
    BesideTheSolve,
    LoadedScenario,
    baseline_rules,
    run_baselines,
    unique_labels,
)
from cli.history import (
    Recorded,
    Recorder,
    add_history_commands,
    add_record_options,
    compare_runs,
    now,
)
from cli.loading import default_out, load_scenario, problem_lines, solve_scenario
from cli.national import add_national_command
from cli.options import add_options_command, write_comparison_brief
from cli.output import (
    EXIT_BROKEN_PIPE,
    EXIT_INFEASIBLE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_SOLVER,
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
from cli.progress import add_scheduler_option, progress_bar
from cli.replan import add_replan_command
from cli.risk import add_risk_command
from cli.users import add_user_commands
from models.io import DataPackageError, load_package, save_csv
from models.merge import MappingError, MergeError, load_mapping, merge_dataset
from models.package_warnings import package_warnings
from models.scenario_io import ScenarioFileError
from models.transition import TransitionError, transition_dataset
from models.transition_io import load_transition, save_package
from optimizer.frontier import budget_frontier
from optimizer.methods import OPTIMIZER
from optimizer.plan import Agreement, Plan
from optimizer.solve import SolverError, SolverUnavailable, SolveTimeout
from optimizer.verify import verified
from reports import (
    PLAN_REPORT_FILES,
    staged_output,
    write_comparison_report,
    write_frontier_report,
    write_plan_report,
)
from reports.labels import DEFAULT_LANGUAGE, LANGUAGES, label
from reports.provenance import Provenance
from reports.report import pooled_period
from store import StoreError
from store.config import display_url, resolve_url

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INFEASIBLE",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID_INPUT",
    "EXIT_OK",
    "EXIT_SOLVER",
    "EXIT_USAGE",
    "CliError",
    "Console",
    "build_parser",
    "main",
]

DEFAULT_RULES = ("formula", "closest_first", "cheapest_first")
TRIAGE_SHOWN = 10
DIFFERENCES_SHOWN = 30


# -- summaries -----------------------------------------------------------------------------------------
def print_baselines(console: Console, plans: dict[str, Plan]) -> None:
    """One line per baseline rule: communes at standard and money."""
    for plan in plans.values():
        if plan.kpis is not None:
            console.out(
                console.t(
                    "cli.baseline",
                    method=label(f"method.{plan.method}", console.lang),
                    at_standard=plan.kpis.at_standard_after,
                    money=console.money(plan.kpis.money_total),
                )
            )


def _outcome_code(plans: Sequence[Plan]) -> int:
    return EXIT_INFEASIBLE if any(not p.feasible for p in plans) else EXIT_OK


# -- commands ------------------------------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    """Load a data package and list every problem, or summarise it."""
    try:
        dataset = load_package(args.data)
    except DataPackageError as error:
        headline, details = problem_lines(error)
        console.error(headline, details)
        return EXIT_INVALID_INPUT
    info = dataset.info
    wards = sum(1 for c in dataset.communes if c.unit_type == "ward")
    at_standard = sum(1 for c in dataset.communes if dataset.at_standard(c.code))
    budget = sum(b.amount for b in dataset.budgets)
    years = dataset.years
    console.out(f"OK: {args.data} — {info.name} ({info.province}), base year {info.base_year}")
    console.out(f"  criteria set {dataset.criteria.code}: {dataset.criteria.size} criteria")
    console.out(
        f"  {len(dataset.communes)} commune-level units ({wards} wards), {at_standard} at standard"
    )
    console.out(
        f"  {len(dataset.investments)} investments, {len(dataset.effects)} effects, "
        f"{len(dataset.sources)} funding sources"
    )
    span = f"{years[0]}-{years[-1]}" if years else "no year"
    console.out(f"  budgets {span}: {budget:,} million VND")
    for warning in package_warnings(dataset):
        console.out(f"  warning: {warning}")
    return EXIT_OK


def cmd_merge(args: argparse.Namespace, console: Console) -> int:
    """Re-aggregate an old-unit data package onto the new units of an official mapping; with
    ``--transition``, carry it into the new cycle (new criteria set, items, sources, budgets)."""
    if args.transition and (args.name or args.base_year or args.omit_empty):
        console.error(
            "--name, --base-year and --omit-empty do not go with --transition: its dataset.csv "
            "names the package and its empty_units.csv gives the units with no old data"
        )
        return EXIT_USAGE
    out = check_out(Path(args.out), [Path(args.data)], replaces_package=True)
    try:
        old = load_package(args.data)
        mapping = load_mapping(args.mapping)
        if args.transition:
            transition = load_transition(args.transition)
            result = transition_dataset(old, mapping, transition, source=args.transition)
            merged = result.dataset
        else:
            merged = merge_dataset(
                old,
                mapping,
                name=args.name or f"{old.info.name} (merged)",
                base_year=args.base_year or old.info.base_year,
                omit_empty=args.omit_empty,
            )
    except DataPackageError as error:
        headline, details = problem_lines(error)
        console.error(headline, details)
        return EXIT_INVALID_INPUT
    except (MappingError, MergeError, TransitionError) as error:
        lines = str(error).splitlines()
        console.error(lines[0], lines[1:])
        return EXIT_INVALID_INPUT
    wards = sum(1 for c in merged.communes if c.unit_type == "ward")
    at_standard = sum(1 for c in merged.communes if merged.at_standard(c.code))
    before = sum(1 for c in old.communes if old.at_standard(c.code))
    if not args.transition:
        save_csv(merged, out)
        console.out(
            f"{len(old.communes)} units → {len(merged.communes)} ({wards} wards), "
            f"{at_standard} at standard after merging (before: {before}); written to {out}"
        )
        return EXIT_OK
    save_package(merged, out)
    communes = [c.code for c in merged.communes if c.unit_type == "commune"]
    standard = sum(1 for code in communes if merged.at_standard(code))
    dropped = ", ".join(f"{kind} {n}" for kind, n in result.dropped.items()) or "nothing"
    console.out(
        f"{len(old.communes)} units on {old.criteria.code} → {len(merged.communes)} "
        f"({wards} wards) on {merged.criteria.code}: {standard} of {len(communes)} communes at "
        f"standard (before: {before}); {len(merged.investments)} items ({result.carried_items} carried, "
        f"{result.new_items} new, {result.items_done} done before the merger); dropped: "
        f"{dropped}; written to {out}"
    )
    return EXIT_OK


def cmd_run(args: argparse.Namespace, console: Console) -> int:
    """Solve one scenario, print its summary, write its report."""
    loaded = load_scenario(console, args.scenario, args.dataset)
    out = check_out(
        Path(args.out) if args.out else default_out(loaded.label), [loaded.dataset_path]
    )
    with Recorder(args, console) as recorder:
        # the baseline rules (pure Python) and the report's chart library are prepared on the
        # other core while HiGHS solves (it releases the GIL); they are kept only for a
        # feasible plan, as before
        rules = [] if args.no_baselines else [r for r in DEFAULT_RULES if r in baseline_rules()]
        beside = BesideTheSolve(loaded.dataset, loaded.scenario, rules)
        started = now()
        plan = solve_scenario(console, loaded)
        if args.verify:
            plan = _verify(console, loaded, plan)
        finished = now()
        prepared = beside.result()
        baselines = prepared if plan.feasible else {}
        with staged_output(out, replaces=PLAN_REPORT_FILES) as folder:
            # recorded first, so that the workbook names its run (Recorder says which run the
            # history keeps if the report then fails)
            recorded = recorder.record(loaded.scenario, loaded.dataset, plan, started, finished)
            paths = write_plan_report(
                folder,
                plan,
                loaded.dataset,
                loaded.scenario,
                baselines,
                args.lang,
                provenance=Provenance.of_run(recorded.run) if recorded else None,
            )
        print_plan_summary(console, plan, loaded.dataset, loaded.scenario)
        if baselines:
            console.out(console.t("cli.baselines"))
            print_baselines(console, baselines)
        written(console, out, [p.relative_to(folder) for p in paths])
        recorder.announce([recorded])
    if not plan.feasible:
        console.error(f"{args.scenario}: the scenario is infeasible (diagnosis above)")
    if plan.verification is not None and plan.verification.agreement == Agreement.DISAGREE:
        console.error(f"{args.scenario}: the solvers disagree: {plan.verification.summary()}")
        return EXIT_SOLVER
    return _outcome_code([plan])


def _verify(console: Console, loaded: LoadedScenario, plan: Plan) -> Plan:
    """The plan with every level solved again by the other solver (``--verify``)."""
    with heartbeat(console, "verifying: every level again with the other solver, cold"):
        plan = verified(loaded.dataset, loaded.scenario, plan)
    assert plan.verification is not None
    console.out(f"Verified: {plan.verification.summary()}")
    return plan


def cmd_compare(args: argparse.Namespace, console: Console) -> int:
    """Solve several scenarios; KPIs side by side, communes that differ, a comparison workbook.

    With ``--runs A B``: compare two recorded runs instead (``cli_history.compare_runs``)."""
    if args.runs:
        if args.scenarios:
            raise CliError("give scenario files or --runs A B, not both", EXIT_USAGE)
        return compare_runs(args, console)
    if len(args.scenarios) < 2:
        raise CliError("give at least two scenario files to compare, or --runs A B", EXIT_USAGE)
    if args.brief and len(args.scenarios) > 4:
        raise CliError("--brief: a one-page brief shows 2 to 4 scenarios", EXIT_USAGE)
    cache: dict = {}
    loaded = [load_scenario(console, path, args.dataset, cache) for path in args.scenarios]
    labels = unique_labels([item.path for item in loaded], reserved={"indicator", "before"})
    out = check_out(
        Path(args.out) if args.out else default_out("compare_" + "_vs_".join(labels)[:120])
    )
    with Recorder(args, console) as recorder:
        plans: dict[str, Plan] = {}
        times = {}
        for index, (name, item) in enumerate(zip(labels, loaded, strict=True), start=1):
            console.progress(f"[{index}/{len(loaded)}] {name}")
            started = now()
            plans[name] = solve_scenario(console, item)
            times[name] = (started, now())
        files = {name: str(item.path) for name, item in zip(labels, loaded, strict=True)}
        with staged_output(out) as folder:
            recorded = [
                recorder.record(item.scenario, item.dataset, plans[name], *times[name])
                for name, item in zip(labels, loaded, strict=True)
            ]
            origins = {
                name: Provenance.of_run(item.run)
                for name, item in zip(labels, recorded, strict=True)
                if item is not None
            }
            paths, tables = write_comparison_report(
                folder,
                plans,
                loaded[0].dataset,
                files,
                args.lang,
                origins,
                pooled_period(item.scenario for item in loaded),
            )
            if args.brief:
                paths.append(write_comparison_brief(folder, plans, loaded, labels, args))
        print_comparison(console, plans, tables)
        written(console, out, [p.relative_to(folder) for p in paths])
        recorder.announce(recorded)
    for name, plan in plans.items():
        if not plan.feasible:
            console.error(f"{files[name]}: the scenario is infeasible")
            if plan.diagnosis is not None:
                print(plan.diagnosis.summary(), file=sys.stderr)
    return _outcome_code(list(plans.values()))


def print_comparison(console: Console, plans: dict[str, Plan], tables) -> None:
    """KPIs side by side with differences to the first scenario; communes that differ."""
    t = console.t
    kpis = tables["compare_kpis"]
    labels = list(plans)
    for name, plan in plans.items():
        status = label(f"status.{plan.status.value}", console.lang)
        console.out(f"{name}: {plan.scenario} — {status}")
    floor = next((p.kpis.floor for p in plans.values() if p.kpis), "")
    header = [t("col.indicator"), t("col.before"), *labels, *(f"Δ {n}" for n in labels[1:])]
    rows = []
    for _, row in kpis.iterrows():
        key = row["indicator"]
        decimals = 2 if key == "mean_criteria" else 0
        shown = [label(f"kpi.{key}", console.lang, floor=floor)]
        shown.append(console.number(num(row["before"]), decimals))
        shown += [console.number(num(row[n]), decimals) for n in labels]
        shown += [signed(console, num(row.get(f"delta_{n}")), decimals) for n in labels[1:]]
        rows.append(shown)
    console.out(text_table(header, rows))
    communes = tables["compare_communes"]
    standard = [c for c in communes.columns if str(c).endswith("|standard")]
    differ = communes[communes[standard].nunique(axis=1) > 1] if standard else communes.iloc[0:0]
    if len(differ):
        console.out(t("cli.differ"))
        for _, row in differ.head(DIFFERENCES_SHOWN).iterrows():
            yes = [n for n in labels if bool(row.get(f"{n}|standard"))]
            console.out(
                f"  {row['code']} {row['name']} ({row['district']}): {', '.join(yes) or '–'}"
            )
        if len(differ) > DIFFERENCES_SHOWN:
            console.out(f"  … {len(differ) - DIFFERENCES_SHOWN} more in the workbook")
    else:
        console.out(t("cli.no_difference"))


def cmd_frontier(args: argparse.Namespace, console: Console) -> int:
    """Sweep the budget: communes at standard per budget level, a chart, the triage order."""
    if args.points < 1:
        raise CliError("--points must be at least 1", EXIT_USAGE)
    if not (math.isfinite(args.low) and math.isfinite(args.high)):
        raise CliError("--low and --high must be numbers", EXIT_USAGE)
    if args.low < 0 or args.high < args.low:
        raise CliError("need 0 ≤ --low ≤ --high", EXIT_USAGE)
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1", EXIT_USAGE)
    loaded = load_scenario(console, args.scenario, args.dataset)
    out = check_out(Path(args.out) if args.out else default_out(loaded.label))
    tick = progress_bar(console, "frontier points")

    console.progress(
        f"frontier of {loaded.scenario.name!r}: {args.points} points, "
        f"budget × {args.low:g} … × {args.high:g}"
    )
    frontier = budget_frontier(
        loaded.dataset,
        loaded.scenario,
        args.points,
        args.low,
        args.high,
        progress=tick,
        workers=args.workers,
        scheduler=args.scheduler,
    )
    with staged_output(out) as folder:
        paths, table = write_frontier_report(
            folder, frontier, loaded.dataset, args.lang, loaded.scenario.solver.name.value
        )
    print_frontier(console, frontier, table, loaded)
    written(console, out, [p.relative_to(folder) for p in paths])
    return EXIT_OK


def print_frontier(console: Console, frontier, table, loaded: LoadedScenario) -> None:
    t = console.t
    console.out(f"{frontier.scenario}")
    header = [
        t("col.scale"),
        t("col.budget_total"),
        t("col.communes_at_standard"),
        t("col.money_spent"),
        t("col.marginal_cost"),
        t("col.status"),
    ]
    rows = [
        [
            f"{row['scale']:g}",
            console.money(row["budget_total"]),
            "–"
            if num(row["communes_at_standard"]) is None
            else f"{row['communes_at_standard']:.0f}",
            console.money(num(row["money_spent"])),
            console.money(num(row["marginal_cost"])),
            label(f"status.{row['status']}", console.lang),
        ]
        for _, row in table.iterrows()
    ]
    console.out(text_table(header, rows))
    names = {c.code: c.name for c in loaded.dataset.communes}
    if frontier.triage:
        console.out(f"{t('sheet.triage')}:")
        for entry in frontier.triage[:TRIAGE_SHOWN]:
            name = names.get(entry.commune, "")
            console.out(
                f"  {entry.rank}. {entry.commune} {name} — × {entry.scale:g} "
                f"({console.money(entry.budget_total)})"
            )
        if len(frontier.triage) > TRIAGE_SHOWN:
            console.out(f"  … {len(frontier.triage) - TRIAGE_SHOWN} more in frontier_triage.csv")
    console.out(t("cli.time", seconds=console.number(frontier.seconds, 1)))


def cmd_baseline(args: argparse.Namespace, console: Console) -> int:
    """A baseline rule's plan (same report as run), optionally against the optimizer's."""
    available = baseline_rules()
    if not available:
        raise CliError("no baseline rules are installed (optimizer.baselines)", EXIT_INVALID_INPUT)
    rules = list(available) if args.rule == "all" else [args.rule]
    if args.rule != "all" and args.rule not in available:
        raise CliError(
            f"unknown rule {args.rule!r} (known: {', '.join(available)}, all)", EXIT_USAGE
        )
    loaded = load_scenario(console, args.scenario, args.dataset)
    out = check_out(Path(args.out) if args.out else default_out(loaded.label, "baselines"))
    with Recorder(args, console) as recorder:
        return _baselines(args, console, loaded, rules, out, recorder)


def _baselines(
    args: argparse.Namespace,
    console: Console,
    loaded: LoadedScenario,
    rules: list[str],
    out: Path,
    recorder: Recorder,
) -> int:
    plans: dict[str, Plan] = {}
    times = {}
    for rule in rules:
        started = now()
        plans.update(run_baselines(loaded.dataset, loaded.scenario, [rule], console.progress))
        times[rule] = (started, now())
    compared: dict[str, Plan] = dict(plans)
    if args.compare:
        started = now()
        compared = {OPTIMIZER: solve_scenario(console, loaded), **plans}
        times[OPTIMIZER] = (started, now())
    with staged_output(out, replaces=PLAN_REPORT_FILES) as folder:
        paths: list[Path] = []
        for rule, plan in plans.items():
            (folder / rule).mkdir()
            paths += write_plan_report(
                folder / rule, plan, loaded.dataset, loaded.scenario, compared, args.lang
            )
        if args.compare:
            more, tables = write_comparison_report(
                folder, compared, loaded.dataset, {n: str(loaded.path) for n in compared}, args.lang
            )
            paths += more
        recorded: list[Recorded | None] = [
            recorder.record(loaded.scenario, loaded.dataset, compared[name], *times[name])
            for name in times  # in the order they were solved
        ]
    for plan in plans.values():
        print_plan_summary(console, plan, loaded.dataset, loaded.scenario)
        console.out()
    if args.compare:
        print_comparison(console, compared, tables)
    written(console, out, [p.relative_to(folder) for p in paths])
    recorder.announce(recorded)
    return _outcome_code(list(compared.values()))


# -- parser ----------------------------------------------------------------------------------------------
DESCRIPTION = """\
Budget allocation for the New Rural Development programme (NTM): choose which works and
livelihood programmes to fund, when and from which source, so that as many communes as possible
meet every NTM criterion within the budgets. Money is in million VND (triệu đồng).
"""
EPILOG = """\
run, compare and baseline record every run in the history store (--no-record: not);
the store is --database URL, else $NTM_DATABASE_URL, else the settings file, else
~/.local/share/ntm-budget/history.db.

exit codes: 0 ok, 1 invalid input (data package, scenario file, names a scenario uses;
a history store that cannot be opened, an unknown run or scenario version, an approval step
the workflow does not allow), 2 usage, 3 infeasible scenario (the diagnosis is printed; the
report is still written), 4 solver problem (no plan within the time limit, solver missing,
the solver refused the model or gave an answer that does not check, or run --verify found the
two solvers disagreeing), 130 interrupted, 141 the reader of the output went away (ntm … | head).

examples:
  ntm validate data/son_la_2021
  ntm run scenarios/son_la_2021_2025.yaml --lang en --note "2026 budget"
  ntm compare scenarios/son_la_2021_2025.yaml scenarios/son_la_budget_cut_20.yaml
  ntm frontier scenarios/son_la_2021_2025.yaml --points 7
  ntm risk scenarios/son_la_2026_2030_annual.yaml --draws 200 --compare
  ntm baseline scenarios/son_la_2021_2025.yaml --rule all --compare
  ntm options scenarios/son_la_2026_2030.yaml --k 4 --lean border
  ntm history --scenario "Sơn La 2021-2025 (pooled)"
  ntm show 12 --out out/run_12
  ntm compare --runs 12 15
  ntm rerun 12
  ntm scenario submit "Sơn La 2021-2025 (pooled)" 3 --note "for the March meeting"

Details: docs/cli.md.
"""


def _add_common(parser: argparse.ArgumentParser, out_default: str) -> None:
    parser.add_argument(
        "--out", metavar="DIR", help=f"folder for the output files (default: {out_default})"
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=DEFAULT_LANGUAGE,
        help="language of the workbook and the summary: vi (default) or en",
    )
    parser.add_argument(
        "--dataset",
        metavar="DATA",
        help="data package to use instead of the one the scenario names "
        "(CSV folder, .xlsx or .zip)",
    )


def _add_general(parser: argparse.ArgumentParser, default: object) -> None:
    """-q, --debug and --database, accepted before or after the command (``ntm -q run …``,
    ``ntm run -q …``)."""
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="no progress on stderr"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default,
        help="show the traceback of an unexpected error",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        default=None if default is False else default,
        help="the history store: a SQLite file path or a postgresql:// URL "
        "(default: $NTM_DATABASE_URL, else the settings file, else the embedded SQLite file)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ntm",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_general(parser, default=False)
    general = argparse.ArgumentParser(add_help=False)
    _add_general(general, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        parents=[general],
        help="check a data package and list every problem",
        description="Check a data package (CSV folder, .xlsx or .zip). Lists every problem, one "
        "per line with file, row and column; exit 1 when there is any, else prints a summary.",
    )
    validate.add_argument("data", metavar="DATA", help="CSV folder, .xlsx workbook or .zip")
    validate.set_defaults(handler=cmd_validate)

    merge = commands.add_parser(
        "merge",
        parents=[general],
        help="carry an old-unit data package across a merger of communes",
        description="Re-aggregate a data package onto new units through an official old → new "
        "mapping (rules: docs/merge.md): a criterion passes only where every merged part passed, "
        "gaps add up, rates are population-weighted. Unmapped units are errors, each listed. "
        "With --transition, carry it into the new cycle: progress up to the merger, the merge, "
        "the assessment on the new criteria set, items remapped and added, new sources and "
        "budgets, all read from the transition folder.",
    )
    merge.add_argument("data", metavar="DATA", help="the old-unit package")
    merge.add_argument("mapping", metavar="MAPPING", help="the mapping CSV (docs/merge.md)")
    merge.add_argument("--out", required=True, help="folder for the merged CSV package")
    merge.add_argument("--name", help="name of the merged package")
    merge.add_argument("--base-year", type=int, help="base year of the merged package")
    merge.add_argument(
        "--omit-empty",
        action="store_true",
        help="leave out new units none of whose parts are in the package (else an error)",
    )
    merge.add_argument(
        "--transition",
        metavar="FOLDER",
        help="transition folder (docs/merge.md): build the package of the new cycle",
    )
    merge.set_defaults(handler=cmd_merge)

    run = commands.add_parser(
        "run",
        parents=[general],
        help="solve a scenario and write its plan (Excel, CSV, JSON)",
        description="Solve a scenario: print a summary (communes at standard before → after, "
        "money by source and year, solver status and gap per level) and write plan.xlsx, "
        "plan.json, one CSV per table and money_by_district.png.",
    )
    run.add_argument("scenario", metavar="SCENARIO.yaml")
    _add_common(run, "out/<scenario file name>/")
    run.add_argument(
        "--no-baselines",
        action="store_true",
        help="skip the baseline rules (otherwise compared on the workbook's baseline sheet)",
    )
    run.add_argument(
        "--verify",
        action="store_true",
        help="audit: solve every level again with the other solver (CBC for HiGHS and vice "
        "versa), cold, and report whether the values agree; exit 4 when they disagree",
    )
    add_record_options(run)
    run.set_defaults(handler=cmd_run)

    compare = commands.add_parser(
        "compare",
        parents=[general],
        help="solve several scenarios and compare them, or compare two recorded runs",
        description="Solve each scenario; print the key figures side by side with their "
        "differences to the first, and the communes at standard in one but not another; write "
        "comparison.xlsx, comparison.json and CSVs. With --runs A B, compare two recorded runs "
        "instead, decision by decision (items added, removed or moved; communes gaining or "
        "losing the standard; money by source, year and commune), without solving.",
    )
    compare.add_argument("scenarios", metavar="SCENARIO.yaml", nargs="*")
    compare.add_argument(
        "--runs",
        nargs=2,
        type=int,
        metavar=("A", "B"),
        help="compare two recorded runs (ids from ntm history); files only with --out",
    )
    _add_common(compare, "out/compare_<A>_vs_<B>/")
    compare.add_argument(
        "--brief",
        action="store_true",
        help="also write brief.pdf, a one-page brief of the 2-4 scenarios for a meeting",
    )
    add_record_options(compare)
    compare.set_defaults(handler=cmd_compare)

    frontier = commands.add_parser(
        "frontier",
        parents=[general],
        help="communes at standard against the budget (table, chart, triage)",
        description="Multiply the scenario's budgets by POINTS factors from --low to --high and "
        "solve each (most communes at standard, then least money). Writes frontier.csv, "
        "frontier_triage.csv, frontier.png, frontier.xlsx and frontier.json.",
    )
    frontier.add_argument("scenario", metavar="SCENARIO.yaml")
    frontier.add_argument("--points", type=int, default=7, help="budget levels (default 7)")
    frontier.add_argument("--low", type=float, default=0.0, help="lowest budget factor (default 0)")
    frontier.add_argument(
        "--high", type=float, default=1.5, help="highest budget factor (default 1.5)"
    )
    frontier.add_argument(
        "--workers",
        type=int,
        help="Dask worker processes on this machine to share the points (default: one per CPU "
        "core for large models; 1: in this process)",
    )
    add_scheduler_option(frontier)
    _add_common(frontier, "out/<scenario file name>/")
    frontier.set_defaults(handler=cmd_frontier)

    rules = list(baseline_rules()) or list(DEFAULT_RULES)
    baseline = commands.add_parser(
        "baseline",
        parents=[general],
        help="a rule-of-thumb allocation (formula, closest first, cheapest first)",
        description="Allocate the scenario's money by a baseline rule instead of optimising and "
        "write the same report as run, one folder per rule; with --compare, also solve the "
        "optimizer and compare.",
    )
    baseline.add_argument("scenario", metavar="SCENARIO.yaml")
    baseline.add_argument("--rule", choices=[*rules, "all"], default="all", help="default: all")
    baseline.add_argument(
        "--compare", action="store_true", help="also solve the optimizer and compare"
    )
    _add_common(baseline, "out/<scenario file name>/baselines/")
    add_record_options(baseline)
    baseline.set_defaults(handler=cmd_baseline)

    add_history_commands(commands, general, LANGUAGES, DEFAULT_LANGUAGE)
    add_options_command(commands, general, LANGUAGES, DEFAULT_LANGUAGE)
    add_replan_command(commands, general, LANGUAGES, DEFAULT_LANGUAGE)
    add_risk_command(commands, general, LANGUAGES, DEFAULT_LANGUAGE)
    add_national_command(commands, general)
    add_user_commands(commands, general)
    return parser


def _terminate_as_interrupt(signum: int, _frame: object) -> None:
    """SIGTERM (a service stop, ``kill``) ends a command as Ctrl+C does: nothing half-written."""
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate_as_interrupt)
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console(quiet=args.quiet, lang=getattr(args, "lang", DEFAULT_LANGUAGE))
    handler: Callable[[argparse.Namespace, Console], int] = args.handler
    try:
        return handler(args, console)
    except (ScenarioFileError, DataPackageError) as error:
        headline, details = problem_lines(error)
        console.error(headline, details)
        return EXIT_INVALID_INPUT
    except CliError as error:
        console.error(str(error), error.details)
        return error.code
    except StoreError as error:  # an unknown scenario or version, a refused approval step, …
        console.error(str(error))
        return EXIT_INVALID_INPUT
    except SQLAlchemyError as error:  # the database failed mid-way (a full disk, a lost server)
        if args.debug:
            raise
        console.error(
            f"the history store {_store_name(args)} failed: {_one_line(error)}; the command's "
            "write to it was rolled back"
        )
        return EXIT_INVALID_INPUT
    except (SolveTimeout, SolverUnavailable, SolverError) as error:
        console.error(str(error))
        return EXIT_SOLVER
    except KeyboardInterrupt:
        console.error("interrupted; no output written")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader of stdout went away (``ntm run … | head``): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as error:  # a file that cannot be written (full disk, no permission, …)
        if args.debug:
            raise
        where = f" {error.filename}" if error.filename else ""
        console.error(f"cannot write{where}: {error.strerror or error}; nothing was written")
        return EXIT_INVALID_INPUT
    except Exception as error:
        if args.debug:
            raise
        console.error(
            f"unexpected {type(error).__name__}: {error} (run with --debug for the traceback)"
        )
        return EXIT_INTERNAL


def _store_name(args: argparse.Namespace) -> str:
    try:
        return display_url(resolve_url(getattr(args, "database", None) or None))
    except Exception:  # the configuration itself is broken: say so without a name
        return "(as configured)"


def _one_line(error: BaseException) -> str:
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error)
    return " ".join(text.split("(Background on this error")[0].split())


if __name__ == "__main__":
    sys.exit(main())
