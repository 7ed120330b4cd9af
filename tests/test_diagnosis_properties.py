"""Property: an infeasible scenario always yields a diagnosis, and the money it asks for works.

On random small instances, ``best`` is the most communes at standard the budget allows and
``ceiling`` the most that unlimited money allows. A target above ``best`` is
infeasible; the diagnosis must name it, say the budget reaches at most ``best``, and — when the
target is within ``ceiling`` — ask for extra money that, added as budget overrides, makes the
same scenario feasible; when the target is beyond ``ceiling`` no money can do it, and it says so.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from strategies import instances

from models.scenario import Objective
from optimizer.plan import PlanStatus
from optimizer.solve import solve

MAX_EXAMPLES = 25


def most_at_standard(dataset, scenario, plenty: bool = False) -> int:
    """Most communes at standard with the scenario's budgets, or with every source and year
    given as much as all items cost ("money is no object")."""
    budgets = scenario.budgets
    if plenty:
        everything = sum(i.cost for i in dataset.investments)
        overrides = tuple(
            {"source": s.code, "year": y, "amount": everything}
            for s in dataset.sources
            for y in range(scenario.horizon.start, scenario.horizon.end + 1)
        )
        budgets = budgets.model_copy(update={"overrides": overrides})
    first = (Objective.COMMUNES_AT_STANDARD,)
    plan = solve(dataset, scenario.model_copy(update={"objectives": first, "budgets": budgets}))
    return plan.kpis.at_standard_after


def with_extra_money(dataset, scenario, extra_budget: dict[str, float]):
    """The scenario with each 'source year' budget raised by the diagnosed extra money."""
    scale = scenario.budgets.scale
    base = {(b.source_code, b.year): b.amount * scale for b in dataset.budgets}
    raised: dict[tuple[str, int], float] = {}
    for key, extra in extra_budget.items():
        source, year = key.rsplit(" ", 1)
        # pooled horizons report the period's end year: add the money to the first budget year
        year = int(year) if not scenario.horizon.single_period else dataset.years[0]
        raised[(source, year)] = raised.get((source, year), base.get((source, year), 0)) + extra
    overrides = [
        {"source": s, "year": y, "amount": int(amount) + 1} for (s, y), amount in raised.items()
    ]
    budgets = scenario.budgets.model_copy(update={"overrides": tuple(overrides)})
    return scenario.model_copy(update={"budgets": budgets})


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances())
def test_infeasible_target_is_always_diagnosed_and_the_extra_money_restores_it(instance) -> None:
    dataset, scenario = instance
    best = most_at_standard(dataset, scenario)
    counted = sum(
        1 for c in dataset.communes if c.unit_type == "commune" or scenario.policies.include_wards
    )
    if best == counted:
        return  # every commune is reached: no target above it can be stated
    ceiling = most_at_standard(dataset, scenario, plenty=True)
    target = ceiling if ceiling > best else best + 1
    wanted = scenario.model_copy(
        update={"targets": {"communes_at_standard": target}, "objectives": (Objective.LEAST_COST,)}
    )
    plan = solve(dataset, wanted)
    assert plan.status == PlanStatus.INFEASIBLE
    diagnosis = plan.diagnosis
    assert diagnosis is not None
    assert "target_communes_at_standard" in diagnosis.conflicting
    reach = next(r for r in diagnosis.relaxations if r.policy == "target_communes_at_standard")
    assert reach.amount == best
    if target <= ceiling:
        assert diagnosis.extra_budget
        restored = solve(dataset, with_extra_money(dataset, wanted, diagnosis.extra_budget))
        assert restored.status != PlanStatus.INFEASIBLE
        assert restored.kpis.at_standard_after >= target
    else:
        assert not diagnosis.extra_budget
        assert any("no amount of money" in r.message for r in diagnosis.relaxations)
