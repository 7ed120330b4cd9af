"""Hand-solved instances for the optimizer, with the optimum argued in each docstring."""

from __future__ import annotations

import pulp
import pytest
from builders import dataset
from hypothesis import HealthCheck, given, settings
from strategies import instances

from models.scenario import Objective, Scenario
from optimizer.formulation import build, complete_indicators, minimal_covers
from optimizer.inputs import prepare
from optimizer.plan import PlanStatus
from optimizer.solve import make_level_solver, run_levels, solve, solve_level

MONEY = 1e-6
ONE_YEAR = {"start": 2026, "end": 2026}


def scenario(**overrides) -> Scenario:
    return Scenario.model_validate({"name": "test", "horizon": ONE_YEAR} | overrides)


def shared_road_instance(budget: int = 100, with_shared: bool = True):
    """Two communes each miss 2 km of road. Local roads cost 60 each; a shared road serving both
    costs 100."""
    items = [
        {"code": "A1", "cost": 60, "effects": {("10001", "transport"): 2}},
        {"code": "A2", "cost": 60, "effects": {("10002", "transport"): 2}},
    ]
    if with_shared:
        items.append(
            {
                "code": "S",
                "cost": 100,
                "effects": {("10001", "transport"): 2, ("10002", "transport"): 2},
            }
        )
    return dataset(
        gaps={"10001": {"transport": 2}, "10002": {"transport": 2}},
        items=items,
        budgets={("central", 2026): budget},
        criteria=("transport",),
    )


def test_shared_work_beats_per_commune_works() -> None:
    """With 100, two local roads (120) are unaffordable and one local road completes one commune;
    the shared road (100) completes both. Optimum: fund S only, 2 communes at standard, 100 spent."""
    plan = solve(shared_road_instance(), scenario())
    assert plan.status == PlanStatus.OPTIMAL
    assert plan.funded_codes() == {"S"}
    assert plan.kpis.at_standard_after == 2
    assert plan.kpis.money_total == pytest.approx(100, abs=MONEY)


def test_forced_out_shared_work_leaves_one_commune() -> None:
    """Without S, 100 buys one local road (60): 1 commune; least cost picks either A1 or A2."""
    plan = solve(shared_road_instance(), scenario(policies={"forced_out": ["S"]}))
    assert plan.kpis.at_standard_after == 1
    assert len(plan.funded_codes() & {"A1", "A2"}) == 1
    assert "S" not in plan.funded_codes()


def test_source_restricted_to_livelihood_pays_only_livelihood() -> None:
    """Commune 1 misses income (livelihood item L, 50), commune 2 misses transport (road R, 50).
    Central has 50 for anything, the poverty programme 50 for livelihood only. Only one split
    completes both: poverty programme → L, central → R."""
    data = dataset(
        gaps={"10001": {"income": 5}, "10002": {"transport": 1}},
        items=[
            {
                "code": "L",
                "cost": 50,
                "kind": "livelihood",
                "category": "livestock",
                "effects": {("10001", "income"): 5},
            },
            {"code": "R", "cost": 50, "effects": {("10002", "transport"): 1}},
        ],
        budgets={("central", 2026): 50, ("poverty", 2026): 50},
        sources=[{"code": "central"}, {"code": "poverty", "eligible_kinds": "livelihood"}],
        criteria=("transport", "income"),
    )
    plan = solve(data, scenario())
    assert plan.kpis.at_standard_after == 2
    paid = {(p.investment, p.source): p.amount for p in plan.payments}
    assert paid == {("L", "poverty"): pytest.approx(50), ("R", "central"): pytest.approx(50)}


def lexicographic_instance():
    """Criteria: transport, irrigation, income; floor 2 of 3.
    Commune 10001 meets 2 (at floor) and misses income: item F costs 100 → standard.
    Communes 10002 and 10003 meet 1 and miss irrigation and income: irrigation items B2, B3 cost 50
    each → they reach the floor (2 of 3), not the standard."""
    return dataset(
        gaps={
            "10001": {"income": 1},
            "10002": {"irrigation": 1, "income": 1},
            "10003": {"irrigation": 1, "income": 1},
        },
        items=[
            {
                "code": "F",
                "cost": 100,
                "kind": "livelihood",
                "category": "livestock",
                "effects": {("10001", "income"): 1},
            },
            {
                "code": "B2",
                "cost": 50,
                "category": "irrigation",
                "effects": {("10002", "irrigation"): 1},
            },
            {
                "code": "B3",
                "cost": 50,
                "category": "irrigation",
                "effects": {("10003", "irrigation"): 1},
            },
        ],
        budgets={("central", 2026): 100},
    )


