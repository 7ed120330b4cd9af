"""The risk report: tables of a RiskReport, a plan comparison and the no-regret items, written as
CSV, one Excel workbook (a sheet each) and JSON."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from models.dataset import Dataset
from optimizer.risk import RiskReport
from optimizer.robust import NoRegret, PlanComparison
from reports.csv_json import records, write_csv_tables, write_json
from reports.excel import fit_columns, write_frame
from reports.labels import label

RISK_WORKBOOK = "risk.xlsx"
SHEETS = {
    "risk_summary": "sheet.risk_summary",
    "risk_distribution": "sheet.risk_distribution",
    "risk_communes": "sheet.risk_communes",
    "risk_unfinished": "sheet.risk_unfinished",
    "risk_plans": "sheet.risk_plans",
    "no_regret": "sheet.no_regret",
}


def risk_tables(
    dataset: Dataset,
    report: RiskReport | None = None,
    comparison: PlanComparison | None = None,
    regret: NoRegret | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of the report, by sheet key (only those asked for)."""
    tables: dict[str, pd.DataFrame] = {}
    if report is not None:
        tables["risk_summary"] = report.summary()
        tables["risk_distribution"] = report.distribution()
        tables["risk_communes"] = report.commune_probabilities(dataset)
        tables["risk_unfinished"] = report.unfinished_items(dataset)
    if comparison is not None:
        tables["risk_plans"] = comparison.table()
    if regret is not None:
        tables["no_regret"] = regret.table(dataset)
    return tables


def risk_workbook(tables: dict[str, pd.DataFrame], lang: str = "vi") -> bytes:
    """One sheet per table, headers in ``lang``."""
    wb = Workbook()
    for index, (name, frame) in enumerate(tables.items()):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = label(SHEETS[name], lang)[:31]
        write_frame(ws, frame, lang)
        fit_columns(ws)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_risk_report(
    folder: Path,
    dataset: Dataset,
    report: RiskReport | None = None,
    comparison: PlanComparison | None = None,
    regret: NoRegret | None = None,
    lang: str = "vi",
) -> tuple[list[Path], dict[str, pd.DataFrame]]:
    """<table>.csv for each table, risk.xlsx and risk.json; returns the paths and the tables."""
    tables = risk_tables(dataset, report, comparison, regret)
    written = write_csv_tables(folder, tables)
    (folder / RISK_WORKBOOK).write_bytes(risk_workbook(tables, lang))
    written.append(folder / RISK_WORKBOOK)
    document = {
        "risk": None if report is None else report.model_dump(mode="json"),
        "comparison": None if comparison is None else comparison.model_dump(mode="json"),
        "no_regret": None if regret is None else regret.model_dump(mode="json"),
        "tables": {name: records(frame) for name, frame in tables.items()},
    }
    written.append(write_json(folder / "risk.json", document))
    return written, tables
