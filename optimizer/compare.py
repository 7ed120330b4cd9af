"""Plans side by side: headline figures, money by district / source / year / criterion, differences.

Pure functions from a Dataset and one or more Plans to tidy pandas tables; the Results and Compare
pages of the app (and anything else that shows plans) read these tables and never add money up on
their own. Nothing here solves, caches or changes its inputs.

Money is million VND, as in the plan. A shared item's money is split equally among the communes it
serves (the plan's own rule, see ``Plan.payments_table``); within one commune, an item that closes
several criteria is split equally among them for the by-criterion table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.inputs import scenario_budget
from optimizer.plan import Plan

KPI_KEYS = (
    "at_standard",
    "at_floor",
    "mean_criteria",
    "criteria_met",
    "money_total",
    "items_funded",
)
"""Headline figures a plan is judged by, in the order pages show them."""

MONEY_TOLERANCE = 0.5
"""Money differences below half a million VND are rounding, not money moved."""


class Outcome:
    """What a plan does for one commune (codes; the app translates them)."""

    REACHES_STANDARD = "reaches_standard"
    STAYS_AT_STANDARD = "stays_at_standard"
    LOSES_STANDARD = "loses_standard"
    IMPROVES = "improves"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class KpiValue:
    """One headline figure before the plan (None when it has no 'before') and after it."""

    before: float | None
    after: float


# -- one plan ------------------------------------------------------------------------------------
def kpi_values(plan: Plan) -> dict[str, KpiValue]:
    """The plan's headline figures by :data:`KPI_KEYS`; empty for a plan without KPIs."""
    k = plan.kpis
    if k is None:
        return {}
    return {
        "at_standard": KpiValue(k.at_standard_before, k.at_standard_after),
        "at_floor": KpiValue(k.at_floor_before, k.at_floor_after),
        "mean_criteria": KpiValue(k.mean_criteria_before, k.mean_criteria_after),
        "criteria_met": KpiValue(k.criteria_met_before, k.criteria_met_after),
        "money_total": KpiValue(None, k.money_total),
        "items_funded": KpiValue(None, k.items_funded),
    }


def money_by_commune(plan: Plan) -> pd.Series:
    """Commune code → money spent there (shared items split equally), largest first."""
    table = plan.payments_table()
    if table.empty:
        return pd.Series(dtype=float, name="amount")
    return table.groupby("commune")["amount"].sum().sort_values(ascending=False)


def money_by_district(dataset: Dataset, plan: Plan) -> pd.DataFrame:
    """One row per district: money, communes, and communes at standard before and after.

    Columns: district, amount, communes, at_standard_before, at_standard_after; every district of
    the dataset appears (with 0 when the plan spends nothing there), most money first. Wards count
    in money but only counted communes in the commune columns, as in the plan's KPIs.
    """
    money = money_by_commune(plan)
    outcome = {c.commune: c for c in plan.communes}
    rows: dict[str, dict[str, float]] = {}
    for commune in dataset.communes:
        district = commune.district or ""
        row = rows.setdefault(
            district,
            {"amount": 0.0, "communes": 0, "at_standard_before": 0, "at_standard_after": 0},
        )
        row["amount"] += float(money.get(commune.code, 0.0))
        result = outcome.get(commune.code)
        if result is not None and result.counted:
            row["communes"] += 1
            row["at_standard_before"] += result.at_standard_before
            row["at_standard_after"] += result.at_standard_after
    table = pd.DataFrame(
        [{"district": d, **values} for d, values in rows.items()],
        columns=["district", "amount", "communes", "at_standard_before", "at_standard_after"],
    )
    for column in ("communes", "at_standard_before", "at_standard_after"):
        table[column] = table[column].astype(int)
    return table.sort_values(["amount", "district"], ascending=[False, True], ignore_index=True)


def budget_total(dataset: Dataset, scenario: Scenario) -> float:
    """The scenario's money over its horizon, all sources (million VND)."""
    return float(sum(scenario_budget(dataset, scenario).values()))


