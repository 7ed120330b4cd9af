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

from reports.excel import fit_columns
from reports.labels import DEFAULT_LANGUAGE, label, yes_no

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


VALUE_KEYS = {
    "change": "progress.",
    "status": "value.item_status.",
    "reason": "value.drop_reason.",
}
"""Columns whose values are codes, and the catalogue prefix of their words."""
YES_NO_COLUMNS = frozenset({"behind"})


def readable(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """A re-plan table as a person reads it: headers in ``lang`` and its codes (what changed, an
    item's status, why an item was dropped, yes/no) in words; codes of communes and items and
    the numbers stay as they are. The CSVs keep the keys, for scripts."""
    frame = frame.copy()
    for column in frame.columns:
        if column in VALUE_KEYS:
            prefix = VALUE_KEYS[column]
            frame[column] = [
                label(prefix + value, lang) if isinstance(value, str) and value else value
                for value in frame[column]
            ]
        elif column in YES_NO_COLUMNS:
            frame[column] = [yes_no(bool(value), lang) for value in frame[column]]
    return frame.rename(columns={c: label(f"col.{c}", lang) for c in frame.columns})


def money_by_year(money: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """``money_against_plan`` summed by year, planned beside disbursed, headers in ``lang`` (the
    Progress page's chart: short words, a longer legend label is cut at 160 pixels)."""
    by_year = money.groupby("year")[["planned", "disbursed"]].sum()
    return by_year.rename(columns={c: label(f"progress.chart_{c}", lang) for c in by_year.columns})


def write_replan_workbook(
    path: Path, tables: dict[str, pd.DataFrame], lang: str = DEFAULT_LANGUAGE
) -> Path:
    """One sheet per table in ``lang`` (``readable``), written to a temporary file that replaces
    ``path`` at the end."""
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.xlsx")
    try:
        with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for name in REPLAN_TABLES:
                if name in tables:
                    title = label(f"sheet.{name}", lang)[:31]
                    readable(tables[name], lang).to_excel(writer, sheet_name=title, index=False)
                    writer.sheets[title].freeze_panes = "A2"
                    fit_columns(writer.sheets[title])
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def write_replan_tables(
    folder: Path, tables: dict[str, pd.DataFrame], lang: str = DEFAULT_LANGUAGE
) -> list[Path]:
    """replan.xlsx (in ``lang``) and one CSV per table (keys, for scripts) into ``folder``."""
    paths = [write_replan_workbook(folder / REPLAN_WORKBOOK, tables, lang)]
    for name in REPLAN_TABLES:
        if name in tables:
            path = folder / f"{name}.csv"
            tables[name].to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            paths.append(path)
    return paths
