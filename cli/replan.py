"""``ntm replan RUN --progress FILE``: bring in what happened, re-plan the remaining years.

Thin like the rest of the command line: optimizer.replan applies the progress and solves,
optimizer.replan_report says what changed; this module loads, prints, writes and records. The
re-plan is recorded as a draft version of its scenario whose ``revises.run`` names the run it
revises; submit and approve it like any version (``ntm scenario submit …``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cli.history import Recorder, _get_run, add_record_options, now, open_history
from cli.output import (
    EXIT_INFEASIBLE,
    EXIT_OK,
    CliError,
    Console,
    check_out,
    heartbeat,
    print_plan_summary,
    text_table,
    written,
)
from models.dataset import Dataset
from models.io.errors import DataPackageError
from models.io.progress_io import read_progress
from models.progress import Progress
from models.scenario import Scenario
from models.scenario_io import ScenarioFileError, _read_mapping
from optimizer.plan import Plan
from optimizer.replan import Replan, ReplanError, prepare_replan, solve_replan
from optimizer.replan_report import (
    Change,
    ReplanDiff,
    criteria_against_plan,
    falling_behind,
    money_against_plan,
    replan_diff,
)
from reports import PLAN_REPORT_FILES, staged_output, write_plan_report
from reports.replan_tables import REPLAN_FILES, write_replan_tables

DIFF_SHOWN = 30
"""Dropped, added or moved items printed (the report has them all)."""


def default_from_year(progress: Progress, start: int) -> int:
    """The year after the last year the report speaks of; the horizon's second year if none."""
    years = [d.year for d in progress.disbursements] + [c.year for c in progress.criteria]
    return max([start, *years]) + 1


