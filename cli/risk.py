"""``ntm risk RUN_OR_SCENARIO``: how sure a plan is over drawn futures (optimizer/risk.py), with
the out-of-sample comparison of robust plans (--compare) and the no-regret items (--no-regret)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.history import _get_run, open_history
from cli.loading import load_scenario, solve_scenario
from cli.output import (
    EXIT_INFEASIBLE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    Console,
    check_out,
    heartbeat,
    text_table,
    written,
)
from cli.progress import add_scheduler_option, progress_bar
from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.plan import Plan
from optimizer.risk import NoUncertainty, plan_risk, uncertainty_of
from optimizer.robust import NO_REGRET_SHARE, compare_plans, no_regret
from reports import staged_output
from reports.risk_report import write_risk_report

SHOWN = 10
"""Communes and items listed in the printed summary (all are in the files)."""


def _plan_to_test(
    args: argparse.Namespace, console: Console
) -> tuple[Dataset, Scenario, Plan, str]:
    """A recorded run's plan (RUN is a number) or the plan of a scenario file, solved now."""
    target = args.target
    if target.isdigit():
        with open_history(args.database, console) as history:
            run = _get_run(history, int(target))
            dataset = history.load_dataset(run.dataset_hash)
        return dataset, run.scenario, run.plan, f"run {run.id}"
    loaded = load_scenario(console, target, args.dataset)
    return loaded.dataset, loaded.scenario, solve_scenario(console, loaded), loaded.label


def cmd_risk(args: argparse.Namespace, console: Console) -> int:
    """Draw futures, complete the plan's items in each as far as the money allows, report."""
    for option in ("draws", "workers"):
        value = getattr(args, option)
        if value is not None and value < 1:
            raise CliError(f"--{option} must be at least 1", EXIT_USAGE)
    if not 0 < args.no_regret_share <= 1:
        raise CliError("--no-regret-share must be in (0, 1]", EXIT_USAGE)
    dataset, scenario, plan, label = _plan_to_test(args, console)
    try:
        uncertainty_of(scenario)
    except NoUncertainty as error:
        raise CliError(
            str(error), EXIT_INVALID_INPUT, details=["add one to the scenario and run it again"]
        ) from None
    if not plan.feasible:
        console.error(f"{label}: the plan is infeasible; there is nothing to test")
        return EXIT_INFEASIBLE
    out = check_out(Path(args.out) if args.out else Path("out") / f"risk_{Path(label).stem}")
    options = {"workers": args.workers, "scheduler": args.scheduler}
    if args.seed is not None:
        scenario = scenario.model_copy(
            update={"uncertainty": scenario.uncertainty.model_copy(update={"seed": args.seed})}
        )
    report = plan_risk(
        dataset,
        scenario,
        plan,
        label=label,
        draws=args.draws,
        progress=progress_bar(console, "risk draws"),
        **options,
    )
    comparison = regret = None
    if args.compare:
        with heartbeat(console, "solving the deterministic, robust and reserve plans"):
            comparison = compare_plans(
                dataset,
                scenario,
                draws=args.draws,
                progress=progress_bar(console, "out-of-sample draws"),
                **options,
            )
    if args.no_regret:
        regret = no_regret(
            dataset,
            scenario,
            draws=args.draws,
            threshold=args.no_regret_share,
            progress=progress_bar(console, "re-optimised draws"),
            **options,
        )
    with staged_output(out) as folder:
        paths, _tables = write_risk_report(folder, dataset, report, comparison, regret, args.lang)
    print_risk(console, report, dataset, comparison, regret)
    written(console, out, [p.relative_to(folder) for p in paths])
    return EXIT_OK


