"""optimizer.groups: the least money to the floor checked against every subset of a commune's items
on data/example, and the group table against the commune table it sums."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from models.io import load_package
from models.scenario import Horizon, Scenario
from optimizer.explain import COVER_SLACK, costs_to_complete
from optimizer.groups import Grouping, below_floor_costs, costs_to_floor, group_table, groupings
from optimizer.inputs import prepare

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"
MONEY = 1e-6
"""Million VND: costs within this are equal."""


def scenario(floor: int | None = None) -> Scenario:
    return Scenario(name="groups", horizon=Horizon(start=2026, end=2027), criteria_floor=floor)


def brute_force_to_floor(inputs, commune: str) -> float | None:
    """Least cost over every subset of the items serving the commune's open criteria."""
    pairs = inputs.open_pairs.get(commune, ())
    needed = inputs.floor - inputs.fixed_met.get(commune, 0)
    if needed <= 0:
        return 0.0
    items = sorted({i for p in pairs for i, _ in inputs.cover[p]})
    best = None
    for size in range(len(items) + 1):
        for chosen in combinations(items, size):
            met = 0
            for p in pairs:
                gap = inputs.gap.get(p)
                got = sum(a / gap if gap else 1.0 for i, a in inputs.cover[p] if i in chosen)
                met += got >= 1 - COVER_SLACK
            if met >= needed:
                cost = sum(inputs.cost[i] for i in chosen)
                best = cost if best is None else min(best, cost)
    return best


@pytest.mark.parametrize("floor", [None, 14, 17, 19])
def test_cost_to_floor_is_the_least_over_every_subset(example, floor) -> None:
    inputs = prepare(example, scenario(floor))
    communes = [c.code for c in example.communes]
    costs = costs_to_floor(inputs, communes)
    for c in communes:
        expected = brute_force_to_floor(inputs, c)
        assert (costs[c] is None) == (expected is None), c
        if expected is not None:
            assert costs[c] == pytest.approx(expected, abs=MONEY), c
    if floor in (17, 19):
        assert any(costs.values())  # some commune needs money: the check is not vacuous


def test_the_floor_at_the_set_size_costs_what_standard_costs(example) -> None:
    """With the floor at every criterion, to the floor is to standard (explain's own model)."""
    inputs = prepare(example, scenario(example.criteria.size))
    communes = sorted(inputs.can_reach_standard)
    to_floor = costs_to_floor(inputs, communes)
    to_standard = costs_to_complete(inputs)
    for c in communes:
        assert to_floor[c] == pytest.approx(to_standard[c][0], abs=MONEY)


def test_the_group_table_sums_its_communes(example) -> None:
    s = scenario(17)
    below = below_floor_costs(example, s, Grouping.DISTRICT)
    groups = group_table(example, s, Grouping.DISTRICT, below).set_index("group")
    assert not below.empty
    for group, part in below.groupby("group"):
        assert groups.at[group, "below_floor"] == len(part)
        assert groups.at[group, "to_floor"] == pytest.approx(part["to_floor"].sum())
        assert groups.at[group, "to_standard"] == pytest.approx(part["to_standard"].sum())
    assert groups["communes"].sum() == sum(1 for c in example.communes if c.unit_type == "commune")
    assert (below["to_floor"] <= below["to_standard"] + MONEY).all()


def test_a_package_without_districts_offers_the_groups_it_has() -> None:
    dataset = load_package(EXAMPLE.parent / "son_la_2026")
    offered = groupings(dataset)
    assert Grouping.DISTRICT not in offered
    assert Grouping.REGION in offered
