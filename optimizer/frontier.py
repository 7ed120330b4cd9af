"""Budget frontier: communes at standard against total budget, from one formulation re-solved.

The scenario's budgets (after its scale, per-source scales and overrides) are multiplied by N
factors f from ``low`` to ``high``. One formulation is built; between points only the right-hand
sides proportional to the budgets change — ``budget[s,t]`` (``Σ_{t'≤t} spend[s,t'] ≤
f·Σ_{t'≤t} B[s,t']`` with carry-over, ``spend[s,t] ≤ f·B[s,t]`` without) and
``disbursement[s,t]`` — and the previous point's lexicographic fixings are released.

From the same sweep come

* the marginal cost of each additional commune between neighbouring points
  (Δ money spent / Δ communes at standard),
* where cheap (few distinct counts), the least money for each count of communes at standard, with
  the budgets at the highest factor — the cost curve, one least-cost solve per count on the same
  formulation with a lower bound on the count,
* the triage order: as the budget falls, which communes drop below standard first.

``frontier_annual_vs_pooled`` runs the sweep twice, with yearly budgets and with the horizon pooled
into one period, so the difference shows what annual phasing costs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd
import pulp
from pydantic import Field

from models.base import FrozenModel
from models.dataset import Dataset
from models.scenario import Objective, Scenario
from optimizer import formulation
from optimizer.assemble import assemble_plan
from optimizer.formulation import Formulation, standard_count
from optimizer.highs_direct import HighsDirect
from optimizer.inputs import Inputs, prepare
from optimizer.names import name
from optimizer.phasing import solve_through_pooled
from optimizer.plan import PlanStatus
from optimizer.solve import make_level_solver, release_levels, run_levels, solve_level
from optimizer.sweep import Executor, Shared, choose_executor, drop_state, seed_state, worker_state

FRONTIER_OBJECTIVES = (Objective.COMMUNES_AT_STANDARD, Objective.LEAST_COST)
"""Per point: the most communes at standard, then the least money that achieves them."""
COST_CURVE_LIMIT = 20
"""Compute the least money per count only when the sweep spans at most this many counts."""
DISBURSEMENT = "disbursement"
"""Policy name under which the formulation registers its disbursement constraints."""
SCALE_DIGITS = 10
"""Scale factors are rounded to this many decimals (so 0.1·3 prints as 0.3)."""

Progress = Callable[[int, int], None]
"""``progress(points_done, total)``, called after each solved point."""


class PointStatus(StrEnum):
    """How far one frontier point can be trusted."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    """A level stopped at its time limit; see the gap."""
    INFEASIBLE = "infeasible"
    """The scenario's hard policies cannot hold with this budget."""
    NO_PLAN = "no_plan"
    """No plan found within the time limit (not a proof of infeasibility)."""


class FrontierPoint(FrozenModel):
    """One budget level of the sweep."""

    scale: float = Field(description="Factor applied to the scenario's budgets.")
    budget_total: float = Field(description="Million VND, all sources and years.")
    communes_at_standard: int | None = Field(description="Counted communes, at the horizon end.")
    communes_at_floor: int | None
    money_spent: float | None = Field(description="Million VND.")
    status: PointStatus
    gap: float | None = Field(description="Largest relative gap over the levels; None if unknown.")
    marginal_cost: float | None = Field(
        default=None,
        description="Δ money / Δ communes since the previous point with a plan; None if no gain.",
    )
    at_standard: tuple[str, ...] = Field(default=(), description="Codes of communes at standard.")


class CountCost(FrozenModel):
    """The least money that brings at least ``communes_at_standard`` communes to standard."""

    communes_at_standard: int
    least_money: float | None = Field(description="Million VND; None if not reachable.")
    marginal_cost: float | None = Field(description="Least money minus that of one commune fewer.")
    proven_optimal: bool


class TriageEntry(FrozenModel):
    """A commune that drops below standard as the budget falls, in order (rank 1 drops first)."""

    rank: int
    commune: str
    scale: float = Field(description="The highest budget factor at which it is not at standard.")
    budget_total: float = Field(description="The total budget at that factor, million VND.")


