"""Diagnose an infeasible scenario: which policies conflict and the smallest relaxation.

1. A deletion filter over the scenario's named policies finds an irreducible conflicting set:
   drop each policy in turn and keep it out if the rest is still infeasible.
2. An elastic re-solve gives the least extra money (per source and year) that makes every policy
   hold at once; and for a target, the best value reachable within the budget.
Each step re-solves with the same formulation code; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Callable

import pulp

from models.scenario import Policies, Scenario, Targets
from optimizer.formulation import Formulation, build, floor_count, standard_count
from optimizer.inputs import Inputs, prepare
from optimizer.plan import Diagnosis, Relaxation
from optimizer.solver import SolveResult, make_backend, solve_model

FEASIBILITY_TIME_LIMIT = 60.0
MONEY_EPSILON = 0.5
"""Extra money below half a million VND is rounding, not a need."""


def policy_names(scenario: Scenario) -> list[str]:
    """Every named hard requirement of a scenario, in a stable order."""
    p, t = scenario.policies, scenario.targets
    names = [m.name for m in p.min_shares] + [m.name for m in p.must_reach]
    names += [c.name for c in p.co_financing]
    if p.commune_cap is not None:
        names.append("commune_cap")
    if p.maintain_standard:
        names.append("maintain_standard")
    if p.committed:
        names.append("committed")
    if p.district_equity is not None:
        names.append(p.district_equity.name)
    if t.communes_at_standard is not None:
        names.append("target_communes_at_standard")
    if t.no_commune_below_floor:
        names.append("target_no_commune_below_floor")
    return names


def keep_only(scenario: Scenario, kept: set[str]) -> Scenario:
    """The scenario with only the named policies in ``kept`` (objectives unchanged)."""
    p, t = scenario.policies, scenario.targets
    policies = Policies(
        min_shares=tuple(m for m in p.min_shares if m.name in kept),
        must_reach=tuple(m for m in p.must_reach if m.name in kept),
        commune_cap=p.commune_cap if "commune_cap" in kept else None,
        maintain_standard=p.maintain_standard and "maintain_standard" in kept,
        co_financing=tuple(c for c in p.co_financing if c.name in kept),
        committed=p.committed if "committed" in kept else (),
        forced_out=p.forced_out,
        district_equity=(
            p.district_equity
            if p.district_equity is not None and p.district_equity.name in kept
            else None
        ),
        include_wards=p.include_wards,
    )
    targets = Targets(
        communes_at_standard=(
            t.communes_at_standard if "target_communes_at_standard" in kept else None
        ),
        by_year=t.by_year,
        no_commune_below_floor=t.no_commune_below_floor and "target_no_commune_below_floor" in kept,
    )
    return scenario.model_copy(update={"policies": policies, "targets": targets})


def _solve(
    f: Formulation, objective: pulp.LpAffineExpression, maximise: bool = True
) -> SolveResult:
    """One solve through the solver interface, within the diagnosis time limit."""
    settings = f.inputs.scenario.solver
    limit = min(settings.time_limit, FEASIBILITY_TIME_LIMIT)
    backend = make_backend(settings.model_copy(update={"time_limit": limit}))
    return solve_model(f.problem, objective, maximise, backend)


def is_feasible(inputs: Inputs) -> bool:
    """Whether any plan satisfies every hard constraint (a solve with a zero objective)."""
    return _solve(build(inputs), pulp.LpAffineExpression()).has_solution


def _optimum(inputs: Inputs, objective: Callable, maximise: bool = True) -> float | None:
    f = build(inputs)
    result = _solve(f, objective(f), maximise)
    return result.value if result.has_solution else None


def conflicting_policies(inputs: Inputs) -> list[str]:
    """An irreducible set of policies that cannot hold together (deletion filter)."""
    scenario, dataset = inputs.scenario, inputs.dataset
    kept = set(policy_names(scenario))
    for policy in policy_names(scenario):
        trial = kept - {policy}
        if not is_feasible(prepare(dataset, keep_only(scenario, trial))):
            kept = trial
    return [p for p in policy_names(scenario) if p in kept]


def least_extra_money(inputs: Inputs) -> dict[tuple[str, int], float] | None:
    """Least extra money per (source, year) that makes the scenario feasible; None if none does."""
    f = build(inputs, elastic_budget=True)
    extra = pulp.LpAffineExpression([(v, 1.0) for v in f.extra.values()])
    if not _solve(f, extra, maximise=False).has_solution:
        return None
    return {
        key: round(var.value() or 0.0)
        for key, var in f.extra.items()
        if (var.value() or 0.0) > MONEY_EPSILON
    }


def diagnose(inputs: Inputs) -> Diagnosis:
    """Why the scenario is infeasible, and what would make it feasible, in the user's words."""
    scenario, dataset = inputs.scenario, inputs.dataset
    conflicting = conflicting_policies(inputs)
    relaxations: list[Relaxation] = []
    extra = least_extra_money(inputs)
    if extra:
        total = sum(extra.values())
        parts = ", ".join(f"{s} {y}: {v:,.0f}" for (s, y), v in sorted(extra.items()))
        relaxations.append(
            Relaxation(
                policy="budget",
                message=f"all policies hold with {total:,.0f} million VND more ({parts})",
                amount=total,
            )
        )
    elif extra is None:
        relaxations.append(
            Relaxation(
                policy="budget",
                message="no amount of money makes every policy hold: the available items "
                "cannot close the gaps the policies require, or the policies contradict each other",
            )
        )
    others = keep_only(scenario, set(policy_names(scenario)) - set(conflicting))
    for policy in conflicting:
        relaxations.append(_relax_one(policy, prepare(dataset, others), scenario))
    return Diagnosis(
        conflicting=tuple(conflicting),
        relaxations=tuple(relaxations),
        extra_budget={f"{s} {y}": v for (s, y), v in sorted((extra or {}).items())},
    )


def _relax_one(policy: str, relaxed: Inputs, scenario: Scenario) -> Relaxation:
    """How far one conflicting policy can go with the others dropped."""
    if policy == "target_communes_at_standard":
        year = scenario.targets.by_year or scenario.horizon.end
        best = _optimum(relaxed, lambda f: standard_count(f, _year(f, year)))
        target = scenario.targets.communes_at_standard
        if best is not None:
            return Relaxation(
                policy=policy,
                message=f"or the target of {target} communes at standard by {year} "
                f"can be at most {best:.0f} with this budget",
                amount=best,
            )
    if policy == "target_no_commune_below_floor":
        best = _optimum(relaxed, floor_count)
        if best is not None:
            below = len(relaxed.counted) - best
            return Relaxation(
                policy=policy,
                message=f"or at best {below:.0f} communes stay below {relaxed.floor} criteria "
                "with this budget",
                amount=best,
            )
    return Relaxation(policy=policy, message=f"or drop or loosen the policy '{policy}'")


def _year(f, year: int) -> int:
    return min((t for t in f.inputs.years if t >= year), default=f.inputs.end)
