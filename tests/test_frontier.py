"""The budget frontier on the hand-checkable example, and one sweep of Sơn La.

Hand figures (data/example/README.md; money in million VND). Budgets per year: central 10,000,
poverty_programme 3,000 (livelihood only), people 1,000 (roads; ≤ 15 % of an item; only INV01 and
INV14 qualify, so people pay at most 900 + 120 = 1,020). Horizon 2026-2027, carry-over on.

Cost of each commune alone: Suối Đỏ 0 (advanced, nothing at risk), Nà Pát 800 (keep its at-risk
road, INV14), Tà Cọ 4,540, Co Lay 6,000, Phiêng Sản 11,920, Huổi Hin 13,800, Huổi Hin and Phiêng Sản
together 24,320 (shared road INV04 + INV05). So the least money for n communes at standard is
1 → 0, 2 → 800, 3 → 5,340, 4 → 11,340, 5 → 23,260 (with Phiêng Sản, not Huổi Hin), 6 → 35,660.

Seven points, scale 0 to 1.5 in steps of 0.25 (total budget 0, 7,000, … , 42,000):
* 0: nothing can be paid; only Suối Đỏ stays at standard (Nà Pát loses its at-risk road) → 1.
* 0.25 (7,000): Nà Pát + Tà Cọ = 5,340 fits (central 2,500 a year pays 680 + 1,800 + 2,200, poverty
  750 pays INV13's 540); a third commune needs ≥ 11,340 → 3 at standard, 5,340 spent.
* 0.5 (14,000): + Co Lay = 11,340 (central 9,800 of 10,000, people 1,000) → 4; the next set
  costs 23,260 → 0.75 (21,000) stays at 4.
* 1.0 (28,000): + Phiêng Sản = 23,260 (central 19,780 of 20,000) → 5; all six cost 35,660 > 35,000,
  so 1.25 stays at 5; 1.5 (42,000) reaches all 6 for 35,660.
Marginal cost per commune between neighbouring points: 5,340/2 = 2,670; 6,000; 11,920; then
(35,660 − 23,260)/1 = 12,400 (Huổi Hin added, Phiêng Sản's road replaced by the shared one).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from example_package import (
    CO_LAY,
    HUOI_HIN,
    NA_PAT,
    PHIENG_SAN,
    SUOI_DO,
    TA_CO,
    TWO_LEVELS,
)

import optimizer.formulation
import optimizer.solve
from models.io import load_package
from models.scenario import Budgets, MustReach, Policies, Scenario
from optimizer.frontier import (
    PointStatus,
    budget_constraints,
    budget_frontier,
    frontier_annual_vs_pooled,
    scale_budget,
    scales,
)
from optimizer.inputs import prepare
from optimizer.solve import solve

ROOT = Path(__file__).resolve().parents[1]
MONEY_TOLERANCE = 1e-6
"""Million VND; money read back from the solver may carry float noise."""


@pytest.fixture
def scenario() -> Scenario:
    return Scenario(name="example", horizon={"start": 2026, "end": 2027})


def money(values):
    return [None if v is None else pytest.approx(v, abs=MONEY_TOLERANCE) for v in values]


def test_scales_are_evenly_spaced_and_include_both_ends():
    assert scales(7, 0.0, 1.5) == (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)
    assert scales(4, 0.0, 1.5) == (0.0, 0.5, 1.0, 1.5)
    with pytest.raises(ValueError):
        scales(0, 0.0, 1.0)


def test_frontier_matches_the_hand_computed_counts_money_and_marginal_costs(example, scenario):
    """See the module docstring for every figure."""
    frontier = budget_frontier(example, scenario, 7)
    table = frontier.table()
    assert list(table["scale"]) == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]
    assert list(table["budget_total"]) == money([0, 7000, 14000, 21000, 28000, 35000, 42000])
    assert list(table["communes_at_standard"]) == [1, 3, 4, 4, 5, 5, 6]
    assert [p.money_spent for p in frontier.points] == money(
        [0, 5340, 11340, 11340, 23260, 23260, 35660]
    )
    assert [p.marginal_cost for p in frontier.points] == money(
        [None, 2670, 6000, None, 11920, None, 12400]
    )
    assert all(p.status == PointStatus.OPTIMAL and p.gap == 0 for p in frontier.points)
    assert frontier.points[1].at_standard == (NA_PAT, TA_CO, SUOI_DO)
    assert frontier.objectives == TWO_LEVELS


def test_frontier_is_monotone_from_no_extra_commune_to_every_commune(example, scenario):
    """At scale 0 no money is spent and exactly the communes that need none are at standard (at
    standard today, nothing at risk: Suối Đỏ); at the top every commune that can be completed is."""
    frontier = budget_frontier(example, scenario, 7)
    counts = [p.communes_at_standard for p in frontier.points]
    assert counts == sorted(counts)
    inputs = prepare(example, scenario)
    free = {c for c in inputs.counted if c not in inputs.open_pairs}
    assert frontier.points[0].money_spent == 0
    assert set(frontier.points[0].at_standard) == free == {SUOI_DO}
    assert set(frontier.points[-1].at_standard) == set(inputs.can_reach_standard)
    assert frontier.points[-1].communes_at_standard == 6


def test_cost_curve_gives_the_least_money_for_each_count(example, scenario):
    """Least money per count at the top budget (1.5): 0, 800, 5,340, 11,340, 23,260, 35,660; the
    marginal cost of each further commune is the difference: 800, 4,540, 6,000, 11,920, 12,400."""
    frontier = budget_frontier(example, scenario, 7)
    curve = frontier.cost_curve_table()
    assert list(curve["communes_at_standard"]) == [1, 2, 3, 4, 5, 6]
    assert list(curve["least_money"]) == money([0, 800, 5340, 11340, 23260, 35660])
    assert [c.marginal_cost for c in frontier.cost_curve] == money(
        [None, 800, 4540, 6000, 11920, 12400]
    )


def test_cost_curve_is_skipped_when_the_sweep_spans_many_counts(example, scenario):
    frontier = budget_frontier(example, scenario, 7, cost_curve_limit=3)
    assert frontier.cost_curve == ()
    assert frontier.cost_curve_table().empty


def test_triage_lists_communes_in_the_order_they_drop_as_the_budget_falls(example, scenario):
    """From the sweep: Huổi Hin is out at 1.25, Phiêng Sản at 0.75, Co Lay at 0.25, Nà Pát and Tà Cọ
    at 0 (a tie: both at standard at six points; by code). Suối Đỏ never drops."""
    frontier = budget_frontier(example, scenario, 7)
    order = [(t.rank, t.commune, t.scale) for t in frontier.triage]
    assert order == [
        (1, HUOI_HIN, 1.25),
        (2, PHIENG_SAN, 0.75),
        (3, CO_LAY, 0.25),
        (4, NA_PAT, 0.0),
        (5, TA_CO, 0.0),
    ]
    assert frontier.triage[1].budget_total == pytest.approx(21000)


def test_the_formulation_is_built_once_for_the_whole_sweep(example, scenario, monkeypatch):
    calls = []
    real = optimizer.formulation.build

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(optimizer.formulation, "build", counting)
    monkeypatch.setattr(optimizer.solve, "build", counting)
    frontier = budget_frontier(example, scenario, 7)
    assert len(frontier.points) == 7
    assert len(calls) == 1


def test_progress_is_reported_after_each_point(example, scenario):
    seen = []
    budget_frontier(example, scenario, 4, progress=lambda k, n: seen.append((k, n)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


@pytest.mark.parametrize("carry_over", [True, False])
def test_a_rescaled_model_equals_one_built_at_the_scaled_budgets(example, scenario, carry_over):
    """The sweep rewrites right-hand sides instead of rebuilding; every constraint of the rescaled
    model (budget, disbursement and all others) must match a model built at 0.4 × the budgets."""
    budgets = Budgets(carry_over=carry_over, disbursement_rate=0.8)
    full = scenario.model_copy(update={"budgets": budgets})
    cut = scenario.model_copy(update={"budgets": budgets.model_copy(update={"scale": 0.4})})
    f = optimizer.formulation.build(prepare(example, full))
    built = {cname: c.constant for cname, c in budget_constraints(f).items()}
    assert any(cname.startswith("disbursement") for cname in built)
    scale_budget(f, built, 0.4)
    g = optimizer.formulation.build(prepare(example, cut))
    assert f.constraints.keys() == g.constraints.keys()
    for cname, constraint in g.constraints.items():
        assert f.constraints[cname].constant == pytest.approx(constraint.constant), cname
    expected = -0.4 * (20000 if carry_over else 10000)
    assert f.budget[("central", 2027)].constant == pytest.approx(expected)


def test_point_at_scale_one_equals_solve(example, scenario):
    """Same objectives, same budgets: the frontier's point 1.0 is the plan of ``solve``."""
    two = scenario.model_copy(update={"objectives": TWO_LEVELS})
    plan = solve(example, two)
    point = next(p for p in budget_frontier(example, scenario, 5, 0.0, 2.0).points if p.scale == 1)
    assert point.communes_at_standard == plan.kpis.at_standard_after == 5
    assert point.money_spent == pytest.approx(plan.kpis.money_total)
    assert set(point.at_standard) == plan.at_standard_codes()


