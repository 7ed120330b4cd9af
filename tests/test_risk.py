"""Risk of a plan over drawn futures, robust plans, bad uncertainty input.

The example package (data/example/README.md) is solved with its budgets; its plan reaches 5 of 6
communes (see tests/test_frontier.py for the hand figures). Suối Đỏ is advanced with nothing at
risk: it needs no money, so it is at standard in every future.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import dataset as build_dataset
from example_package import SUOI_DO

from models.scenario import Objective, Scenario
from models.scenario_check import ScenarioReferenceError, check_scenario
from models.scenario_io import ScenarioFileError, load_scenario
from models.uncertainty import Uncertainty
from optimizer.draws import Sampler
from optimizer.inputs import prepare
from optimizer.risk import (
    NoUncertainty,
    in_future,
    plan_risk,
    recourse_scenario,
    yearly_budget,
)
from optimizer.solve import solve, solve_prepared
from optimizer.sweep import InProcess

MONEY_TOLERANCE = 1e-3
"""Million VND."""
HEAVY = {
    "overrun_default": {"median": 1.1, "p90": 1.6},
    "disbursement": {"central": {"low": 0.6, "high": 1.0}},
    "contribution_shortfall": {"low": 0.0, "high": 0.5},
    "draws": 12,
    "seed": 7,
}


def scenario_with(uncertainty: dict | None, **update) -> Scenario:
    return Scenario(
        name="example",
        horizon={"start": 2026, "end": 2027},
        uncertainty=uncertainty,
        **update,
    )


def test_with_zero_variance_the_risk_report_is_the_plan_exactly(example):
    """Median = p90 = 1 and every source paying in full: each draw is the nominal future, where
    the recourse (optimal over a superset of its items, level by level, then least money)
    keeps exactly the plan: same counts, same communes, nothing unfinished or short."""
    flat = {"overrun_default": {"median": 1.0, "p90": 1.0}, "draws": 5}
    scenario = scenario_with(flat)
    plan = solve(example, scenario)
    report = plan_risk(example, scenario, plan, executor=InProcess())
    assert len(report.draws) == 5
    for draw in report.draws:
        assert draw.solved
        assert draw.communes_at_standard == plan.kpis.at_standard_after
        assert draw.communes_at_floor == plan.kpis.at_floor_after
        assert set(draw.at_standard) == plan.at_standard_codes()
        assert draw.unfinished == ()
        assert draw.money_short == 0
        assert draw.money_spent == pytest.approx(plan.kpis.money_total, abs=MONEY_TOLERANCE)
    summary = report.summary().set_index("measure")
    for q in ("p10", "p50", "p90", "mean"):
        assert summary.loc["communes_at_standard", q] == plan.kpis.at_standard_after
    probabilities = report.commune_probabilities(example)
    assert set(probabilities["probability"]) == {1.0}


def test_the_recourse_never_adds_an_item_and_unfinished_items_are_the_plans(example):
    scenario = scenario_with(HEAVY)
    plan = solve(example, scenario)
    items = plan.funded_codes()
    recourse = prepare(example, recourse_scenario(example, scenario, items))
    assert set(recourse.items) <= items
    sampler = Sampler(example, scenario, scenario.uncertainty)
    yearly = yearly_budget(example, scenario)
    for index in range(6):
        drawn = solve_prepared(in_future(recourse, yearly, sampler.draw(index)))
        assert drawn.funded_codes() <= items
    report = plan_risk(example, scenario, plan, executor=InProcess())
    assert any(d.unfinished for d in report.draws)  # heavy overruns do bite
    for draw in report.draws:
        assert set(draw.unfinished) <= items
        assert draw.communes_at_standard <= plan.kpis.at_standard_after + 0  # never better
        assert draw.money_spent <= draw.money_available + MONEY_TOLERANCE


def test_a_commune_that_needs_no_money_is_at_standard_in_every_future(example):
    scenario = scenario_with(HEAVY)
    plan = solve(example, scenario)
    report = plan_risk(example, scenario, plan, executor=InProcess())
    table = report.commune_probabilities(example).set_index("commune")
    assert table.loc[SUOI_DO, "probability"] == 1.0
    assert table["probability"].between(0, 1).all()
    unfinished = report.unfinished_items(example)
    assert set(unfinished["item"]) == plan.funded_codes()
    shares = unfinished["share_unfinished"].tolist()
    assert shares == sorted(shares, reverse=True)


def test_draws_are_seeded_per_draw_and_the_same_in_any_order(example):
    scenario = scenario_with(HEAVY)
    sampler = Sampler(example, scenario, scenario.uncertainty)
    forward = [sampler.draw(k) for k in range(4)]
    backward = [sampler.draw(k) for k in reversed(range(4))][::-1]
    assert forward == backward
    assert forward[0] != forward[1]
    other = Sampler(example, scenario, scenario.uncertainty.model_copy(update={"seed": 8}))
    assert other.draw(0) != forward[0]


def test_district_correlation_one_moves_a_districts_items_together():
    """With ρ = 1 every item of a district has the same multiplier in a draw."""
    data = build_dataset(
        {"A": {"transport": 1.0}, "B": {"transport": 1.0}},
        [
            {"code": "a", "cost": 10, "effects": {("A", "transport"): 1.0}},
            {"code": "b", "cost": 10, "effects": {("B", "transport"): 1.0}},
        ],
        {("central", 2026): 100},
    )
    uncertainty = {"overrun_default": {"median": 1.0, "p90": 1.5}, "district_correlation": 1.0}
    scenario = Scenario(name="s", horizon={"start": 2026, "end": 2026}, uncertainty=uncertainty)
    sampler = Sampler(data, scenario, scenario.uncertainty)
    for k in range(5):
        factors = sampler.draw(k).cost_factor
        assert factors["a"] == pytest.approx(factors["b"])


@pytest.mark.slow
def test_same_risk_report_on_one_and_two_dask_workers(example, dask_workers):
    scenario = scenario_with(HEAVY)
    plan = solve(example, scenario)
    here = plan_risk(example, scenario, plan, executor=InProcess())
    for workers in (1, 2):
        seen: list[int] = []
        report = plan_risk(
            example,
            scenario,
            plan,
            executor=dask_workers(workers),
            progress=lambda k, _n, s=seen: s.append(k),
        )
        assert report.workers == workers
        assert sorted(seen) == list(range(1, 13))
        assert report.draws == here.draws


# -- robust plans ---------------------------------------------------------------------------------------
def two_communes():
    """A needs item a (road, 50, p90 ×1.5: +25), B needs item b (school, 40, p90 ×1.2: +8);
    budget 100 from one source."""
    return build_dataset(
        {"A": {"transport": 1.0}, "B": {"transport": 1.0}},
        [
            {"code": "a", "cost": 50, "category": "road", "effects": {("A", "transport"): 1.0}},
            {"code": "b", "cost": 40, "category": "school", "effects": {("B", "transport"): 1.0}},
        ],
        {("central", 2026): 100},
    )


def robust_scenario(gamma: int, reserve: float = 0.0) -> Scenario:
    return Scenario(
        name="two",
        horizon={"start": 2026, "end": 2026},
        objectives=(Objective.COMMUNES_AT_STANDARD, Objective.LEAST_COST),
        uncertainty={
            "overrun": {"road": {"median": 1.0, "p90": 1.5}, "school": {"median": 1.0, "p90": 1.2}}
        },
        robustness={"gamma": gamma, "reserve": reserve},
    )


def test_the_two_commune_robust_plan_is_the_one_worked_out_by_hand():
    """Nominally both items fit (90 ≤ 100): two communes. With Γ = 1 the budget row must hold if
    either item overruns: a + b costs 90 + max(25, 8) = 115 > 100, so only one commune; a alone
    needs 75, b alone 48, both ≤ 100, and the least money picks b (40). Γ = 2 asks 90 + 33: still
    b. A 20 % reserve leaves 80 < 90: also b alone."""
    data = two_communes()
    assert solve(data, robust_scenario(0)).funded_codes() == {"a", "b"}
    for gamma in (1, 2):
        plan = solve(data, robust_scenario(gamma))
        assert plan.funded_codes() == {"b"}
        assert plan.kpis.at_standard_after == 1
    assert solve(data, robust_scenario(0, reserve=0.2)).funded_codes() == {"b"}


def test_gamma_one_allows_both_when_the_budget_covers_the_worst_overrun():
    """With 115 of budget, 90 + 25 fits exactly: the robust plan funds both."""
    data = two_communes().model_copy(
        update={"budgets": (two_communes().budgets[0].model_copy(update={"amount": 115}),)}
    )
    assert solve(data, robust_scenario(1)).funded_codes() == {"a", "b"}


# -- bad input ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("overrun: {road: {median: 1.2, p90: 1.1}}", "uncertainty.overrun.road: p90 1.1 is below"),
        ("overrun: {road: {median: 0, p90: 1.1}}", "uncertainty.overrun.road.median"),
        (
            "disbursement: {central: {low: -0.2, high: 0.8}}",
            "uncertainty.disbursement.central.low: -0.2 is not a fraction",
        ),
        (
            "disbursement: {central: {low: 0.9, high: 0.6}}",
            "uncertainty.disbursement.central: low 0.9 is above high 0.6",
        ),
        ("contribution_shortfall: {low: 0.1, high: 1.5}", "contribution_shortfall.high"),
        ("draws: 0", "uncertainty.draws"),
        ("district_correlation: 2", "uncertainty.district_correlation"),
        ("overruns: {}", "uncertainty.overruns"),
    ],
)
def test_bad_uncertainty_input_is_a_located_error(tmp_path: Path, text: str, message: str):
    path = tmp_path / "s.yaml"
    path.write_text(f"name: x\nhorizon: {{start: 2026, end: 2027}}\nuncertainty:\n  {text}\n")
    with pytest.raises(ScenarioFileError) as error:
        load_scenario(path)
    assert message in str(error.value)


def test_robust_gamma_without_overruns_is_an_error(tmp_path: Path):
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nhorizon: {start: 2026, end: 2027}\nrobustness: {gamma: 1}\n")
    with pytest.raises(ScenarioFileError, match=r"robustness\.gamma needs uncertainty\.overrun"):
        load_scenario(path)


def test_unknown_categories_and_sources_are_named(example):
    scenario = scenario_with(
        {
            "overrun": {"roads": {"median": 1, "p90": 1.2}},
            "disbursement": {"centrl": {"low": 0.5, "high": 1}},
        }
    )
    problems = [str(p) for p in check_scenario(example, scenario)]
    assert any(
        p.startswith("uncertainty.overrun.roads: unknown item category 'roads'") for p in problems
    )
    assert any(
        p.startswith("uncertainty.disbursement.centrl: unknown funding source") for p in problems
    )
    with pytest.raises(ScenarioReferenceError):
        prepare(example, scenario)


def test_risk_without_an_uncertainty_section_says_so(example):
    scenario = scenario_with(None)
    plan = solve(example, scenario)
    with pytest.raises(NoUncertainty, match="no uncertainty: section"):
        plan_risk(example, scenario, plan, executor=InProcess())
    assert Uncertainty().draws == 200


# -- out of sample, no regret ---------------------------------------------------------------------------
def test_three_plans_are_compared_on_the_same_fresh_draws():
    """Two communes, budget 100 paid out at 80-100 %: the deterministic plan promises both, the
    robust (Γ = 1) and reserve (20 %) plans only B. All three meet the same futures, drawn with
    the scenario's seed + 1."""
    from optimizer.robust import compare_plans

    scenario = robust_scenario(0, reserve=0.2).model_copy(
        update={
            "uncertainty": robust_scenario(0).uncertainty.model_copy(
                update={"draws": 8, "disbursement": {"central": {"low": 0.8, "high": 1.0}}}
            )
        }
    )
    comparison = compare_plans(two_communes(), scenario, executor=InProcess())
    table = comparison.table().set_index("plan")
    assert list(table.index) == ["deterministic", "robust", "reserve"]
    assert table.loc["deterministic", "planned_at_standard"] == 2
    assert table.loc["robust", "planned_at_standard"] == 1
    assert table.loc["reserve", "reserve"] == 0.2
    assert comparison.seed == 1
    money = [[d.money_available for d in r.draws] for r in comparison.reports]
    assert money[0] == money[1] == money[2]  # the same futures for every plan
    robust = comparison.reports[1]
    assert all(d.communes_at_standard == 1 for d in robust.draws)  # b (≤ 48) always fits in 80


