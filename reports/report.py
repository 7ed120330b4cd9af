"""Complete reports: every file of a plan, a comparison or a frontier, written into one folder.

Each ``write_*`` function writes into a folder that should be a staging folder from
``output.staged_output`` (so a failure leaves nothing half-written) and returns the paths written.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.plan import Plan
from reports.charts import district_money_chart, frontier_chart
from reports.csv_json import (
    comparison_document,
    plan_document,
    records,
    write_csv,
    write_csv_tables,
    write_json,
)
from reports.excel import (
    fit_columns,
    write_comparison_workbook,
    write_frame,
    write_origin_sheet,
    write_plan_workbook,
)
from reports.formulas import save_workbook
from reports.labels import label
from reports.provenance import Provenance, solver_versions
from reports.tables import PLAN_TABLES, comparison_tables, plan_tables

if TYPE_CHECKING:
    from optimizer.frontier import Frontier

PLAN_WORKBOOK = "plan.xlsx"
PLAN_JSON = "plan.json"
DISTRICT_CHART = "money_by_district.png"
COMPARISON_WORKBOOK = "comparison.xlsx"
COMPARISON_JSON = "comparison.json"
FRONTIER_WORKBOOK = "frontier.xlsx"
FRONTIER_CHART = "frontier.png"
PLAN_REPORT_FILES = frozenset(
    {PLAN_WORKBOOK, PLAN_JSON, DISTRICT_CHART, *(f"{name}.csv" for name in PLAN_TABLES)}
)
"""Every file a plan report may write: an earlier run's that a new one does not write go."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a report is written (as a ``with`` or a decorator).

    A workbook is some 100,000 small objects (cells, styles, XML elements) that refer to one
    another; allocating them starts the collector a dozen times, and its full passes walk every
    object the process holds (the data, the plan, pandas, matplotlib): about 0.15 s of a 1 s
    report on the Sơn La scenarios. Paused, the cycles a report leaves are collected at the
    collector's first pass after it (some 30 MB more at the peak). Left as it was when a caller
    had paused it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@collector_paused()
def write_plan_report(
    folder: Path,
    plan: Plan,
    dataset: Dataset,
    scenario: Scenario,
    baselines: Mapping[str, Plan] | None = None,
    lang: str = "vi",
    provenance: Provenance | None = None,
) -> list[Path]:
    """plan.xlsx, plan.json, one CSV per table and (when money was spent) money_by_district.png.

    ``provenance``: the run it records (``Provenance.of_run``); without it the workbook says the
    plan was not recorded."""
    tables = plan_tables(plan, dataset, scenario, baselines)
    written = [
        write_plan_workbook(
            folder / PLAN_WORKBOOK,
            tables,
            plan,
            dataset,
            lang,
            scenario=scenario,
            provenance=provenance,
        ),
        write_json(folder / PLAN_JSON, plan_document(plan, tables, dataset, scenario)),
        *write_csv_tables(folder, tables),
    ]
    districts = tables["districts"]
    if plan.feasible and len(districts) and districts["money"].sum() > 0:
        written.append(
            district_money_chart(districts, folder / DISTRICT_CHART, plan.scenario, lang)
        )
    return written


@collector_paused()
def plan_workbook(
    path: Path,
    plan: Plan,
    dataset: Dataset,
    scenario: Scenario,
    lang: str = "vi",
    provenance: Provenance | None = None,
) -> Path:
    """The plan's workbook alone (as in ``write_plan_report``, without the baseline sheet)."""
    tables = plan_tables(plan, dataset, scenario)
    return write_plan_workbook(
        path, tables, plan, dataset, lang, scenario=scenario, provenance=provenance
    )


@collector_paused()
def write_comparison_report(
    folder: Path,
    plans: Mapping[str, Plan],
    dataset: Dataset,
    files: Mapping[str, str],
    lang: str = "vi",
    provenances: Mapping[str, Provenance] | None = None,
    period: str | None = None,
) -> tuple[list[Path], dict[str, pd.DataFrame]]:
    """comparison.xlsx, comparison.json and comparison_<table>.csv; also returns the tables.

    ``period``: "2021-2025" when every plan pools its money over that horizon
    (:func:`pooled_period`): the workbook shows the money by period, not by its last year.

    ``provenances``: label → the run each plan records (``Provenance.of_run``); plans without one
    are named as not recorded."""
    tables = comparison_tables(plans, dataset, files)
    written = [
        comparison_workbook(
            folder / COMPARISON_WORKBOOK,
            plans,
            dataset,
            lang,
            provenances,
            tables=tables,
            period=period,
        ),
        write_json(folder / COMPARISON_JSON, comparison_document(plans, tables)),
    ]
    for name, frame in tables.items():
        path = folder / f"comparison_{name.removeprefix('compare_')}.csv"
        written.append(write_csv(path, frame))
    return written, tables


