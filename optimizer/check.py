"""An independent checker: recompute from a Plan, with pandas alone, that it keeps every hard rule.

``check_plan(dataset, scenario, plan)`` returns one message per violation (an empty list: valid),
each naming the source, year, item, commune or criterion concerned. It uses only the data models
and the scenario — not the optimizer's prepared inputs, formulation or plan assembly — so a slip
there cannot hide itself: the money per source and year is derived from the scenario here again.

Checked:
- money: each source's spending per decision year within its budget (cumulative with carry-over)
  and within the year's disbursement rate times the money on hand; every payment's source
  eligible for its item and within its share cap; each funded item paid in full, evenly over its
  duration;
- timing: each funded item starts in an allowed year and completes by the horizon end;
- policies that name items: forced-out items absent, committed items present;
- outcomes: per-criterion and per-commune outcomes (and the KPIs) agree with the coverage
  recomputed from the funded items' effects and the gaps;
- totals: money by commune = by source = by year = total = the payments.

Conventions (those of the data format): a single-period scenario is one decision period, the
horizon end, in which every item starts and completes (durations collapse to one period). An
unmet criterion is met from the first year the completed items' amounts reach its gap; an at-risk
one is kept from the first year a completed maintenance item serves it; any other met criterion
stays met from the first year. A shared item's money is split equally among the communes it serves.
Optional policies (minimum shares, commune cap, targets, …) are not checked here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from models.commune import UnitType
from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.plan import Plan, PlanStatus

MONEY_TOLERANCE = 1e-3
"""Money (million VND) within this of a limit is within the limit."""
COVERAGE_TOLERANCE = 1e-6
"""A gap counts as closed when the completed items' amounts reach it within this."""


def check_plan(dataset: Dataset, scenario: Scenario, plan: Plan) -> list[str]:
    """Every hard rule the plan breaks, as messages in the user's words (empty: valid)."""
    if plan.status == PlanStatus.INFEASIBLE:
        if plan.items or plan.payments:
            return ["an infeasible plan must fund nothing"]
        return []
    items = _items_frame(plan)
    payments = _payments_frame(plan)
    problems = _check_items(dataset, scenario, items)
    problems += _check_item_policies(scenario, items)
    problems += _check_payments(dataset, scenario, items, payments)
    problems += _check_budgets(dataset, scenario, payments)
    problems += _check_outcomes(dataset, scenario, plan, items, payments)
    return problems


# -- derived data -------------------------------------------------------------------------------
def decision_years(scenario: Scenario) -> list[int]:
    """The decision periods: every horizon year, or the end year alone for a single period."""
    h = scenario.horizon
    return [h.end] if h.single_period else list(range(h.start, h.end + 1))


def scenario_budgets(dataset: Dataset, scenario: Scenario) -> pd.DataFrame:
    """Money per source and decision year (columns source, year, amount), every pair present.

    The dataset's horizon-year budgets times ``scale`` and the source's extra factor; overrides
    replace a year's amount; a single period pools the horizon's years into the end year.
    """
    h, b = scenario.horizon, scenario.budgets
    rows = pd.DataFrame(
        [(x.source_code, x.year, float(x.amount)) for x in dataset.budgets],
        columns=["source", "year", "amount"],
    )
    factor = rows["source"].map(lambda s: b.scale * b.scale_by_source.get(s, 1.0))
    rows["amount"] = rows["amount"] * factor
    overrides = pd.DataFrame(
        [(o.source, o.year, float(o.amount)) for o in b.overrides],
        columns=["source", "year", "amount"],
    )
    rows = pd.concat([rows, overrides], ignore_index=True).astype(
        {"source": str, "year": int, "amount": float}
    )
    rows = rows.drop_duplicates(["source", "year"], keep="last")
    rows = rows[rows["year"].between(h.start, h.end)].copy()
    if h.single_period:
        rows["year"] = h.end
    sources = [s.code for s in dataset.sources]
    full = pd.MultiIndex.from_product([sources, decision_years(scenario)], names=["source", "year"])
    summed = rows.groupby(["source", "year"])["amount"].sum()
    return summed.reindex(full, fill_value=0.0).reset_index()


