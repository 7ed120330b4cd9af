"""``ntm options``: near-optimal alternatives of a scenario, an options workbook and a one-page brief.

Registered by ``cli.main`` through :func:`add_options_command`; the engine is
``optimizer.alternatives``, the files ``reports.options_report``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from pathlib import Path

from cli.loading import default_out, load_scenario
from cli.output import (
    EXIT_INFEASIBLE,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    Console,
    check_out,
    heartbeat,
    text_table,
    written,
)
from optimizer.alternatives import (
    DEFAULT_OPTIONS,
    MAX_OPTIONS,
    Lean,
    LeanUnsupported,
    Option,
    generate_options,
)
from reports import staged_output
from reports.brief import comparison_brief, recorded_version, write_brief
from reports.options import option_name, trade_sentences
from reports.options_report import option_note, write_options_report
from store import Store, StoreError


def recorded_version_or_none(database: str | None, scenario) -> tuple[int, str] | None:
    """The scenario's stored version and approval state, or None when not recorded (or when the
    history cannot be read: the brief then says 'not recorded')."""
    try:
        with Store.open(database) as history:
            return recorded_version(history, scenario)
    except (StoreError, OSError):
        return None


def write_comparison_brief(folder: Path, plans, loaded, labels, args) -> Path:
    """``ntm compare --brief``: brief.pdf of the compared scenarios (feasible ones only)."""
    feasible = {name: plan for name, plan in plans.items() if plan.feasible}
    if len(feasible) < 2:
        raise CliError("--brief: fewer than two scenarios have a plan; no brief written")
    scenarios = {name: item.scenario for name, item in zip(labels, loaded, strict=True)}
    recorded = {name: recorded_version_or_none(args.database, scenarios[name]) for name in feasible}
    brief = comparison_brief(loaded[0].dataset, feasible, scenarios, recorded, args.lang)
    return write_brief(folder / "brief.pdf", brief, args.lang)


def cmd_options(args: argparse.Namespace, console: Console) -> int:
    """Solve a scenario, then find up to K alternatives within the tolerance; write the files."""
    if not 1 <= args.k <= MAX_OPTIONS:
        raise CliError(f"--k must be from 1 to {MAX_OPTIONS}", EXIT_USAGE)
    if not math.isfinite(args.tolerance) or args.tolerance < 0:
        raise CliError("--tolerance must be a number ≥ 0", EXIT_USAGE)
    loaded = load_scenario(console, args.scenario, args.dataset)
    out = check_out(
        Path(args.out) if args.out else default_out(loaded.label, "options"),
        [loaded.dataset_path],
    )
    leans = tuple(Lean(v) for v in args.lean or ())

    def told(option: Option) -> None:
        count = option.plan.kpis.at_standard_after if option.plan.kpis else "–"
        console.progress(
            f"  {option.label} ({option.ask}): {count} communes at standard "
            f"({option.seconds:.1f} s)"
        )

    what = (
        f"options of {loaded.scenario.name!r}: {args.k} alternative(s) within "
        f"{args.tolerance:g} of the optimum"
    )
    try:
        with heartbeat(console, what):
            options = generate_options(
                loaded.dataset,
                loaded.scenario,
                k=args.k,
                tolerance=args.tolerance,
                leans=leans,
                on_option=told,
            )
    except LeanUnsupported as error:
        raise CliError(f"{args.scenario}: {error}") from None
    except ValueError as error:
        if "infeasible" in str(error):
            console.error(f"{args.scenario}: {error}")
            return EXIT_INFEASIBLE
        raise CliError(str(error)) from None
    recorded = recorded_version_or_none(args.database, loaded.scenario)
    with staged_output(out) as folder:
        paths = write_options_report(
            folder, options, loaded.dataset, loaded.scenario, recorded, args.lang
        )
    print_options(console, options, loaded.dataset)
    written(console, out, [p.relative_to(folder) for p in paths])
    return EXIT_OK


def print_options(console: Console, options, dataset) -> None:
    """Key figures per option, then what each trades, then the note."""
    t, lang = console.t, console.lang
    header = [
        t("col.option"),
        t("col.ask"),
        t("col.at_standard"),
        t("col.at_floor"),
        t("col.money_total"),
        t("col.gained_vs_optimum"),
        t("col.lost_vs_optimum"),
    ]
    reference = options.optimum.plan.at_standard_codes()
    rows = []
    for option in options.options:
        k = option.plan.kpis
        codes = option.plan.at_standard_codes()
        rows.append(
            [
                option_name(option.label, lang),
                t(f"ask.{option.ask}"),
                str(k.at_standard_after),
                str(k.at_floor_after),
                console.money(k.money_total),
                str(len(codes - reference)),
                str(len(reference - codes)),
            ]
        )
    console.out(text_table(header, rows, "ll" + "r" * 5))
    for label_, text in trade_sentences(dataset, options.plans(), lang).items():
        if text:
            console.out(f"{option_name(label_, lang)}: {text}")
    console.out(option_note(options, lang))


def add_options_command(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    general: argparse.ArgumentParser,
    languages: Sequence[str],
    default_language: str,
) -> None:
    """``ntm options SCENARIO --k 4 [--tolerance 1] [--lean border] [--out DIR] [--lang vi|en]``."""
    parser = commands.add_parser(
        "options",
        parents=[general],
        help="several good plans that differ (near-optimal alternatives) and a one-page brief",
        description="Solve the scenario, then find up to K alternative plans, each proven within "
        "the tolerance of the optimum on the scenario's first objective and bringing at least "
        "one commune to standard that every earlier plan lacks: the most different from the "
        "earlier plans, or leaning to a preference (--lean, repeatable: alternative n takes the "
        "n-th lean, cycling). Writes options.xlsx (options, communes that differ, money by "
        "district or region), options.pdf (a one-page brief of the optimum and up to three "
        "alternatives) and options.json.",
    )
    parser.add_argument("scenario", metavar="SCENARIO.yaml")
    parser.add_argument(
        "--k",
        type=int,
        default=DEFAULT_OPTIONS,
        help=f"alternatives to find (1-{MAX_OPTIONS}, default {DEFAULT_OPTIONS})",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.0,
        help="how much worse than the optimum on the first objective, in its unit (communes; "
        "million VND for least cost); default 0: as good as the optimum",
    )
    parser.add_argument(
        "--lean",
        action="append",
        choices=[lean.value for lean in Lean],
        help="a preference to lean toward; give several for one per alternative",
    )
    parser.add_argument(
        "--out", metavar="DIR", help="folder for the files (default: out/<scenario>/options/)"
    )
    parser.add_argument("--lang", choices=languages, default=default_language, help="vi or en")
    parser.add_argument(
        "--dataset", metavar="DATA", help="data package to use instead of the scenario's"
    )
    parser.set_defaults(handler=cmd_options)