@collector_paused()
def comparison_workbook(
    path: Path,
    plans: Mapping[str, Plan],
    dataset: Dataset,
    lang: str = "vi",
    provenances: Mapping[str, Provenance] | None = None,
    files: Mapping[str, str] | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    period: str | None = None,
) -> Path:
    """The comparison workbook alone (as ``write_comparison_report`` writes it)."""
    tables = tables or comparison_tables(plans, dataset, files or {})
    floors = {p.kpis.floor for p in plans.values() if p.kpis}
    floor = floors.pop() if len(floors) == 1 else ""
    given = provenances or {}
    unrecorded = [label for label in plans if label not in given]
    origins = dict(given)
    if unrecorded:
        first = Provenance.unrecorded(plans[unrecorded[0]], dataset)
        for label in unrecorded:
            plan = plans[label]
            solver, pulp = solver_versions(plan.solver)
            origins[label] = replace(
                first, scenario=plan.scenario, method=plan.method, solver=solver, pulp=pulp
            )
    return write_comparison_workbook(
        path,
        tables,
        list(plans),
        lang,
        floor=floor,
        provenances={label: origins[label] for label in plans},
        dataset=dataset,
        period=period,
    )


def pooled_period(scenarios: Iterable[Scenario]) -> str | None:
    """ "2021-2025" when every scenario pools its money over that same horizon, else None."""
    horizons = {(s.horizon.start, s.horizon.end, s.horizon.single_period) for s in scenarios}
    if len(horizons) != 1:
        return None
    start, end, pooled = horizons.pop()
    return f"{start}-{end}" if pooled else None


@collector_paused()
def write_frontier_report(
    folder: Path,
    frontier: Frontier,
    dataset: Dataset,
    lang: str = "vi",
    solver: str | None = "highs",
) -> tuple[list[Path], pd.DataFrame]:
    """frontier.csv, frontier_triage.csv (and frontier_cost_curve.csv), frontier.png, a workbook
    frontier.xlsx and frontier.json with the same tables; ``frontier``: ``optimizer.frontier.Frontier``.
    """
    triage = frontier.triage_table()
    if "commune" in triage.columns:
        names = {c.code: (c.name, c.district or "") for c in dataset.communes}
        at = triage.columns.get_loc("commune") + 1
        triage.insert(at, "name", [names.get(c, ("", ""))[0] for c in triage["commune"]])
        triage.insert(at + 1, "district", [names.get(c, ("", ""))[1] for c in triage["commune"]])
    tables = {"frontier": frontier.table(), "frontier_triage": triage}
    curve = frontier.cost_curve_table()
    if len(curve):
        tables["frontier_cost_curve"] = curve
    written = write_csv_tables(folder, tables)
    written.append(
        frontier_chart(tables["frontier"], folder / FRONTIER_CHART, frontier.scenario, lang)
    )
    wb = Workbook()
    sheets = {
        "frontier": "sheet.frontier",
        "frontier_triage": "sheet.triage",
        "frontier_cost_curve": "sheet.cost_curve",
    }
    solver, pulp = solver_versions(solver)
    origin = Provenance(
        scenario=frontier.scenario,
        method="frontier",
        solver=solver,
        pulp=pulp,
        dataset_name=dataset.info.name,
        dataset_hash=Provenance.unrecorded_hash(dataset),
        user=Provenance.current_user(),
    )
    title = f"{label('sheet.frontier', lang)} — {frontier.scenario}"
    write_origin_sheet(wb.active, title, {frontier.scenario: origin}, lang)
    for name, frame in tables.items():
        ws = wb.create_sheet(label(sheets[name], lang)[:31])
        write_frame(ws, frame, lang)
        fit_columns(ws)
    save_workbook(wb, folder / FRONTIER_WORKBOOK)
    written.append(folder / FRONTIER_WORKBOOK)
    write_json(
        folder / "frontier.json",
        {
            "frontier": frontier.model_dump(mode="json"),
            "tables": {name: records(frame) for name, frame in tables.items()},
        },
    )
    written.append(folder / "frontier.json")
    return written, tables["frontier"]