def test_lexicographic_order_puts_standard_before_floor() -> None:
    """Budget 100: either F (one more commune at standard) or B2+B3 (two more at the floor).
    Standard first: F. A weighted sum with equal weights would take B2+B3 (2 > 1) — wrong here."""
    plan = solve(lexicographic_instance(), scenario(criteria_floor=2))
    assert plan.funded_codes() == {"F"}
    assert plan.kpis.at_standard_after == 1
    assert plan.kpis.at_floor_after == 1
    assert [level.objective for level in plan.levels][:2] == [
        Objective.COMMUNES_AT_STANDARD,
        Objective.COMMUNES_AT_FLOOR,
    ]


def test_each_level_is_told_as_soon_as_it_is_settled() -> None:
    """The app shows the answer level by level: the callback hears each level once, in order,
    with the values the plan reports, and hears the first before the second is solved. (Annual
    scenarios solved through the pooled plan tell their levels once phased: tests/test_phasing.py.)"""
    heard: list[tuple[Objective, float]] = []
    solved_when_heard: list[int] = []
    original = solve_level

    def counting_solve_level(*args, **kwargs):
        counting_solve_level.calls += 1
        return original(*args, **kwargs)

    counting_solve_level.calls = 0
    import optimizer.solve as engine

    engine.solve_level, restore = counting_solve_level, engine.solve_level
    try:
        plan = solve(
            lexicographic_instance(),
            scenario(criteria_floor=2, horizon=ONE_YEAR | {"single_period": True}),
            on_level=lambda level: (
                heard.append((level.objective, level.value)),
                solved_when_heard.append(counting_solve_level.calls),
            ),
        )
    finally:
        engine.solve_level = restore
    assert heard == [(level.objective, level.value) for level in plan.levels]
    assert heard[:2] == [(Objective.COMMUNES_AT_STANDARD, 1), (Objective.COMMUNES_AT_FLOOR, 1)]
    assert solved_when_heard == list(range(1, len(plan.levels) + 1))


def test_floor_first_order_takes_the_two_floor_communes() -> None:
    """The same instance with the floor first: B2+B3 bring two communes to the floor."""
    plan = solve(
        lexicographic_instance(),
        scenario(criteria_floor=2, objectives=["communes_at_floor", "communes_at_standard"]),
    )
    assert plan.funded_codes() == {"B2", "B3"}
    assert plan.kpis.at_floor_after == 3
    assert plan.kpis.at_standard_after == 0


def test_partial_items_add_up_to_close_a_gap() -> None:
    """A poverty-like gap of 15 closes with packages of 10 and 5 (cost 70 + 35); one alone
    closes nothing, so with 100 nothing is worth funding and with 105 both are funded."""

    def data(budget: int):
        return dataset(
            gaps={"10001": {"income": 15}},
            items=[
                {
                    "code": "P10",
                    "cost": 70,
                    "kind": "livelihood",
                    "effects": {("10001", "income"): 10},
                },
                {
                    "code": "P5",
                    "cost": 35,
                    "kind": "livelihood",
                    "effects": {("10001", "income"): 5},
                },
            ],
            budgets={("central", 2026): budget},
            criteria=("income",),
        )

    assert solve(data(100), scenario()).funded_codes() == frozenset()
    assert solve(data(105), scenario()).funded_codes() == {"P10", "P5"}


def multi_year_instance(budgets: dict[tuple[str, int], int]):
    """One commune misses irrigation; the only work takes 2 years and costs 100 (50 a year)."""
    return dataset(
        gaps={"10001": {"irrigation": 1}},
        items=[
            {
                "code": "W",
                "cost": 100,
                "duration": 2,
                "category": "irrigation",
                "effects": {("10001", "irrigation"): 1},
            }
        ],
        budgets=budgets,
        criteria=("irrigation",),
    )


