"""Rules of thumb (formula, closest-first, cheapest-first): hand-checked on the example package,
exact covers, the money rules they keep, and property tests against the optimizer.

The example package (data/example/README.md): six communes, four criteria, budgets for 2026-2027
of central 10,000 a year (pays anything), poverty_programme 3,000 a year (livelihood only) and
people 1,000 a year (roads only, at most 15 % of an item, only where poverty ≤ 15 %: INV01 and
INV14). Cheapest completions: Nà Pát 800 (keep transport with INV14), Co Lay 6,000 (INV01), Tà Cọ
4,540 (INV07 + INV08 from 2027 + INV13), Phiêng Sản 11,920 (the local road INV03 10,000, a
two-year work, + INV12), Huổi Hin 13,800 (INV02 + INV06 + INV09 + INV10 + INV11). Suối Đỏ is
advanced and has nothing to do.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from builders import dataset as build_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import instances

from models.dataset import Dataset
from models.io import load_package
from models.messages import msg
from models.scenario import Scenario
from optimizer.baselines import (
    BASELINES,
    FORMULA_COEFFICIENTS,
    MONEY_EPSILON,
    Needs,
    Purse,
    cheapest_cover,
    cheapest_first,
    closest_first,
    completion,
    formula,
    formula_weight,
    needs,
)
from optimizer.check import MONEY_TOLERANCE, check_plan
from optimizer.inputs import COVERAGE_TOLERANCE, prepare
from optimizer.plan import PlanStatus
from optimizer.solve import solve

DATA = Path(__file__).resolve().parent.parent / "data"
NA_PAT, CO_LAY, HUOI_HIN, PHIENG_SAN, TA_CO, SUOI_DO = (f"9000{n}" for n in range(1, 7))
TWO_YEARS = {"start": 2026, "end": 2027}
PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def yearly(**overrides) -> Scenario:
    return Scenario.model_validate({"name": "yearly", "horizon": TWO_YEARS} | overrides)


def pooled(**overrides) -> Scenario:
    horizon = TWO_YEARS | {"single_period": True}
    return Scenario.model_validate({"name": "pooled", "horizon": horizon} | overrides)


# -- the formula weights ------------------------------------------------------------------------
def test_formula_weights_of_the_example_communes(example: Dataset) -> None:
    """Highest applicable of Region III / ATK / border 50, Region II 40, Region I 30, plus one per
    extremely difficult village: Nà Pát II + 1, Co Lay II + 2, Huổi Hin III + 6, Phiêng Sản III
    and border (still 50) + 5, Tà Cọ ATK (50, not II's 40) + 2, Suối Đỏ I + 0."""
    weights = {c.code: formula_weight(c) for c in example.communes}
    assert weights == {NA_PAT: 41, CO_LAY: 42, HUOI_HIN: 56, PHIENG_SAN: 55, TA_CO: 52, SUOI_DO: 30}


def test_formula_coefficients_are_data(example: Dataset) -> None:
    """Other coefficients (e.g. the 2021-2025 table, when at hand) are passed, not coded."""
    flat = dict(FORMULA_COEFFICIENTS) | {"region_iii": 10, "border": 10, "per_difficult_village": 0}
    assert formula_weight(example.commune_by_code[PHIENG_SAN], flat) == 10
    no_regions = {"otherwise": 25, "per_difficult_village": 2}
    assert formula_weight(example.commune_by_code[CO_LAY], no_regions) == 25 + 2 * 2


# -- exact covers -------------------------------------------------------------------------------
def completion_cost(dataset: Dataset, scenario: Scenario, commune: str) -> tuple[float, set[str]]:
    inputs = prepare(dataset, scenario)
    cover = completion(inputs, needs(inputs), commune, funded=())
    assert cover is not None
    return cover.cost, set(cover.items)


def test_cheapest_completions_of_the_example(example: Dataset) -> None:
    """As the README lists them; Huổi Hin's poverty gap of 15 takes two packages (10 + 5), Tà
    Cọ's two irrigation works are both needed, Nà Pát's at-risk transport needs INV14."""
    scenario = yearly()
    assert completion_cost(example, scenario, NA_PAT) == (800, {"INV14"})
    assert completion_cost(example, scenario, CO_LAY) == (6000, {"INV01"})
    assert completion_cost(example, scenario, TA_CO) == (4540, {"INV07", "INV08", "INV13"})
    assert completion_cost(example, scenario, PHIENG_SAN) == (11920, {"INV03", "INV12"})
    huoi_hin = {"INV02", "INV06", "INV09", "INV10", "INV11"}
    assert completion_cost(example, scenario, HUOI_HIN) == (13800, huoi_hin)


def test_completion_uses_the_shared_road_when_the_local_one_is_out(example: Dataset) -> None:
    """Without INV02, Huổi Hin's 2 km of road come from the shared INV04 (11,000, at full cost
    for one commune): 13,800 − 5,000 + 11,000 = 19,800. Once INV04 is funded (for Phiêng Sản,
    say), it closes 3 of Phiêng Sản's 4 km and INV05 (1 km, 2,600) finishes: 2,600 + 1,920."""
    scenario = yearly(policies={"forced_out": ["INV02"]})
    cost, items = completion_cost(example, scenario, HUOI_HIN)
    assert (cost, "INV04" in items) == (19800, True)
    inputs = prepare(example, scenario)
    after = completion(inputs, needs(inputs), PHIENG_SAN, funded={"INV04"})
    assert after is not None
    assert (after.cost, set(after.items)) == (4520, {"INV05", "INV12"})


def test_cover_is_exact_where_greedy_by_unit_cost_is_not() -> None:
    """Gap 4. A gives 3 for 30 (10 a unit), B and C give 2 for 22 each (11 a unit). Greedy by
    unit cost takes A and then B (52); the cheapest cover is B + C (44)."""
    data = build_dataset(
        gaps={"10001": {"transport": 4}},
        items=[
            {"code": "A", "cost": 30, "effects": {("10001", "transport"): 3}},
            {"code": "B", "cost": 22, "effects": {("10001", "transport"): 2}},
            {"code": "C", "cost": 22, "effects": {("10001", "transport"): 2}},
        ],
        budgets={("central", 2026): 100},
        criteria=("transport",),
    )
    one_year = Scenario(name="t", horizon={"start": 2026, "end": 2026})
    assert completion_cost(data, one_year, "10001") == (44, {"B", "C"})


def test_cover_counts_an_item_that_closes_two_criteria_once() -> None:
    """X closes both of the commune's gaps for 70; Y and Z close one each for 40: X alone (70)
    beats Y + Z (80), which per-criterion covers would pick."""
    data = build_dataset(
        gaps={"10001": {"transport": 1, "irrigation": 1}},
        items=[
            {
                "code": "X",
                "cost": 70,
                "effects": {("10001", "transport"): 1, ("10001", "irrigation"): 1},
            },
            {"code": "Y", "cost": 40, "effects": {("10001", "transport"): 1}},
            {"code": "Z", "cost": 40, "effects": {("10001", "irrigation"): 1}},
        ],
        budgets={("central", 2026): 100},
        criteria=("transport", "irrigation"),
    )
    one_year = Scenario(name="t", horizon={"start": 2026, "end": 2026})
    assert completion_cost(data, one_year, "10001") == (70, {"X"})


def _reference_cover(
    left: dict, items: list[str], gives: dict[str, dict], cost: dict[str, float]
) -> tuple[float, tuple[str, ...]] | None:
    """The branch and bound of the rule before its bound was added (no fractional cut): the
    oracle that the faster search must match item for item, ties included."""
    options = sorted(items, key=lambda i: (cost[i], i))
    best: list = [None]

    def search(left: dict, spent: float, chosen: tuple[str, ...], barred: set) -> None:
        open_pairs = [p for p in sorted(left) if left[p] > COVERAGE_TOLERANCE]
        if not open_pairs:
            if best[0] is None or spent < best[0][0] - MONEY_EPSILON:
                best[0] = (spent, chosen)
            return
        pair = open_pairs[0]
        serving = [i for i in options if pair in gives[i] and i not in barred]
        if sum(gives[i][pair] for i in serving) < left[pair] - COVERAGE_TOLERANCE:
            return
        barred = set(barred)
        for item in serving:
            if best[0] is not None and spent + cost[item] >= best[0][0] - MONEY_EPSILON:
                break
            after = dict(left)
            for p, amount in gives[item].items():
                if p in after:
                    after[p] -= amount
            barred.add(item)
            search(after, spent + cost[item], (*chosen, item), barred)

    search(left, 0.0, (), set())
    return None if best[0] is None else (best[0][0], tuple(sorted(best[0][1])))


@st.composite
def cover_problems(draw) -> tuple[dict, dict, dict]:
    """Two or three pairs, up to nine items giving whole or half units to one or two pairs, and
    costs drawn from a few values so that equally cheap covers (ties) are common."""
    pairs = [("c", k) for k in range(draw(st.integers(2, 3)))]
    need = {p: draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])) for p in pairs}
    gives: dict[str, dict] = {}
    cost: dict[str, float] = {}
    for n in range(draw(st.integers(1, 9))):
        served = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=2, unique=True))
        gives[f"I{n}"] = {p: draw(st.sampled_from([0.5, 1.0, 2.0])) for p in served}
        cost[f"I{n}"] = draw(st.sampled_from([10.0, 20.0, 30.0, 45.0]))
    return need, gives, cost


