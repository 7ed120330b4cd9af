"""Money in whole million VND that adds up: the plan's payments rounded once, for every report.

The engine pays items in fractions of a million VND (a shared item split among its communes, a
source paying a co-financing share). A finance department signs tables in whole million VND whose
rows and columns foot, so the reports derive every sheet from one integer table,
:func:`whole_payments`: each payment row (year × commune × item × source) is rounded down or up,
and the choice is made so that

- the whole plan adds up to its total rounded (an integer total is kept exactly),
- each item adds up to its money rounded (its cost, when the plan pays it in full),
- each item in each commune, and each source in each year, adds up to its money rounded down or up,

rounding up the rows with the largest remainders first (the largest remainder method, over the
rows and the sums at once). Choosing which rows go up is a small transportation problem whose
matrix is totally unimodular (two nested families of sums), so its linear programme, solved by
HiGHS's simplex, has a whole-number optimum; the result is checked before it is used.
"""

from __future__ import annotations

import math

import highspy
import numpy as np
import pandas as pd

from optimizer.highs_direct import new_highs
from optimizer.plan import Plan

WHOLE = 1e-6
"""A sum within this of a whole number (million VND) is that number (float noise)."""
SUM_WEIGHT = {"total": 0.0, "item": 1000.0, "source_year": 1000.0, "item_commune": 10.0}
"""How much more rounding a sum to its nearest whole number counts than rounding one row."""


class RoundingError(RuntimeError):
    """The whole-number table could not be made to add up (a bug: it always can)."""


def _bounds(value: float) -> tuple[int, int]:
    """Whole numbers just below and above ``value`` (both the same when it is whole)."""
    nearest = round(value)
    if abs(value - nearest) <= WHOLE:
        return nearest, nearest
    return math.floor(value), math.ceil(value)


def _remainder(value: float) -> float:
    low, high = _bounds(value)
    return 0.0 if low == high else value - low


def whole_payments(plan: Plan) -> pd.DataFrame:
    """``Plan.payments_table()`` with ``amount`` in whole million VND (int64) that adds up.

    Rows keep their order and columns; see the module's description for what adds up.
    """
    table = plan.payments_table().reset_index(drop=True)
    if table.empty:
        return table.assign(amount=pd.Series(dtype="int64"))
    amounts = table["amount"].astype(float).to_numpy()
    groups = {
        "total": np.zeros(len(table), dtype=np.int64),
        "item": table.groupby("item", sort=False).ngroup().to_numpy(),
        "item_commune": table.groupby(["item", "commune"], sort=False).ngroup().to_numpy(),
        "source_year": table.groupby(["source", "year"], sort=False).ngroup().to_numpy(),
    }
    whole = _round_table(amounts, groups)
    return table.assign(amount=whole)


def _round_table(amounts: np.ndarray, groups: dict[str, np.ndarray]) -> np.ndarray:
    """Whole numbers, each the value rounded down or up, whose sums over every group of every
    family are their sums rounded down or up, and whose grand total is the total rounded."""
    n = len(amounts)
    low = np.array([_bounds(a)[0] for a in amounts], dtype=np.float64)
    high = np.array([_bounds(a)[1] for a in amounts], dtype=np.float64)
    # minimise Σ (1 − 2·remainder)·x: rounding up the largest remainders costs least
    cost = np.array([1.0 - 2.0 * _remainder(a) for a in amounts])
    row_lower, row_upper, starts, index = [], [], [0], []
    for family, labels in groups.items():
        order = np.argsort(labels, kind="stable")
        sums = np.bincount(labels, weights=amounts)
        first = np.searchsorted(labels[order], np.arange(len(sums)))
        last = np.append(first[1:], n)
        for g, total in enumerate(sums):
            lo, hi = _bounds(total)
            if family == "total":
                lo = hi = round(total)
            row_lower.append(lo)
            row_upper.append(hi)
            members = order[first[g] : last[g]]
            index.extend(members.tolist())
            starts.append(len(index))
            cost[members] += SUM_WEIGHT[family] * (1.0 - 2.0 * _remainder(total))
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = cost
    lp.col_lower_ = low
    lp.col_upper_ = high
    lp.row_lower_ = np.asarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(len(index))
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(row_lower)
    highs = new_highs()
    highs.setOptionValue("solver", "simplex")
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RoundingError(
            f"rounding the payments: {highs.modelStatusToString(highs.getModelStatus())}"
        )
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    whole = np.rint(values).astype(np.int64)
    if (
        np.abs(values - whole).max(initial=0.0) > WHOLE
        or (whole < low).any()
        or (whole > high).any()
    ):
        raise RoundingError("rounding the payments gave a value that is not whole")
    for family, labels in groups.items():
        sums = np.bincount(labels, weights=amounts)
        got = np.bincount(labels, weights=whole.astype(np.float64))
        for total, value in zip(sums, got, strict=True):
            lo, hi = _bounds(total)
            if family == "total":
                lo = hi = round(total)
            if not lo <= value <= hi:
                raise RoundingError(f"rounding the payments: a {family} sum does not add up")
    return whole