TWO_YEARS = {"start": 2026, "end": 2027}


def test_two_year_work_is_paid_over_its_duration_and_counts_at_completion() -> None:
    """50 a year for two years pays W started in 2026; it completes (and counts) in 2027."""
    plan = solve(
        multi_year_instance({("central", 2026): 50, ("central", 2027): 50}),
        scenario(horizon=TWO_YEARS),
    )
    assert plan.kpis.at_standard_after == 1
    assert plan.items[0].start_year == 2026 and plan.items[0].completion_year == 2027
    assert {p.year: p.amount for p in plan.payments} == {2026: 50, 2027: 50}
    assert plan.communes[0].year_at_standard == 2027


def test_carry_over_decides_whether_late_money_can_pay_early_work() -> None:
    """All 100 arrives in 2026. With carry-over the 2027 instalment uses 2026's unspent 50; without
    it 2027 has nothing, and W cannot be funded."""
    budgets = {("central", 2026): 100, ("central", 2027): 0}
    with_carry = solve(multi_year_instance(budgets), scenario(horizon=TWO_YEARS))
    without = solve(
        multi_year_instance(budgets), scenario(horizon=TWO_YEARS, budgets={"carry_over": False})
    )
    assert with_carry.kpis.at_standard_after == 1
    assert without.kpis.at_standard_after == 0


def test_infeasible_target_is_diagnosed_with_money_and_best_value() -> None:
    """Two communes at standard without the shared road cost 120 against a budget of 100:
    the diagnosis names the target, asks for 20 more from central, or at most 1 commune."""
    plan = solve(
        shared_road_instance(with_shared=False),
        scenario(targets={"communes_at_standard": 2}),
    )
    assert plan.status == PlanStatus.INFEASIBLE
    assert plan.diagnosis is not None
    assert plan.diagnosis.conflicting == ("target_communes_at_standard",)
    assert plan.diagnosis.extra_budget == {"central 2026": pytest.approx(20)}
    messages = " ".join(r.message for r in plan.diagnosis.relaxations)
    assert "can be at most 1" in messages
    assert not plan.items


def test_least_cost_to_reach_a_target() -> None:
    """Inverse question: least money for 1 commune at standard = 60 (one local road)."""
    plan = solve(
        shared_road_instance(budget=1000),
        scenario(objectives=["least_cost"], targets={"communes_at_standard": 1}),
    )
    assert plan.kpis.money_total == pytest.approx(60)
    assert plan.kpis.at_standard_after >= 1


def test_co_financing_requires_a_local_counterpart() -> None:
    """Road R costs 100; central has 100, the province 5. Provincial ≥ 10% of central means
    central ≤ 100/1.1·… : with only 5 provincial, central may pay at most 50, so R (100) is
    unaffordable; with 10 provincial, central 90.9 + provincial 9.1 pays it."""

    def data(provincial: int):
        return dataset(
            gaps={"10001": {"transport": 1}},
            items=[{"code": "R", "cost": 100, "effects": {("10001", "transport"): 1}}],
            budgets={("central", 2026): 100, ("provincial", 2026): provincial},
            sources=[{"code": "central"}, {"code": "provincial"}],
            criteria=("transport",),
        )

    rule = {
        "co_financing": [
            {"name": "counterpart", "source": "provincial", "of_source": "central", "ratio": 0.1}
        ]
    }
    assert solve(data(5), scenario(policies=rule)).kpis.at_standard_after == 0
    enough = solve(data(10), scenario(policies=rule))
    assert enough.kpis.at_standard_after == 1
    by_source = enough.kpis.money_by_source
    assert by_source["provincial"] >= 0.1 * by_source["central"] - MONEY


def test_min_share_for_a_group_redirects_money() -> None:
    """Budget 60 completes one of two identical communes; with 'at least 90% of money to
    extremely difficult communes' the optimizer must pick the extremely difficult one (10002)."""
    data = dataset(
        gaps={"10001": {"transport": 2}, "10002": {"transport": 2}},
        items=[
            {"code": "A1", "cost": 60, "effects": {("10001", "transport"): 2}},
            {"code": "A2", "cost": 60, "effects": {("10002", "transport"): 2}},
        ],
        budgets={("central", 2026): 60},
        criteria=("transport",),
        communes={"10002": {"extremely_difficult": True}},
    )
    rule = {
        "min_shares": [{"name": "difficult_first", "group": "extremely_difficult", "share": 0.9}]
    }
    plan = solve(data, scenario(policies=rule))
    assert plan.funded_codes() == {"A2"}