@settings(max_examples=300, deadline=None)
@given(cover_problems())
def test_cheapest_cover_is_the_branch_and_bound_it_replaced(problem) -> None:
    """The bounded search returns exactly the cover the unbounded one did (the same items among
    equally cheap covers), and both are the least-cost cover found by trying every subset."""
    need, gives, cost = problem
    found = cheapest_cover(dict(need), list(gives), Needs(need=need, gives=gives), cost)
    expected = _reference_cover(dict(need), list(gives), gives, cost)
    assert (None if found is None else (found.cost, found.items)) == expected
    subsets = (
        combo
        for size in range(len(gives) + 1)
        for combo in itertools.combinations(gives, size)
        if all(
            sum(gives[i].get(p, 0.0) for i in combo) >= need[p] - COVERAGE_TOLERANCE for p in need
        )
    )
    least = min((sum(cost[i] for i in combo) for combo in subsets), default=None)
    assert (None if found is None else found.cost) == least


# -- the money left -----------------------------------------------------------------------------
def test_purse_capacity_with_carry_over_and_disbursement() -> None:
    """100 a year for 2026-2027, carried over, half the money on hand paid out a year. A one-year
    item from 2026 gets at most 50 (half of 100); from 2027 at most 100 (half of 200). A two-year
    item from 2026: x/2 ≤ 50 in 2026 and x/2 ≤ 0.5·(200 − x/2) in 2027, so x ≤ 100."""
    budget = {("central", 2026): 100.0, ("central", 2027): 100.0}
    purse = Purse((2026, 2027), budget, carry_over=True, rates={2026: 0.5, 2027: 0.5})
    assert purse.capacity("central", 2026, 1) == pytest.approx(50)
    assert purse.capacity("central", 2027, 1) == pytest.approx(100)
    assert purse.capacity("central", 2026, 2) == pytest.approx(100)
    without = Purse((2026, 2027), budget, carry_over=False)
    without.pay("central", 2026, 1, 30)
    assert without.capacity("central", 2026, 2) == pytest.approx(140)