def test_with_zero_variance_the_no_regret_items_are_the_plan(example):
    from optimizer.robust import no_regret

    scenario = scenario_with({"overrun_default": {"median": 1.0, "p90": 1.0}, "draws": 3})
    plan = solve(example, scenario)
    result = no_regret(example, scenario, executor=InProcess())
    assert result.solved == 3
    assert result.no_regret_items() == sorted(plan.funded_codes())
    assert set(result.never_funded()) == set(prepare(example, scenario).items) - plan.funded_codes()
    table = result.table(example)
    assert set(table["verdict"]) == {"no_regret", "never"}


def test_no_regret_shares_count_the_draws(example):
    from optimizer.robust import no_regret

    result = no_regret(example, scenario_with(HEAVY), draws=6, threshold=0.5, executor=InProcess())
    assert result.draws == 6 and result.solved == 6
    for share in result.funded_share.values():
        assert share * 6 == pytest.approx(round(share * 6))
    with pytest.raises(ValueError, match="no-regret share"):
        no_regret(example, scenario_with(HEAVY), threshold=0, executor=InProcess())


def test_a_recourse_without_the_floor_level_says_its_floor_counts_are_a_lower_bound(example):
    fast = dict(HEAVY, recourse_objectives=["communes_at_standard"])
    scenario = scenario_with(fast)
    plan = solve(example, scenario)
    full = plan_risk(example, scenario_with(HEAVY), plan, executor=InProcess())
    quick = plan_risk(example, scenario, plan, executor=InProcess())
    assert full.floor_optimised and not quick.floor_optimised
    for slow, fast_draw in zip(full.draws, quick.draws, strict=True):
        assert fast_draw.communes_at_standard == slow.communes_at_standard
        assert fast_draw.communes_at_floor <= slow.communes_at_floor