class Frontier(FrozenModel):
    """Communes at standard against budget, with marginal costs and a triage order."""

    scenario: str
    pooled: bool = Field(description="True when the horizon was one period (no yearly phasing).")
    objectives: tuple[Objective, ...]
    points: tuple[FrontierPoint, ...]
    cost_curve: tuple[CountCost, ...] = Field(
        default=(), description="Least money per count; empty when the sweep spans many counts."
    )
    triage: tuple[TriageEntry, ...] = ()
    seconds: float = 0.0

    def table(self) -> pd.DataFrame:
        """Tidy: one row per point (scale, budget_total, communes at standard, …, marginal cost)."""
        columns = [c for c in FrontierPoint.model_fields if c != "at_standard"]
        rows = [p.model_dump(include=set(columns)) for p in self.points]
        table = pd.DataFrame(rows, columns=columns)
        table.insert(0, "scenario", self.scenario)
        table.insert(1, "phasing", "pooled" if self.pooled else "annual")
        return table

    def cost_curve_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [c.model_dump() for c in self.cost_curve], columns=list(CountCost.model_fields)
        )

    def triage_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [t.model_dump() for t in self.triage], columns=list(TriageEntry.model_fields)
        )


class PhasingComparison(FrozenModel):
    """The same sweep with yearly budgets and with the horizon pooled into one period."""

    annual: Frontier
    pooled: Frontier

    def table(self) -> pd.DataFrame:
        """One row per scale: communes at standard both ways and what yearly phasing costs."""
        keep = ["scale", "budget_total", "communes_at_standard", "money_spent"]
        annual = self.annual.table()[keep]
        pooled = self.pooled.table()[keep]
        merged = annual.merge(pooled, on=["scale", "budget_total"], suffixes=("_annual", "_pooled"))
        merged["communes_lost_to_phasing"] = (
            merged["communes_at_standard_pooled"] - merged["communes_at_standard_annual"]
        )
        return merged


def scales(points: int, low: float, high: float) -> tuple[float, ...]:
    """``points`` evenly spaced factors from ``low`` to ``high`` (both included)."""
    if points < 1:
        raise ValueError("a frontier needs at least one point")
    if low < 0 or high < low:
        raise ValueError(f"need 0 ≤ low ≤ high, got low={low}, high={high}")
    if points == 1:
        return (round(high, SCALE_DIGITS),)
    step = (high - low) / (points - 1)
    return tuple(round(low + k * step, SCALE_DIGITS) for k in range(points))


def budget_constraints(f: Formulation) -> dict[str, pulp.LpConstraint]:
    """The constraints whose right-hand side is proportional to the budgets, by name.

    ``budget[s,t]`` (cumulative with carry-over) and ``disbursement[s,t]`` (a rate times the money
    on hand). Scaling every budget by a factor scales exactly these right-hand sides by it; a test
    compares a rescaled model with one built at the scaled budgets, constraint by constraint, so a
    new budget-dependent family that is missing here fails there.
    """
    found = {name("budget", s, t): c for (s, t), c in f.budget.items()}
    for cname in f.policy.get(DISBURSEMENT, ()):
        found[cname] = f.constraints[cname]
    return found


def scale_budget(f: Formulation, built: dict[str, float], factor: float) -> None:
    """Set every budget-proportional right-hand side to ``factor`` times its built value."""
    for cname, constraint in budget_constraints(f).items():
        constraint.constant = factor * built[cname]


