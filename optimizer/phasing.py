"""Annual plans proven optimal through the pooled relaxation, when the pooled plan can be phased.

Pooling the horizon into one period is a relaxation of the annual model when every objective and
policy looks at the horizon end or at totals: any annual plan is also a pooled plan with the same
value on every level. (Yearly co-financing sums to the pooled one, a yearly budget with or
without carry-over is within the pooled total, a by-year requirement becomes an end-of-horizon
one, an item's start year is free.) So the pooled optimum of each lexicographic level bounds the
annual one, level by level, as long as the levels before it were equal.

``solve_through_pooled`` solves the pooled model, then looks for start years and yearly payments
that phase exactly the pooled plan's items under the annual constraints. If they exist, that
annual plan reaches the pooled value on every level and is therefore optimal, with the pooled
bounds as proof. It is much cheaper than the annual lexicographic solve, whose start-year choices
make most schedules equivalent for end-of-horizon objectives. If no phasing is found within the
time allowed, the caller solves the annual model as usual.

With a disbursement rate, only a share of the money on hand can be paid out each year. The pooled
model then gets, per source, the most the yearly rules let that source pay out over the whole
horizon (``spendable``) instead of its total budget, which keeps it a relaxation. Without that
cap, the pooled plan would count money no annual plan can spend.

Not applicable (the caller solves the annual model directly) with the earliest-achievement
objective (it counts years), the stability objective or a max_changes policy (they count start
years), or a solver other than HiGHS (the shortcut is measured with HiGHS).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import pulp

from models.messages import msg
from models.scenario import Objective, Solver
from optimizer.formulation import build, complete_indicators, is_large
from optimizer.inputs import Inputs, prepare
from optimizer.names import name
from optimizer.plan import LevelResult
from optimizer.solve import LevelsRun, make_level_solver, read_decisions, run_levels
from optimizer.solver import make_backend, solve_model

PHASING_TIME_SHARE = 0.25
"""Share of the scenario's time limit allowed for finding the phasing of the pooled plan."""
PHASED_NOTE = msg("note.phased")
"""The note of a plan solved through the pooled relaxation."""
LEVEL_TOLERANCE = 1e-6
"""Relative difference under which an annual level value equals the pooled one."""


@dataclass(frozen=True)
class PhasedRun:
    """An annual plan that phases the pooled optimum, with the pooled levels as its proof."""

    run: LevelsRun
    pooled_seconds: float
    phasing_seconds: float
    build_seconds: float
    """Of the above, the time spent building the two formulations."""


def applicable(inputs: Inputs) -> bool:
    """True when the pooled model is a relaxation of this annual scenario, level by level."""
    scenario = inputs.scenario
    return (
        not scenario.horizon.single_period
        and scenario.solver.name == Solver.HIGHS
        and Objective.EARLIEST_ACHIEVEMENT not in scenario.objectives
        and Objective.STABILITY not in scenario.objectives  # it counts moved start years
        and scenario.policies.max_changes is None
        and scenario.robustness.gamma == 0  # robust rows are not relaxed by pooling
    )


def spendable(inputs: Inputs) -> dict[str, float]:
    """The most each source can pay out over the horizon under the yearly budget rules.

    With carry-over, cumulative spending C_t obeys C_t ≤ r_t·B̄_t + (1 − r_t)·C_{t−1}, where B̄_t
    is the cumulative budget and r_t the year's disbursement rate (1 without one). The bound grows
    with C_{t−1}, so paying out the most every year reaches the most by the end. Without
    carry-over, a year pays out at most r_t·B_t of its own budget.
    """
    budgets = inputs.scenario.budgets
    result: dict[str, float] = {}
    for source in inputs.dataset.sources:
        paid = on_hand = 0.0
        for year in inputs.years:
            budget = inputs.budget.get((source.code, year), 0.0)
            rate = budgets.disbursement(year)
            rate = 1.0 if rate is None else rate
            if budgets.carry_over:
                on_hand += budget
                paid_now = rate * on_hand
                on_hand -= paid_now
            else:
                paid_now = rate * budget
            paid += paid_now
        result[source.code] = paid
    return result


def pooled_inputs(inputs: Inputs) -> Inputs:
    """The pooled relaxation of an annual scenario: one period, each source's money the most the
    yearly rules let it pay out over the horizon, from the annual inputs' own (possibly scaled)
    yearly budgets. Without a disbursement rate that is each source's total."""
    scenario = inputs.scenario
    budgets = scenario.budgets
    pooled_scenario = scenario.model_copy(
        update={
            "horizon": scenario.horizon.model_copy(update={"single_period": True}),
            "budgets": budgets.model_copy(
                update={"disbursement_rate": None, "disbursement_by_year": {}}
            ),
        }
    )
    pooled = prepare(inputs.dataset, pooled_scenario)
    money = spendable(inputs)
    return replace(pooled, budget={(s, year): money[s] for s, year in pooled.budget})


def solve_through_pooled(inputs: Inputs) -> PhasedRun | None:
    """The annual optimum via the pooled relaxation, or None (solve the annual model instead)."""
    if not applicable(inputs):
        return None
    scenario = inputs.scenario
    started = time.perf_counter()
    relaxed = pooled_inputs(inputs)
    pooled = build(relaxed)
    pooled_build = time.perf_counter() - started
    solver = make_level_solver(scenario.solver, warm_start=is_large(relaxed))
    pooled_run = run_levels(pooled, scenario.objectives, solver)
    pooled_seconds = time.perf_counter() - started
    if pooled_run.decisions is None or pooled_run.stopped_early is not None:
        return None
    chosen = set(pooled_run.decisions[0])
    if not chosen <= set(inputs.items):
        return None  # the pooled plan uses an item the annual horizon cannot complete
    started = time.perf_counter()
    phased = _phase(inputs, chosen, pooled_run.levels)
    if phased is None:
        return None
    run, phase_build = phased
    return PhasedRun(run, pooled_seconds, time.perf_counter() - started, pooled_build + phase_build)


def _phase(
    inputs: Inputs, chosen: set[str], levels: list[LevelResult]
) -> tuple[LevelsRun, float] | None:
    """Start years and payments for exactly ``chosen`` under the annual constraints, checked to
    reach every pooled level value, and the seconds spent building the annual formulation; None
    if none is found in time or a value differs."""
    started = time.perf_counter()
    f = build(inputs)
    built = time.perf_counter() - started
    for (item, _year), var in f.fund.items():
        if item not in chosen:
            var.upBound = 0
    for item in sorted(chosen):
        terms = [(f.fund[(item, t)], 1.0) for t in inputs.starts[item]]
        f.add(pulp.LpAffineExpression(terms) >= 1, name("phase", item))
    settings = inputs.scenario.solver
    limit = max(1.0, settings.time_limit * PHASING_TIME_SHARE)
    backend = make_backend(settings.model_copy(update={"time_limit": limit}))
    result = solve_model(f.problem, pulp.LpAffineExpression(), True, backend)
    if not result.has_solution:
        return None
    complete_indicators(f)
    for level in levels:
        value = float(pulp.value(f.objectives[level.objective]) or 0.0)
        if abs(value - level.value) > LEVEL_TOLERANCE * max(1.0, abs(level.value)):
            return None
    return LevelsRun(levels=list(levels), decisions=read_decisions(f), infeasible=False), built
