"""Why each commune is, or is not, at standard in a plan — and exact counterfactuals by re-solving.

``explain`` gives every commune a reason key and a one-line English message (the UI translates the
key). It rests on each commune's **cost to complete**: the least total cost of available items that
bring it to standard on their own (shared items at their full cost), computed exactly by one small
MILP — one block of binary variables per commune, no constraint linking two blocks, so the optimum
of the sum is the sum of the per-commune optima:

    min Σ_c Σ_i cost_i·x[c,i]
    s.t. Σ_i (a[i,c,k]/gap[c,k])·x[c,i] ≥ 1   for every closable gap of c
         Σ_{i maintenance} x[c,i] ≥ 1           for every at-risk criterion of c

The counterfactuals re-solve the scenario with one change and compare communes at standard:
``force_commune`` (a must-reach policy for the commune), ``exclude_commune`` (its own items forced
out) and ``budget_to_reach`` (the least extra money, with an elastic budget, that brings it to standard
while keeping the plan's count of communes at standard).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from enum import StrEnum

import pulp
from pydantic import Field

from models.base import FrozenModel
from models.dataset import Dataset
from models.scenario import MustReach, Scenario
from optimizer.formulation import build, standard_count
from optimizer.inputs import COVERAGE_TOLERANCE, Inputs, Pair, prepare
from optimizer.names import name
from optimizer.plan import Plan
from optimizer.solve import solve
from optimizer.solver import SolverError, make_backend, solve_model

MONEY_TOLERANCE = 1e-6
"""Money below this (million VND) is zero; costs within it are equal."""
COVER_SLACK = 1e-9
"""A gap counts as closed when the scaled amounts reach 1 within this slack."""


class Standing(StrEnum):
    """Where the commune stands at the horizon end under the plan."""

    AT_STANDARD = "at_standard"
    LOST_STANDARD = "lost_standard"
    """At standard today, not at the horizon end (an at-risk criterion was not kept)."""
    BELOW_STANDARD = "below_standard"


class Reason(StrEnum):
    """Why the commune ends where it does (a key the UI translates)."""

    AT_STANDARD_ALREADY = "at_standard_already"
    REACHED = "reached"
    CANNOT_BE_COMPLETED = "cannot_be_completed"
    """Some gap no item available within the horizon can close."""
    NO_ELIGIBLE_SOURCE = "no_eligible_source"
    """Items exist for some gap, but no funding source may pay for them."""
    TOO_COSTLY = "too_costly"
    """Its cost to complete exceeds that of the costliest commune the plan completed."""
    POLICY = "policy"
    """A scenario policy keeps it out: its items forced out, a commune cap, or it is a ward."""
    OTHER_PRIORITIES = "other_priorities"
    """No costlier than the communes completed, yet left out: later objectives, yearly budgets,
    source rules or policies favoured other communes (``force_commune`` tells the exact price)."""


class CommuneExplanation(FrozenModel):
    """One commune's outcome in a plan and why."""

    commune: str
    counted: bool = Field(description="Counts in commune targets (not a ward).")
    status: Standing
    reason: Reason
    cost_to_complete: float | None = Field(
        description="Least total cost (million VND) of items completing it alone; None if none can."
    )
    completing_items: tuple[str, ...] = Field(
        default=(), description="A cheapest set of items that completes it alone."
    )
    money_received: float = Field(description="Million VND attributed to it by the plan.")
    funded_items: tuple[str, ...] = Field(default=(), description="Funded items that serve it.")
    last_selected_cost: float | None = Field(
        default=None,
        description="Highest cost to complete among communes the plan brought to standard.",
    )
    criteria: tuple[str, ...] = Field(
        default=(), description="Criteria behind the reason (those that cannot be closed)."
    )
    message: str


class CounterfactualKind(StrEnum):
    FORCE = "force"
    EXCLUDE = "exclude"


