"""Every file of an option set: options.xlsx, options.pdf (the one-page brief), options.json.

Like the other ``write_*`` reports it writes into a (staging) folder and returns the paths. The
brief holds the optimum and at most three alternatives (a page holds four plans); the workbook and
the JSON hold them all.
"""

from __future__ import annotations

from pathlib import Path

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.alternatives import OptionSet
from reports.brief import MAX_PLANS, Brief, version_line, write_brief
from reports.csv_json import records, write_json
from reports.labels import label
from reports.options import (
    differing_communes,
    money_by_group,
    options_table,
    trade_sentences,
    write_options_workbook,
)

OPTIONS_WORKBOOK = "options.xlsx"
OPTIONS_BRIEF = "options.pdf"
OPTIONS_JSON = "options.json"


def option_note(options: OptionSet, lang: str) -> str:
    """The tolerance promise and, when the set is short, why."""
    objective = label(f"objective.{options.lead.value}", lang)
    parts = [
        label("brief.tolerance", lang, tolerance=f"{options.tolerance:g}", objective=objective)
    ]
    if options.complete:
        parts.append(
            label(
                "brief.stopped",
                lang,
                found=len(options.alternatives),
                requested=options.requested,
            )
        )
    elif options.stopped:
        parts.append(options.stopped)
    parts += list(options.notes)
    return " ".join(parts)


def options_brief(
    options: OptionSet,
    dataset: Dataset,
    scenario: Scenario,
    recorded: tuple[int, str] | None,
    lang: str = "vi",
) -> Brief:
    """The brief of an option set: the optimum and the first alternatives (four plans at most)."""
    shown = options.options[:MAX_PLANS]
    return Brief(
        dataset=dataset,
        plans={o.label: o.plan for o in shown},
        scenario_lines=(version_line(scenario, recorded, lang),),
        asks={o.label: o.ask for o in shown},
        note=option_note(options, lang),
    )


def write_options_report(
    folder: Path,
    options: OptionSet,
    dataset: Dataset,
    scenario: Scenario,
    recorded: tuple[int, str] | None = None,
    lang: str = "vi",
) -> list[Path]:
    """options.xlsx, options.pdf and options.json in ``folder``; returns their paths."""
    plans = options.plans()
    asks = {o.label: o.ask for o in options.options}
    written = [write_options_workbook(folder / OPTIONS_WORKBOOK, dataset, plans, asks, lang)]
    if len(plans) >= 2:
        brief = options_brief(options, dataset, scenario, recorded, lang)
        written.append(write_brief(folder / OPTIONS_BRIEF, brief, lang))
    document = {
        "options": options.model_dump(mode="json", exclude={"options"}),
        "plans": {o.label: o.model_dump(mode="json") for o in options.options},
        "tables": {
            "options": records(options_table(dataset, plans, asks)),
            "communes_that_differ": records(differing_communes(dataset, plans)),
            "money_by_group": records(money_by_group(dataset, plans)),
        },
        "trades": {lang: trade_sentences(dataset, plans, lang)},
    }
    written.append(write_json(folder / OPTIONS_JSON, document))
    return written
