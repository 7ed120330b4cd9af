"""Annual plans proven through the pooled relaxation (optimizer/phasing.py): hand-solved cases
where the pooled plan phases and where it cannot, when the shortcut does not apply, and on random
instances the same level values as the annual model solved directly."""

from __future__ import annotations

import pytest
from builders import dataset
from hypothesis import HealthCheck, assume, example, given, settings
from solver_cases import warm_start_level
from strategies import instances

from models.scenario import Scenario
from optimizer.check import check_plan
from optimizer.formulation import build
from optimizer.inputs import prepare
from optimizer.phasing import (
    PHASED_NOTE,
    applicable,
    pooled_inputs,
    solve_through_pooled,
    spendable,
)
from optimizer.plan import PlanStatus
from optimizer.solve import make_level_solver, run_levels, solve

TWO_YEARS = {"start": 2026, "end": 2027}
ANNUAL_EXAMPLES = 200
"""Random instances for the annual-vs-direct property (about half are annual and kept)."""


def scenario(**overrides) -> Scenario:
    return Scenario.model_validate({"name": "phasing", "horizon": TWO_YEARS} | overrides)


def two_roads(budget_2026: int, budget_2027: int):
    """Two communes each miss 2 km of road; a local one-year road costs 60 each."""
    return dataset(
        gaps={"10001": {"transport": 2}, "10002": {"transport": 2}},
        items=[
            {"code": "A1", "cost": 60, "effects": {("10001", "transport"): 2}},
            {"code": "A2", "cost": 60, "effects": {("10002", "transport"): 2}},
        ],
        budgets={("central", 2026): budget_2026, ("central", 2027): budget_2027},
        criteria=("transport",),
    )


def test_pooled_plan_that_fits_the_years_is_the_annual_optimum() -> None:
    """60 a year: pooled, 120 buys both roads (2 communes, 120); one road a year (or both in 2027
    with carry-over) phases it, so the annual optimum is the pooled one, proven by it."""
    data, chosen = two_roads(60, 60), scenario()
    heard: list[float] = []
    plan = solve(data, chosen, on_level=lambda level: heard.append(level.value))
    assert heard == [level.value for level in plan.levels]
    assert plan.status == PlanStatus.OPTIMAL
    assert plan.notes == (PHASED_NOTE,)
    assert plan.funded_codes() == {"A1", "A2"}
    assert plan.kpis.at_standard_after == 2
    assert all(level.gap == 0 and level.proven_optimal for level in plan.levels)
    assert check_plan(data, chosen, plan) == []


def test_pooled_plan_that_cannot_be_phased_falls_back_to_the_annual_model() -> None:
    """A shared two-year road S (100, 50 a year) completes both communes; local one-year roads
    cost 70. Nothing in 2026, 120 in 2027. Pooled, S fits (100 ≤ 120): 2 communes. Annually S
    must start in 2026 with no money, so the pooled plan cannot be phased; the annual optimum is
    one local road in 2027: 1 commune for 70."""
    data = dataset(
        gaps={"10001": {"transport": 2}, "10002": {"transport": 2}},
        items=[
            {"code": "A1", "cost": 70, "effects": {("10001", "transport"): 2}},
            {"code": "A2", "cost": 70, "effects": {("10002", "transport"): 2}},
            {
                "code": "S",
                "cost": 100,
                "duration": 2,
                "effects": {("10001", "transport"): 2, ("10002", "transport"): 2},
            },
        ],
        budgets={("central", 2026): 0, ("central", 2027): 120},
        criteria=("transport",),
    )
    chosen = scenario()
    assert solve_through_pooled(prepare(data, chosen)) is None
    heard: list[float] = []
    plan = solve(data, chosen, on_level=lambda level: heard.append(level.value))
    assert heard == [level.value for level in plan.levels]  # the annual ones, never the pooled 2
    assert heard[0] == 1
    assert plan.status == PlanStatus.OPTIMAL
    assert PHASED_NOTE not in plan.notes
    assert plan.kpis.at_standard_after == 1
    assert len(plan.funded_codes()) == 1 and plan.funded_codes() <= {"A1", "A2"}
    assert plan.kpis.money_total == pytest.approx(70)


@pytest.mark.parametrize(
    ("budgets", "expected"),
    [
        ({"disbursement_rate": 0.7}, 42 + 0.7 * (120 - 42)),
        ({"disbursement_rate": 0.7, "carry_over": False}, 0.7 * 60 + 0.7 * 60),
        ({"disbursement_by_year": {2026: 0.5}}, 30 + 90),
        ({"disbursement_by_year": {2026: 0.5}, "carry_over": False}, 30 + 60),
        ({}, 120),
    ],
    ids=["rate", "rate-no-carry", "first-year-rate", "first-year-rate-no-carry", "no-rate"],
)
def test_spendable_is_the_most_the_yearly_rules_let_a_source_pay_out(
    budgets: dict, expected: float
) -> None:
    """60 a year. At 70 % with carry-over: 42 in 2026, then 70 % of the 60 + 18 on hand = 54.6.
    Without carry-over each year pays 70 % of its own 60. Half in 2026 only: 30, then all of the
    90 on hand (or only 2027's 60 without carry-over)."""
    chosen = scenario(budgets=budgets)
    assert spendable(prepare(two_roads(60, 60), chosen))["central"] == pytest.approx(expected)