def test_maintenance_keeps_an_at_risk_standard_commune() -> None:
    """Commune 10001 is at standard but its transport is at risk; maintenance M (10) keeps it.
    Commune 10002 misses transport (road 95). Budget 100: both fit (105 > 100? no: 10 + 95 = 105)
    — so the optimizer keeps 10001 (1 commune for 10) rather than completing 10002 (1 for 95),
    and least cost breaks the tie in favour of M."""
    data = dataset(
        gaps={"10001": {}, "10002": {"transport": 1}},
        items=[
            {"code": "M", "cost": 10, "maintenance": True, "effects": {("10001", "transport"): 1}},
            {"code": "R", "cost": 95, "effects": {("10002", "transport"): 1}},
        ],
        budgets={("central", 2026): 100},
        criteria=("transport",),
        communes={"10001": {"recognised": True}},
        at_risk={("10001", "transport")},
    )
    plan = solve(data, scenario())
    assert plan.kpis.at_standard_before == 1
    assert plan.funded_codes() == {"M"}
    assert plan.kpis.at_standard_after == 1
    forced = solve(data, scenario(policies={"maintain_standard": True, "forced_out": []}))
    assert "M" in forced.funded_codes()


def test_formulation_is_named_by_business_keys_and_typed() -> None:
    """The unsolved model: binaries for decisions, coverage coefficients amount/gap, names that
    read as keys (budget_central_2026, covers_10001_transport_2026; a payment class
    central|1y escaped as central.7c.1y, item codes keep their case)."""
    data = shared_road_instance()
    f = build(prepare(data, scenario()))
    names = set(f.constraints)
    assert {
        "budget_central_2026",
        "covers_10001_transport_2026",
        "pays_central.7c.1y_2026",
    } <= names
    binary = [v for v in [*f.fund.values(), *f.met.values(), *f.std.values()]]
    assert binary and all(
        v.cat == pulp.LpInteger and (v.lowBound, v.upBound) == (0, 1) for v in binary
    )
    assert all(v.cat == pulp.LpContinuous for v in f.pay.values())
    covers = f.constraints["covers_10001_transport_2026"]
    coefficients = {v.name: c for v, c in covers.items()}
    assert coefficients == {
        "fund_A1_2026": 1.0,
        "fund_S_2026": 1.0,
        "met_10001_transport_2026": -1.0,
    }
    assert f.budget[("central", 2026)].constant == -100


def test_minimal_covers_are_the_sets_that_close_the_gap_with_nothing_to_spare() -> None:
    """Gap 4 with amounts 2, 2, 3: any two close it and none alone does; all three is not
    minimal."""
    items = (("A", 2.0), ("B", 2.0), ("C", 3.0))
    assert minimal_covers(items, 4.0) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert minimal_covers(items, 1.0) == [("A",), ("B",), ("C",)]
    assert minimal_covers(items, 8.0) == []


def test_cover_variables_cut_off_fractions_of_items() -> None:
    """One commune misses 3 km of road; three partial roads of 2 km cost 10 each (any two close
    the gap, so no single one is necessary) and the budget is 15. With the coverage row alone
    the LP meets the road with 1.5 roads (3 km for 15) and counts 1 commune. With one variable
    per minimal cover ({A,B}, {A,C}, {B,C}) every cover used takes two roads' worth of funding:
    2·(y_AB + y_AC + y_BC) ≤ a + b + c ≤ 1.5, so the LP bound is 0.75; the MIP answer is 0."""
    data = dataset(
        gaps={"10001": {"transport": 3}},
        items=[
            {"code": "A", "cost": 10, "effects": {("10001", "transport"): 2}},
            {"code": "B", "cost": 10, "effects": {("10001", "transport"): 2}},
            {"code": "C", "cost": 10, "effects": {("10001", "transport"): 2}},
        ],
        budgets={("central", 2026): 15},
        criteria=("transport",),
    )
    assert "cover_pick_10001_transport_2026" not in build(prepare(data, scenario())).constraints
    f = build(prepare(data, scenario()), covers=True)
    assert "cover_pick_10001_transport_2026" in f.constraints
    for var in f.problem.variables():
        var.cat = pulp.LpContinuous
    outcome = solve_level(f, Objective.COMMUNES_AT_STANDARD, make_level_solver(scenario().solver))
    assert outcome.value == pytest.approx(0.75)
    assert solve(data, scenario()).kpis.at_standard_after == 0


