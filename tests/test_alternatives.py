"""Near-optimal alternatives on hand cases whose sets of good plans can be listed by hand.

In every instance here each commune misses one criterion that one item of its own closes, and one
source pays; so a plan brings to standard exactly the communes whose items it funds, and the plans
are the sets of communes whose costs fit the budget. ``good_sets`` lists them by brute force, an
oracle independent of the formulation.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from builders import dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.investment import InvestmentKind
from models.scenario import Objective, Scenario
from optimizer.alternatives import (
    Lean,
    LeanUnsupported,
    generate_options,
    lead_value,
    within_tolerance,
)
from optimizer.check import check_plan

ONE_YEAR = {"start": 2026, "end": 2026}


def scenario(**overrides) -> Scenario:
    return Scenario.model_validate({"name": "options test", "horizon": ONE_YEAR} | overrides)


def one_item_each(
    costs: dict[str, int],
    budget: int,
    communes: dict[str, dict] | None = None,
    kinds: dict[str, str] | None = None,
):
    """Commune c misses transport by 1; item I<c> (cost costs[c]) closes it."""
    return dataset(
        {c: {"transport": 1} for c in costs},
        [
            {
                "code": f"I{c}",
                "cost": cost,
                "kind": (kinds or {}).get(c, "infrastructure"),
                "effects": {(c, "transport"): 1},
            }
            for c, cost in costs.items()
        ],
        {("central", 2026): budget},
        communes=communes,
    )


def good_sets(costs: dict[str, int], budget: int, tolerance: int) -> set[frozenset[str]]:
    """Every set of communes a plan can bring to standard, within ``tolerance`` of the most."""
    feasible = {
        frozenset(s)
        for n in range(len(costs) + 1)
        for s in combinations(costs, n)
        if sum(costs[c] for c in s) <= budget
    }
    best = max(len(s) for s in feasible)
    return {s for s in feasible if len(s) >= best - tolerance}


def assert_valid(ds, sc, options, tolerance: float) -> None:
    """Every plan passes the checker, keeps the tolerance, and brings a new commune to standard
    against every earlier plan (so all are pairwise different)."""
    optimum = options.optimum.plan
    best = lead_value(optimum, sc.objectives[0], sc.horizon.years)
    earlier = []
    for option in options.options:
        assert check_plan(ds, sc, option.plan) == []
        value = lead_value(option.plan, sc.objectives[0], sc.horizon.years)
        assert within_tolerance(value, best, sc.objectives[0], tolerance)
        codes = option.plan.at_standard_codes()
        assert all(codes - e for e in earlier), "an option repeats or only drops earlier communes"
        earlier.append(codes)
    sets = [o.plan.at_standard_codes() for o in options.options]
    assert len(set(sets)) == len(sets)


def test_all_equally_good_plans_are_found_and_no_more():
    """Four communes at 10 each and a budget of 20: any two of them, C(4,2) = 6 equally good
    plans. Asking for 8 alternatives gives the other 5, each a member of the set, and says the
    set is complete."""
    costs = {"10001": 10, "10002": 10, "10003": 10, "10004": 10}
    ds, sc = one_item_each(costs, 20), scenario()
    options = generate_options(ds, sc, k=8)
    assert_valid(ds, sc, options, 0)
    found = {o.plan.at_standard_codes() for o in options.options}
    assert found == good_sets(costs, 20, 0)
    assert len(options.alternatives) == 5
    assert options.complete
    assert "only 5 alternative(s) of 8" in options.stopped


def test_the_first_alternative_differs_most():
    """From {a, b} of four equal communes, the most different plan of two is the other two."""
    costs = {"10001": 10, "10002": 10, "10003": 10, "10004": 10}
    ds, sc = one_item_each(costs, 20), scenario()
    options = generate_options(ds, sc, k=1)
    first, second = (o.plan.at_standard_codes() for o in options.options)
    assert not first & second
    assert options.alternatives[0].new_communes == 2
    assert not options.complete and options.stopped == ""


def test_no_alternative_when_the_optimum_is_unique():
    """Costs 10, 10, 15 and a budget of 20: only {a, b} reaches two communes."""
    ds, sc = one_item_each({"10001": 10, "10002": 10, "10003": 15}, 20), scenario()
    options = generate_options(ds, sc, k=3)
    assert options.alternatives == ()
    assert options.complete


def test_a_tolerance_of_one_admits_plans_one_commune_short():
    """Same instance, tolerance 1: {c} alone is one commune short and new; {a} or {b} alone only
    drop a commune of the optimum, so they are no option. Exactly one alternative exists."""
    costs = {"10001": 10, "10002": 10, "10003": 15}
    ds, sc = one_item_each(costs, 20), scenario()
    options = generate_options(ds, sc, k=3, tolerance=1)
    assert_valid(ds, sc, options, 1)
    assert [o.plan.at_standard_codes() for o in options.alternatives] == [frozenset({"10003"})]
    assert options.complete


def test_border_lean_brings_the_border_commune_to_standard():
    """Three equal communes, two fit the budget; the optimum may or may not hold the border
    commune 10003, but the border option must (a plan with it that differs always exists)."""
    costs = {"10001": 10, "10002": 10, "10003": 10}
    ds = one_item_each(costs, 20, communes={"10003": {"border": True}})
    sc = scenario()
    options = generate_options(ds, sc, k=1, leans=(Lean.BORDER,))
    assert_valid(ds, sc, options, 0)
    option = options.alternatives[0]
    assert option.ask == "border" and option.measure == 1
    assert "10003" in option.plan.at_standard_codes()


def test_leans_cycle_over_the_alternatives():
    costs = {"10001": 10, "10002": 10, "10003": 10, "10004": 10}
    communes = {"10001": {"border": True}, "10004": {"extremely_difficult": True}}
    ds, sc = one_item_each(costs, 20, communes=communes), scenario()
    options = generate_options(ds, sc, k=3, leans=(Lean.BORDER, Lean.EXTREMELY_DIFFICULT))
    assert [o.ask for o in options.alternatives] == ["border", "extremely_difficult", "border"]
    assert_valid(ds, sc, options, 0)


def test_livelihood_lean_spends_least_on_infrastructure():
    """a is a works item, b and c livelihood; two of three fit. Whichever plan is the optimum,
    the livelihood option is the differing plan with the least infrastructure money."""
    costs = {"10001": 10, "10002": 10, "10003": 10}
    kinds = {"10002": "livelihood", "10003": "livelihood"}
    ds, sc = one_item_each(costs, 20, kinds=kinds), scenario()
    options = generate_options(ds, sc, k=1, leans=(Lean.LIVELIHOOD,))
    assert_valid(ds, sc, options, 0)
    optimum = options.optimum.plan.at_standard_codes()
    candidates = [s for s in good_sets(costs, 20, 0) if s - optimum]
    least = min(sum(10 for c in s if c not in kinds) for s in candidates)
    infrastructure = sum(
        i.cost
        for i in options.alternatives[0].plan.items
        if ds.investment_by_code[i.investment].kind == InvestmentKind.INFRASTRUCTURE
    )
    assert infrastructure == least
    assert options.alternatives[0].measure == -least


def test_districts_lean_spreads_new_communes_over_districts():
    """Two communes in district A, two in B, two fit: the option reaches both districts (a plan
    that differs from the optimum and covers both always exists)."""
    costs = {"10001": 10, "10002": 10, "10003": 10, "10004": 10}
    communes = {c: {"district": "Huyện A" if c < "10003" else "Huyện B"} for c in costs}
    ds, sc = one_item_each(costs, 20, communes=communes), scenario()
    options = generate_options(ds, sc, k=1, leans=(Lean.DISTRICTS,))
    assert options.alternatives[0].measure == 2


def test_poorest_lean_uses_districts_or_says_it_uses_communes():
    costs = {"10001": 10, "10002": 10, "10003": 10}
    poor = {"10001": 0.05, "10002": 0.06, "10003": 0.4}
    with_districts = {
        c: {"district": f"Huyện {c}", "poverty_rate": rate} for c, rate in poor.items()
    }
    ds, sc = one_item_each(costs, 10, communes=with_districts), scenario()
    options = generate_options(ds, sc, k=1, leans=(Lean.POOREST,))
    assert options.notes == ()
    codes = [o.plan.at_standard_codes() for o in options.options]
    assert frozenset({"10003"}) in codes  # the poorest district's commune in one of the plans

    no_districts = {c: {"district": None, "poverty_rate": rate} for c, rate in poor.items()}
    ds = one_item_each(costs, 10, communes=no_districts)
    options = generate_options(ds, sc, k=1, leans=(Lean.POOREST,))
    assert len(options.notes) == 1 and "has no districts" in options.notes[0]


def test_a_lean_the_data_cannot_support_is_a_clear_error():
    costs = {"10001": 10, "10002": 10}
    ds, sc = one_item_each(costs, 10), scenario()
    with pytest.raises(LeanUnsupported, match="no border commune"):
        generate_options(ds, sc, k=1, leans=(Lean.BORDER,))
    no_districts = {c: {"district": None} for c in costs}
    ds = one_item_each(costs, 10, communes=no_districts)
    with pytest.raises(LeanUnsupported, match="has no districts"):
        generate_options(ds, sc, k=1, leans=(Lean.DISTRICTS,))


def test_bad_arguments_and_infeasible_scenarios_are_refused():
    ds = one_item_each({"10001": 10}, 10)
    with pytest.raises(ValueError, match="from 1 to"):
        generate_options(ds, scenario(), k=0)
    with pytest.raises(ValueError, match="tolerance"):
        generate_options(ds, scenario(), tolerance=-1)
    two = one_item_each({"10001": 10, "10002": 10}, 10)
    infeasible = scenario(targets={"communes_at_standard": 2})
    with pytest.raises(ValueError, match="infeasible"):
        generate_options(two, infeasible, k=1)


def test_least_cost_lead_keeps_the_money_within_tolerance():
    """Least money to bring 2 communes to standard (costs 10, 10, 12): the optimum pays 20;
    with a tolerance of 2 million VND, {a, c} and {b, c} (22) are options, {a, b} repeats."""
    costs = {"10001": 10, "10002": 10, "10003": 12}
    ds = one_item_each(costs, 100)
    sc = scenario(
        objectives=["least_cost", "communes_at_standard"], targets={"communes_at_standard": 2}
    )
    options = generate_options(ds, sc, k=4, tolerance=2)
    assert_valid(ds, sc, options, 2)
    assert options.optimum.lead_value == 20
    assert {o.lead_value for o in options.alternatives} == {22}
    assert sc.objectives[0] == Objective.LEAST_COST


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    costs=st.lists(st.integers(5, 30), min_size=2, max_size=5),
    share=st.floats(0.2, 0.9),
    tolerance=st.integers(0, 1),
)
def test_alternatives_are_members_of_the_good_sets_and_as_many_as_exist(costs, share, tolerance):
    """Random small instances: every option is a good set (brute force), and asking for more
    than exist returns exactly the good sets that each bring a new commune (all of them when
    the tolerance is 0)."""
    named = {f"{10001 + n}": cost for n, cost in enumerate(costs)}
    budget = int(sum(costs) * share)
    ds, sc = one_item_each(named, budget), scenario()
    options = generate_options(ds, sc, k=12, tolerance=tolerance)
    assert_valid(ds, sc, options, tolerance)
    good = good_sets(named, budget, tolerance)
    found = [o.plan.at_standard_codes() for o in options.options]
    assert set(found) <= good
    if options.complete:  # proven: no good set brings a new commune against every plan found
        assert all(any(not (s - f) for f in found) for s in good)
    if tolerance == 0 and options.complete:
        assert set(found) == good


@pytest.mark.slow
def test_son_la_border_option_keeps_the_optimum_count_and_passes_the_checker():
    """Sơn La 2021-2025 pooled: one border-leaning alternative, as many communes at standard as
    the optimum, valid, and its measure is its border communes at standard."""
    from pathlib import Path

    from models.io import load_package
    from models.scenario_io import load_scenario

    root = Path(__file__).resolve().parents[1]
    sc = load_scenario(root / "scenarios" / "son_la_2021_2025.yaml")
    ds = load_package(sc.dataset)
    options = generate_options(ds, sc, k=1, leans=(Lean.BORDER,))
    assert_valid(ds, sc, options, 0)
    border = {c.code for c in ds.communes if c.border}
    option = options.alternatives[0]
    assert option.lead_value == options.optimum.lead_value
    assert option.measure == len(option.plan.at_standard_codes() & border)