# -- the rules on the example -------------------------------------------------------------------
def test_formula_on_the_example_completes_no_new_commune(example: Dataset) -> None:
    """Weights sum to 276. Nà Pát's share (41/276: 1,486 central, 149 people a year) keeps its
    road with INV14 (120 people, 680 central). Co Lay's two-year central share (3,043) and people
    share cannot pay INV01 (6,000). Huổi Hin (56/276: 4,058 central, 1,217 poverty over two
    years) closes its cheapest gap, poverty (INV10 + INV11, 2,800, INV11 only in 2027 when its
    2026 money is spent), and then cannot pay irrigation INV06 (3,000 from central alone, 2,475
    left). Phiêng Sản pays its cows INV12 (1,920) but not its road (10,000). Tà Cọ pays its
    training INV13 (540) but not both irrigation works (4,000 > its 3,768 central). So only
    Nà Pát and Suối Đỏ are at standard: 6,060 spent of 28,000."""
    plan = formula(example, yearly())
    assert plan.method == "baseline:formula"
    assert plan.status == PlanStatus.HEURISTIC
    assert plan.funded_codes() == {"INV10", "INV11", "INV12", "INV13", "INV14"}
    assert plan.at_standard_codes() == {NA_PAT, SUOI_DO}
    assert plan.kpis.money_total == pytest.approx(6060, abs=MONEY_TOLERANCE)
    assert check_plan(example, yearly(), plan) == []