def test_results_are_deterministic() -> None:
    data = shared_road_instance(with_shared=False)
    assert solve(data, scenario()).model_dump(exclude={"timings", "levels"}) == solve(
        data, scenario()
    ).model_dump(exclude={"timings", "levels"})


def test_disbursement_rate_delays_what_money_can_pay() -> None:
    """Road R (1 year, cost 100) in a 2-year horizon; 100 arrives in 2026, nothing in 2027.
    With 60% disbursed per year: 2026 can pay 60 (< 100), 2027 can pay 60% of the 100 still on
    hand = 60 (< 100): R is never affordable. With 100% it is funded in 2026."""
    data = dataset(
        gaps={"10001": {"transport": 1}},
        items=[{"code": "R", "cost": 100, "effects": {("10001", "transport"): 1}}],
        budgets={("central", 2026): 100, ("central", 2027): 0},
        criteria=("transport",),
    )
    slow = solve(data, scenario(horizon=TWO_YEARS, budgets={"disbursement_rate": 0.6}))
    assert slow.kpis.at_standard_after == 0
    full = solve(data, scenario(horizon=TWO_YEARS, budgets={"disbursement_rate": 1.0}))
    assert full.kpis.at_standard_after == 1


def test_disbursement_carries_undisbursed_money_forward() -> None:
    """Two roads of 50 each (1 year) in two communes; 100 arrives in 2026. With 50% disbursed:
    2026 pays 50 (one road), 2027 may pay 50% of the 50 left = 25 — not a second road. With a
    2027 rate of 100% (by year) the rest is paid in 2027: both communes."""
    data = dataset(
        gaps={"10001": {"transport": 1}, "10002": {"transport": 1}},
        items=[
            {"code": "R1", "cost": 50, "effects": {("10001", "transport"): 1}},
            {"code": "R2", "cost": 50, "effects": {("10002", "transport"): 1}},
        ],
        budgets={("central", 2026): 100, ("central", 2027): 0},
        criteria=("transport",),
    )
    half = solve(data, scenario(horizon=TWO_YEARS, budgets={"disbursement_rate": 0.5}))
    assert half.kpis.at_standard_after == 1
    late = solve(
        data,
        scenario(
            horizon=TWO_YEARS,
            budgets={"disbursement_rate": 0.5, "disbursement_by_year": {2027: 1.0}},
        ),
    )
    assert late.kpis.at_standard_after == 2
    assert late.kpis.money_by_year == {2026: pytest.approx(50), 2027: pytest.approx(50)}


def test_unknown_references_are_errors_not_silently_ignored() -> None:
    """A budget override for an unknown source and a must-reach list naming an unknown commune
    stop the solve with every problem listed."""
    from models.scenario_check import ScenarioReferenceError

    bad = scenario(
        budgets={"overrides": [{"source": "centrl", "year": 2026, "amount": 5}]},
        policies={"must_reach": [{"name": "x", "communes": ["99999"]}]},
    )
    with pytest.raises(ScenarioReferenceError) as error:
        solve(shared_road_instance(), bad)
    text = str(error.value)
    assert "'centrl'" in text and "'99999'" in text


def test_target_with_no_fundable_item_is_infeasible_not_an_empty_optimum() -> None:
    """No source may pay in Region I, so nothing can be funded: the model has no column at all.
    A target of one commune at standard is then a requirement 0 ≥ 1 — infeasible, diagnosed."""
    data = dataset(
        gaps={"10001": {"transport": 1}},
        items=[{"code": "R", "cost": 10, "effects": {("10001", "transport"): 1}}],
        budgets={("central", 2026): 100},
        criteria=("transport",),
        sources=[{"code": "central", "eligible_regions": ("III",)}],
        communes={"10001": {"region": "I"}},
    )
    plan = solve(data, scenario(targets={"communes_at_standard": 1}))
    assert plan.status == PlanStatus.INFEASIBLE
    assert plan.diagnosis is not None
    assert any("no amount of money" in r.message for r in plan.diagnosis.relaxations)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances())