def _items_frame(plan: Plan) -> pd.DataFrame:
    columns = ["investment", "start_year", "completion_year", "cost"]
    frame = pd.DataFrame([i.model_dump() for i in plan.items], columns=columns)
    return frame.astype(
        {"investment": str, "start_year": int, "completion_year": int, "cost": float}
    )


def _payments_frame(plan: Plan) -> pd.DataFrame:
    columns = ["investment", "source", "year", "amount"]
    frame = pd.DataFrame([p.model_dump() for p in plan.payments], columns=columns)
    return frame.astype({"investment": str, "source": str, "year": int, "amount": float})


def _duration(dataset: Dataset, scenario: Scenario, item: str) -> int:
    if scenario.horizon.single_period:
        return 1
    return dataset.investment_by_code[item].duration_years


def _money(value: float) -> str:
    return f"{value:,.3f}"


# -- items and policies -------------------------------------------------------------------------
def _check_items(dataset: Dataset, scenario: Scenario, items: pd.DataFrame) -> list[str]:
    """Known, funded once, at its cost, starting in an allowed year, complete by the horizon end."""
    h = scenario.horizon
    problems = [
        f"item {i}: funded more than once"
        for i in sorted(items.loc[items["investment"].duplicated(), "investment"].unique())
    ]
    for row in items.drop_duplicates("investment").itertuples(index=False):
        investment = dataset.investment_by_code.get(row.investment)
        if investment is None:
            problems.append(f"item {row.investment}: not in the dataset")
            continue
        d = _duration(dataset, scenario, row.investment)
        first = max(h.start, investment.earliest_year or h.start)
        completes = row.start_year + d - 1
        if h.single_period:
            allowed = row.start_year == h.end and first <= h.end
        else:
            allowed = first <= row.start_year and completes <= h.end
        if not allowed:
            problems.append(
                f"item {row.investment}: start year {row.start_year} not allowed (earliest "
                f"{first}, {d} year(s), horizon end {h.end})"
            )
        if row.completion_year != completes:
            problems.append(
                f"item {row.investment}: completion year {row.completion_year}, expected {completes}"
            )
        if abs(row.cost - investment.cost) > MONEY_TOLERANCE:
            problems.append(
                f"item {row.investment}: cost {_money(row.cost)}, dataset says {investment.cost}"
            )
    return problems


def _check_item_policies(scenario: Scenario, items: pd.DataFrame) -> list[str]:
    """Forced-out items absent; committed items present (at their start year when one is given)."""
    funded = dict(zip(items["investment"], items["start_year"], strict=True))
    problems = [
        f"item {i}: forced out but funded" for i in scenario.policies.forced_out if i in funded
    ]
    for commitment in scenario.policies.committed:
        i, year = commitment.investment, commitment.start_year
        if i not in funded:
            problems.append(f"item {i}: committed but not funded")
        elif year is not None and not scenario.horizon.single_period and funded[i] != year:
            problems.append(f"item {i}: committed to start in {year}, starts in {funded[i]}")
    return problems


