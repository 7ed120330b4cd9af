"""Turn decisions (items with start years, payments) into a Plan, the same way for every method.

Outcomes are recomputed from the decisions — which gaps the completed items close by each year —
rather than read from solver variables, so optimizer and baseline plans are judged alike.
"""

from __future__ import annotations

from collections import defaultdict

from models.messages import Message
from optimizer.inputs import COVERAGE_TOLERANCE, Inputs
from optimizer.plan import (
    CommuneOutcome,
    CriterionOutcome,
    FundedItem,
    ItemTarget,
    Kpis,
    LevelResult,
    Payment,
    Plan,
    PlanStatus,
    Timings,
)


def met_years(inputs: Inputs, funded: dict[str, int]) -> dict[tuple[str, str], int | None]:
    """(commune, criterion) → first decision year it is met (None: not met by the horizon end).

    An unmet criterion is met once the completed items' amounts reach its gap; an at-risk one is
    kept once a completed maintenance item serves it; any other met criterion stays met.
    """
    d = inputs.dataset
    closing: dict[tuple[str, str], list[tuple[int, float, bool]]] = defaultdict(list)
    for i, start in funded.items():
        completion = start + inputs.duration[i] - 1
        maintenance = d.investment_by_code[i].maintenance
        for e in d.effects_by_investment.get(i, ()):
            closing[(e.commune_code, e.criterion_code)].append((completion, e.amount, maintenance))
    first_year: dict[tuple[str, str], int | None] = {}
    for s in d.status:
        pair = (s.commune_code, s.criterion_code)
        if s.met and not s.at_risk:
            first_year[pair] = inputs.years[0]
            continue
        first_year[pair] = None
        for t in inputs.years:
            if s.met:
                closed = sum(1.0 for y, _a, m in closing.get(pair, ()) if m and y <= t)
                need = 1.0
            else:
                closed = sum(a for y, a, _m in closing.get(pair, ()) if y <= t)
                need = s.gap
            if closed >= need - COVERAGE_TOLERANCE:
                first_year[pair] = t
                break
    return first_year


def assemble_plan(
    inputs: Inputs,
    funded: dict[str, int],
    payments: list[Payment],
    *,
    method: str,
    status: PlanStatus,
    solver: str | None = None,
    solver_versions: dict[str, str] | None = None,
    levels: tuple[LevelResult, ...] = (),
    timings: Timings | None = None,
    notes: tuple[Message, ...] = (),
) -> Plan:
    """Build the full Plan from funded items (item → start year) and their payments."""
    d = inputs.dataset
    years_met = met_years(inputs, funded)
    criteria_rows = [
        CriterionOutcome(
            commune=s.commune_code,
            criterion=s.criterion_code,
            met_before=s.met,
            met_after=years_met[(s.commune_code, s.criterion_code)] is not None,
            year_met=years_met[(s.commune_code, s.criterion_code)],
        )
        for s in d.status
    ]
    money: defaultdict[str, float] = defaultdict(float)
    for p in payments:
        for c, part in inputs.share[p.investment].items():
            money[c] += p.amount * part
    counted = set(inputs.counted)
    commune_rows = []
    for commune in d.communes:
        c = commune.code
        years = [years_met[(c, k)] for k in d.criteria.codes]
        after = sum(1 for y in years if y is not None)
        commune_rows.append(
            CommuneOutcome(
                commune=c,
                counted=c in counted,
                criteria_before=d.criteria_met[c],
                criteria_after=after,
                at_standard_before=d.at_standard(c),
                at_standard_after=after == d.criteria.size,
                year_at_standard=max(years) if after == d.criteria.size else None,  # type: ignore[type-var]
                money=round(money[c], 6),
            )
        )
    targets = [
        ItemTarget(
            investment=i,
            commune=c,
            criterion=";".join(
                sorted(e.criterion_code for e in d.effects_by_investment[i] if e.commune_code == c)
            ),
            share=part,
        )
        for i in sorted(funded)
        for c, part in inputs.share[i].items()
    ]
    items = tuple(
        FundedItem(
            investment=i,
            start_year=t,
            completion_year=t + inputs.duration[i] - 1,
            cost=inputs.cost[i],
        )
        for i, t in sorted(funded.items())
    )
    return Plan(
        scenario=inputs.scenario.name,
        method=method,
        status=status,
        solver=solver,
        solver_versions=solver_versions or {},
        notes=notes,
        levels=levels,
        items=items,
        payments=tuple(sorted(payments, key=lambda p: (p.year, p.investment, p.source))),
        communes=tuple(commune_rows),
        criteria=tuple(criteria_rows),
        kpis=kpis(inputs, commune_rows, payments, len(items)),
        timings=timings or Timings(),
        item_targets=tuple(targets),
    )


def kpis(
    inputs: Inputs, communes: list[CommuneOutcome], payments: list[Payment], items: int
) -> Kpis:
    """Headline numbers over the counted communes."""
    counted = [c for c in communes if c.counted]
    n = max(1, len(counted))
    floor = inputs.floor
    by_source: dict[str, float] = defaultdict(float)
    by_year: dict[int, float] = defaultdict(float)
    for p in payments:
        by_source[p.source] += p.amount
        by_year[p.year] += p.amount
    return Kpis(
        communes=len(counted),
        floor=floor,
        criteria_in_set=inputs.dataset.criteria.size,
        at_standard_before=sum(c.at_standard_before for c in counted),
        at_standard_after=sum(c.at_standard_after for c in counted),
        at_floor_before=sum(c.criteria_before >= floor for c in counted),
        at_floor_after=sum(c.criteria_after >= floor for c in counted),
        mean_criteria_before=sum(c.criteria_before for c in counted) / n,
        mean_criteria_after=sum(c.criteria_after for c in counted) / n,
        criteria_met_before=sum(c.criteria_before for c in counted),
        criteria_met_after=sum(c.criteria_after for c in counted),
        money_total=round(sum(p.amount for p in payments), 6),
        money_by_source={s: round(v, 6) for s, v in sorted(by_source.items())},
        money_by_year={y: round(v, 6) for y, v in sorted(by_year.items())},
        budget_total=round(sum(inputs.budget.values()), 6),
        items_funded=items,
    )
