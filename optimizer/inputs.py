"""Sets and parameters of the formulation, prepared once from a Dataset and a Scenario.

Everything the constraint functions need is computed here with plain Python/pandas, so the
formulation only assembles expressions. Pure: the same inputs always give the same Inputs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from models.commune import Commune, UnitType
from models.dataset import Dataset
from models.scenario import CommuneGroup, Scenario
from models.scenario_check import ensure_scenario_fits

COVERAGE_TOLERANCE = 1e-6
"""A gap counts as closed when the items' amounts reach it within this tolerance."""

Pair = tuple[str, str]
"""(commune code, criterion code)."""


@dataclass(frozen=True)
class Inputs:
    """Prepared sets and parameters (money in million VND as floats, inside the optimizer only)."""

    dataset: Dataset
    scenario: Scenario
    years: tuple[int, ...]
    end: int
    budget: dict[tuple[str, int], float]
    items: tuple[str, ...]
    cost: dict[str, float]
    duration: dict[str, int]
    starts: dict[str, tuple[int, ...]]
    sources_for: dict[str, tuple[str, ...]]
    gap: dict[Pair, float]
    """Unmet pairs that the available items can close, with the gap to close."""
    at_risk: tuple[Pair, ...]
    """Met but at-risk pairs that a maintenance item can keep."""
    cover: dict[Pair, tuple[tuple[str, float], ...]]
    """Open pair → (item, amount) of every considered item that serves it."""
    counted: tuple[str, ...]
    """Communes that count in commune targets (wards only if the scenario includes them)."""
    fixed_met: dict[str, int]
    """Commune → criteria met whatever the plan does (met and not at risk)."""
    open_pairs: dict[str, tuple[Pair, ...]]
    """Commune → its pairs the plan can still change (closable gaps and at-risk pairs)."""
    can_reach_standard: frozenset[str]
    floor: int
    share: dict[str, dict[str, float]]
    """Item → commune → share of the item's cost attributed to the commune (equal split)."""
    unclosable: dict[Pair, float] = field(default_factory=dict)
    """Unmet pairs the available items cannot close, with the gap left even if all were funded."""
    overrun: dict[str, float] = field(default_factory=dict)
    """With robust budgets (Γ > 0): item → its cost's 90th-percentile overrun as a share of the
    estimate (p90 multiplier − 1), for items whose category may overrun."""
    pay_class: dict[str, str] = field(default_factory=dict)
    """Item → its payment class: items with the same payers and duration share the source split.

    Splitting a class's money among sources and then among its items pro rata to cost is exactly
    as free as splitting each item's (caps are shares of cost), so one set of pay variables per
    class suffices. Items stay their own class when a policy needs money by source and commune.
    """

    def class_items(self) -> dict[str, tuple[str, ...]]:
        """Payment class → its items, in item order."""
        grouped: dict[str, list[str]] = defaultdict(list)
        for item in self.items:
            grouped[self.pay_class[item]].append(item)
        return {k: tuple(v) for k, v in grouped.items()}

    def done_starts(self, item: str, year: int) -> tuple[int, ...]:
        """Start years of ``item`` that complete it by ``year``."""
        return tuple(t for t in self.starts[item] if t + self.duration[item] - 1 <= year)

    def spend_starts(self, item: str, year: int) -> tuple[int, ...]:
        """Start years of ``item`` for which it is paid in ``year``."""
        return tuple(t for t in self.starts[item] if t <= year <= t + self.duration[item] - 1)

    def group_members(self, group: CommuneGroup, district: str | None = None) -> frozenset[str]:
        """Codes of communes in a policy group."""
        return frozenset(
            c.code for c in self.dataset.communes if in_group(c, group, district, self)
        )


def in_group(commune: Commune, group: CommuneGroup, district: str | None, inputs: Inputs) -> bool:
    """Whether ``commune`` belongs to a named policy group."""
    if group == CommuneGroup.BELOW_FLOOR:
        return inputs.dataset.criteria_met[commune.code] < inputs.floor
    if group == CommuneGroup.REGION_III:
        return commune.region == "III"
    if group == CommuneGroup.DISTRICT:
        return commune.district == district
    return bool(getattr(commune, group.value))


def scenario_budget(dataset: Dataset, scenario: Scenario) -> dict[tuple[str, int], float]:
    """Money per (source, decision year): the dataset's budgets scaled and overridden."""
    b = scenario.budgets
    horizon = scenario.horizon
    yearly: dict[tuple[str, int], float] = {}
    for budget in dataset.budgets:
        if horizon.start <= budget.year <= horizon.end:
            factor = b.scale * b.scale_by_source.get(budget.source_code, 1.0)
            yearly[(budget.source_code, budget.year)] = budget.amount * factor
    for override in b.overrides:
        yearly[(override.source, override.year)] = float(override.amount)
    result: dict[tuple[str, int], float] = defaultdict(float)
    kept = 1.0 - scenario.robustness.reserve  # a contingency reserve is held back from every budget
    for source in dataset.sources:
        for year in range(horizon.start, horizon.end + 1):
            period = horizon.end if horizon.single_period else year
            result[(source.code, period)] += yearly.get((source.code, year), 0.0) * kept
    return dict(result)


