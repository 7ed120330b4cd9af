"""The independent checker: it accepts valid plans (every baseline and the optimizer's), rejects
hand-corrupted ones with a message naming the source, year, item or commune, and on random
instances the optimizer's plans pass it, HiGHS and CBC agree, and solving twice changes nothing.

The corrupted plans start from the optimizer's plan for the example package over 2026-2027
(yearly, carry-over): it funds INV01, INV02, INV06, INV07, INV08, INV09, INV10, INV11, INV13 and
INV14 for 25,140 and brings Nà Pát (kept), Co Lay, Huổi Hin, Tà Cọ and Suối Đỏ to standard.
INV09, the coffee chain, lasts two years and is paid 1,500 a year.
"""

from __future__ import annotations

import pytest
from builders import dataset as build_dataset
from hypothesis import HealthCheck, given, settings
from strategies import instances

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.baselines import BASELINES
from optimizer.check import MONEY_TOLERANCE, check_plan, scenario_budgets
from optimizer.inputs import scenario_budget
from optimizer.plan import FundedItem, Payment, Plan, PlanStatus
from optimizer.solve import solve

CO_LAY = "90002"
TWO_YEARS = {"start": 2026, "end": 2027}
PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
VOLATILE = {"timings": True, "levels": {"__all__": {"seconds"}}}
"""Plan fields that measure time rather than describe the plan."""


def scenario(**overrides) -> Scenario:
    return Scenario.model_validate({"name": "check", "horizon": TWO_YEARS} | overrides)


@pytest.fixture(scope="module")
def optimal(example: Dataset) -> Plan:
    plan = solve(example, scenario())
    assert plan.status == PlanStatus.OPTIMAL
    return plan


def replace_payments(plan: Plan, item: str, payments: list[Payment]) -> Plan:
    kept = [p for p in plan.payments if p.investment != item]
    return plan.model_copy(update={"payments": tuple(kept + payments)})


def mentions(problems: list[str], *words: str) -> bool:
    """Some message names every one of ``words``."""
    return any(all(w in p for w in words) for p in problems)


