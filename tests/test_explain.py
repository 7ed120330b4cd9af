"""Per-commune explanations and counterfactuals on the hand-checkable example.

Hand figures (data/example/README.md; million VND). Budgets per year: central 10,000,
poverty_programme 3,000 (livelihood only), people 1,000 (≤ 15 % of INV01 or INV14 only).
Costs to complete alone: Suối Đỏ 0, Nà Pát 800 (INV14 keeps its at-risk road), Tà Cọ 4,540 (INV07, INV08, INV13), Co Lay
6,000 (INV01), Phiêng Sản 11,920 (INV03 + INV12; INV04 + INV05 would be 13,600), Huổi Hin 13,800
(INV02, INV06, INV09, INV10, INV11; the shared INV04 alone costs 11,000 against INV02's 5,000).

With objectives "communes at standard, then least cost" and the full budget (28,000) the plan keeps
Nà Pát and completes Tà Cọ, Co Lay and Phiêng Sản: 23,260, 5 communes with Suối Đỏ; all six would
cost 35,660. Huổi Hin (13,800) is dearer than the costliest commune completed (Phiêng Sản, 11,920).
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

from models import Dataset
from models.scenario import Budgets, Policies, Scenario
from optimizer.explain import (
    CounterfactualKind,
    Reason,
    Standing,
    budget_to_reach,
    costs_to_complete,
    exclude_commune,
    explain,
    force_commune,
)
from optimizer.inputs import prepare
from optimizer.solve import solve

ROOT = Path(__file__).resolve().parents[1]
MONEY_TOLERANCE = 1e-6


@pytest.fixture
def scenario() -> Scenario:
    """Most communes at standard, then least money, over 2026-2027 with the dataset's budgets."""
    return Scenario(name="example", horizon={"start": 2026, "end": 2027}, objectives=TWO_LEVELS)


def variant(dataset: Dataset, **changes) -> Dataset:
    """A validated copy with some tables replaced (``model_copy`` would keep stale lookups)."""
    fields = {f: getattr(dataset, f) for f in Dataset.model_fields}
    return Dataset(**(fields | changes))


def by_commune(dataset, scenario):
    plan = solve(dataset, scenario)
    return plan, {e.commune: e for e in explain(dataset, scenario, plan)}


def test_costs_to_complete_are_the_hand_computed_cheapest_sets(example, scenario):
    costs = costs_to_complete(prepare(example, scenario))
    assert {c: cost for c, (cost, _items) in costs.items()} == pytest.approx(
        {SUOI_DO: 0, NA_PAT: 800, TA_CO: 4540, CO_LAY: 6000, PHIENG_SAN: 11920, HUOI_HIN: 13800}
    )
    assert costs[PHIENG_SAN][1] == ("INV03", "INV12")
    assert costs[HUOI_HIN][1] == ("INV02", "INV06", "INV09", "INV10", "INV11")


def test_every_commune_gets_the_right_reason(example, scenario):
    """Suối Đỏ and Nà Pát were at standard (Nà Pát kept with 800); Co Lay, Tà Cọ and Phiêng Sản are
    reached; Huổi Hin's 13,800 exceeds the costliest completed commune (Phiêng Sản, 11,920)."""
    plan, why = by_commune(example, scenario)
    assert plan.kpis.money_total == pytest.approx(23260)
    assert {c: e.reason for c, e in why.items()} == {
        NA_PAT: Reason.AT_STANDARD_ALREADY,
        CO_LAY: Reason.REACHED,
        HUOI_HIN: Reason.TOO_COSTLY,
        PHIENG_SAN: Reason.REACHED,
        TA_CO: Reason.REACHED,
        SUOI_DO: Reason.AT_STANDARD_ALREADY,
    }
    assert why[HUOI_HIN].status == Standing.BELOW_STANDARD
    assert why[HUOI_HIN].last_selected_cost == pytest.approx(11920)
    assert why[HUOI_HIN].money_received == 0
    assert "13,800" in why[HUOI_HIN].message and "11,920" in why[HUOI_HIN].message
    assert why[NA_PAT].money_received == pytest.approx(800)
    assert why[NA_PAT].funded_items == ("INV14",)
    assert why[PHIENG_SAN].funded_items == ("INV03", "INV12")
    assert why[SUOI_DO].cost_to_complete == 0 and why[SUOI_DO].money_received == 0


