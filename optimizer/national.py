"""National runs: every province plans with its own budgets, so a national run is one independent
problem per province, solved in parallel through the sweep executor (optimizer/sweep.py).

Two questions are answered:

* :func:`solve_provinces` — every province's scenario solved as it stands (the scenario's
  objectives, level by level), one plan per province.
* :func:`central_split` — how a national central budget could be split across provinces to bring
  the most communes to standard, against today's formula split. Each province is solved (first
  objective only: communes at standard) at a grid of central amounts plus its formula share; the
  best split is then an exact multiple-choice knapsack over those options
  (:func:`best_split`): one option per province, the amounts adding up to at most the national
  total, the most communes at standard. The formula share is one of every province's options, so
  the best split is never below the formula's — the difference is what the formula costs in
  communes on that grid.

The formula (shared/domain.md, 2026-2030): each counted commune weighs 50 if Region III, ATK or
border, 40 if Region II, 30 if Region I, 25 otherwise, plus 1 per extremely difficult village
(:func:`optimizer.baselines.formula_weight`); a province's share of central money is its communes'
total weight over the nation's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field

from models.base import FrozenModel
from models.commune import UnitType
from models.dataset import Dataset
from models.scenario import BudgetOverride, Objective, Scenario
from optimizer.baselines import formula_weight
from optimizer.plan import Plan
from optimizer.solve import SolveTimeout, solve
from optimizer.sweep import Executor, Progress, Shared, choose_executor

CENTRAL = "central"
"""The source split across provinces by default (the central NTM budget)."""
STEPS_PER_SHARE = 4
"""Grid steps per average provincial share: the grid step is the national total divided by
(provinces × this)."""
REACH = 3.0
"""Each province's grid runs from nothing to this many times its formula share."""


@dataclass(frozen=True)
class Province:
    """One province's data package, under the name the national run shows."""

    name: str
    dataset: Dataset


class ProvinceOutcome(FrozenModel):
    """One province's plan, in the figures the national report shows."""

    province: str
    communes: int = Field(
        description="Counted communes (wards only when the scenario counts them)."
    )
    status: str
    at_standard_before: int | None
    at_standard_after: int | None
    at_floor_after: int | None
    money_total: float | None = Field(description="Million VND, all sources and years.")
    budget_total: float | None = Field(description="Million VND available, all sources and years.")
    money_by_source: dict[str, float] = Field(default_factory=dict)
    seconds: float


class NationalRun(FrozenModel):
    """Every province's plan and the time the whole run took."""

    scenario: str
    provinces: tuple[ProvinceOutcome, ...]
    workers: int
    seconds: float

    @property
    def at_standard_before(self) -> int:
        return sum(p.at_standard_before or 0 for p in self.provinces)

    @property
    def at_standard_after(self) -> int:
        return sum(p.at_standard_after or 0 for p in self.provinces)

    @property
    def money_total(self) -> float:
        return sum(p.money_total or 0.0 for p in self.provinces)


class SplitOption(FrozenModel):
    """One amount of central money for one province and the most communes at standard it buys."""

    money: int = Field(description="Million VND of the split source over the horizon.")
    communes_at_standard: int | None = Field(description="None when no plan was found.")


class ProvinceSplit(FrozenModel):
    """One province under the formula split and under the best split of the grid."""

    province: str
    weight: float = Field(description="The province's formula weight (sum over its communes).")
    own_money: float = Field(description="The split source's money in the province's scenario.")
    formula_money: int
    formula_communes: int
    best_money: int
    best_communes: int
    options: tuple[SplitOption, ...]


class CentralSplit(FrozenModel):
    """The best split of a national total of one source across provinces, against the formula."""

    scenario: str
    source: str
    total: int = Field(description="Million VND to split: the provinces' own amounts added up.")
    step: float = Field(description="Million VND between grid points.")
    provinces: tuple[ProvinceSplit, ...]
    seconds: float

    @property
    def formula_communes(self) -> int:
        return sum(p.formula_communes for p in self.provinces)

    @property
    def best_communes(self) -> int:
        return sum(p.best_communes for p in self.provinces)