def test_points_where_a_policy_cannot_hold_are_reported_infeasible(example, scenario):
    """Phiêng Sản must reach standard: its road INV03 alone takes central's 10,000, so scales 0 and
    0.25 are infeasible; at 0.5 it takes all central money (Suối Đỏ + Phiêng Sản = 2); at 0.75
    (central 15,000) Nà Pát and Tà Cọ fit too (10,000 + 680 + 4,000) → 4."""
    policies = Policies(must_reach=(MustReach(name="ps_first", communes=(PHIENG_SAN,)),))
    frontier = budget_frontier(
        example, scenario.model_copy(update={"policies": policies}), 4, 0, 0.75
    )
    statuses = [p.status for p in frontier.points]
    assert statuses[:2] == [PointStatus.INFEASIBLE, PointStatus.INFEASIBLE]
    assert [p.communes_at_standard for p in frontier.points] == [None, None, 2, 4]
    assert frontier.points[2].marginal_cost is None  # no earlier point with a plan
    assert frontier.points[3].money_spent == pytest.approx(11920 + 800 + 4540)
    assert frontier.points[3].marginal_cost == pytest.approx((800 + 4540) / 2)


def test_annual_phasing_costs_co_lay_at_half_budget_without_carry_over(example, scenario):
    """Without carry-over at half budget a year has central 5,000 and people 500: Co Lay's road
    INV01 (6,000, one year) cannot be paid in any one year, but fits the pooled period (central
    10,000). Pooling is a relaxation, so the pooled frontier is never below the annual one."""
    s = scenario.model_copy(update={"budgets": Budgets(carry_over=False)})
    comparison = frontier_annual_vs_pooled(example, s, 3, 0.0, 1.0)
    table = comparison.table()
    assert list(table["scale"]) == [0.0, 0.5, 1.0]
    assert list(table["communes_at_standard_annual"]) == [1, 3, 5]
    assert list(table["communes_at_standard_pooled"]) == [1, 4, 5]
    assert list(table["communes_lost_to_phasing"]) == [0, 1, 0]
    assert CO_LAY not in comparison.annual.points[1].at_standard
    assert CO_LAY in comparison.pooled.points[1].at_standard
    assert comparison.pooled.pooled and not comparison.annual.pooled


