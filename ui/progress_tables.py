"""The Progress page's tables as its reader sees them: headers in the interface's language, and
the codes in them (what changed, an item's status, why an item was dropped, yes/no) in words.

The tables themselves (``optimizer.replan_report``) keep their keys, as the CSVs do."""

from __future__ import annotations

import pandas as pd

from reports.labels import label, yes_no

VALUE_KEYS = {
    "change": "progress.",
    "status": "value.item_status.",
    "reason": "value.drop_reason.",
}
"""Columns whose values are codes, and the catalogue prefix of their words."""
YES_NO_COLUMNS = frozenset({"behind"})


def shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its codes in words and its headers in ``lang`` (the data unchanged)."""
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


def money_by_year(money: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Planned and disbursed money by year, for the chart (its legend in ``lang``)."""
    by_year = money.groupby("year")[["planned", "disbursed"]].sum()
    return by_year.rename(columns={c: label(f"col.{c}", lang) for c in by_year.columns})