def test_a_commune_cheaper_than_the_last_one_completed_is_left_to_other_priorities(example):
    """With the default objectives (floor and criteria met before cost) the plan prefers Huổi Hin,
    which adds four criteria, to Phiêng Sản (two): Phiêng Sản's 11,920 is below Huổi Hin's 13,800,
    so it is not too costly — later objectives chose others."""
    default = Scenario(name="example", horizon={"start": 2026, "end": 2027})
    _plan, why = by_commune(example, default)
    assert why[HUOI_HIN].reason == Reason.REACHED
    assert why[PHIENG_SAN].reason == Reason.OTHER_PRIORITIES
    assert why[PHIENG_SAN].last_selected_cost == pytest.approx(13800)


def test_with_no_money_every_commune_left_out_is_too_costly_and_na_pat_loses_standard(
    example, scenario
):
    broke = scenario.model_copy(update={"budgets": Budgets(scale=0)})
    _plan, why = by_commune(example, broke)
    assert why[NA_PAT].status == Standing.LOST_STANDARD
    assert why[NA_PAT].reason == Reason.TOO_COSTLY
    assert why[SUOI_DO].reason == Reason.AT_STANDARD_ALREADY
    for c in (CO_LAY, HUOI_HIN, PHIENG_SAN, TA_CO):
        assert why[c].reason == Reason.TOO_COSTLY
        assert why[c].last_selected_cost is None


def test_a_gap_no_item_closes_makes_the_commune_impossible(example, scenario):
    """Without INV06 nothing closes Huổi Hin's irrigation gap."""
    data = variant(
        example,
        investments=tuple(i for i in example.investments if i.code != "INV06"),
        effects=tuple(e for e in example.effects if e.investment_code != "INV06"),
    )
    _plan, why = by_commune(data, scenario)
    assert why[HUOI_HIN].reason == Reason.CANNOT_BE_COMPLETED
    assert why[HUOI_HIN].criteria == ("irrigation",)
    assert why[HUOI_HIN].cost_to_complete is None
    assert "irrigation" in why[HUOI_HIN].message


def test_items_no_source_may_pay_for_give_no_eligible_source(example, scenario):
    """Central and the poverty programme restricted to regions I-II: nothing may pay in Huổi Hin or
    Phiêng Sản (Region III; people already may not), so every gap there lacks a source."""
    sources = tuple(
        s.model_copy(update={"eligible_regions": ("I", "II")})
        if s.code in ("central", "poverty_programme")
        else s
        for s in example.sources
    )
    _plan, why = by_commune(variant(example, sources=sources), scenario)
    assert why[HUOI_HIN].reason == Reason.NO_ELIGIBLE_SOURCE
    assert why[HUOI_HIN].criteria == ("income", "irrigation", "poverty", "transport")
    assert why[PHIENG_SAN].reason == Reason.NO_ELIGIBLE_SOURCE
    assert why[PHIENG_SAN].criteria == ("poverty", "transport")
    assert why[CO_LAY].reason == Reason.REACHED


def test_forced_out_items_commune_caps_and_wards_are_policy(example, scenario):
    """INV01 forced out: only it closes Co Lay's road. A cap of 5,000 per commune: Co Lay needs
    6,000; Phiêng Sản at least 5,500 + 2,600 + 1,920 even with half the shared road; Huổi Hin
    13,800; Tà Cọ (4,540) and Nà Pát (800) fit."""
    out = scenario.model_copy(update={"policies": Policies(forced_out=("INV01",))})
    _plan, why = by_commune(example, out)
    assert why[CO_LAY].reason == Reason.POLICY
    assert why[CO_LAY].criteria == ("transport",)

    capped = scenario.model_copy(update={"policies": Policies(commune_cap=5000)})
    _plan, why = by_commune(example, capped)
    assert {c: e.reason for c, e in why.items() if e.reason == Reason.POLICY} == {
        CO_LAY: Reason.POLICY,
        HUOI_HIN: Reason.POLICY,
        PHIENG_SAN: Reason.POLICY,
    }
    assert why[TA_CO].reason == Reason.REACHED

    communes = tuple(
        c.model_copy(update={"unit_type": "ward"}) if c.code == CO_LAY else c
        for c in example.communes
    )
    _plan, why = by_commune(variant(example, communes=communes), scenario)
    assert not why[CO_LAY].counted
    assert why[CO_LAY].reason == Reason.POLICY
    assert "ward" in why[CO_LAY].message


def test_forcing_huoi_hin_costs_phieng_san(example, scenario):
    """Huổi Hin + Nà Pát + Tà Cọ + Co Lay = 25,140 fits 28,000 (Huổi Hin + Phiêng Sản + Nà Pát +
    Tà Cọ would be 29,660): still 5 communes, Phiêng Sản swapped out, 1,880 more money."""
    result = force_commune(example, scenario, HUOI_HIN)
    assert result.kind == CounterfactualKind.FORCE
    assert result.feasible
    assert (result.base_at_standard, result.new_at_standard) == (5, 5)
    assert result.others_lost == 1
    assert result.lost == (PHIENG_SAN,)
    assert result.gained == (HUOI_HIN,)
    assert result.new_money - result.base_money == pytest.approx(1880)
    assert "costs 1 other commune" in result.message