def test_disbursement_caps_the_pooled_budget_and_keeps_it_a_relaxation() -> None:
    """60 a year, 70 % of the money on hand paid out a year: 42 in 2026 buys no 60 road, 84 in
    2027 buys one. Pooled with the 120 budgeted, both roads would fit and could not be phased;
    capped at the 96.6 the rules let out, the pooled optimum is one road, which 2027 carries
    out: one commune for 60, proven through the pooled model."""
    data, chosen = two_roads(60, 60), scenario(budgets={"disbursement_rate": 0.7})
    assert pooled_inputs(prepare(data, chosen)).budget[("central", 2027)] == pytest.approx(96.6)
    plan = solve(data, chosen)
    assert plan.status == PlanStatus.OPTIMAL
    assert plan.notes == (PHASED_NOTE,)
    assert plan.kpis.at_standard_after == 1
    assert len(plan.funded_codes()) == 1
    assert plan.kpis.money_total == pytest.approx(60)
    assert all(level.gap == 0 and level.proven_optimal for level in plan.levels)
    assert check_plan(data, chosen, plan) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"objectives": ["earliest_achievement"]},
        {"solver": {"name": "cbc"}},
        {"horizon": TWO_YEARS | {"single_period": True}},
    ],
    ids=["earliest", "cbc", "pooled"],
)
def test_shortcut_is_not_taken_where_pooling_is_not_a_relaxation(overrides: dict) -> None:
    """Earliest achievement counts years; the phasing solve is HiGHS's; a pooled scenario has
    nothing to phase."""
    chosen = scenario(**overrides)
    assert not applicable(prepare(two_roads(60, 60), chosen))
    assert PHASED_NOTE not in solve(two_roads(60, 60), chosen).notes


@pytest.mark.slow
@settings(max_examples=ANNUAL_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(instance=warm_start_level())
@given(instance=instances())
def test_annual_levels_equal_the_annual_model_solved_directly(instance) -> None:
    """Whichever way solve() goes, every level's value is the annual lexicographic optimum.

    Settings: the instance it once shrank to, always (tests/solver_cases.py: with highspy 1.16.0
    a warm-started level handed back its start as the solution), then ANNUAL_EXAMPLES random
    instances, fresh on every run (the way it was found). The defect is rare: 200 examples of a
    fixed seed did not meet it on the old code, which the explicit example fails at once. About
    60-160 s on the shared 2-core machine (noisy)."""
    data, chosen = instance
    assume(not chosen.horizon.single_period)
    plan = solve(data, chosen)
    run = run_levels(
        build(prepare(data, chosen)), chosen.objectives, make_level_solver(chosen.solver)
    )
    assert plan.status == PlanStatus.OPTIMAL
    assert [(lv.objective, round(lv.value, 6)) for lv in plan.levels] == [
        (lv.objective, round(lv.value, 6)) for lv in run.levels
    ]
    assert check_plan(data, chosen, plan) == []


@pytest.mark.slow
def test_son_la_annual_scenario_is_proven_through_the_pooled_plan() -> None:
    """The 2021-2025 annual scenario reaches the pooled optimum on all four levels (111 communes
    at standard, 119 at 15+, 2,810 criteria, 1,664,884 million VND)."""
    from pathlib import Path

    from models.io import load_package
    from models.scenario_io import load_scenario

    root = Path(__file__).resolve().parents[1]
    chosen = load_scenario(root / "scenarios" / "son_la_2021_2025_phased.yaml")
    data = load_package(chosen.dataset)
    plan = solve(data, chosen)
    assert plan.notes == (PHASED_NOTE,)
    assert [lv.value for lv in plan.levels] == [111, 119, 2810, 1_664_884]
    assert [lv.objective for lv in plan.levels] == list(chosen.objectives)
    assert check_plan(data, chosen, plan) == []


@pytest.mark.slow
def test_son_la_annual_scenario_with_disbursement_is_solved_through_the_pooled_plan() -> None:
    """2026-2030 with 70 % of the money on hand paid out a year: the capped pooled optimum (46
    communes at standard, proven) phases into the years, within the scenario's 1 % gap on every
    level, where the annual model stopped at its time limits 8.7 % short."""
    from pathlib import Path

    from models.io import load_package
    from models.scenario_io import load_scenario

    root = Path(__file__).resolve().parents[1]
    chosen = load_scenario(root / "scenarios" / "son_la_2026_2030_annual.yaml")
    data = load_package(chosen.dataset)
    plan = solve(data, chosen)
    assert plan.notes == (PHASED_NOTE,)
    assert plan.levels[0].value == 46 and plan.levels[0].gap == 0
    assert all(level.gap is not None and level.gap <= 0.01 for level in plan.levels)
    assert check_plan(data, chosen, plan) == []