def prepare(dataset: Dataset, scenario: Scenario) -> Inputs:
    """Compute every set and parameter the formulation uses.

    Raises ScenarioReferenceError, listing each, when the scenario names a source, commune,
    district, item or year the dataset does not have: nothing is silently ignored.
    """
    ensure_scenario_fits(dataset, scenario)
    horizon = scenario.horizon
    years = horizon.years
    end = horizon.end
    forced_out = set(scenario.policies.forced_out)
    status = dataset.status_by_key

    gap_all = {(s.commune_code, s.criterion_code): s.gap for s in dataset.status if not s.met}
    risk_all = {(s.commune_code, s.criterion_code) for s in dataset.status if s.at_risk}

    items, cost, duration, starts, sources_for, share = [], {}, {}, {}, {}, {}
    cover: dict[Pair, list[tuple[str, float]]] = defaultdict(list)
    for investment in dataset.investments:
        code = investment.code
        effects = dataset.effects_by_investment.get(code, ())
        useful = [
            e
            for e in effects
            if (e.commune_code, e.criterion_code) in gap_all
            or (investment.maintenance and (e.commune_code, e.criterion_code) in risk_all)
        ]
        if code in forced_out or not useful:
            continue
        served = dataset.served_communes(code)
        payers = tuple(s.code for s in dataset.sources if s.may_pay_for(investment, served))
        d = 1 if horizon.single_period else investment.duration_years
        first = max(horizon.start, investment.earliest_year or horizon.start)
        allowed = (
            (end,) if horizon.single_period and first <= end else tuple(range(first, end - d + 2))
        )
        if not payers or not allowed:
            continue
        items.append(code)
        cost[code] = float(investment.cost)
        duration[code] = d
        starts[code] = allowed
        sources_for[code] = payers
        share[code] = {c.code: 1.0 / len(served) for c in served}
        for e in useful:
            cover[(e.commune_code, e.criterion_code)].append((code, e.amount))

    gap, unclosable = {}, {}
    for pair, g in gap_all.items():
        reachable = sum(a for _, a in cover.get(pair, ()))
        if reachable >= g - COVERAGE_TOLERANCE:
            gap[pair] = g
        else:
            unclosable[pair] = g - reachable
    at_risk = tuple(sorted(p for p in risk_all if cover.get(p)))
    lost_risk = {p for p in risk_all if not cover.get(p)}

    open_pairs: dict[str, list[Pair]] = defaultdict(list)
    for pair in sorted([*gap, *at_risk]):
        open_pairs[pair[0]].append(pair)
    fixed_met = {
        c.code: sum(
            1
            for k in dataset.criteria.codes
            if status[(c.code, k)].met and (c.code, k) not in risk_all
        )
        for c in dataset.communes
    }
    blocked = {c for c, _ in unclosable} | {c for c, _ in lost_risk}
    counted = tuple(
        c.code
        for c in dataset.communes
        if c.unit_type == UnitType.COMMUNE or scenario.policies.include_wards
    )
    robust = scenario.robustness.gamma > 0
    per_item = robust or any(m.source is not None for m in scenario.policies.min_shares)
    pay_class = {i: i if per_item else "+".join(sources_for[i]) + f"|{duration[i]}y" for i in items}
    overrun = _robust_overruns(dataset, scenario, items) if robust else {}
    return Inputs(
        overrun=overrun,
        pay_class=pay_class,
        dataset=dataset,
        scenario=scenario,
        years=years,
        end=end,
        budget=scenario_budget(dataset, scenario),
        items=tuple(items),
        cost=cost,
        duration=duration,
        starts=starts,
        sources_for=sources_for,
        gap=gap,
        at_risk=at_risk,
        cover={p: tuple(v) for p, v in cover.items() if p in gap or p in set(at_risk)},
        counted=counted,
        fixed_met=fixed_met,
        open_pairs={c: tuple(v) for c, v in open_pairs.items()},
        can_reach_standard=frozenset(c.code for c in dataset.communes if c.code not in blocked),
        floor=scenario.floor_for(dataset.criteria.size),
        share=share,
        unclosable=unclosable,
    )


def _robust_overruns(dataset: Dataset, scenario: Scenario, items: list[str]) -> dict[str, float]:
    """Item → p90 multiplier − 1 of its category, for the items that may overrun."""
    uncertainty = scenario.uncertainty
    assert uncertainty is not None  # Scenario.check_robust_budgets_know_the_overruns
    by_code = {i.code: i for i in dataset.investments}
    result = {}
    for item in items:
        overrun = uncertainty.overrun_for(by_code[item].category)
        if overrun is not None and overrun.p90 > 1.0:
            result[item] = overrun.p90 - 1.0
    return result
