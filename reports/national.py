"""The national report: every province's plan in one table, and the split of central money.

provinces.csv and, with a split, central_split.csv; national.xlsx with a sheet for each and their
totals; national.json with the run, the split and the same tables. Money in million VND.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from optimizer.national import CentralSplit, NationalRun
from reports.csv_json import records, write_csv_tables, write_json
from reports.excel import fit_columns, write_frame
from reports.labels import label

NATIONAL_WORKBOOK = "national.xlsx"
PROVINCE_TOTALS = (
    "communes_counted",
    "at_standard_before",
    "at_standard_after",
    "gain",
    "at_floor_after",
    "money",
    "budget",
)
SPLIT_TOTALS = (
    "own_money",
    "formula_money",
    "formula_communes",
    "best_money",
    "best_communes",
    "split_difference",
)


def provinces_table(run: NationalRun) -> pd.DataFrame:
    """One row per province: communes at standard before and after, money spent and available."""
    return pd.DataFrame(
        [
            {
                "province": p.province,
                "communes_counted": p.communes,
                "status": p.status,
                "at_standard_before": p.at_standard_before,
                "at_standard_after": p.at_standard_after,
                "gain": None
                if p.at_standard_after is None or p.at_standard_before is None
                else p.at_standard_after - p.at_standard_before,
                "at_floor_after": p.at_floor_after,
                "money": p.money_total,
                "budget": p.budget_total,
                "seconds": p.seconds,
            }
            for p in run.provinces
        ]
    )


def split_table(split: CentralSplit) -> pd.DataFrame:
    """One row per province: its formula share and the best split's amount, with the communes at
    standard each buys and the difference."""
    return pd.DataFrame(
        [
            {
                "province": p.province,
                "formula_weight": p.weight,
                "own_money": p.own_money,
                "formula_money": p.formula_money,
                "formula_communes": p.formula_communes,
                "best_money": p.best_money,
                "best_communes": p.best_communes,
                "split_difference": p.best_communes - p.formula_communes,
            }
            for p in split.provinces
        ]
    )


def write_national_report(
    folder: Path, run: NationalRun, split: CentralSplit | None, lang: str = "vi"
) -> list[Path]:
    """Write the national tables into ``folder`` (a staging folder); return the files written."""
    tables = {"provinces": provinces_table(run)}
    if split is not None:
        tables["central_split"] = split_table(split)
    written = write_csv_tables(folder, tables)
    wb = Workbook()
    ws = wb.active
    ws.title = label("sheet.provinces", lang)[:31]
    write_frame(ws, tables["provinces"], lang, totals=PROVINCE_TOTALS)
    fit_columns(ws)
    if split is not None:
        ws = wb.create_sheet(label("sheet.central_split", lang)[:31])
        write_frame(ws, tables["central_split"], lang, totals=SPLIT_TOTALS)
        fit_columns(ws)
    wb.save(folder / NATIONAL_WORKBOOK)
    written.append(folder / NATIONAL_WORKBOOK)
    document = {
        "run": run.model_dump(mode="json"),
        "split": None if split is None else split.model_dump(mode="json"),
        "tables": {name: records(frame) for name, frame in tables.items()},
    }
    written.append(write_json(folder / "national.json", document))
    return written
