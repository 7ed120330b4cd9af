"""The re-plan's own report files: what changed, and the plan against what happened.

``replan.xlsx`` has one sheet per table (changes per item, communes whose year at standard
changes, money planned against disbursed per source and year, criteria planned against actual per
commune, communes falling behind), and each table is also written as a CSV file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pandas as pd

REPLAN_WORKBOOK = "replan.xlsx"
REPLAN_TABLES = (
    "replan_items",
    "replan_communes",
    "money_against_plan",
    "criteria_against_plan",
    "falling_behind",
)
REPLAN_FILES = (REPLAN_WORKBOOK, *(f"{name}.csv" for name in REPLAN_TABLES))
"""Files a re-plan report writes (so a later report replaces them)."""


def write_replan_workbook(path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """One sheet per table, written to a temporary file that replaces ``path`` at the end."""
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.xlsx")
    try:
        with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for name in REPLAN_TABLES:
                if name in tables:
                    tables[name].to_excel(writer, sheet_name=name, index=False)
                    writer.sheets[name].freeze_panes = "A2"
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def write_replan_tables(folder: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """replan.xlsx and one CSV per table into ``folder``."""
    paths = [write_replan_workbook(folder / REPLAN_WORKBOOK, tables)]
    for name in REPLAN_TABLES:
        if name in tables:
            path = folder / f"{name}.csv"
            tables[name].to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            paths.append(path)
    return paths