# -- payments and budgets -----------------------------------------------------------------------
def _check_payments(
    dataset: Dataset, scenario: Scenario, items: pd.DataFrame, payments: pd.DataFrame
) -> list[str]:
    """Each payment for a funded item in its years from an eligible source within its share cap;
    each item paid in full, the same amount every year of its duration."""
    problems = [
        f"payment {r.investment} from {r.source} in {r.year}: negative amount {_money(r.amount)}"
        for r in payments[payments["amount"] < -MONEY_TOLERANCE].itertuples(index=False)
    ]
    items = items.drop_duplicates("investment")
    known = items[items["investment"].isin(dataset.investment_by_code)]
    window = known.set_index("investment")
    for r in payments[~payments["investment"].isin(window.index)].itertuples(index=False):
        problems.append(f"payment {r.investment} from {r.source} in {r.year}: item not funded")

    by_pair = payments.groupby(["investment", "source"], as_index=False)["amount"].sum()
    for r in by_pair.itertuples(index=False):
        source = dataset.source_by_code.get(r.source)
        if source is None:
            problems.append(f"item {r.investment}: paid by unknown source {r.source}")
            continue
        investment = dataset.investment_by_code.get(r.investment)
        if investment is None or r.investment not in window.index:
            continue
        if not source.may_pay_for(investment, dataset.served_communes(r.investment)):
            problems.append(f"item {r.investment}: source {r.source} may not pay for it")
        cap = source.max_share * investment.cost
        if r.amount > cap + MONEY_TOLERANCE:
            problems.append(
                f"item {r.investment}: source {r.source} pays {_money(r.amount)}, above its cap "
                f"{source.max_share:g} × {investment.cost} = {_money(cap)}"
            )

    paid = payments.groupby(["investment", "year"])["amount"].sum()
    for r in known.itertuples(index=False):
        cost = dataset.investment_by_code[r.investment].cost
        d = _duration(dataset, scenario, r.investment)
        years = range(r.start_year, r.start_year + d)
        mine = paid.loc[r.investment] if r.investment in paid.index.get_level_values(0) else None
        total = 0.0 if mine is None else float(mine.sum())
        if abs(total - cost) > MONEY_TOLERANCE:
            problems.append(f"item {r.investment}: paid {_money(total)} of its cost {cost}")
            continue
        for year, amount in {} if mine is None else mine.items():
            if year not in years:
                problems.append(
                    f"item {r.investment}: paid {_money(amount)} in {year}, outside its years "
                    f"{years.start}-{years.stop - 1}"
                )
        for year in years:
            amount = 0.0 if mine is None else float(mine.get(year, 0.0))
            if abs(amount - cost / d) > MONEY_TOLERANCE:
                problems.append(
                    f"item {r.investment}: paid {_money(amount)} in {year}, not the even "
                    f"{_money(cost / d)} a year over {d} year(s)"
                )
    return problems


def _check_budgets(dataset: Dataset, scenario: Scenario, payments: pd.DataFrame) -> list[str]:
    """Σ_{t'≤t} spent[s,t'] ≤ Σ_{t'≤t} budget[s,t'] with carry-over, else spent[s,t] ≤ budget[s,t];
    with a disbursement rate r_t, spent[s,t] ≤ r_t·(money on hand in t): the year's budget plus,
    with carry-over, what earlier years left unspent."""
    budget = scenario_budgets(dataset, scenario)
    years = decision_years(scenario)
    outside = payments[~payments["year"].isin(years)]
    problems = [
        f"budget {r.source} {r.year}: payment for {r.investment} outside the decision years"
        for r in outside.itertuples(index=False)
    ]
    spent = payments.groupby(["source", "year"], as_index=False)["amount"].sum()
    table = budget.merge(spent, on=["source", "year"], how="left", suffixes=("", "_spent"))
    table = table.fillna({"amount_spent": 0.0}).sort_values(["source", "year"])
    carry = scenario.budgets.carry_over
    if carry:
        grouped = table.groupby("source")
        table["available"] = grouped["amount"].cumsum()
        table["used"] = grouped["amount_spent"].cumsum()
    else:
        table["available"], table["used"] = table["amount"], table["amount_spent"]
    over = table[table["used"] > table["available"] + MONEY_TOLERANCE]
    what = "cumulative with carry-over" if carry else "that year"
    problems += [
        f"budget {r.source} {r.year}: spent {_money(r.used)} > available {_money(r.available)} "
        f"({what})"
        for r in over.itertuples(index=False)
    ]
    # Disbursement: a year pays out at most its rate times the money on hand (budget + carried).
    table["rate"] = table["year"].map(scenario.budgets.disbursement).astype(float)
    if carry:
        table["on_hand"] = table["available"] - (table["used"] - table["amount_spent"])
    else:
        table["on_hand"] = table["amount"]
    limited = table[table["rate"].notna()]
    slow = limited[limited["amount_spent"] > limited["rate"] * limited["on_hand"] + MONEY_TOLERANCE]
    problems += [
        f"disbursement {r.source} {r.year}: paid {_money(r.amount_spent)} > {r.rate:g} × "
        f"{_money(r.on_hand)} on hand"
        for r in slow.itertuples(index=False)
    ]
    return problems