def _overrides(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    content = _read_mapping(Path(path).resolve(), ())
    content.pop("dataset", None)  # the re-plan's data is the revised run's, with the progress
    return content


def cmd_replan(args: argparse.Namespace, console: Console) -> int:
    """Re-plan the remaining years of a recorded run from a progress report."""
    try:
        read = read_progress(args.progress)
    except DataPackageError as error:
        raise CliError(
            f"progress report {error.source}: {len(error.problems)} problem(s), nothing re-planned",
            details=[str(p) for p in error.problems],
        ) from None
    try:
        overrides = _overrides(args.scenario)
    except ScenarioFileError as error:
        raise CliError(str(error)) from None
    with Recorder(args, console) as recorder:
        history = recorder.history or open_history(args.database, console)
        try:
            revised = _get_run(history, args.run)
            if not revised.plan.feasible:
                raise CliError(f"run {args.run} is infeasible: it has no plan to revise")
            dataset = history.load_dataset(revised.dataset_hash)
        finally:
            if recorder.history is None:
                history.close()
        start = revised.scenario.horizon.start
        progress = read.progress
        from_year = args.from_year or default_from_year(progress, start)
        try:
            replan = prepare_replan(
                dataset,
                revised.scenario,
                revised.plan,
                progress,
                from_year,
                overrides=overrides,
                run_id=revised.id,
                numbers=read.numbers,
                raw=read.raw,
                read_problems=read.problems,
                refused_items=read.refused_items,
            )
        except ReplanError as error:
            raise CliError(
                f"progress report {args.progress}: {len(error.problems)} problem(s), "
                "nothing re-planned",
                details=[str(p) for p in error.problems],
            ) from None
        except ValueError as error:  # overrides that make no valid scenario
            raise CliError(f"{args.scenario}: {error}") from None
        for warning in replan.warnings:
            print(f"ntm: warning: {warning}", file=sys.stderr, flush=True)
        out = check_out(Path(args.out)) if args.out else None
        started = now()
        with heartbeat(console, f"re-planning run {revised.id} from {from_year}"):
            plan = solve_replan(replan)
        finished = now()
        diff = replan_diff(replan, revised.plan, plan) if plan.feasible else None
        names: list[Path] = []
        if out is not None:
            with staged_output(out, replaces=(*PLAN_REPORT_FILES, *REPLAN_FILES)) as folder:
                paths = write_plan_report(
                    folder, plan, replan.dataset, replan.scenario, {}, args.lang
                )
                if diff is not None:
                    paths += write_replan_tables(
                        folder,
                        replan_tables(replan, revised.plan, revised.scenario, dataset, diff),
                        args.lang,
                    )
                names = [p.relative_to(folder) for p in paths]
                recorded = recorder.record(replan.scenario, replan.dataset, plan, started, finished)
        else:
            recorded = recorder.record(replan.scenario, replan.dataset, plan, started, finished)
        print_plan_summary(console, plan, replan.dataset)
        if diff is not None:
            print_diff(console, diff, revised.id)
        if out is not None:
            written(console, out, names)
        recorder.announce([recorded])
    if not plan.feasible:
        console.error("the re-plan is infeasible (diagnosis above)")
        return EXIT_INFEASIBLE
    return EXIT_OK


def replan_tables(
    replan: Replan, plan: Plan, scenario: Scenario, dataset: Dataset, diff: ReplanDiff
) -> dict[str, pd.DataFrame]:
    """The re-plan's own tables: changes, communes, money and criteria against the plan."""
    return {
        "replan_items": diff.items_table(),
        "replan_communes": diff.communes_table(),
        "money_against_plan": money_against_plan(replan, plan, scenario, dataset),
        "criteria_against_plan": criteria_against_plan(replan, plan, dataset),
        "falling_behind": falling_behind(diff),
    }


def print_diff(console: Console, diff: ReplanDiff, run: int) -> None:
    """Counts of kept / moved / dropped / added / completed items, then each change."""
    t = console.t
    console.out()
    console.out(
        t(
            "replan.counts",
            run=run,
            changes=diff.changes,
            kept=diff.count(Change.KEPT),
            moved=diff.count(Change.MOVED),
            dropped=diff.count(Change.DROPPED),
            added=diff.count(Change.ADDED),
            completed=diff.count(Change.COMPLETED),
        )
    )
    changed = [i for i in diff.items if i.change in (Change.DROPPED, Change.ADDED, Change.MOVED)]
    if changed:
        rows = [
            [
                i.investment,
                t(f"replan.change.{i.change.value}"),
                str(i.planned_start or "–"),
                str(i.new_start or "–"),
                i.message,
            ]
            for i in changed[:DIFF_SHOWN]
        ]
        header = [
            t("replan.col.item"),
            t("replan.col.change"),
            t("replan.col.planned"),
            t("replan.col.new"),
            t("replan.col.reason"),
        ]
        console.out(text_table(header, rows, align="lllll"))
        if len(changed) > DIFF_SHOWN:
            console.out(t("replan.more", count=len(changed) - DIFF_SHOWN))
    if diff.communes:
        console.out(t("replan.communes", count=len(diff.communes)))
        rows = [
            [c.commune, str(c.planned_year or "–"), str(c.new_year or "–")]
            for c in diff.communes[:DIFF_SHOWN]
        ]
        header = [t("replan.col.commune"), t("replan.col.planned"), t("replan.col.new")]
        console.out(text_table(header, rows, align="lrr"))


def add_replan_command(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    general: argparse.ArgumentParser,
    languages: Sequence[str],
    default_language: str,
) -> None:
    """ntm replan RUN --progress FILE [--from-year Y] [--scenario OVERRIDES.yaml]."""
    replan = commands.add_parser(
        "replan",
        parents=[general],
        help="bring in a progress report and re-plan the remaining years of a recorded run",
        description="Apply a progress report (CSV folder or .xlsx: progress_items, "
        "progress_disbursements, progress_criteria; docs/data-format.md) to a recorded run and "
        "re-plan the remaining years, changing as little of the plan as the objectives allow. "
        "The re-plan is recorded as a new draft scenario version that names the run it revises.",
    )
    replan.add_argument(
        "run", metavar="RUN", type=int, help="id of the run to revise (ntm history)"
    )
    replan.add_argument("--progress", required=True, metavar="FILE", help="the progress report")
    replan.add_argument(
        "--from-year",
        type=int,
        metavar="YEAR",
        help="first year to re-plan (default: the year after the report's last year)",
    )
    replan.add_argument(
        "--scenario",
        metavar="OVERRIDES.yaml",
        help="changes for the remaining years (budgets, policies, objectives) on top of the run's "
        "scenario; without objectives, stability comes right after communes at standard",
    )
    replan.add_argument("--out", metavar="DIR", help="write the plan report and the re-plan tables")
    replan.add_argument(
        "--lang", choices=languages, default=default_language, help="language of the output"
    )
    add_record_options(replan)
    replan.set_defaults(handler=cmd_replan)