def budget_frontier(
    dataset: Dataset,
    scenario: Scenario,
    points: int,
    low: float = 0.0,
    high: float = 1.5,
    progress: Progress | None = None,
    objectives: tuple[Objective, ...] = FRONTIER_OBJECTIVES,
    cost_curve_limit: int = COST_CURVE_LIMIT,
    workers: int | None = None,
    executor: Executor | None = None,
    scheduler: str | None = None,
) -> Frontier:
    """Sweep the scenario's budgets from ``low`` to ``high`` times, re-solving one formulation.

    Each point optimises ``objectives`` in order (by default the most communes at standard, then
    the least money). The scenario's policies hold at every point; a point where they cannot is
    reported infeasible, not skipped. Points run through ``executor`` (default: chosen by
    optimizer.sweep.choose_executor from ``workers`` and ``scheduler`` — in this process for
    small models, else on a Dask cluster); each worker builds the formulation once and every
    point is the same solve of the same model wherever it runs.
    """
    started = time.perf_counter()
    scenario = scenario.model_copy(update={"objectives": objectives})
    inputs = prepare(dataset, scenario)
    f = formulation.build(inputs)
    built = {cname: c.constant for cname, c in budget_constraints(f).items()}
    solver = make_level_solver(scenario.solver)
    factors = scales(points, low, high)
    if executor is None:
        executor = choose_executor(len(inputs.items), len(factors), workers, scheduler)
    shared = Shared((dataset, scenario))
    seed_state(shared.token, _SweepState(inputs, f, built, solver))
    try:
        results = executor.run(_solve_factor, shared, factors, progress)
    finally:
        drop_state(shared.token)
    results = _with_marginal_costs(results)
    scale_budget(f, built, max(factors))
    curve = _cost_curve(f, inputs, results, solver, cost_curve_limit)
    return Frontier(
        scenario=scenario.name,
        pooled=scenario.horizon.single_period,
        objectives=objectives,
        points=tuple(results),
        cost_curve=curve,
        triage=triage(results),
        seconds=round(time.perf_counter() - started, 4),
    )


def frontier_annual_vs_pooled(
    dataset: Dataset,
    scenario: Scenario,
    points: int,
    low: float = 0.0,
    high: float = 1.5,
    progress: Progress | None = None,
    objectives: tuple[Objective, ...] = FRONTIER_OBJECTIVES,
) -> PhasingComparison:
    """The frontier with yearly budgets and with the whole horizon as one pooled period.

    Pooling is a relaxation (any yearly plan is also a pooled plan), so the pooled frontier is never
    below the annual one; the difference is what yearly phasing costs in communes.
    """

    def phased(single_period: bool, offset: int) -> Frontier:
        horizon = scenario.horizon.model_copy(update={"single_period": single_period})
        tick = None if progress is None else (lambda k, _n: progress(offset + k, 2 * points))
        return budget_frontier(
            dataset,
            scenario.model_copy(update={"horizon": horizon}),
            points,
            low,
            high,
            tick,
            objectives,
            cost_curve_limit=0,
        )

    return PhasingComparison(annual=phased(False, 0), pooled=phased(True, points))


@dataclass
class _SweepState:
    """What a worker builds once per sweep: the inputs, the formulation, its built budgets."""

    inputs: Inputs
    f: Formulation
    built: dict[str, float]
    solver: pulp.LpSolver | HighsDirect


def _start_sweep(dataset: Dataset, scenario: Scenario) -> _SweepState:
    inputs = prepare(dataset, scenario)
    f = formulation.build(inputs)
    built = {cname: c.constant for cname, c in budget_constraints(f).items()}
    return _SweepState(inputs, f, built, make_level_solver(scenario.solver))


def _solve_factor(shared: Shared, factor: float) -> FrontierPoint:
    """One frontier point, on this process's formulation of the sweep (built on first use).

    Between points only budget right-hand sides and the lexicographic fixings change, so a
    point's model, and with it its solution, does not depend on the points solved before."""
    state = worker_state(shared.token, lambda: _start_sweep(*shared.payload))
    scale_budget(state.f, state.built, factor)
    return _solve_point(state.f, state.inputs, factor, state.solver)


def _solve_point(
    f: Formulation, inputs: Inputs, factor: float, solver: pulp.LpSolver | HighsDirect
) -> FrontierPoint:
    """Re-solve the formulation, its budgets already scaled by ``factor``, level by level.

    An annual point is first tried through the pooled relaxation (optimizer/phasing.py), which
    proves it much faster when the pooled plan can be phased; otherwise ``f`` is solved."""
    budget = {key: amount * factor for key, amount in inputs.budget.items()}
    point_inputs = _with_budget(inputs, budget)
    phased = None if inputs.scenario.horizon.single_period else solve_through_pooled(point_inputs)
    if phased is not None:
        run = phased.run
    else:
        release_levels(f)
        run = run_levels(f, inputs.scenario.objectives, solver)
    total = round(sum(budget.values()), 6)
    if run.decisions is None:
        status = PointStatus.INFEASIBLE if run.infeasible else PointStatus.NO_PLAN
        return FrontierPoint(
            scale=factor,
            budget_total=total,
            communes_at_standard=None,
            communes_at_floor=None,
            money_spent=None,
            status=status,
            gap=None,
        )
    funded, payments = run.decisions
    proven = run.stopped_early is None and all(level.proven_optimal for level in run.levels)
    plan = assemble_plan(
        point_inputs, funded, payments, method="optimizer", status=PlanStatus.OPTIMAL
    )
    gaps = [level.gap for level in run.levels if level.gap is not None]
    kpis = plan.kpis
    assert kpis is not None  # assemble_plan always sets them
    return FrontierPoint(
        scale=factor,
        budget_total=total,
        communes_at_standard=kpis.at_standard_after,
        communes_at_floor=kpis.at_floor_after,
        money_spent=kpis.money_total,
        status=PointStatus.OPTIMAL if proven else PointStatus.FEASIBLE,
        gap=max(gaps) if gaps else None,
        at_standard=tuple(sorted(plan.at_standard_codes())),
    )