def _n(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def print_risk(console: Console, report, dataset, comparison=None, regret=None) -> None:
    t = console.t
    console.out(
        f"{report.scenario} — {report.plan_label}: {len(report.draws)} draws (seed {report.seed}), "
        f"{report.workers} worker(s), {report.seconds:.1f} s"
    )
    failed = len(report.draws) - len(report.solved)
    if failed:
        console.out(f"  {failed} draw(s) found no recourse plan within the time limit: left out")
    summary = report.summary()
    header = [t("col.measure"), t("col.plan"), "P10", "P50", "P90", t("col.mean")]
    rows = [
        [t(f"col.{r.measure}"), _n(r.plan, 0), _n(r.p10), _n(r.p50), _n(r.p90), _n(r.mean)]
        for r in summary.itertuples()
    ]
    console.out(text_table(header, rows))
    if not report.floor_optimised:
        console.out(
            "  (the recourse keeps the most communes at standard, then spends the least; it does "
            "not maximise the floor, so the floor counts are a lower bound)"
        )
    communes = report.commune_probabilities(dataset)
    planned = communes[communes["at_standard_in_plan"]].head(SHOWN)
    if len(planned):
        console.out("")
        console.out(f"{t('col.probability')} (plan's communes, least sure first):")
        for r in planned.itertuples():
            console.out(f"  {r.commune} {r.name}: {r.probability:.0%}")
    unfinished = report.unfinished_items(dataset)
    unfinished = unfinished[unfinished["share_unfinished"] > 0].head(SHOWN)
    if len(unfinished):
        console.out("")
        console.out(f"{t('col.share_unfinished')}:")
        for r in unfinished.itertuples():
            console.out(f"  {r.item} {r.name}: {r.share_unfinished:.0%}")
    if comparison is not None:
        console.out("")
        table = comparison.table()
        console.out(f"out of sample ({comparison.draws} fresh draws, seed {comparison.seed}):")
        header = ["plan", "Γ", "reserve", "planned", "P10", "P50", "unspent (mean)"]
        rows = [
            [
                r.plan,
                str(r.gamma),
                f"{r.reserve:.0%}",
                str(r.planned_at_standard),
                _n(r.p10_at_standard),
                _n(r.p50_at_standard),
                console.money(r.mean_money_unspent),
            ]
            for r in table.itertuples()
        ]
        console.out(text_table(header, rows, align="lrrrrrr"))
    if regret is not None:
        console.out("")
        console.out(
            f"no-regret ({regret.solved} of {regret.draws} draws re-optimised): "
            f"{len(regret.no_regret_items())} item(s) funded in ≥ {regret.threshold:.0%}, "
            f"{len(regret.never_funded())} never funded"
        )


def add_risk_command(commands, general: argparse.ArgumentParser, languages, default_lang) -> None:
    risk = commands.add_parser(
        "risk",
        parents=[general],
        help="how sure a plan is: its outcomes over drawn cost overruns and payouts",
        description="Draw futures from the scenario's uncertainty: section (docs/uncertainty.md); "
        "in each, complete the plan's items as far as the money allows, choosing which to finish "
        "to keep the most communes at standard. Reports P10/P50/P90 and mean of communes at "
        "standard and at the floor, each commune's probability of the standard, the money short "
        "and the items most often unfinished. RUN is a recorded run's id (ntm history); otherwise "
        "the scenario file is solved first. Writes risk.xlsx, risk.json and one CSV per table.",
    )
    risk.add_argument("target", metavar="RUN_OR_SCENARIO")
    risk.add_argument("--draws", type=int, help="futures to draw (default: the scenario's)")
    risk.add_argument("--seed", type=int, help="seed of the draws (default: the scenario's)")
    risk.add_argument(
        "--compare",
        action="store_true",
        help="also solve the deterministic, robust (Γ) and reserve plans and compare them on the "
        "same fresh draws",
    )
    risk.add_argument(
        "--no-regret",
        action="store_true",
        help="also re-optimise every draw from scratch and list the items funded in most draws "
        "and those never funded",
    )
    risk.add_argument(
        "--no-regret-share",
        type=float,
        default=NO_REGRET_SHARE,
        help=f"share of draws that makes an item no-regret (default {NO_REGRET_SHARE:g})",
    )
    risk.add_argument(
        "--workers",
        type=int,
        help="Dask worker processes on this machine (default: one per core; 1: in this process)",
    )
    add_scheduler_option(risk)
    risk.add_argument(
        "--out", metavar="DIR", help="folder for the files (default: out/risk_<name>/)"
    )
    risk.add_argument("--lang", choices=languages, default=default_lang, help="vi (default) or en")
    risk.add_argument("--dataset", metavar="DATA", help="data package instead of the scenario's")
    risk.set_defaults(handler=cmd_risk)
