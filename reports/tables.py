"""Tidy tables from a Plan (and the Dataset and Scenario it answers), shared by Excel, CSV and JSON.

Every function reads what the Plan already carries (its items, payments, commune outcomes and
KPIs) and the dataset's names; nothing is re-optimised or re-allocated here. Columns have stable
snake_case keys (``reports.labels`` turns them into Vietnamese or English headers); money
is in million VND.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pandas as pd

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.compare import commune_differences, money_by_district
from optimizer.compare import kpi_table as kpi_table_of_plans
from optimizer.inputs import scenario_budget
from optimizer.plan import OPTIMIZER, Plan
from reports.rounding import whole_payments

PAID_PREFIX = "paid_"
"""Items table: one ``paid_<source>`` column per funding source."""
DELTA_PREFIX = "delta_"
"""Comparison table: ``delta_<label>`` = that scenario's value minus the first scenario's."""


def _join(values) -> str:
    return ";".join(str(v) for v in values)


# -- one plan --------------------------------------------------------------------------------------
def kpi_table(plan: Plan, payments: pd.DataFrame | None = None) -> pd.DataFrame:
    """indicator, before, after, change — the headline numbers (None where 'before' is moot).

    Money in whole million VND: the total of ``payments`` (default :func:`whole_payments`)."""
    columns = ["indicator", "before", "after", "change"]
    k = plan.kpis
    if k is None:
        return pd.DataFrame(columns=columns)
    payments = whole_payments(plan) if payments is None else payments
    rows = [
        ("communes", k.communes, k.communes),
        ("at_standard", k.at_standard_before, k.at_standard_after),
        ("at_floor", k.at_floor_before, k.at_floor_after),
        ("mean_criteria", round(k.mean_criteria_before, 4), round(k.mean_criteria_after, 4)),
        ("criteria_met", k.criteria_met_before, k.criteria_met_after),
        ("money_total", None, int(payments["amount"].sum())),
        ("budget_total", None, round(k.budget_total)),
        ("items_funded", None, k.items_funded),
    ]
    frame = pd.DataFrame(
        [
            {
                "indicator": key,
                "before": before,
                "after": after,
                "change": None if before is None else round(after - before, 4),
            }
            for key, before, after in rows
        ],
        columns=columns,
    )
    return frame.astype(object).where(frame.notna(), None)


def settings_table(plan: Plan, dataset: Dataset, scenario: Scenario) -> pd.DataFrame:
    """setting, value — what was asked (scenario) and how it was answered (method, status, time)."""
    b, p, t, s = scenario.budgets, scenario.policies, scenario.targets, scenario.solver
    policies = [
        f"min_share {m.name}: {m.share:g} to {m.district or m.group.value}" for m in p.min_shares
    ]
    policies += [
        f"must_reach {m.name}: {_join((*m.communes, *m.districts))}"
        + (f" by {m.by_year}" if m.by_year else "")
        for m in p.must_reach
    ]
    policies += [
        f"co_financing {c.name}: {c.source} ≥ {c.ratio:g} × {c.of_source}" for c in p.co_financing
    ]
    if p.commune_cap is not None:
        policies.append(f"commune_cap: {p.commune_cap:,}")
    if p.maintain_standard:
        policies.append("maintain_standard")
    if p.committed:
        policies.append(f"committed: {_join(c.investment for c in p.committed)}")
    if p.forced_out:
        policies.append(f"forced_out: {_join(p.forced_out)}")
    if p.district_equity is not None:
        e = p.district_equity
        policies.append(f"{e.name}: min {e.min_communes} / share {e.min_share:g} per district")
    if p.include_wards:
        policies.append("include_wards")
    targets = []
    if t.communes_at_standard is not None:
        targets.append(f"communes_at_standard ≥ {t.communes_at_standard}")
    if t.no_commune_below_floor:
        targets.append("no_commune_below_floor")
    if targets and t.by_year:
        targets.append(f"by {t.by_year}")
    rows = [
        ("scenario", scenario.name),
        ("description", scenario.description or ""),
        ("method", plan.method),
        ("dataset", f"{dataset.info.name} ({dataset.info.province}, {dataset.info.base_year})"),
        ("horizon", f"{scenario.horizon.start}-{scenario.horizon.end}"),
        ("phasing", "pooled" if scenario.horizon.single_period else "annual"),
        ("objectives", " → ".join(o.value for o in scenario.objectives)),
        ("criteria_floor", scenario.floor_for(dataset.criteria.size)),
        ("budget_scale", b.scale),
        ("scale_by_source", "; ".join(f"{k} × {v:g}" for k, v in b.scale_by_source.items())),
        ("overrides", "; ".join(f"{o.source} {o.year}: {o.amount:,}" for o in b.overrides)),
        ("carry_over", b.carry_over),
        ("policies", "; ".join(policies)),
        ("targets", ", ".join(targets)),
        ("solver", plan.solver or ""),
        ("time_limit", s.time_limit),
        ("relative_gap", s.relative_gap),
        ("status", plan.status.value),
        ("message", plan.message),
        ("total_seconds", plan.timings.total_seconds),
    ]
    return pd.DataFrame(rows, columns=["setting", "value"])


def levels_table(plan: Plan) -> pd.DataFrame:
    """objective, value, bound, gap, proven_optimal, seconds — one row per solved level."""
    columns = ["objective", "value", "bound", "gap", "proven_optimal", "seconds"]
    return pd.DataFrame(
        [
            {
                "objective": level.objective.value,
                "value": level.value,
                "bound": level.bound,
                "gap": level.gap,
                "proven_optimal": level.proven_optimal,
                "seconds": level.seconds,
            }
            for level in plan.levels
        ],
        columns=columns,
    )


def communes_table(
    plan: Plan, dataset: Dataset, payments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per commune: names, criteria and standard before/after, year, money, what is missing.

    Money in whole million VND, from ``payments`` (default :func:`whole_payments`)."""
    columns = [
        "code",
        "name",
        "district",
        "region",
        "flags",
        "counted",
        "criteria_before",
        "criteria_after",
        "at_standard_before",
        "at_standard_after",
        "year_at_standard",
        "missing_after",
        "money",
    ]
    payments = whole_payments(plan) if payments is None else payments
    money = payments.groupby("commune")["amount"].sum()
    missing: dict[str, list[str]] = defaultdict(list)
    for outcome in plan.criteria:
        if not outcome.met_after:
            missing[outcome.commune].append(outcome.criterion)
    rows = []
    for o in plan.communes:
        c = dataset.commune_by_code.get(o.commune)
        rows.append(
            {
                "code": o.commune,
                "name": c.name if c else "",
                "district": (c.district or "") if c else "",
                "region": c.region.value if c else "",
                "flags": _join(sorted(f.value for f in c.flags)) if c else "",
                "counted": o.counted,
                "criteria_before": o.criteria_before,
                "criteria_after": o.criteria_after,
                "at_standard_before": o.at_standard_before,
                "at_standard_after": o.at_standard_after,
                "year_at_standard": o.year_at_standard,
                "missing_after": _join(missing.get(o.commune, ())),
                "money": int(money.get(o.commune, 0)),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    frame["year_at_standard"] = frame["year_at_standard"].astype("Int64")
    return frame


def items_table(plan: Plan, dataset: Dataset, payments: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per funded item: what, where, which criteria, cost, years and money per source.

    Money in whole million VND, from ``payments`` (default :func:`whole_payments`): an item paid
    in full has its sources add up to its cost."""
    sources = [s.code for s in dataset.sources]
    payments = whole_payments(plan) if payments is None else payments
    paid = payments.groupby(["item", "source"])["amount"].sum().to_dict()
    columns = [
        "code",
        "name",
        "kind",
        "category",
        "communes",
        "commune_names",
        "criteria",
        "cost",
        "start_year",
        "completion_year",
        *(PAID_PREFIX + s for s in sources),
    ]
    rows = []
    for item in plan.items:
        investment = dataset.investment_by_code.get(item.investment)
        effects = dataset.effects_by_investment.get(item.investment, ())
        served = dataset.served_communes(item.investment)
        row = {
            "code": item.investment,
            "name": investment.name if investment else "",
            "kind": investment.kind.value if investment else "",
            "category": investment.category if investment else "",
            "communes": _join(c.code for c in served),
            "commune_names": _join(c.name for c in served),
            "criteria": _join(sorted({e.criterion_code for e in effects})),
            "cost": round(item.cost),
            "start_year": item.start_year,
            "completion_year": item.completion_year,
        }
        row |= {PAID_PREFIX + s: int(paid.get((item.investment, s), 0)) for s in sources}
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def sources_years_table(
    plan: Plan, dataset: Dataset, scenario: Scenario, payments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """source, source_name_vi/en, year, budget, carried_in, spent, left.

    ``budget`` is the scenario's money for that decision period (the dataset's budgets scaled and
    overridden; a pooled horizon has one period, its last year). With carry-over, what is left at
    the end of a period is carried into the next (``carried_in``); ``left`` = budget + carried_in −
    spent, so the last period's ``left`` is what the plan leaves unspent. Money in whole million
    VND: budgets rounded, ``spent`` from ``payments`` (default :func:`whole_payments`).
    """
    columns = [
        "source",
        "source_name_vi",
        "source_name_en",
        "year",
        "budget",
        "carried_in",
        "spent",
        "left",
    ]
    budget = {key: round(value) for key, value in scenario_budget(dataset, scenario).items()}
    payments = whole_payments(plan) if payments is None else payments
    spent = payments.groupby(["source", "year"])["amount"].sum().to_dict()
    years = sorted({y for _, y in budget} | {y for _, y in spent})
    carry = scenario.budgets.carry_over
    rows = []
    for source in dataset.sources:
        left = 0
        for year in years:
            carried_in = left if carry else 0
            b = budget.get((source.code, year), 0)
            s = int(spent.get((source.code, year), 0))
            left = b + carried_in - s
            rows.append(
                {
                    "source": source.code,
                    "source_name_vi": source.name_vi,
                    "source_name_en": source.name_en,
                    "year": year,
                    "budget": b,
                    "carried_in": carried_in,
                    "spent": s,
                    "left": left,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def payments_table(
    plan: Plan, dataset: Dataset, payments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The Plan's tidy payments (year × commune × item × source) with commune and item names,
    in whole million VND (``payments``, default :func:`whole_payments`)."""
    frame = (whole_payments(plan) if payments is None else payments).copy()
    names = {c.code: c.name for c in dataset.communes}
    items = {i.code: i.name for i in dataset.investments}
    frame.insert(frame.columns.get_loc("commune") + 1, "commune_name", frame["commune"].map(names))
    frame.insert(frame.columns.get_loc("item") + 1, "item_name", frame["item"].map(items))
    frame["amount"] = frame["amount"].astype("int64")
    return frame.drop(columns="scenario")


def districts_table(
    plan: Plan, dataset: Dataset, payments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """district, money, communes_counted, at_standard_before, at_standard_after
    (``compare.money_by_district``: wards count in money, only counted communes in the others);
    money in whole million VND, the sum of the communes' (``payments``)."""
    table = money_by_district(dataset, plan)
    payments = whole_payments(plan) if payments is None else payments
    by_commune = payments.groupby("commune")["amount"].sum()
    district = {c.code: c.district or "" for c in dataset.communes}
    money = by_commune.groupby(by_commune.index.map(district)).sum()
    table["amount"] = [int(money.get(d, 0)) for d in table["district"]]
    return table.rename(columns={"amount": "money", "communes": "communes_counted"})


def diagnosis_table(plan: Plan) -> pd.DataFrame:
    """kind (conflicting / relaxation / extra_budget), policy, message, amount."""
    columns = ["kind", "policy", "message", "amount"]
    d = plan.diagnosis
    if d is None:
        return pd.DataFrame(columns=columns)
    rows = [
        {"kind": "conflicting", "policy": c, "message": "", "amount": None} for c in d.conflicting
    ]
    rows += [
        {"kind": "relaxation", "policy": r.policy, "message": r.message, "amount": r.amount}
        for r in d.relaxations
    ]
    rows += [
        {"kind": "extra_budget", "policy": key, "message": "", "amount": amount}
        for key, amount in d.extra_budget.items()
    ]
    return pd.DataFrame(rows, columns=columns)


def baseline_table(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """One row per method (optimizer first): status, communes at standard / at floor, money,
    and the difference to the optimizer's plan when there is one."""
    columns = [
        "method",
        "status",
        "at_standard_after",
        "at_floor_after",
        "criteria_met_after",
        "money_total",
        "items_funded",
        "vs_optimizer_at_standard",
        "vs_optimizer_money",
    ]
    reference = plans.get(OPTIMIZER)
    ref = reference.kpis if reference is not None else None
    rows = []
    for _method, plan in sorted(plans.items(), key=lambda kv: kv[0] != OPTIMIZER):
        k = plan.kpis
        rows.append(
            {
                "method": plan.method,
                "status": plan.status.value,
                "at_standard_after": k.at_standard_after if k else None,
                "at_floor_after": k.at_floor_after if k else None,
                "criteria_met_after": k.criteria_met_after if k else None,
                "money_total": round(k.money_total) if k else None,
                "items_funded": k.items_funded if k else None,
                "vs_optimizer_at_standard": (
                    k.at_standard_after - ref.at_standard_after if k and ref else None
                ),
                "vs_optimizer_money": (
                    round(k.money_total) - round(ref.money_total) if k and ref else None
                ),
            }
        )
    return pd.DataFrame(rows, columns=columns)


PLAN_TABLES = (
    "summary",
    "settings",
    "levels",
    "communes",
    "items",
    "sources_years",
    "districts",
    "payments",
    "baselines",
    "diagnosis",
)
"""Every table a plan report may hold (plan_tables gives the last two only when they apply)."""


def plan_tables(
    plan: Plan,
    dataset: Dataset,
    scenario: Scenario,
    baselines: Mapping[str, Plan] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of a plan report, by name, in the order the workbook shows them.

    ``baselines``: method → Plan for the comparison table (the plan itself is added as
    'optimizer' when it is the optimizer's). Infeasible plans get a diagnosis table. Money is
    in whole million VND, every table from one rounding of the payments (``rounding``), so the
    tables add up and agree with one another.
    """
    whole = whole_payments(plan)  # every table's money, in whole million VND that adds up
    tables = {
        "summary": kpi_table(plan, whole),
        "settings": settings_table(plan, dataset, scenario),
        "levels": levels_table(plan),
        "communes": communes_table(plan, dataset, whole),
        "items": items_table(plan, dataset, whole),
        "sources_years": sources_years_table(plan, dataset, scenario, whole),
        "districts": districts_table(plan, dataset, whole),
        "payments": payments_table(plan, dataset, whole),
    }
    if baselines:
        compared = dict(baselines)
        if plan.method == OPTIMIZER:
            compared[OPTIMIZER] = plan
        tables["baselines"] = baseline_table(compared)
    if plan.diagnosis is not None:
        tables["diagnosis"] = diagnosis_table(plan)
    return tables


# -- several scenarios -------------------------------------------------------------------------------
def comparison_kpi_table(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """indicator, before, one column per scenario label (its value after), then ``delta_<label>``:
    that scenario minus the first (``compare.kpi_table`` plus the total budget)."""
    table = kpi_table_of_plans(plans)
    budget = {lab: (p.kpis.budget_total if p.kpis else float("nan")) for lab, p in plans.items()}
    table.loc["budget_total"] = {"before": float("nan"), **budget}
    first = next(iter(plans))
    deltas = table[list(plans)].sub(table[first], axis=0).drop(columns=first)
    table = table.join(deltas.add_prefix(DELTA_PREFIX))
    return table.rename_axis("indicator").reset_index()


def comparison_communes_table(
    plans: Mapping[str, Plan],
    dataset: Dataset,
    payments: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Counted communes whose outcome differs between the scenarios (``compare.commune_differences``):
    code, name, district, then ``<label>|criteria``, ``<label>|standard`` and ``<label>|money``
    (whole million VND, from ``payments``: label → :func:`whole_payments`) per scenario, and
    ``<label>|change`` for every scenario after the first: ``gains`` or ``loses`` the standard
    against the first, else empty. Communes that gain or lose the standard come first."""
    payments = payments or {lab: whole_payments(p) for lab, p in plans.items()}
    table = commune_differences(dataset, plans).rename_axis("code").reset_index()
    labels = list(plans)
    for lab in labels:
        money = payments[lab].groupby("commune")["amount"].sum()
        at = table.columns.get_loc(f"{lab}|standard") + 1
        table.insert(at, f"{lab}|money", [int(money.get(c, 0)) for c in table["code"]])
    first = labels[0] if labels else None
    for lab in labels[1:]:
        table[f"{lab}|change"] = [
            "gains" if b and not a else "loses" if a and not b else ""
            for a, b in zip(table[f"{first}|standard"], table[f"{lab}|standard"], strict=True)
        ]
    if len(labels) > 1:
        moved = table[[f"{lab}|change" for lab in labels[1:]]].ne("").any(axis=1)
        table = pd.concat([table[moved], table[~moved]], ignore_index=True)
    return table


def comparison_money_table(
    plans: Mapping[str, Plan],
    dataset: Dataset,
    by: str,
    payments: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Money moved between the scenarios by ``district``, ``source`` or ``year``: the group, the
    money of each scenario (whole million VND, columns by label), then ``delta_<label>``: that
    scenario minus the first. Every group any scenario spends in, in the dataset's order."""
    payments = payments or {lab: whole_payments(p) for lab, p in plans.items()}
    district = {c.code: c.district or "" for c in dataset.communes}
    sums = {}
    for lab, table in payments.items():
        key = table["commune"].map(district) if by == "district" else table[by]
        sums[lab] = table["amount"].groupby(key).sum()
    if by == "source":
        groups = [s.code for s in dataset.sources]
    elif by == "district":
        groups = list(dict.fromkeys(district[c.code] for c in dataset.communes))
    else:
        groups = sorted({int(y) for money in sums.values() for y in money.index})
    frame = pd.DataFrame(
        [{by: g} | {lab: int(sums[lab].get(g, 0)) for lab in plans} for g in groups],
        columns=[by, *plans],
    )
    first = next(iter(plans))
    for lab in list(plans)[1:]:
        frame[DELTA_PREFIX + lab] = frame[lab] - frame[first]
    return frame


def comparison_scenarios_table(plans: Mapping[str, Plan], files: Mapping[str, str]) -> pd.DataFrame:
    """label, file, scenario name, method, status, solver, total seconds."""
    return pd.DataFrame(
        [
            {
                "label": lab,
                "file": files.get(lab, ""),
                "scenario": p.scenario,
                "method": p.method,
                "status": p.status.value,
                "solver": p.solver or "",
                "total_seconds": p.timings.total_seconds,
            }
            for lab, p in plans.items()
        ],
        columns=["label", "file", "scenario", "method", "status", "solver", "total_seconds"],
    )


def comparison_tables(
    plans: Mapping[str, Plan], dataset: Dataset, files: Mapping[str, str]
) -> dict[str, pd.DataFrame]:
    """Every table of a comparison report, by name: the scenarios, their headline figures side by
    side, the communes that differ (those that gain or lose the standard first, with their
    money) and the money moved by district, source and year (whole million VND, each plan's
    from one rounding of its payments, so every table adds up)."""
    payments = {lab: whole_payments(p) for lab, p in plans.items()}
    return {
        "compare_scenarios": comparison_scenarios_table(plans, files),
        "compare_kpis": comparison_kpi_table(plans),
        "compare_communes": comparison_communes_table(plans, dataset, payments),
        "compare_districts": comparison_money_table(plans, dataset, "district", payments),
        "compare_sources": comparison_money_table(plans, dataset, "source", payments),
        "compare_years": comparison_money_table(plans, dataset, "year", payments),
    }