def _with_budget(inputs: Inputs, budget: dict[tuple[str, int], float]) -> Inputs:
    return replace(inputs, budget=budget)


def _with_marginal_costs(points: list[FrontierPoint]) -> list[FrontierPoint]:
    """Δ money / Δ communes against the previous point that has a plan (None when no gain)."""
    result, previous = [], None
    for point in points:
        marginal = None
        if point.communes_at_standard is not None and previous is not None:
            gained = point.communes_at_standard - (previous.communes_at_standard or 0)
            if gained > 0:
                marginal = ((point.money_spent or 0.0) - (previous.money_spent or 0.0)) / gained
        if point.communes_at_standard is not None:
            previous = point
        result.append(point.model_copy(update={"marginal_cost": marginal}))
    return result


def _cost_curve(
    f: Formulation,
    inputs: Inputs,
    points: list[FrontierPoint],
    solver: pulp.LpSolver | HighsDirect,
    limit: int,
) -> tuple[CountCost, ...]:
    """Least money for each count the sweep spans, with the budgets as the model has them now.

    ``count_floor: Σ_c std[c,T̄] ≥ n`` is added once; its right-hand side moves from count to count.
    """
    counts = [p.communes_at_standard for p in points if p.communes_at_standard is not None]
    if not counts or max(counts) - min(counts) + 1 > limit:
        return ()
    release_levels(f)
    count = standard_count(f, inputs.end)
    cname = name("frontier_count_floor")
    f.add(count >= 0, cname)
    constraint = f.constraints[cname]
    curve: list[CountCost] = []
    previous: float | None = None
    for n in range(min(counts), max(counts) + 1):
        constraint.constant = count.constant - n
        outcome = solve_level(f, Objective.LEAST_COST, solver)
        money = round(outcome.value, 6) if outcome.feasible and outcome.value is not None else None
        marginal = None if money is None or previous is None else round(money - previous, 6)
        curve.append(
            CountCost(
                communes_at_standard=n,
                least_money=money,
                marginal_cost=marginal,
                proven_optimal=outcome.proven_optimal,
            )
        )
        previous = money
    constraint.constant = count.constant  # count ≥ 0: never binding again
    return tuple(curve)


def triage(points: list[FrontierPoint]) -> tuple[TriageEntry, ...]:
    """As the budget falls, the order in which communes drop below standard.

    A commune at standard at the highest budget with a plan drops at the highest factor where it
    is not at standard. Plans at neighbouring levels need not be nested, so a commune can return at
    a lower level; the highest factor without it is what a planner cutting the budget meets first.
    Ties: the commune at standard at fewer points first, then by code. Communes at standard at
    every level never drop and are not listed.
    """
    solved = sorted((p for p in points if p.communes_at_standard is not None), key=_scale)
    if not solved:
        return ()
    top = solved[-1]
    drops = []
    for commune in top.at_standard:
        without = [p for p in solved if commune not in p.at_standard]
        if without:
            at = without[-1]
            held = sum(1 for p in solved if commune in p.at_standard)
            drops.append((-at.scale, held, commune, at))
    drops.sort(key=lambda d: d[:3])
    return tuple(
        TriageEntry(rank=k + 1, commune=commune, scale=at.scale, budget_total=at.budget_total)
        for k, (_s, _h, commune, at) in enumerate(drops)
    )


def _scale(point: FrontierPoint) -> float:
    return point.scale