def source_use(dataset: Dataset, scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """One row per funding source: the scenario's budget over the horizon, money spent, share used.

    Columns: source, budget, spent, used (spent / budget; NaN for a source without budget), in the
    dataset's order of sources.
    """
    budget: dict[str, float] = {}
    for (code, _year), amount in scenario_budget(dataset, scenario).items():
        budget[code] = budget.get(code, 0.0) + amount
    spent = plan.kpis.money_by_source if plan.kpis else {}
    rows = []
    for source in dataset.sources:
        b = budget.get(source.code, 0.0)
        s = float(spent.get(source.code, 0.0))
        rows.append(
            {"source": source.code, "budget": b, "spent": s, "used": s / b if b else float("nan")}
        )
    return pd.DataFrame(rows, columns=["source", "budget", "spent", "used"])


def money_by_year(plan: Plan) -> pd.DataFrame:
    """Tidy: year, source, amount — the plan's payments summed per year and source."""
    if not plan.payments:
        return pd.DataFrame(columns=["year", "source", "amount"])
    payments = pd.DataFrame([p.model_dump() for p in plan.payments])
    return (
        payments.groupby(["year", "source"], as_index=False)["amount"]
        .sum()
        .sort_values(["year", "source"], ignore_index=True)
    )


def criterion_outcomes(dataset: Dataset, plan: Plan) -> pd.DataFrame:
    """One row per criterion of the set: counted communes meeting it before and after, and money.

    Columns: criterion, number, before, after, gained (after − before), amount — money of the items
    that close this criterion (an item closing several criteria in a commune is split equally).
    """
    counted = {c.commune for c in plan.communes if c.counted}
    before = dict.fromkeys(dataset.criteria.codes, 0)
    after = dict.fromkeys(dataset.criteria.codes, 0)
    for row in plan.criteria:
        if row.commune in counted:
            before[row.criterion] += row.met_before
            after[row.criterion] += row.met_after
    amount = dict.fromkeys(dataset.criteria.codes, 0.0)
    table = plan.payments_table()
    for joined, money in zip(table["criterion"], table["amount"], strict=True):
        codes = [c for c in str(joined).split(";") if c]
        for code in codes:
            amount[code] += float(money) / len(codes)
    return pd.DataFrame(
        [
            {
                "criterion": c.code,
                "number": c.number,
                "before": before[c.code],
                "after": after[c.code],
                "gained": after[c.code] - before[c.code],
                "amount": amount[c.code],
            }
            for c in dataset.criteria.criteria
        ],
        columns=["criterion", "number", "before", "after", "gained", "amount"],
    )


def commune_outcomes(dataset: Dataset, plan: Plan) -> pd.DataFrame:
    """One row per commune of the plan, with its name, district and what the plan does there.

    Columns: commune, name, district, counted, criteria_before, criteria_after, at_standard_before,
    at_standard_after, year_at_standard, money, outcome (an :class:`Outcome` code).
    """
    columns = [
        "commune",
        "name",
        "district",
        "counted",
        "criteria_before",
        "criteria_after",
        "at_standard_before",
        "at_standard_after",
        "year_at_standard",
        "money",
        "outcome",
    ]
    rows = []
    for c in plan.communes:
        commune = dataset.commune_by_code[c.commune]
        rows.append(
            {
                "commune": c.commune,
                "name": commune.name,
                "district": commune.district or "",
                "counted": c.counted,
                "criteria_before": c.criteria_before,
                "criteria_after": c.criteria_after,
                "at_standard_before": c.at_standard_before,
                "at_standard_after": c.at_standard_after,
                "year_at_standard": c.year_at_standard,
                "money": c.money,
                "outcome": _outcome(
                    c.at_standard_before,
                    c.at_standard_after,
                    c.criteria_before,
                    c.criteria_after,
                ),
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    table["year_at_standard"] = table["year_at_standard"].astype("Int64")
    return table


def _outcome(standard_before: bool, standard_after: bool, before: int, after: int) -> str:
    if standard_after:
        return Outcome.STAYS_AT_STANDARD if standard_before else Outcome.REACHES_STANDARD
    if standard_before:
        return Outcome.LOSES_STANDARD
    return Outcome.IMPROVES if after > before else Outcome.UNCHANGED


def funded_items(dataset: Dataset, plan: Plan) -> pd.DataFrame:
    """One row per funded item: what it is, whom it serves, when, its cost and who pays.

    Columns: item, name, kind, category, communes (names joined with ", "), districts, criteria
    (criterion codes it closes, in the set's order, joined with ";"), start_year, completion_year,
    cost, and one column per funding source of the dataset (``source:<code>``) with the money it
    pays for the item.
    """
    paid: dict[tuple[str, str], float] = {}
    for p in plan.payments:
        paid[(p.investment, p.source)] = paid.get((p.investment, p.source), 0.0) + p.amount
    order = {code: index for index, code in enumerate(dataset.criteria.codes)}
    rows = []
    for item in plan.items:
        investment = dataset.investment_by_code[item.investment]
        served = dataset.served_communes(item.investment)
        closed = {e.criterion_code for e in dataset.effects_by_investment.get(item.investment, ())}
        row: dict[str, object] = {
            "item": item.investment,
            "name": investment.name,
            "kind": investment.kind.value,
            "category": investment.category,
            "communes": ", ".join(c.name for c in served),
            "districts": ", ".join(dict.fromkeys(c.district or "" for c in served)),
            "criteria": ";".join(sorted(closed, key=lambda k: order.get(k, len(order)))),
            "start_year": item.start_year,
            "completion_year": item.completion_year,
            "cost": item.cost,
        }
        for source in dataset.sources:
            row[f"source:{source.code}"] = paid.get((item.investment, source.code), 0.0)
        rows.append(row)
    columns = [
        "item",
        "name",
        "kind",
        "category",
        "communes",
        "districts",
        "criteria",
        "start_year",
        "completion_year",
        "cost",
        *(f"source:{s.code}" for s in dataset.sources),
    ]
    return pd.DataFrame(rows, columns=columns)


# -- several plans -------------------------------------------------------------------------------
def kpi_table(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """Index :data:`KPI_KEYS`; column ``before`` (from the first plan), then one column per plan.

    Every plan is of the same dataset, so 'before' is the same for all; plans without KPIs (an
    infeasible scenario) show NaN.
    """
    values = {label: kpi_values(plan) for label, plan in plans.items()}
    first = next((v for v in values.values() if v), {})
    table = pd.DataFrame(index=pd.Index(KPI_KEYS, name="kpi"))
    table["before"] = [
        first[k].before if k in first and first[k].before is not None else float("nan")
        for k in KPI_KEYS
    ]
    for label, kpis in values.items():
        table[label] = [kpis[k].after if k in kpis else float("nan") for k in KPI_KEYS]
    return table


def kpi_deltas(plans: Mapping[str, Plan], reference: str | None = None) -> pd.DataFrame:
    """Each plan's headline figures minus the reference plan's (default: the first plan)."""
    table = kpi_table(plans).drop(columns="before")
    reference = reference or next(iter(plans))
    return table.sub(table[reference], axis=0)


def commune_differences(dataset: Dataset, plans: Mapping[str, Plan]) -> pd.DataFrame:
    """Counted communes whose outcome differs between the plans: at standard or criteria met.

    One row per such commune (code as index) with name and district, then for each plan label two
    columns, ``<label>|criteria`` (criteria met after) and ``<label>|standard`` (at standard after).
    Sorted by district and name.
    """
    outcome = {
        label: {c.commune: c for c in plan.communes if c.counted} for label, plan in plans.items()
    }
    codes = [c.code for c in dataset.communes if all(c.code in o for o in outcome.values())]
    rows = []
    for code in codes:
        results = [outcome[label][code] for label in plans]
        standards = {r.at_standard_after for r in results}
        criteria = {r.criteria_after for r in results}
        if len(standards) == 1 and len(criteria) == 1:
            continue
        commune = dataset.commune_by_code[code]
        row: dict[str, object] = {
            "commune": code,
            "name": commune.name,
            "district": commune.district or "",
        }
        for label, result in zip(plans, results, strict=True):
            row[f"{label}|criteria"] = result.criteria_after
            row[f"{label}|standard"] = result.at_standard_after
        rows.append(row)
    columns = ["commune", "name", "district"]
    for label in plans:
        columns += [f"{label}|criteria", f"{label}|standard"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["district", "name"], ignore_index=True).set_index("commune")


def money_moved(
    dataset: Dataset,
    plans: Mapping[str, Plan],
    by: Literal["district", "source"],
    reference: str | None = None,
) -> pd.DataFrame:
    """Money per district (or source) in each plan and its change against the reference plan.

    Tidy: group, plan, amount, delta (amount − the reference plan's amount for the group). Every
    group appears for every plan; groups whose money is the same in all plans are left out.
    """
    reference = reference or next(iter(plans))
    amounts: dict[str, dict[str, float]] = {}
    for label, plan in plans.items():
        if by == "district":
            table = money_by_district(dataset, plan)
            amounts[label] = dict(zip(table["district"], table["amount"], strict=True))
        else:
            spent = plan.kpis.money_by_source if plan.kpis else {}
            amounts[label] = {s.code: float(spent.get(s.code, 0.0)) for s in dataset.sources}
    groups = (
        [s.code for s in dataset.sources]
        if by == "source"
        else sorted({d for a in amounts.values() for d in a})
    )
    rows = []
    for group in groups:
        values = {label: amounts[label].get(group, 0.0) for label in plans}
        if max(values.values()) - min(values.values()) < MONEY_TOLERANCE:
            continue
        base = values[reference]
        rows += [
            {"group": group, "plan": label, "amount": value, "delta": value - base}
            for label, value in values.items()
        ]
    return pd.DataFrame(rows, columns=["group", "plan", "amount", "delta"])