# -- outcomes -----------------------------------------------------------------------------------
def recompute_criteria(dataset: Dataset, scenario: Scenario, items: pd.DataFrame) -> pd.DataFrame:
    """One row per commune × criterion: met_before, met_after and year_met, from funded items."""
    status = pd.DataFrame(
        [(s.commune_code, s.criterion_code, s.met, s.gap, s.at_risk) for s in dataset.status],
        columns=["commune", "criterion", "met_before", "gap", "at_risk"],
    )
    effects = pd.DataFrame(
        [(e.investment_code, e.commune_code, e.criterion_code, e.amount) for e in dataset.effects],
        columns=["investment", "commune", "criterion", "amount"],
    )
    known = items[items["investment"].isin(dataset.investment_by_code)]
    done = effects.merge(known[["investment", "completion_year"]], on="investment")
    maintenance = {i.code: i.maintenance for i in dataset.investments}
    done["maintenance"] = done["investment"].map(maintenance).astype(bool)
    status["year_met"] = float("nan")
    for year in decision_years(scenario):
        complete = done[done["completion_year"] <= year]
        key = ["commune", "criterion"]
        closed = complete.groupby(key)["amount"].sum().rename("closed")
        kept = complete[complete["maintenance"]].groupby(key).size().rename("kept")
        now = status.join(closed, on=key).join(kept, on=key).fillna({"closed": 0.0, "kept": 0})
        met = (now["met_before"] & ~now["at_risk"]) | (now["at_risk"] & (now["kept"] >= 1))
        met |= ~now["met_before"] & (now["closed"] >= now["gap"] - COVERAGE_TOLERANCE)
        status.loc[met & status["year_met"].isna(), "year_met"] = year
    status["met_after"] = status["year_met"].notna()
    return status[["commune", "criterion", "met_before", "met_after", "year_met"]]


def recompute_communes(
    dataset: Dataset, scenario: Scenario, criteria: pd.DataFrame, payments: pd.DataFrame
) -> pd.DataFrame:
    """One row per commune: counted, criteria before/after, at standard, year, money."""
    size = dataset.criteria.size
    grouped = criteria.groupby("commune", sort=False)
    table = pd.DataFrame(
        {
            "criteria_before": grouped["met_before"].sum(),
            "criteria_after": grouped["met_after"].sum(),
            "last_year": grouped["year_met"].max(),
        }
    )
    table["at_standard_before"] = table["criteria_before"] == size
    table["at_standard_after"] = table["criteria_after"] == size
    table["year_at_standard"] = table["last_year"].where(table["at_standard_after"])
    include_wards = scenario.policies.include_wards
    table["counted"] = [
        dataset.commune_by_code[c].unit_type == UnitType.COMMUNE or include_wards
        for c in table.index
    ]
    shares = pd.DataFrame(
        [
            (i, c.code, 1.0 / len(served))
            for i in payments["investment"].unique()
            if i in dataset.investment_by_code
            for served in [dataset.served_communes(i)]
            for c in served
        ],
        columns=["investment", "commune", "share"],
    )
    money = payments.merge(shares, on="investment")
    by_commune = (money["amount"] * money["share"]).groupby(money["commune"]).sum()
    table["money"] = by_commune.reindex(table.index, fill_value=0.0)
    return table.drop(columns="last_year")


def _check_outcomes(
    dataset: Dataset,
    scenario: Scenario,
    plan: Plan,
    items: pd.DataFrame,
    payments: pd.DataFrame,
) -> list[str]:
    """Plan outcomes (criteria, communes, KPIs, money totals) against the recomputed ones."""
    criteria = recompute_criteria(dataset, scenario, items)
    problems = _compare_criteria(plan, criteria)
    communes = recompute_communes(dataset, scenario, criteria, payments)
    problems += _compare_communes(plan, communes)
    problems += _compare_kpis(dataset, scenario, plan, communes, payments)
    return problems