def test_closest_first_on_the_example_yearly(example: Dataset) -> None:
    """Order by unmet criteria: Nà Pát (0), Co Lay (1), Tà Cọ (2, 4,540), Phiêng Sản (2, 11,920),
    Huổi Hin (4). Nà Pát, Co Lay and Tà Cọ are paid (central spends 7,600 in 2026, 2,200 in 2027
    for INV08). Phiêng Sản's road INV03 lasts two years, so it must start in 2026 and needs 5,000
    of 2026 central money: only 2,400 is left, so Phiêng Sản is skipped. Huổi Hin is then paid
    (its roads and irrigation in 2027, the coffee chain from the poverty programme). Five
    communes at standard for 25,140 — as many as the optimizer."""
    plan = closest_first(example, yearly())
    assert plan.method == "baseline:closest_first"
    assert plan.at_standard_codes() == {NA_PAT, CO_LAY, TA_CO, HUOI_HIN, SUOI_DO}
    assert "INV03" not in plan.funded_codes()
    assert plan.kpis.money_total == pytest.approx(25140, abs=MONEY_TOLERANCE)
    assert plan.kpis.at_standard_after == solve(example, yearly()).kpis.at_standard_after


def test_cheapest_first_on_the_example_yearly(example: Dataset) -> None:
    """Order by completion cost: Nà Pát (800), Tà Cọ (4,540), Co Lay (6,000), Phiêng Sản
    (11,920), Huổi Hin (13,800). The first three are paid as under closest-first (same items,
    another order); Phiêng Sản's two-year road again finds only 2,400 of 2026 central money where
    it needs 5,000, and Huổi Hin is paid. The same five communes for 25,140."""
    plan = cheapest_first(example, yearly())
    assert plan.method == "baseline:cheapest_first"
    assert plan.at_standard_codes() == {NA_PAT, CO_LAY, TA_CO, HUOI_HIN, SUOI_DO}
    assert plan.funded_codes() == closest_first(example, yearly()).funded_codes()
    assert plan.kpis.money_total == pytest.approx(25140, abs=MONEY_TOLERANCE)


def test_closest_first_pooled_completes_phieng_san_instead(example: Dataset) -> None:
    """Pooled into one period (central 20,000, poverty 6,000, people 2,000), Phiêng Sản's road
    fits after Nà Pát, Co Lay and Tà Cọ (central left 10,220), and Huổi Hin no longer does (220
    central left): five communes for 23,260."""
    plan = closest_first(example, pooled())
    assert plan.at_standard_codes() == {NA_PAT, CO_LAY, TA_CO, PHIENG_SAN, SUOI_DO}
    assert plan.kpis.money_total == pytest.approx(23260, abs=MONEY_TOLERANCE)