class Counterfactual(FrozenModel):
    """The plan re-solved with one commune forced to standard, or with its own items excluded."""

    commune: str
    kind: CounterfactualKind
    feasible: bool
    base_at_standard: int
    new_at_standard: int | None
    others_lost: int | None = Field(
        description="Other communes at standard in the base plan minus in the new one (net)."
    )
    lost: tuple[str, ...] = Field(
        default=(), description="At standard in the base, not in the new."
    )
    gained: tuple[str, ...] = Field(default=(), description="At standard in the new, not the base.")
    base_money: float
    new_money: float | None
    excluded_items: tuple[str, ...] = ()
    message: str


# -- cost to complete ----------------------------------------------------------------------------
def costs_to_complete(
    inputs: Inputs, attributed: bool = False
) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Commune → (least cost, items) to complete it alone, for every commune that can be completed.

    With ``attributed`` an item costs only the commune's equal share of it (as the plan attributes
    money), the measure a commune cap applies to. Communes with nothing open cost 0.
    """
    result: dict[str, tuple[float, tuple[str, ...]]] = {
        c: (0.0, ())
        for c in inputs.can_reach_standard
        if c not in inputs.open_pairs  # at standard today, nothing at risk
    }
    blocks = {c: pairs for c, pairs in inputs.open_pairs.items() if c in inputs.can_reach_standard}
    if not blocks:
        return result
    prob = pulp.LpProblem("cost_to_complete", pulp.LpMinimize)
    x: dict[tuple[str, str], pulp.LpVariable] = {}
    cost_terms = []
    for c, pairs in sorted(blocks.items()):
        for pair in pairs:
            needed = inputs.gap.get(pair)
            terms = []
            for i, amount in inputs.cover[pair]:
                if (c, i) not in x:
                    x[(c, i)] = prob.add_variable(name("x", c, i), 0, 1, pulp.LpBinary)
                    price = inputs.cost[i] * (inputs.share[i][c] if attributed else 1.0)
                    cost_terms.append((x[(c, i)], price))
                weight = 1.0 if needed is None else amount / needed
                terms.append((x[(c, i)], weight))
            prob.addConstraint(
                pulp.LpAffineExpression(terms) >= 1 - COVER_SLACK, name("complete", *pair)
            )
    settings = inputs.scenario.solver.model_copy(update={"relative_gap": 0.0})
    cost = pulp.LpAffineExpression(cost_terms)
    if not solve_model(prob, cost, False, make_backend(settings)).proven_optimal:
        raise SolverError("the cost-to-complete model was not solved to optimality")
    chosen: dict[str, list[str]] = defaultdict(list)
    for (c, i), var in x.items():
        if (var.value() or 0.0) > 0.5:
            chosen[c].append(i)
    for c in blocks:
        items = tuple(sorted(chosen[c]))
        price = sum(inputs.cost[i] * (inputs.share[i][c] if attributed else 1.0) for i in items)
        result[c] = (round(price, 6), items)
    return result


# -- why a gap cannot be closed ------------------------------------------------------------------
class _Block(StrEnum):
    NO_ITEM = "no_item"
    NO_SOURCE = "no_source"
    FORCED_OUT = "forced_out"
    TIMING = "timing"


def blocked_pairs(inputs: Inputs, commune: str) -> dict[Pair, _Block]:
    """The commune's criteria that no available item can close (or keep), and why.

    Items are peeled off in the order ``prepare`` filters them: any item of the dataset at all, then
    one some source may pay for, then one not forced out; what is left fails on its years.
    """
    d = inputs.dataset
    status = d.status_by_key
    kept = set(inputs.at_risk)
    pairs = [p for p in inputs.unclosable if p[0] == commune]
    pairs += [
        (commune, k)
        for k in d.criteria.codes
        if status[(commune, k)].at_risk and (commune, k) not in kept
    ]
    forced_out = set(inputs.scenario.policies.forced_out)
    result: dict[Pair, _Block] = {}
    for pair in sorted(pairs):
        reach = _reach(inputs, pair)
        if not reach(lambda _code: True):
            result[pair] = _Block.NO_ITEM
        elif not reach(lambda code: _payable(d, code)):
            result[pair] = _Block.NO_SOURCE
        elif not reach(lambda code: _payable(d, code) and code not in forced_out):
            result[pair] = _Block.FORCED_OUT
        else:
            result[pair] = _Block.TIMING
    return result


def _reach(inputs: Inputs, pair: Pair) -> Callable[[Callable[[str], bool]], bool]:
    """Whether the dataset's items that pass a filter close the pair's gap (or keep it, if at risk).

    As in ``assemble.met_years``: a gap needs the amounts to reach it; an at-risk criterion needs
    one maintenance item.
    """
    d = inputs.dataset
    s = d.status_by_key[pair]
    need = 1.0 if s.met else s.gap
    amounts = [
        (e.investment_code, 1.0 if s.met else e.amount)
        for e in d.effects
        if (e.commune_code, e.criterion_code) == pair
        and (not s.met or d.investment_by_code[e.investment_code].maintenance)
    ]

    def reaches(keep: Callable[[str], bool]) -> bool:
        return sum(a for code, a in amounts if keep(code)) >= need - COVERAGE_TOLERANCE

    return reaches


def _payable(d: Dataset, code: str) -> bool:
    """Some source may pay for the item (kind, category, and every served commune's conditions)."""
    served = d.served_communes(code)
    investment = d.investment_by_code[code]
    return any(source.may_pay_for(investment, served) for source in d.sources)


# -- explanations --------------------------------------------------------------------------------
def explain(dataset: Dataset, scenario: Scenario, plan: Plan) -> tuple[CommuneExplanation, ...]:
    """A reason and a one-line message for every commune of the dataset, in dataset order."""
    if not plan.feasible:
        raise ValueError("an infeasible plan has no outcomes to explain; see its diagnosis")
    inputs = prepare(dataset, scenario)
    costs = costs_to_complete(inputs)
    cap = scenario.policies.commune_cap
    attributed = costs_to_complete(inputs, attributed=True) if cap is not None else {}
    outcome = {c.commune: c for c in plan.communes}
    funded_for: dict[str, list[str]] = defaultdict(list)
    for target in plan.item_targets:
        funded_for[target.commune].append(target.investment)
    reached = [
        costs[c.commune][0]
        for c in plan.communes
        if c.counted and c.at_standard_after and not c.at_standard_before and c.commune in costs
    ]
    threshold = max(reached) if reached else None
    result = []
    for commune in dataset.communes:
        c = commune.code
        o = outcome[c]
        cost, items = costs.get(c, (None, ()))
        reason, criteria, message = _reason(
            inputs, c, o.at_standard_before, o.at_standard_after, o.money
        )
        if reason is None:  # completable, not at standard: a policy, or cost against the others
            reason, message = _choice(
                o.counted, cost, threshold, cap, attributed.get(c, (None, ()))[0]
            )
        if o.at_standard_after:
            status = Standing.AT_STANDARD
        elif o.at_standard_before:
            status = Standing.LOST_STANDARD
        else:
            status = Standing.BELOW_STANDARD
        result.append(
            CommuneExplanation(
                commune=c,
                counted=o.counted,
                status=status,
                reason=reason,
                cost_to_complete=cost,
                completing_items=items,
                money_received=o.money,
                funded_items=tuple(sorted(funded_for[c])),
                last_selected_cost=threshold,
                criteria=criteria,
                message=message,
            )
        )
    return tuple(result)


def _reason(
    inputs: Inputs,
    commune: str,
    before: bool,
    after: bool,
    money: float,
) -> tuple[Reason | None, tuple[str, ...], str]:
    """Reasons that follow from the commune alone: at standard, or blocked whatever the money."""
    if after and before:
        kept = f", kept with {money:,.0f} million VND" if money > MONEY_TOLERANCE else ""
        return Reason.AT_STANDARD_ALREADY, (), f"Already at standard{kept}."
    if after:
        return Reason.REACHED, (), f"Brought to standard with {money:,.0f} million VND."
    blocked = blocked_pairs(inputs, commune)
    if not blocked:
        return None, (), ""
    by_kind: dict[_Block, list[str]] = defaultdict(list)
    for (_c, k), why in blocked.items():
        by_kind[why].append(k)
    hopeless = by_kind[_Block.NO_ITEM] + by_kind[_Block.TIMING]
    if hopeless:
        criteria = tuple(sorted(hopeless))
        return (
            Reason.CANNOT_BE_COMPLETED,
            criteria,
            f"Cannot reach standard: no item available within the horizon can close "
            f"{', '.join(criteria)}.",
        )
    if by_kind[_Block.NO_SOURCE]:
        criteria = tuple(sorted(by_kind[_Block.NO_SOURCE]))
        return (
            Reason.NO_ELIGIBLE_SOURCE,
            criteria,
            f"Cannot reach standard: no funding source may pay for the items that would close "
            f"{', '.join(criteria)}.",
        )
    criteria = tuple(sorted(by_kind[_Block.FORCED_OUT]))
    return (
        Reason.POLICY,
        criteria,
        f"Not reached because the scenario forces out the items that would close "
        f"{', '.join(criteria)}.",
    )


def _choice(
    counted: bool,
    cost: float | None,
    threshold: float | None,
    cap: float | None,
    attributed: float | None,
) -> tuple[Reason, str]:
    """Why a commune that could be completed was left out."""
    assert cost is not None  # not blocked, so completable
    if not counted:
        return Reason.POLICY, "Not reached: a ward, not counted in commune targets."
    if cap is not None and attributed is not None and attributed > cap + MONEY_TOLERANCE:
        return (
            Reason.POLICY,
            f"Not reached: completing it takes at least {attributed:,.0f} million VND, more than "
            f"the commune cap of {cap:,.0f}.",
        )
    if threshold is None:
        return (
            Reason.TOO_COSTLY,
            f"Not funded: completing it costs {cost:,.0f} million VND and the plan brings no "
            "commune to standard.",
        )
    if cost > threshold + MONEY_TOLERANCE:
        return (
            Reason.TOO_COSTLY,
            f"Not funded: completing it costs {cost:,.0f} million VND, more than the costliest "
            f"commune the plan completed ({threshold:,.0f}).",
        )
    return (
        Reason.OTHER_PRIORITIES,
        f"Not funded although completing it ({cost:,.0f} million VND) costs no more than the "
        f"costliest commune the plan completed ({threshold:,.0f}): later objectives, yearly "
        "budgets, source rules or policies favoured other communes.",
    )


# -- counterfactuals -----------------------------------------------------------------------------
def force_commune(
    dataset: Dataset, scenario: Scenario, commune: str, base: Plan | None = None
) -> Counterfactual:
    """Re-solve with the commune required at standard; which communes does that cost?"""
    _check_commune(dataset, commune)
    base = base if base is not None else solve(dataset, scenario)
    if commune in base.at_standard_codes():
        return _compare(commune, CounterfactualKind.FORCE, base, base, (), "Already at standard.")
    inputs = prepare(dataset, scenario)
    if commune not in inputs.can_reach_standard:
        return _infeasible(
            commune, CounterfactualKind.FORCE, base, (), "No available items complete it."
        )
    must = MustReach(name=_policy_name(scenario, "force"), communes=(commune,))
    policies = scenario.policies.model_copy(
        update={"must_reach": (*scenario.policies.must_reach, must)}
    )
    forced = solve(dataset, scenario.model_copy(update={"policies": policies}))
    return _compare(commune, CounterfactualKind.FORCE, base, forced, (), "")


def exclude_commune(
    dataset: Dataset, scenario: Scenario, commune: str, base: Plan | None = None
) -> Counterfactual:
    """Re-solve with every item that serves only this commune forced out; compare."""
    _check_commune(dataset, commune)
    base = base if base is not None else solve(dataset, scenario)
    own = tuple(
        sorted(
            i.code
            for i in dataset.investments
            if {c.code for c in dataset.served_communes(i.code)} == {commune}
        )
    )
    out = tuple(dict.fromkeys((*scenario.policies.forced_out, *own)))
    policies = scenario.policies.model_copy(update={"forced_out": out})
    new = solve(dataset, scenario.model_copy(update={"policies": policies}))
    return _compare(commune, CounterfactualKind.EXCLUDE, base, new, own, "")


def budget_to_reach(
    dataset: Dataset,
    scenario: Scenario,
    commune: str,
    base: Plan | None = None,
    in_addition: bool = False,
) -> float | None:
    """Least extra money (million VND, all sources and years) that brings the commune to standard.

    Elastic budget: ``extra[s,t] ≥ 0`` may exceed each budget; the commune must reach standard
    (a must-reach policy) and at least as many communes as in the plan stay at standard — one more
    with ``in_addition``, so that no commune is traded for it; every other policy of the scenario
    still holds. 0 when the plan already brings it to standard (or, without ``in_addition``, when
    the budget suffices by trading communes); None when no amount of money does.
    """
    _check_commune(dataset, commune)
    base = base if base is not None else solve(dataset, scenario)
    if commune in base.at_standard_codes():
        return 0.0
    must = MustReach(name=_policy_name(scenario, "reach"), communes=(commune,))
    policies = scenario.policies.model_copy(
        update={"must_reach": (*scenario.policies.must_reach, must)}
    )
    inputs = prepare(dataset, scenario.model_copy(update={"policies": policies}))
    if commune not in inputs.can_reach_standard:
        return None
    f = build(inputs, elastic_budget=True)
    keep = (base.kpis.at_standard_after if base.kpis is not None else 0) + int(in_addition)
    f.add(standard_count(f, inputs.end) >= keep, name("keep_communes_at_standard"))
    extra = pulp.LpAffineExpression([(v, 1.0) for v in f.extra.values()])
    result = solve_model(f.problem, extra, False, make_backend(scenario.solver))
    if not result.has_solution or result.value is None:
        return None
    return max(0.0, round(result.value, 6))


def _policy_name(scenario: Scenario, base: str) -> str:
    """A policy code no policy of the scenario has (commune codes need not be codes)."""
    taken = {m.name for m in scenario.policies.must_reach}
    names = (f"{base}_{n}" if n else base for n in range(len(taken) + 1))
    return next(n for n in names if n not in taken)


def _check_commune(dataset: Dataset, commune: str) -> None:
    if commune not in dataset.commune_by_code:
        raise ValueError(f"unknown commune {commune!r}")


def _infeasible(
    commune: str, kind: CounterfactualKind, base: Plan, own: tuple[str, ...], why: str
) -> Counterfactual:
    return Counterfactual(
        commune=commune,
        kind=kind,
        feasible=False,
        base_at_standard=len(base.at_standard_codes()),
        new_at_standard=None,
        others_lost=None,
        base_money=base.kpis.money_total if base.kpis else 0.0,
        new_money=None,
        excluded_items=own,
        message=f"Cannot {kind.value} commune {commune}: {why}",
    )


def _compare(
    commune: str,
    kind: CounterfactualKind,
    base: Plan,
    new: Plan,
    own: tuple[str, ...],
    note: str,
) -> Counterfactual:
    """Communes at standard, base against new."""
    if not new.feasible:
        why = "the scenario becomes infeasible."
        if new.diagnosis is not None:
            why = new.diagnosis.summary().replace("\n- ", "; ")
        return _infeasible(commune, kind, base, own, why)
    before, after = base.at_standard_codes(), new.at_standard_codes()
    others_lost = len(before - {commune}) - len(after - {commune})
    lost, gained = tuple(sorted(before - after)), tuple(sorted(after - before))
    base_money = base.kpis.money_total if base.kpis else 0.0
    new_money = new.kpis.money_total if new.kpis else 0.0
    if not note:
        detail = f"lost: {', '.join(lost) or 'none'}; gained: {', '.join(gained) or 'none'}"
        if kind == CounterfactualKind.FORCE:
            if others_lost > 0:
                effect = f"costs {others_lost} other commune(s) at standard"
            elif others_lost < 0:
                effect = f"also brings {-others_lost} other commune(s) to standard"
            else:
                effect = "costs no other commune at standard"
            note = f"Funding commune {commune} to standard {effect} ({detail})."
        else:
            note = (
                f"Without commune {commune}'s own items: {len(after)} communes at standard "
                f"instead of {len(before)} ({detail})."
            )
    return Counterfactual(
        commune=commune,
        kind=kind,
        feasible=True,
        base_at_standard=len(before),
        new_at_standard=len(after),
        others_lost=others_lost,
        lost=lost,
        gained=gained,
        base_money=base_money,
        new_money=new_money,
        excluded_items=own,
        message=note,
    )
