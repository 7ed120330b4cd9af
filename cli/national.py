"""``ntm national``: every province's scenario solved in parallel, one national report, and the
split of the national central budget that brings the most communes to standard."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.output import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    Console,
    check_out,
    text_table,
    written,
)
from cli.progress import add_scheduler_option, progress_bar
from models.io.provinces import load_provinces
from models.scenario import Scenario
from models.scenario_check import ScenarioReferenceError, ensure_scenario_fits
from models.scenario_io import load_scenario
from optimizer.national import (
    CENTRAL,
    STEPS_PER_SHARE,
    CentralSplit,
    NationalRun,
    Province,
    central_split,
    solve_provinces,
)
from reports import staged_output
from reports.labels import DEFAULT_LANGUAGE, LANGUAGES
from reports.national import provinces_table, split_table, write_national_report

DEFAULT_OUT = Path("out") / "national"


def cmd_national(args: argparse.Namespace, console: Console) -> int:
    """Solve every province, then (unless --no-split) the split of central money."""
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1", EXIT_USAGE)
    if args.steps < 1:
        raise CliError("--steps must be at least 1", EXIT_USAGE)
    out = check_out(Path(args.out) if args.out else DEFAULT_OUT, inputs=[Path(args.packages)])
    scenario = load_scenario(args.scenario)
    console.progress(f"loading the provinces' packages from {args.packages}")
    provinces = [Province(name, dataset) for name, dataset in load_provinces(args.packages)]
    problems = [f"{p.name}: {problem}" for p in provinces for problem in _misfits(p, scenario)]
    if problems:
        raise CliError(
            f"{args.scenario}: the scenario names what some provinces' packages do not have "
            f"({len(problems)} problem(s))",
            details=problems,
        )
    communes = sum(len(p.dataset.communes) for p in provinces)
    console.progress(f"{len(provinces)} provinces, {communes} communes")
    run, _plans = solve_provinces(
        provinces,
        scenario,
        workers=args.workers,
        scheduler=args.scheduler,
        progress=progress_bar(console, "provinces"),
    )
    split = None
    if not args.no_split:
        split = central_split(
            provinces,
            scenario,
            source=args.source,
            steps_per_share=args.steps,
            workers=args.workers,
            scheduler=args.scheduler,
            progress=progress_bar(console, f"{args.source} money split"),
        )
    with staged_output(out) as folder:
        paths = write_national_report(folder, run, split, args.lang)
    _print(console, run, split)
    written(console, out, [p.relative_to(folder) for p in paths])
    return EXIT_OK


def _misfits(province: Province, scenario: Scenario) -> list[str]:
    """The scenario's references (communes, districts, items) that this province lacks."""
    try:
        ensure_scenario_fits(province.dataset, scenario)
    except ScenarioReferenceError as error:
        return [str(p) for p in error.problems]
    return []


def _print(console: Console, run: NationalRun, split: CentralSplit | None) -> None:
    t = console.t
    table = provinces_table(run)
    header = [
        t("col.province"),
        t("col.communes_counted"),
        t("col.at_standard_before"),
        t("col.at_standard_after"),
        t("col.money"),
    ]
    rows = [
        [
            str(r.province),
            str(r.communes_counted),
            str(r.at_standard_before),
            str(r.at_standard_after),
            console.money(r.money),
        ]
        for r in table.itertuples()
    ]
    rows.append(
        [
            t("total"),
            str(int(table["communes_counted"].sum())),
            str(run.at_standard_before),
            str(run.at_standard_after),
            console.money(run.money_total),
        ]
    )
    console.out(f"{run.scenario}: {len(run.provinces)} provinces, {run.workers} worker(s)")
    console.out(text_table(header, rows))
    if split is not None:
        frame = split_table(split)
        moved = frame[frame["split_difference"] != 0]
        console.out(
            f"{split.source}: {console.money(split.total)} — "
            f"{t('col.formula_communes')}: {split.formula_communes}, "
            f"{t('col.best_communes')}: {split.best_communes} "
            f"(+{split.best_communes - split.formula_communes})"
        )
        if len(moved):
            console.out(
                text_table(
                    [
                        t("col.province"),
                        t("national.formula_share"),
                        t("national.best_split"),
                        t("col.split_difference"),
                    ],
                    [
                        [
                            str(r.province),
                            console.money(r.formula_money),
                            console.money(r.best_money),
                            f"{r.split_difference:+d}",
                        ]
                        for r in moved.itertuples()
                    ],
                )
            )
    console.out(
        t("cli.time", seconds=console.number(run.seconds + (split.seconds if split else 0), 1))
    )


def add_national_command(commands, general: argparse.ArgumentParser) -> None:
    """Register ``ntm national`` on the subcommand parser."""
    national = commands.add_parser(
        "national",
        parents=[general],
        help="every province's scenario in parallel, and the best split of central money",
        description="Solve SCENARIO on every province's data package in PACKAGES (a folder "
        "holding one package per province — CSV folder, .xlsx or .zip, named after the province "
        "— or a .zip of such folders), each as its own problem with its own budgets, in "
        "parallel on Dask. Then split the provinces' central money added up: each province is "
        "solved at a grid of amounts and at its formula share, and the split bringing the most "
        "communes to standard is compared with the formula's. Writes provinces.csv, "
        "central_split.csv, national.xlsx and national.json.",
    )
    national.add_argument("packages", metavar="PACKAGES", help="folder or .zip of packages")
    national.add_argument("scenario", metavar="SCENARIO.yaml")
    national.add_argument(
        "--workers",
        type=int,
        help="Dask worker processes on this machine (default: one per CPU core; 1: in this "
        "process)",
    )
    add_scheduler_option(national)
    national.add_argument(
        "--no-split", action="store_true", help="solve the provinces only, no central split"
    )
    national.add_argument(
        "--source", default=CENTRAL, help=f"the source to split (default {CENTRAL})"
    )
    national.add_argument(
        "--steps",
        type=int,
        default=STEPS_PER_SHARE,
        help=f"grid steps per average provincial share (default {STEPS_PER_SHARE})",
    )
    national.add_argument("--out", metavar="DIR", help=f"output folder (default: {DEFAULT_OUT}/)")
    national.add_argument(
        "--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="vi (default) or en"
    )
    national.set_defaults(handler=cmd_national)
