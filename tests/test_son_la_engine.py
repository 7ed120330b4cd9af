"""The shipped Sơn La base scenario: proven optimal, and its numbers add up."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.io import load_package
from models.scenario_io import load_scenario
from optimizer.plan import PlanStatus
from optimizer.solve import solve

ROOT = Path(__file__).resolve().parents[1]
MONEY_TOLERANCE = 1e-3


@pytest.fixture(scope="module")
def base_plan():
    scenario = load_scenario(ROOT / "scenarios" / "son_la_2021_2025.yaml")
    return load_package(scenario.dataset), scenario, solve(load_package(scenario.dataset), scenario)


@pytest.mark.slow
def test_base_scenario_is_proven_optimal_on_every_level(base_plan) -> None:
    _, scenario, plan = base_plan
    assert plan.status == PlanStatus.OPTIMAL
    assert [level.objective for level in plan.levels] == list(scenario.objectives)
    assert all(
        level.proven_optimal and level.gap == pytest.approx(0, abs=1e-6) for level in plan.levels
    )


@pytest.mark.slow
def test_money_by_commune_source_and_year_add_up(base_plan) -> None:
    _, _, plan = base_plan
    k = plan.kpis
    by_commune = sum(c.money for c in plan.communes)
    assert by_commune == pytest.approx(k.money_total, abs=MONEY_TOLERANCE)
    assert sum(k.money_by_source.values()) == pytest.approx(k.money_total, abs=MONEY_TOLERANCE)
    assert sum(k.money_by_year.values()) == pytest.approx(k.money_total, abs=MONEY_TOLERANCE)
    assert sum(i.cost for i in plan.items) == pytest.approx(k.money_total, abs=MONEY_TOLERANCE)
    assert plan.payments_table()["amount"].sum() == pytest.approx(
        k.money_total, abs=MONEY_TOLERANCE
    )
    assert k.money_total <= k.budget_total + MONEY_TOLERANCE


@pytest.mark.slow
def test_plan_keeps_standard_communes_and_improves_the_province(base_plan) -> None:
    _, _, plan = base_plan
    k = plan.kpis
    assert k.communes == 188 and k.at_standard_before == 54
    assert k.at_standard_after > k.at_standard_before
    assert k.at_floor_after >= k.at_standard_after
    before = {c.commune for c in plan.communes if c.at_standard_before}
    assert before <= plan.at_standard_codes()  # maintain_standard keeps them
    by_source = k.money_by_source
    assert by_source.get("provincial", 0) >= 0.1 * by_source.get("central", 0) - MONEY_TOLERANCE