@pytest.mark.slow
def test_son_la_frontier_is_monotone_and_matches_solve_at_scale_one():
    dataset = load_package(ROOT / "data" / "son_la_2021")
    scenario = Scenario(
        name="son_la_frontier",
        horizon={"start": 2021, "end": 2025, "single_period": True},
        objectives=TWO_LEVELS,
        solver={"time_limit": 60},
    )
    frontier = budget_frontier(dataset, scenario, 4)  # scales 0, 0.5, 1.0, 1.5
    assert all(p.status == PointStatus.OPTIMAL for p in frontier.points)
    counts = [p.communes_at_standard for p in frontier.points]
    assert counts == sorted(counts)
    assert frontier.points[0].money_spent == 0
    plan = solve(dataset, scenario)
    at_one = frontier.points[2]
    assert at_one.scale == 1.0
    assert at_one.communes_at_standard == plan.kpis.at_standard_after
    assert at_one.money_spent == pytest.approx(plan.kpis.money_total, abs=1.0)


@pytest.mark.slow
def test_son_la_sweep_on_two_dask_workers_gives_the_points_of_one_process(dask_workers):
    """Each point is the same model whichever worker solves it (optimizer/sweep.py), so sharing
    the points between two Dask workers changes nothing but the time; progress counts every one."""
    dataset = load_package(ROOT / "data" / "son_la_2021")
    scenario = Scenario(
        name="son_la_frontier",
        horizon={"start": 2021, "end": 2025, "single_period": True},
        objectives=TWO_LEVELS,
        solver={"time_limit": 60},
    )
    seen: list[tuple[int, int]] = []
    shared = budget_frontier(
        dataset,
        scenario,
        5,
        0.5,
        1.5,
        progress=lambda k, n: seen.append((k, n)),
        executor=dask_workers(2),
    )
    alone = budget_frontier(dataset, scenario, 5, 0.5, 1.5, workers=1)
    assert sorted(seen) == [(k, 5) for k in range(1, 6)]
    assert shared.points == alone.points
    assert shared.triage == alone.triage