def test_forcing_at_half_budget_costs_three_or_is_infeasible(example, scenario):
    """At half budget (central 5,000 a year) Phiêng Sản's road takes all 10,000 of central money:
    Nà Pát, Co Lay and Tà Cọ are lost. Huổi Hin cannot be forced at all: its 8,000 of works and
    the 2,800 of livelihood the poverty programme's 3,000 cannot cover exceed central's 10,000."""
    half = scenario.model_copy(update={"budgets": Budgets(scale=0.5)})
    base = solve(example, half)
    assert base.at_standard_codes() == {NA_PAT, CO_LAY, TA_CO, SUOI_DO}
    result = force_commune(example, half, PHIENG_SAN, base=base)
    assert result.lost == (NA_PAT, CO_LAY, TA_CO)
    assert result.others_lost == 3
    blocked = force_commune(example, half, HUOI_HIN, base=base)
    assert not blocked.feasible
    assert blocked.new_at_standard is None
    assert "800" in blocked.message  # the diagnosis: 800 more of central money


def test_forcing_a_commune_already_at_standard_changes_nothing(example, scenario):
    result = force_commune(example, scenario, CO_LAY)
    assert result.others_lost == 0 and result.lost == () and result.gained == ()


def test_excluding_a_commune_frees_its_money_for_others(example, scenario):
    """Without Phiêng Sản's own items (INV03, INV05, INV12; the shared INV04 stays, 3 of its 4 km)
    it cannot be completed and Huổi Hin takes its place (25,140). Without Co Lay's INV01 no other
    set of four fits: Nà Pát + Tà Cọ + Phiêng Sản + Huổi Hin would cost 29,660 even sharing the
    road."""
    result = exclude_commune(example, scenario, PHIENG_SAN)
    assert result.kind == CounterfactualKind.EXCLUDE
    assert result.excluded_items == ("INV03", "INV05", "INV12")
    assert (result.lost, result.gained) == ((PHIENG_SAN,), (HUOI_HIN,))
    assert result.new_at_standard == 5
    assert result.new_money == pytest.approx(25140)
    result = exclude_commune(example, scenario, CO_LAY)
    assert result.excluded_items == ("INV01",)
    assert (result.lost, result.gained, result.new_at_standard) == ((CO_LAY,), (), 4)


def test_budget_to_reach_is_the_least_extra_money(example, scenario):
    """Half budget, plan of 4 (Suối Đỏ, Nà Pát, Tà Cọ, Co Lay). Huổi Hin with Nà Pát and Tà Cọ
    keeps 4 for 19,140, of which the budget can pay central 10,000 + poverty 3,000 + people 120 = 13,120:
    6,020 more. Phiêng Sản with Nà Pát and Tà Cọ: 17,260 against 10,000 + 2,460 (its and Tà Cọ's
    livelihood) + 120 = 12,580: 4,680 more. At the full budget Huổi Hin can trade places with
    Phiêng Sản for free, and a commune the plan completes needs nothing."""
    half = scenario.model_copy(update={"budgets": Budgets(scale=0.5)})
    base = solve(example, half)
    assert budget_to_reach(example, half, HUOI_HIN, base=base) == pytest.approx(6020)
    assert budget_to_reach(example, half, PHIENG_SAN, base=base) == pytest.approx(4680)
    assert budget_to_reach(example, scenario, HUOI_HIN) == pytest.approx(0, abs=MONEY_TOLERANCE)
    assert budget_to_reach(example, scenario, CO_LAY) == 0


def test_budget_to_reach_in_addition_trades_no_commune(example, scenario):
    """Huổi Hin on top of the plan's five means all six: 35,660 against what the budget can pay,
    central 20,000 + poverty 6,000 (livelihood 8,260) + people 1,020 = 27,020: 8,640 more."""
    assert budget_to_reach(example, scenario, HUOI_HIN, in_addition=True) == pytest.approx(8640)


def test_budget_to_reach_is_none_when_no_money_completes_the_commune(example, scenario):
    data = variant(
        example,
        investments=tuple(i for i in example.investments if i.code != "INV06"),
        effects=tuple(e for e in example.effects if e.investment_code != "INV06"),
    )
    assert budget_to_reach(data, scenario, HUOI_HIN) is None
    assert not force_commune(data, scenario, HUOI_HIN).feasible


def test_unknown_commune_is_an_error(example, scenario):
    with pytest.raises(ValueError, match="unknown commune"):
        budget_to_reach(example, scenario, "99999")
