"""The audit switch: solve every level again with the other solver, cold, and compare the values.

``verify(dataset, scenario, plan)`` builds the formulation afresh and solves the scenario's
levels in order with the other solver (CBC for a HiGHS plan, HiGHS for a CBC plan), without a
start and without the pooled shortcut, then compares each level's value with the plan's. Two
independent solvers agreeing on every proven level is strong evidence that the plan's values
are the optimum; a disagreement means one of them is wrong and the plan is not to be trusted.
Tied optima may fund different items, so only the level values are compared.
"""

from __future__ import annotations

import time

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.formulation import build
from optimizer.inputs import prepare
from optimizer.plan import Agreement, LevelCheck, Plan, PlanStatus, Verification
from optimizer.solve import run_levels
from optimizer.solver import AGREEMENT, SolverSession, other_solver


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= AGREEMENT * max(1.0, abs(a), abs(b))


def verify(dataset: Dataset, scenario: Scenario, plan: Plan) -> Verification:
    """Solve ``plan``'s scenario again level by level with the other solver, cold."""
    started = time.perf_counter()
    settings = other_solver(scenario.solver)
    f = build(prepare(dataset, scenario))
    run = run_levels(f, scenario.objectives, SolverSession(settings, warm_start=False))
    mine = {level.objective: level for level in plan.levels}
    theirs = {level.objective: level for level in run.levels}
    checks = []
    for objective in scenario.objectives:
        own, other = mine.get(objective), theirs.get(objective)
        if own is None and plan.status != PlanStatus.INFEASIBLE:
            break  # the plan stopped early at this level; nothing to compare from here
        value = None if own is None else own.value
        other_value = None if other is None else other.value
        proven = other is not None and other.proven_optimal
        if other is None and run.infeasible:
            proven = True  # the other solver proved there is no plan
        agrees = _same(value, other_value)
        checks.append(
            LevelCheck(
                objective=objective,
                value=value,
                other_value=other_value,
                other_proven=proven,
                agrees=agrees,
            )
        )
        if own is None:
            break
    both_proven = [
        c.other_proven and (c.objective not in mine or mine[c.objective].proven_optimal)
        for c in checks
    ]
    if all(c.agrees for c in checks):
        agreement = Agreement.AGREE
    elif any(not c.agrees and p for c, p in zip(checks, both_proven, strict=True)):
        agreement = Agreement.DISAGREE
    else:
        agreement = Agreement.UNCONFIRMED
    return Verification(
        solver=settings.name.value,
        agreement=agreement,
        levels=tuple(checks),
        seconds=round(time.perf_counter() - started, 4),
    )


def verified(dataset: Dataset, scenario: Scenario, plan: Plan) -> Plan:
    """The plan with its audit attached (Plan.verification)."""
    return plan.model_copy(update={"verification": verify(dataset, scenario, plan)})