def test_closest_and_cheapest_first_differ_when_central_money_is_short(example: Dataset) -> None:
    """Pooled, with central 7,000 only. After Nà Pát (680 central), closest-first funds Co Lay
    (1 unmet criterion; 5,100 central + 900 people) and then cannot pay Tà Cọ's 4,000 of works;
    cheapest-first funds Tà Cọ (4,540) and then cannot pay Co Lay's 5,100 of central. Both reach
    three communes, different ones; cheapest-first spends less (5,340 against 6,800)."""
    scenario = pooled(
        budgets={
            "overrides": [
                {"source": "central", "year": 2026, "amount": 0},
                {"source": "central", "year": 2027, "amount": 7000},
            ]
        }
    )
    closest = closest_first(example, scenario)
    cheapest = cheapest_first(example, scenario)
    assert closest.at_standard_codes() == {NA_PAT, CO_LAY, SUOI_DO}
    assert cheapest.at_standard_codes() == {NA_PAT, TA_CO, SUOI_DO}
    assert closest.kpis.money_total == pytest.approx(6800, abs=MONEY_TOLERANCE)
    assert cheapest.kpis.money_total == pytest.approx(5340, abs=MONEY_TOLERANCE)
    for plan in (closest, cheapest):
        assert check_plan(example, scenario, plan) == []


def test_sources_are_used_most_restricted_first(example: Dataset) -> None:
    """People's money (2 items) goes before the poverty programme's (5) and central's (14): Co
    Lay's road gets the people's 15 % (900) and central the rest."""
    plan = closest_first(example, pooled())
    paid = {(p.investment, p.source): p.amount for p in plan.payments}
    assert paid[("INV01", "people")] == pytest.approx(900)
    assert paid[("INV01", "central")] == pytest.approx(5100)


def test_committed_items_are_funded_first(example: Dataset) -> None:
    """Committing INV03 (Phiêng Sản's two-year road, must start 2026) takes 5,000 of central each
    year before any commune is considered; the plan still keeps every budget."""
    scenario = yearly(policies={"committed": [{"investment": "INV03"}]})
    for rule in BASELINES.values():
        plan = rule(example, scenario)
        assert "INV03" in plan.funded_codes()
        assert check_plan(example, scenario, plan) == []


def test_a_committed_item_that_cannot_be_funded_is_named(example: Dataset) -> None:
    """INV08 cannot start before 2027; committed to 2026 it cannot be funded: the plan says so,
    and the checker reports it."""
    scenario = yearly(policies={"committed": [{"investment": "INV08", "start_year": 2026}]})
    plan = cheapest_first(example, scenario)
    assert "committed item INV08 could not be funded" in plan.message
    assert any("INV08" in p and "committed" in p for p in check_plan(example, scenario, plan))


def test_maintain_standard_pays_upkeep_first(example: Dataset) -> None:
    """Nà Pát is recognised and its transport is at risk: with maintain_standard every rule pays
    INV14 (800) before anything else, even with only 800 of central and people money in all."""
    money = [
        {"source": s, "year": y, "amount": a}
        for s, a in (("central", 400), ("people", 0), ("poverty_programme", 0))
        for y in (2026, 2027)
    ]
    scenario = pooled(policies={"maintain_standard": True}, budgets={"overrides": money})
    for rule in BASELINES.values():
        plan = rule(example, scenario)
        assert plan.funded_codes() == {"INV14"}
        assert NA_PAT in plan.at_standard_codes()
        assert "ignores" not in plan.message
        assert check_plan(example, scenario, plan) == []


