"""optimizer.compare: plan breakdowns and comparisons, checked against figures worked out by hand.

The hand plans use conftest's dataset (Chiềng Mai in Mai Sơn, Mường Bú in Mường La, the ward Chiềng
Sinh) over 2022-2024; amounts are million VND.

Plan "full" funds
- INV0001, the 9,000 road shared by Chiềng Mai and Mường Bú: central 6,000 + province 3,000. Each
  commune is attributed half, 4,500. It closes Mường Bú's transport gap (2.0) but only 3.5 of
  Chiềng Mai's 4.5.
- INV0003, the 1,200 cattle programme of Chiềng Mai: vbsp 840 + province 360. It closes income.
Chiềng Mai gains income but loses electricity (at risk, and INV0004 is not funded): 16 → 16.
Mường Bú 17 → 18. The ward Chiềng Sinh loses environment (at risk): 19 → 18, so it loses the
standard; it is not counted in commune figures.

Plan "road" funds INV0001 alone (the same payments), so it differs from "full" by INV0003: Chiềng
Mai ends with 15 criteria instead of 16, Mai Sơn and the province and vbsp spend less.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models import Dataset
from models.io import load_package
from models.scenario import Scenario
from optimizer import compare
from optimizer.assemble import assemble_plan
from optimizer.inputs import prepare
from optimizer.plan import Payment, Plan, PlanStatus
from optimizer.solve import solve

MONEY_TOLERANCE = 1e-6
CHIENG_MAI, MUONG_BU, CHIENG_SINH = "03994", "04000", "03646"
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"

ROAD_PAYMENTS = [
    Payment(investment="INV0001", source="central", year=2022, amount=3000),
    Payment(investment="INV0001", source="central", year=2023, amount=3000),
    Payment(investment="INV0001", source="province", year=2022, amount=1500),
    Payment(investment="INV0001", source="province", year=2023, amount=1500),
]
CATTLE_PAYMENTS = [
    Payment(investment="INV0003", source="vbsp", year=2022, amount=840),
    Payment(investment="INV0003", source="province", year=2023, amount=360),
]


@pytest.fixture
def scenario() -> Scenario:
    return Scenario(name="hand", horizon={"start": 2022, "end": 2024})


def hand_plan(dataset: Dataset, scenario: Scenario, with_cattle: bool) -> Plan:
    funded = {"INV0001": 2022, **({"INV0003": 2022} if with_cattle else {})}
    payments = ROAD_PAYMENTS + (CATTLE_PAYMENTS if with_cattle else [])
    return assemble_plan(
        prepare(dataset, scenario),
        funded,
        payments,
        method="hand",
        status=PlanStatus.HEURISTIC,
    )


@pytest.fixture
def full(dataset: Dataset, scenario: Scenario) -> Plan:
    return hand_plan(dataset, scenario, with_cattle=True)


@pytest.fixture
def road(dataset: Dataset, scenario: Scenario) -> Plan:
    return hand_plan(dataset, scenario, with_cattle=False)


def test_kpi_values_are_the_plans_before_and_after(full: Plan) -> None:
    values = compare.kpi_values(full)
    assert list(values) == list(compare.KPI_KEYS)
    assert (values["at_standard"].before, values["at_standard"].after) == (0, 0)
    assert (values["mean_criteria"].before, values["mean_criteria"].after) == (16.5, 17.0)
    assert (values["criteria_met"].before, values["criteria_met"].after) == (33, 34)
    assert values["money_total"].before is None
    assert values["money_total"].after == pytest.approx(10_200)
    assert values["items_funded"].after == 2


def test_shared_item_money_is_split_between_the_districts(dataset: Dataset, full: Plan) -> None:
    table = compare.money_by_district(dataset, full).set_index("district")
    assert table.loc["Huyện Mai Sơn", "amount"] == pytest.approx(4_500 + 1_200)
    assert table.loc["Huyện Mường La", "amount"] == pytest.approx(4_500)
    assert table.loc["Thành phố Sơn La", "amount"] == 0
    assert table["amount"].sum() == pytest.approx(full.kpis.money_total)
    assert list(table["communes"]) == [1, 1, 0]  # the ward is not counted
    assert list(table.index) == ["Huyện Mai Sơn", "Huyện Mường La", "Thành phố Sơn La"]


def test_source_use_against_the_scenario_budget(
    dataset: Dataset, scenario: Scenario, full: Plan
) -> None:
    """Budgets 2022-2024: central 6,000 + 6,500 + 0, province 2,500 + 2,500, vbsp 1,000."""
    table = compare.source_use(dataset, scenario, full).set_index("source")
    assert table["budget"].to_dict() == {"central": 12_500, "province": 5_000, "vbsp": 1_000}
    assert table["spent"].to_dict() == {"central": 6_000, "province": 3_360, "vbsp": 840}
    assert table.loc["vbsp", "used"] == pytest.approx(0.84)
    assert compare.budget_total(dataset, scenario) == 18_500


def test_money_by_year_sums_payments_per_year_and_source(full: Plan) -> None:
    table = compare.money_by_year(full)
    got = {(r.year, r.source): r.amount for r in table.itertuples()}
    assert got == {
        (2022, "central"): 3000,
        (2022, "province"): 1500,
        (2022, "vbsp"): 840,
        (2023, "central"): 3000,
        (2023, "province"): 1860,
    }


def test_criterion_outcomes_count_communes_and_attribute_money(
    dataset: Dataset, full: Plan
) -> None:
    table = compare.criterion_outcomes(dataset, full).set_index("criterion")
    assert len(table) == dataset.criteria.size
    assert (table.loc["transport", "before"], table.loc["transport", "after"]) == (0, 1)
    assert (table.loc["income", "before"], table.loc["income", "after"]) == (1, 2)
    assert table.loc["electricity", "gained"] == -1  # Chiềng Mai's at-risk power is lost
    assert table.loc["transport", "amount"] == pytest.approx(9_000)
    assert table.loc["income", "amount"] == pytest.approx(1_200)
    assert table["amount"].sum() == pytest.approx(full.kpis.money_total)


def test_commune_outcomes_name_what_happens(dataset: Dataset, full: Plan) -> None:
    table = compare.commune_outcomes(dataset, full).set_index("commune")
    assert table.loc[CHIENG_MAI, "name"] == "Xã Chiềng Mai"
    assert table.loc[CHIENG_MAI, "outcome"] == compare.Outcome.UNCHANGED
    assert table.loc[MUONG_BU, "outcome"] == compare.Outcome.IMPROVES
    assert table.loc[CHIENG_SINH, "outcome"] == compare.Outcome.LOSES_STANDARD
    assert not table.loc[CHIENG_SINH, "counted"]
    assert table.loc[CHIENG_MAI, "money"] == pytest.approx(5_700)


def test_funded_items_carry_names_communes_and_money_by_source(
    dataset: Dataset, full: Plan
) -> None:
    table = compare.funded_items(dataset, full).set_index("item")
    road = table.loc["INV0001"]
    assert road["name"] == "Đường liên xã Chiềng Mai – Mường Bú (6 km)"
    assert road["communes"] == "Xã Chiềng Mai, Xã Mường Bú"
    assert road["districts"] == "Huyện Mai Sơn, Huyện Mường La"
    assert (road["start_year"], road["completion_year"]) == (2022, 2023)
    assert (road["source:central"], road["source:province"], road["source:vbsp"]) == (
        6_000,
        3_000,
        0,
    )
    assert table.loc["INV0003", "criteria"] == "income"


def test_kpi_table_and_deltas_against_the_first_plan(full: Plan, road: Plan) -> None:
    plans = {"A": full, "B": road}
    table = compare.kpi_table(plans)
    assert table.at["criteria_met", "before"] == 33
    assert (table.at["criteria_met", "A"], table.at["criteria_met", "B"]) == (34, 33)
    deltas = compare.kpi_deltas(plans)
    assert deltas.at["criteria_met", "A"] == 0
    assert deltas.at["criteria_met", "B"] == -1
    assert deltas.at["money_total", "B"] == pytest.approx(-1_200)
    assert deltas.at["items_funded", "B"] == -1
    assert compare.kpi_deltas(plans, reference="B").at["money_total", "A"] == pytest.approx(1_200)


def test_only_communes_whose_outcome_differs_are_listed(
    dataset: Dataset, full: Plan, road: Plan
) -> None:
    table = compare.commune_differences(dataset, {"A": full, "B": road})
    assert list(table.index) == [CHIENG_MAI]  # Mường Bú gains transport in both; the ward is out
    row = table.loc[CHIENG_MAI]
    assert (row["name"], row["A|criteria"], row["B|criteria"]) == ("Xã Chiềng Mai", 16, 15)
    assert not row["A|standard"] and not row["B|standard"]
    assert compare.commune_differences(dataset, {"A": full, "B": full}).empty


def test_money_moved_between_districts_and_sources(
    dataset: Dataset, full: Plan, road: Plan
) -> None:
    plans = {"A": full, "B": road}
    districts = compare.money_moved(dataset, plans, "district")
    assert set(districts["group"]) == {"Huyện Mai Sơn"}  # Mường La gets the same 4,500
    moved = districts.set_index("plan")
    assert moved.loc["A", "delta"] == 0
    assert moved.loc["B", "delta"] == pytest.approx(-1_200)
    sources = compare.money_moved(dataset, plans, "source")
    got = {r.group: r.delta for r in sources.itertuples() if r.plan == "B"}
    assert got == pytest.approx({"province": -360, "vbsp": -840})


def test_breakdowns_add_up_on_a_solved_plan() -> None:
    """The example package solved: every breakdown sums to the plan's money."""
    dataset = load_package(EXAMPLE)
    scenario = Scenario(name="example", horizon={"start": 2026, "end": 2027})
    plan = solve(dataset, scenario)
    total = plan.kpis.money_total
    assert compare.money_by_district(dataset, plan)["amount"].sum() == pytest.approx(total)
    assert compare.source_use(dataset, scenario, plan)["spent"].sum() == pytest.approx(total)
    assert compare.money_by_year(plan)["amount"].sum() == pytest.approx(total)
    assert compare.criterion_outcomes(dataset, plan)["amount"].sum() == pytest.approx(total)
    outcomes = compare.commune_outcomes(dataset, plan)
    assert outcomes["money"].sum() == pytest.approx(total, abs=MONEY_TOLERANCE * len(outcomes))
    assert int(outcomes["at_standard_after"].sum()) == plan.kpis.at_standard_after
    items = compare.funded_items(dataset, plan)
    paid = items[[c for c in items.columns if c.startswith("source:")]].sum(axis=1)
    assert list(paid) == pytest.approx(list(items["cost"]))