def test_cover_variables_and_payment_blocks_keep_every_level_value(instance) -> None:
    """Cover variables and payment rows split into blocks (here of 2 items) only reformulate:
    every lexicographic level reaches the same value with and without them."""
    import optimizer.formulation as formulation

    data, chosen = instance
    inputs = prepare(data, chosen)

    def values(f) -> list[float]:
        run = run_levels(f, chosen.objectives, make_level_solver(chosen.solver))
        return [round(level.value, 6) for level in run.levels]

    plain = values(build(inputs, covers=False))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formulation, "PAY_BLOCK", 2)
        reformulated = values(build(inputs, covers=True))
    assert reformulated == plain


def test_completing_indicators_picks_a_cover_the_funded_items_make() -> None:
    """Three 2 km roads for a 3 km gap: with A and B funded the gap is closed, so met is raised to
    1 and the cover {A, B} is picked (the other covers stay 0): every cover row holds."""
    data = dataset(
        gaps={"10001": {"transport": 3}},
        items=[
            {"code": code, "cost": 10, "effects": {("10001", "transport"): 2}}
            for code in ("A", "B", "C")
        ],
        budgets={("central", 2026): 30},
        criteria=("transport",),
    )
    f = build(prepare(data, scenario()), covers=True)
    for var in f.problem.variables():
        var.varValue = 0.0
    f.fund[("A", 2026)].varValue = f.fund[("B", 2026)].varValue = 1.0
    complete_indicators(f)
    assert f.met[("10001", "transport", 2026)].varValue == 1.0
    picked = [items for var, items in f.covers[("10001", "transport", 2026)] if var.varValue]
    assert picked == [("A", "B")]
    rows = [row for n, row in f.constraints.items() if n.startswith(("cover", "covers", "needs"))]
    assert rows and all(row.valid(1e-9) for row in rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances())
def test_completed_indicators_keep_every_row_satisfied(instance) -> None:
    """After each level, raising met/std/floor (and choosing a cover for each met gap) to what the
    plan earns leaves a plan that satisfies every row, so the next level can start from it."""
    data, chosen = instance
    f = build(prepare(data, chosen), covers=True)
    run = run_levels(f, chosen.objectives, make_level_solver(chosen.solver))
    assert run.levels  # run_levels completes the indicators after every level
    broken = [n for n, row in f.constraints.items() if not row.valid(1e-6)]
    assert broken == []


def test_the_solver_measures_the_gap_on_the_whole_objective_constant_included() -> None:
    """Two communes are already at standard (the objective's constant) and one more can be
    reached. HiGHS is given that constant as its objective offset, so the accepted relative gap
    refers to all communes at standard, not only to those the plan changes, and the bound it
    proves is reported once, not with the constant added twice."""
    import highspy

    data = dataset(
        gaps={"10001": {"transport": 1}, "10002": {}, "10003": {}},
        items=[{"code": "R", "cost": 10, "effects": {("10001", "transport"): 1}}],
        budgets={("central", 2026): 10},
        communes={"10002": {"recognised": True}, "10003": {"recognised": True}},
    )
    chosen = scenario()
    f = build(prepare(data, chosen))
    expression = f.objectives[Objective.COMMUNES_AT_STANDARD]
    assert expression.constant == 2
    offsets: list[float] = []
    run = highspy.Highs.run

    def recording_run(self):
        offsets.append(self.getLp().offset_)
        return run(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(highspy.Highs, "run", recording_run)
        outcome = solve_level(f, Objective.COMMUNES_AT_STANDARD, make_level_solver(chosen.solver))
    assert offsets == [2.0]
    assert outcome.proven_optimal and outcome.value == 3.0
    assert outcome.bound == pytest.approx(3.0) and outcome.gap == pytest.approx(0.0)