@pytest.mark.slow
def test_the_frontier_is_the_same_on_one_and_two_dask_workers_and_in_process(
    example, scenario, dask_workers
):
    """A real LocalCluster with one worker, then two: the points (and the triage built from
    them) are those of the sweep in this process."""
    here = budget_frontier(example, scenario, 7, 0.0, 1.5, workers=1)
    for workers in (1, 2):
        executor = dask_workers(workers)
        assert executor.workers == workers
        seen: list[int] = []
        on_dask = budget_frontier(
            example,
            scenario,
            7,
            0.0,
            1.5,
            executor=executor,
            progress=lambda k, _n, s=seen: s.append(k),
        )
        assert sorted(seen) == list(range(1, 8))
        assert on_dask.points == here.points
        assert on_dask.triage == here.triage
        assert on_dask.cost_curve == here.cost_curve


def test_small_models_sweep_in_process_and_workers_must_be_positive(example, scenario):
    from optimizer.sweep import InProcess, choose_executor

    inputs = prepare(example, scenario)
    assert isinstance(choose_executor(len(inputs.items), 21), InProcess)  # a handful of items
    assert isinstance(choose_executor(5000, 21, workers=1), InProcess)
    with pytest.raises(ValueError, match="at least 1"):
        choose_executor(len(inputs.items), 21, workers=0)


def test_annual_points_are_proven_through_the_pooled_plan_and_equal_direct_solves(
    example, scenario, monkeypatch
):
    """With 70 % of the money on hand paid out a year, each annual point is first tried through
    the capped pooled relaxation (much faster on Sơn La: 3 annual points 31 s → 4 s). Here the
    first three points phase and the last falls back to the annual model; either way every
    point's communes at standard and money equal the annual model solved directly at that
    budget."""
    import optimizer.frontier as frontier_module
    from optimizer.formulation import build
    from optimizer.solve import make_level_solver, run_levels

    phased_points = []
    original = frontier_module.solve_through_pooled

    def spy(inputs):
        phased = original(inputs)
        phased_points.append(phased is not None)
        return phased

    monkeypatch.setattr(frontier_module, "solve_through_pooled", spy)
    paced = scenario.model_copy(update={"budgets": Budgets(disbursement_rate=0.7)})
    frontier = budget_frontier(example, paced, 4, 0.5, 1.25, workers=1)
    assert len(phased_points) == 4 and any(phased_points)
    for point in frontier.points:
        budgets = Budgets(disbursement_rate=0.7, scale=point.scale)
        direct = paced.model_copy(update={"budgets": budgets})
        f = build(prepare(example, direct))
        run = run_levels(f, TWO_LEVELS, make_level_solver(direct.solver))
        assert point.communes_at_standard == run.levels[0].value
        assert point.money_spent == pytest.approx(run.levels[1].value, abs=MONEY_TOLERANCE)