# -- every province as it stands ----------------------------------------------------------------
def solve_provinces(
    provinces: Sequence[Province],
    scenario: Scenario,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> tuple[NationalRun, tuple[Plan, ...]]:
    """Solve the scenario on every province's data, one independent problem each, in parallel.

    Largest provinces are handed out first so the workers finish together; results come back in
    the order of ``provinces`` whatever the workers.
    """
    _check_names(provinces)
    started = time.perf_counter()
    order = sorted(range(len(provinces)), key=lambda k: -len(provinces[k].dataset.investments))
    if executor is None:
        largest = max((len(p.dataset.investments) for p in provinces), default=0)
        executor = choose_executor(largest, len(provinces), workers, scheduler)
    # each dataset travels with its own task (to one worker), not broadcast to every worker
    datasets = [provinces[k].dataset for k in order]
    solved = executor.run(_solve_province, Shared(scenario), datasets, progress)
    by_province = dict(zip(order, solved, strict=True))
    plans = tuple(by_province[k][0] for k in range(len(provinces)))
    outcomes = tuple(
        _outcome(p, by_province[k][0], by_province[k][1], scenario) for k, p in enumerate(provinces)
    )
    run = NationalRun(
        scenario=scenario.name,
        provinces=outcomes,
        workers=executor.workers,
        seconds=round(time.perf_counter() - started, 4),
    )
    return run, plans


def _solve_province(shared: Shared, dataset: Dataset) -> tuple[Plan, float]:
    scenario = shared.payload
    started = time.perf_counter()
    plan = solve(dataset, scenario)
    return plan, time.perf_counter() - started


def _outcome(province: Province, plan: Plan, seconds: float, scenario: Scenario) -> ProvinceOutcome:
    kpis = plan.kpis
    return ProvinceOutcome(
        province=province.name,
        communes=len(_counted(province.dataset, scenario)),
        status=plan.status.value,
        at_standard_before=kpis.at_standard_before if kpis else None,
        at_standard_after=kpis.at_standard_after if kpis else None,
        at_floor_after=kpis.at_floor_after if kpis else None,
        money_total=kpis.money_total if kpis else None,
        budget_total=kpis.budget_total if kpis else None,
        money_by_source=dict(kpis.money_by_source) if kpis else {},
        seconds=round(seconds, 4),
    )


# -- the split of central money -----------------------------------------------------------------
def province_weight(dataset: Dataset, scenario: Scenario) -> float:
    """The formula weight of a province: its counted communes' weights added up."""
    counted = set(_counted(dataset, scenario))
    return float(sum(formula_weight(c) for c in dataset.communes if c.code in counted))


def formula_shares(weights: Sequence[float], total: int) -> list[int]:
    """``total`` million VND split in proportion to ``weights`` (equally when every weight is
    zero), in whole million VND that add up to ``total`` exactly."""
    if not weights:
        return []
    return whole_parts(weights if sum(weights) > 0 else [1.0] * len(weights), total)


def whole_parts(weights: Sequence[float], total: int) -> list[int]:
    """``total`` in whole parts proportional to ``weights`` (largest remainder: the parts left
    over after rounding down go to the largest fractions, earlier ones first on ties)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda k: (-(exact[k] - parts[k]), k))
    for k in order[: total - sum(parts)]:
        parts[k] += 1
    return parts


def best_split(options: Sequence[Sequence[SplitOption]], total: int) -> list[int]:
    """The option of each province that brings the most communes to standard in all, their money
    adding up to at most ``total`` (an exact multiple-choice knapsack).

    Dynamic programming over provinces on the Pareto set of (money, communes) of the provinces
    so far: a partial split is kept only if no other one spends no more and reaches as many; the
    set has at most one entry per count of communes. Options without a plan are never chosen. Ties
    go to less money, then to earlier options. Raises ValueError when some province has no usable
    option within ``total``.
    """
    # each state: (money, communes, choices so far); sorted by money, communes strictly rising
    states: list[tuple[int, int, tuple[int, ...]]] = [(0, 0, ())]
    for province, offered in enumerate(options):
        grown = [
            (money + o.money, communes + o.communes_at_standard, (*chosen, k))
            for money, communes, chosen in states
            for k, o in enumerate(offered)
            if o.communes_at_standard is not None and money + o.money <= total
        ]
        if not grown:
            raise ValueError(f"province {province + 1} has no option within the total")
        grown.sort(key=lambda s: (s[0], -s[1], s[2]))
        states = []
        for state in grown:
            if not states or state[1] > states[-1][1]:
                states.append(state)
    best = max(states, key=lambda s: (s[1], -s[0]))
    return list(best[2])


def central_split(
    provinces: Sequence[Province],
    scenario: Scenario,
    source: str = CENTRAL,
    steps_per_share: int = STEPS_PER_SHARE,
    reach: float = REACH,
    workers: int | None = None,
    scheduler: str | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> CentralSplit:
    """The best split of the provinces' ``source`` money across them, against the formula split.

    The national total is the provinces' own amounts of ``source`` in the scenario, added up.
    Each province is solved at ``0, step, 2·step, …`` up to ``reach`` times its formula share
    (step = total / (provinces × ``steps_per_share``)) and at its formula share exactly; every
    solve keeps the province's other sources as they are and optimises communes at standard only.
    """
    _check_names(provinces)
    if steps_per_share < 1:
        raise ValueError("steps_per_share must be at least 1")
    if reach < 1:
        raise ValueError("reach must be at least 1 (the grid must span the formula share)")
    started = time.perf_counter()
    first = scenario.model_copy(update={"objectives": (Objective.COMMUNES_AT_STANDARD,)})
    own = [_source_money(p.dataset, first, source) for p in provinces]
    total = math.floor(sum(own) + 1e-6)
    weights = [province_weight(p.dataset, first) for p in provinces]
    shares = formula_shares(weights, total)
    step = total / (len(provinces) * steps_per_share)
    amounts: list[list[int]] = []
    for share in shares:
        grid = (
            []
            if step <= 0
            else [round(k * step) for k in range(math.floor(reach * share / step) + 1)]
        )
        amounts.append(sorted({*grid, share, 0}))
    tasks = [(p, money) for p, offered in enumerate(amounts) for money in offered]
    if executor is None:
        largest = max((len(p.dataset.investments) for p in provinces), default=0)
        executor = choose_executor(largest, len(tasks), workers, scheduler)
    shared = Shared((tuple(provinces), first, source))
    values = executor.run(_solve_amount, shared, tasks, progress)
    options: list[list[SplitOption]] = [[] for _ in provinces]
    for (p, money), value in zip(tasks, values, strict=True):
        options[p].append(SplitOption(money=money, communes_at_standard=value))
    chosen = best_split(options, total)
    rows = []
    for p, province in enumerate(provinces):
        formula = next(o for o in options[p] if o.money == shares[p])
        if formula.communes_at_standard is None:
            raise SolveTimeout(
                f"province {province.name}: no plan at its formula share "
                f"({shares[p]:,.0f} million VND of {source})"
            )
        best = options[p][chosen[p]]
        rows.append(
            ProvinceSplit(
                province=province.name,
                weight=weights[p],
                own_money=own[p],
                formula_money=shares[p],
                formula_communes=formula.communes_at_standard,
                best_money=best.money,
                best_communes=best.communes_at_standard or 0,
                options=tuple(options[p]),
            )
        )
    return CentralSplit(
        scenario=scenario.name,
        source=source,
        total=total,
        step=step,
        provinces=tuple(rows),
        seconds=round(time.perf_counter() - started, 4),
    )


def _solve_amount(shared: Shared, task: tuple[int, int]) -> int | None:
    """Communes at standard in province ``task[0]`` with ``task[1]`` of the split source."""
    provinces, scenario, source = shared.payload
    p, money = task
    dataset = provinces[p].dataset
    try:
        plan = solve(dataset, with_source_money(dataset, scenario, source, money))
    except SolveTimeout:
        return None
    return plan.kpis.at_standard_after if plan.feasible and plan.kpis else None


def with_source_money(dataset: Dataset, scenario: Scenario, source: str, money: int) -> Scenario:
    """The scenario with ``source`` given ``money`` million VND in all over the horizon, spread
    over the years as the scenario already spreads it (evenly when it has none) in whole million
    VND; other sources unchanged."""
    current = _source_by_year(dataset, scenario, source)
    years = list(current)
    weights = [current[y] for y in years]
    parts = whole_parts(weights if sum(weights) > 0 else [1.0] * len(years), money)
    kept = tuple(o for o in scenario.budgets.overrides if o.source != source)
    added = tuple(
        BudgetOverride(source=source, year=y, amount=part)
        for y, part in zip(years, parts, strict=True)
    )
    budgets = scenario.budgets.model_copy(update={"overrides": kept + added})
    return scenario.model_copy(update={"budgets": budgets})


def _source_by_year(dataset: Dataset, scenario: Scenario, source: str) -> dict[int, float]:
    """The scenario's money of ``source`` per calendar year of the horizon (scaled and
    overridden as optimizer.inputs.scenario_budget does, before any reserve)."""
    b, horizon = scenario.budgets, scenario.horizon
    factor = b.scale * b.scale_by_source.get(source, 1.0)
    yearly = {y: 0.0 for y in range(horizon.start, horizon.end + 1)}
    for budget in dataset.budgets:
        if budget.source_code == source and budget.year in yearly:
            yearly[budget.year] = budget.amount * factor
    for override in b.overrides:
        if override.source == source and override.year in yearly:
            yearly[override.year] = float(override.amount)
    return yearly


def _source_money(dataset: Dataset, scenario: Scenario, source: str) -> float:
    return float(sum(_source_by_year(dataset, scenario, source).values()))


def _counted(dataset: Dataset, scenario: Scenario) -> list[str]:
    return [
        c.code
        for c in dataset.communes
        if c.unit_type == UnitType.COMMUNE or scenario.policies.include_wards
    ]


def _check_names(provinces: Sequence[Province]) -> None:
    names = [p.name for p in provinces]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"province names repeat: {', '.join(repeated)}")
    if not provinces:
        raise ValueError("a national run needs at least one province")