def test_ignored_policies_are_named(example: Dataset) -> None:
    plan = closest_first(example, yearly(policies={"commune_cap": 5000}))
    assert msg("note.ignores", policies=(msg("ignored.commune_cap"),)) in plan.notes
    assert "ignores: the cap per commune" in plan.message


def test_forced_out_items_are_never_funded(example: Dataset) -> None:
    scenario = yearly(policies={"forced_out": ["INV01", "INV14"]})
    for rule in BASELINES.values():
        assert not rule(example, scenario).funded_codes() & {"INV01", "INV14"}


@pytest.mark.parametrize("scenario", [yearly(), pooled(), yearly(budgets={"carry_over": False})])
def test_every_baseline_passes_the_checker_on_the_example(
    example: Dataset, scenario: Scenario
) -> None:
    for name, rule in BASELINES.items():
        plan = rule(example, scenario)
        assert plan.method == f"baseline:{name}"
        assert check_plan(example, scenario, plan) == [], name


def test_disbursement_rates_are_kept(example: Dataset) -> None:
    """With 60 % of the money on hand paid out a year, every rule still passes the checker, which
    recomputes the disbursement limits."""
    scenario = yearly(budgets={"disbursement_rate": 0.6})
    for rule in BASELINES.values():
        assert check_plan(example, scenario, rule(example, scenario)) == []


def test_baselines_are_deterministic(example: Dataset) -> None:
    for rule in BASELINES.values():
        assert rule(example, yearly()) == rule(example, yearly())


# -- Sơn La -------------------------------------------------------------------------------------
SON_LA_POOLED = Scenario(
    name="son_la_2021_2025", horizon={"start": 2021, "end": 2025, "single_period": True}
)
BASELINE_SECONDS = 5.0
"""A rule of thumb on the whole province should take a few seconds at most."""


@pytest.fixture(scope="module")
def son_la() -> Dataset:
    return load_package(DATA / "son_la_2021")


@pytest.fixture(scope="module")
def son_la_baselines(son_la: Dataset) -> dict[str, tuple]:
    plans = {}
    for name, rule in BASELINES.items():
        started = time.perf_counter()
        plan = rule(son_la, SON_LA_POOLED)
        plans[name] = (plan, time.perf_counter() - started)
    return plans


@pytest.mark.slow
def test_baselines_on_son_la_are_fast_and_valid(son_la: Dataset, son_la_baselines) -> None:
    for name, (plan, seconds) in son_la_baselines.items():
        assert seconds < BASELINE_SECONDS, name
        assert check_plan(son_la, SON_LA_POOLED, plan) == [], name
        assert plan.kpis.at_standard_after >= plan.kpis.at_standard_before, name


@pytest.mark.slow
def test_optimizer_reaches_at_least_every_baseline_on_son_la(
    son_la: Dataset, son_la_baselines
) -> None:
    plan = solve(son_la, SON_LA_POOLED)
    assert plan.status == PlanStatus.OPTIMAL
    assert check_plan(son_la, SON_LA_POOLED, plan) == []
    for name, (baseline, _seconds) in son_la_baselines.items():
        assert plan.kpis.at_standard_after >= baseline.kpis.at_standard_after, name


# -- properties on random instances -------------------------------------------------------------
@pytest.mark.slow
@PROPERTY_SETTINGS
@given(instance=instances())
def test_every_baseline_plan_passes_the_checker(instance) -> None:
    dataset, scenario = instance
    for name, rule in BASELINES.items():
        plan = rule(dataset, scenario)
        assert check_plan(dataset, scenario, plan) == [], name
        assert rule(dataset, scenario) == plan, f"{name} is not deterministic"


@PROPERTY_SETTINGS
@given(instance=instances())
def test_optimizer_reaches_at_least_every_baseline(instance) -> None:
    dataset, scenario = instance
    best = solve(dataset, scenario).kpis.at_standard_after
    for name, rule in BASELINES.items():
        assert best >= rule(dataset, scenario).kpis.at_standard_after, name
