"""The Progress page's chart of money planned against disbursed, its legend in the interface's
language (the tables go through ``reports.replan_tables.readable``, as in replan.xlsx)."""

from __future__ import annotations

import pandas as pd

from reports.labels import label


def money_by_year(money: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Planned and disbursed money by year, for the chart (its legend in ``lang``)."""
    by_year = money.groupby("year")[["planned", "disbursed"]].sum()
    return by_year.rename(columns={c: label(f"col.{c}", lang) for c in by_year.columns})