def _year(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _compare_criteria(plan: Plan, expected: pd.DataFrame) -> list[str]:
    got = plan.criteria_table()
    if got.empty:
        got = pd.DataFrame(columns=["commune", "criterion", "met_before", "met_after", "year_met"])
    merged = expected.merge(
        got, on=["commune", "criterion"], how="outer", suffixes=("", "_plan"), indicator=True
    )
    problems = [
        f"outcome {r.commune} {r.criterion}: "
        + ("missing from the plan" if r._merge == "left_only" else "not in the dataset")
        for r in merged[merged["_merge"] != "both"].itertuples(index=False)
    ]
    for r in merged[merged["_merge"] == "both"].itertuples(index=False):
        for column in ("met_before", "met_after"):
            if bool(getattr(r, column)) != bool(getattr(r, f"{column}_plan")):
                problems.append(
                    f"outcome {r.commune} {r.criterion}: plan says {column}="
                    f"{bool(getattr(r, f'{column}_plan'))}, recomputed {bool(getattr(r, column))}"
                )
        if _year(r.year_met) != _year(r.year_met_plan):
            problems.append(
                f"outcome {r.commune} {r.criterion}: plan says met in {_year(r.year_met_plan)}, "
                f"recomputed {_year(r.year_met)}"
            )
    return problems


def _compare_communes(plan: Plan, expected: pd.DataFrame) -> list[str]:
    got = plan.communes_table()
    if got.empty:
        return ["the plan has no commune outcomes"] if len(expected) else []
    got = got.set_index("commune")
    problems = [f"commune {c}: missing from the plan" for c in expected.index.difference(got.index)]
    problems += [f"commune {c}: not in the dataset" for c in got.index.difference(expected.index)]
    exact = [
        "counted",
        "criteria_before",
        "criteria_after",
        "at_standard_before",
        "at_standard_after",
    ]
    for c in expected.index.intersection(got.index):
        want, have = expected.loc[c], got.loc[c]
        for column in exact:
            if want[column] != have[column]:
                problems.append(
                    f"commune {c}: plan says {column}={have[column]}, recomputed {want[column]}"
                )
        if _year(want["year_at_standard"]) != _year(have["year_at_standard"]):
            problems.append(
                f"commune {c}: plan says at standard in {_year(have['year_at_standard'])}, "
                f"recomputed {_year(want['year_at_standard'])}"
            )
        if abs(want["money"] - have["money"]) > MONEY_TOLERANCE:
            problems.append(
                f"commune {c}: plan attributes {_money(have['money'])}, recomputed "
                f"{_money(want['money'])}"
            )
    return problems


def _compare_kpis(
    dataset: Dataset,
    scenario: Scenario,
    plan: Plan,
    communes: pd.DataFrame,
    payments: pd.DataFrame,
) -> list[str]:
    """Headline numbers over counted communes, and money by commune = source = year = total."""
    k = plan.kpis
    if k is None:
        return ["the plan has no KPIs"]
    counted = communes[communes["counted"].astype(bool)]  # empty: rows, not columns
    floor = scenario.floor_for(dataset.criteria.size)
    expected = {
        "communes": len(counted),
        "at_standard_before": int(counted["at_standard_before"].sum()),
        "at_standard_after": int(counted["at_standard_after"].sum()),
        "at_floor_after": int((counted["criteria_after"] >= floor).sum()),
        "criteria_met_after": int(counted["criteria_after"].sum()),
        "items_funded": len(plan.items),
    }
    problems = [
        f"KPI {name}: plan says {getattr(k, name)}, recomputed {value}"
        for name, value in expected.items()
        if getattr(k, name) != value
    ]
    total = float(payments["amount"].sum())
    by_source = payments.groupby("source")["amount"].sum()
    by_year = payments.groupby("year")["amount"].sum()
    for source, amount in by_source.items():
        if abs(k.money_by_source.get(source, 0.0) - amount) > MONEY_TOLERANCE:
            problems.append(
                f"KPI money of source {source}: plan says "
                f"{_money(k.money_by_source.get(source, 0.0))}, payments sum to {_money(amount)}"
            )
    for year, amount in by_year.items():
        if abs(k.money_by_year.get(year, 0.0) - amount) > MONEY_TOLERANCE:
            problems.append(
                f"KPI money in {year}: plan says {_money(k.money_by_year.get(year, 0.0))}, "
                f"payments sum to {_money(amount)}"
            )
    sums = {
        "communes": sum(c.money for c in plan.communes),
        "sources": sum(k.money_by_source.values()),
        "years": sum(k.money_by_year.values()),
        "total": k.money_total,
    }
    problems += [
        f"money by {name} sums to {_money(value)}, payments to {_money(total)}"
        for name, value in sums.items()
        if abs(value - total) > MONEY_TOLERANCE
    ]
    budget = float(scenario_budgets(dataset, scenario)["amount"].sum())
    if abs(k.budget_total - budget) > MONEY_TOLERANCE:
        problems.append(f"KPI budget_total: plan says {_money(k.budget_total)}, {_money(budget)}")
    return problems