# -- valid plans pass ---------------------------------------------------------------------------
SCENARIOS = {
    "yearly": scenario(),
    "pooled": scenario(horizon=TWO_YEARS | {"single_period": True}),
    "no_carry_over": scenario(budgets={"carry_over": False}),
    "disbursement": scenario(budgets={"disbursement_rate": 0.6}),
    "scaled": scenario(budgets={"scale": 0.8, "scale_by_source": {"people": 0.5}}),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_checker_accepts_the_optimizer_and_every_baseline(example: Dataset, name: str) -> None:
    chosen = SCENARIOS[name]
    assert check_plan(example, chosen, solve(example, chosen)) == []
    for rule_name, rule in BASELINES.items():
        assert check_plan(example, chosen, rule(example, chosen)) == [], rule_name


def test_checker_accepts_the_empty_plan_of_an_infeasible_scenario(example: Dataset) -> None:
    plan = Plan(scenario="x", method="optimizer", status=PlanStatus.INFEASIBLE)
    assert check_plan(example, scenario(), plan) == []


# -- corrupted plans fail, naming what is wrong -------------------------------------------------
def test_over_budget_names_source_and_year(example: Dataset, optimal: Plan) -> None:
    """Adding Phiêng Sản's two-year road INV03 (10,000, central 5,000 a year) to the plan, which
    already spends over 14,000 of central money on works only central may pay for (INV01, INV02,
    INV06, INV07, INV08), overruns central's 20,000 by 2027 (cumulative). 2026 (budget 10,000)
    is named exactly when the plan's own 2026 central spending leaves less than 5,000."""
    items = (
        *optimal.items,
        FundedItem(investment="INV03", start_year=2026, completion_year=2027, cost=10000),
    )
    extra = [
        Payment(investment="INV03", source="central", year=y, amount=5000) for y in (2026, 2027)
    ]
    corrupted = optimal.model_copy(update={"items": items, "payments": (*optimal.payments, *extra)})
    problems = check_plan(example, scenario(), corrupted)
    assert mentions(problems, "budget central 2027", "> available 20,000.000")
    spent_2026 = sum(p.amount for p in optimal.payments if (p.source, p.year) == ("central", 2026))
    assert mentions(problems, "budget central 2026") == (spent_2026 + 5000 > 10000 + 1e-6)


def test_the_same_plan_is_over_a_smaller_budget(example: Dataset, optimal: Plan) -> None:
    """The plan needs over 14,000 of central money for works only central may pay for. With no
    central money in either year (and nothing carried), the year it spends it is over budget;
    with only 10 % of the money on hand disbursable a year, at most 1,000 + 1,900 can be paid."""
    no_central = scenario(
        budgets={
            "carry_over": False,
            "overrides": [
                {"source": "central", "year": 2026, "amount": 0},
                {"source": "central", "year": 2027, "amount": 0},
            ],
        }
    )
    assert mentions(check_plan(example, no_central, optimal), "budget central", "that year")
    slow = scenario(budgets={"disbursement_rate": 0.1})
    assert mentions(check_plan(example, slow, optimal), "disbursement central", "0.1 ×")


def test_ineligible_source_is_named(example: Dataset, optimal: Plan) -> None:
    """People's contributions may pay only for roads: not for the coffee chain INV09."""
    moved = [
        p.model_copy(update={"source": "people"})
        for p in optimal.payments
        if p.investment == "INV09"
    ]
    problems = check_plan(example, scenario(), replace_payments(optimal, "INV09", moved))
    assert mentions(problems, "item INV09", "source people may not pay for it")


def test_share_cap_is_named(example: Dataset, optimal: Plan) -> None:
    """People pay at most 15 % of an item: all 800 of INV14 is above the cap of 120."""
    paid = [Payment(investment="INV14", source="people", year=2027, amount=800)]
    problems = check_plan(example, scenario(), replace_payments(optimal, "INV14", paid))
    assert mentions(problems, "item INV14", "source people pays 800.000", "cap")


def test_unpaid_item_is_named(example: Dataset, optimal: Plan) -> None:
    problems = check_plan(example, scenario(), replace_payments(optimal, "INV01", []))
    assert mentions(problems, "item INV01", "paid 0.000 of its cost 6000")


def test_uneven_payments_are_named(example: Dataset, optimal: Plan) -> None:
    """INV09 lasts two years: 3,000 is paid 1,500 a year, not 2,000 then 1,000."""
    paid = [
        Payment(investment="INV09", source="poverty_programme", year=2026, amount=2000),
        Payment(investment="INV09", source="poverty_programme", year=2027, amount=1000),
    ]
    problems = check_plan(example, scenario(), replace_payments(optimal, "INV09", paid))
    assert mentions(problems, "item INV09", "paid 2,000.000 in 2026", "even 1,500.000")


def test_start_before_the_earliest_year_is_named(example: Dataset, optimal: Plan) -> None:
    """INV08 cannot start before 2027."""
    items = tuple(
        i.model_copy(update={"start_year": 2026, "completion_year": 2026})
        if i.investment == "INV08"
        else i
        for i in optimal.items
    )
    moved = [
        p.model_copy(update={"year": 2026}) for p in optimal.payments if p.investment == "INV08"
    ]
    corrupted = replace_payments(optimal, "INV08", moved).model_copy(update={"items": items})
    problems = check_plan(example, scenario(), corrupted)
    assert mentions(problems, "item INV08", "start year 2026 not allowed", "earliest 2027")


def test_wrong_outcomes_are_named(example: Dataset, optimal: Plan) -> None:
    """Co Lay's road INV01 is funded, so it is at standard; a plan saying otherwise is wrong."""
    communes = tuple(
        c.model_copy(update={"at_standard_after": False}) if c.commune == CO_LAY else c
        for c in optimal.communes
    )
    criteria = tuple(
        c.model_copy(update={"met_after": False, "year_met": None})
        if (c.commune, c.criterion) == (CO_LAY, "transport")
        else c
        for c in optimal.criteria
    )
    corrupted = optimal.model_copy(update={"communes": communes, "criteria": criteria})
    problems = check_plan(example, scenario(), corrupted)
    assert mentions(problems, f"commune {CO_LAY}", "at_standard_after=False, recomputed True")
    assert mentions(problems, f"outcome {CO_LAY} transport", "met_after=False, recomputed True")
    wrong_kpi = optimal.kpis.model_copy(update={"at_standard_after": 6, "money_total": 1.0})
    problems = check_plan(example, scenario(), optimal.model_copy(update={"kpis": wrong_kpi}))
    assert mentions(problems, "KPI at_standard_after", "recomputed 5")
    assert mentions(problems, "money by total sums to 1.000", "payments to 25,140.000")


def test_forced_out_and_committed_items_are_named(example: Dataset, optimal: Plan) -> None:
    forced = scenario(policies={"forced_out": ["INV01"]})
    assert mentions(check_plan(example, forced, optimal), "item INV01", "forced out")
    committed = scenario(policies={"committed": [{"investment": "INV03"}]})
    assert mentions(check_plan(example, committed, optimal), "item INV03", "committed")


# -- the budget derivation ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_budget_derivation_agrees_with_the_optimizer_inputs(example: Dataset, name: str) -> None:
    """Two independent derivations of the money per source and decision year agree."""
    base = SCENARIOS[name]
    override = [{"source": "people", "year": 2026, "amount": 5}]
    budgets = base.budgets.model_dump() | {"overrides": override}
    chosen = Scenario.model_validate(base.model_dump() | {"budgets": budgets})
    mine = scenario_budgets(example, chosen).set_index(["source", "year"])["amount"].to_dict()
    theirs = scenario_budget(example, chosen)
    assert mine.keys() == theirs.keys()
    for key, amount in theirs.items():
        assert mine[key] == pytest.approx(amount, abs=MONEY_TOLERANCE), key


def test_budget_derivation_by_hand(example: Dataset) -> None:
    """Scale 0.5, people ×2, central 2027 overridden to 4,000, pooled into 2027: central
    5,000 + 4,000, poverty programme 1,500 × 2, people 1,000 × 2."""
    chosen = scenario(
        horizon=TWO_YEARS | {"single_period": True},
        budgets={
            "scale": 0.5,
            "scale_by_source": {"people": 2.0},
            "overrides": [{"source": "central", "year": 2027, "amount": 4000}],
        },
    )
    table = scenario_budgets(example, chosen).set_index(["source", "year"])["amount"].to_dict()
    assert table == {
        ("central", 2027): 9000,
        ("poverty_programme", 2027): 3000,
        ("people", 2027): 2000,
    }


# -- the optimizer on random instances ----------------------------------------------------------
@pytest.mark.slow
@PROPERTY_SETTINGS
@given(instance=instances())
def test_optimizer_plan_passes_the_checker(instance) -> None:
    dataset, chosen = instance
    plan = solve(dataset, chosen)
    assert plan.status == PlanStatus.OPTIMAL
    assert check_plan(dataset, chosen, plan) == []


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(instance=instances())
def test_highs_and_cbc_reach_the_same_communes_at_standard(instance) -> None:
    dataset, chosen = instance
    highs = solve(dataset, chosen)
    cbc_scenario = chosen.model_copy(
        update={"solver": chosen.solver.model_copy(update={"name": "cbc"})}
    )
    cbc = solve(dataset, cbc_scenario)
    assert highs.status == cbc.status == PlanStatus.OPTIMAL
    assert highs.kpis.at_standard_after == cbc.kpis.at_standard_after
    assert check_plan(dataset, cbc_scenario, cbc) == []


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(instance=instances())
def test_solving_twice_gives_identical_plans(instance) -> None:
    dataset, chosen = instance
    first, second = solve(dataset, chosen), solve(dataset, chosen)
    assert first.model_dump(exclude=VOLATILE) == second.model_dump(exclude=VOLATILE)


def test_optimizer_plan_when_nothing_can_be_funded() -> None:
    """The only source pays in Region III only; the only commune is Region II: nothing can be
    funded, and the optimal plan is the empty one."""
    data = build_dataset(
        gaps={"10001": {"transport": 2}},
        items=[{"code": "A", "cost": 60, "effects": {("10001", "transport"): 2}}],
        budgets={("central", 2026): 100},
        criteria=("transport",),
        sources=[{"code": "central", "eligible_regions": ("III",)}],
    )
    chosen = Scenario(name="t", horizon={"start": 2026, "end": 2026})
    plan = solve(data, chosen)
    assert plan.status == PlanStatus.OPTIMAL
    assert check_plan(data, chosen, plan) == []


def test_a_package_with_no_commune_checks_clean() -> None:
    """No commune at all (it raised KeyError): the empty plan is optimal and checks clean, while
    a plan that claims a commune is still caught."""
    data = build_dataset(gaps={}, items=[], budgets={("central", 2026): 100})
    chosen = Scenario.model_validate({"name": "empty", "horizon": {"start": 2026, "end": 2026}})
    plan = solve(data, chosen)
    assert plan.status == PlanStatus.OPTIMAL and plan.kpis.communes == 0
    assert check_plan(data, chosen, plan) == []
    wrong = plan.model_copy(update={"kpis": plan.kpis.model_copy(update={"communes": 1})})
    assert check_plan(data, chosen, wrong) == ["KPI communes: plan says 1, recomputed 0"]
