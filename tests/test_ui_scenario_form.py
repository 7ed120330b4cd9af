"""ui.scenario_form: a Scenario to the Scenario page's editors and back, without Streamlit.

conftest's dataset has budgets (million VND) central 6,000 / 6,500 / 0 in 2022-2024, province
2,500 / 2,500 in 2022-2023 and vbsp 1,000 in 2022; the editors show tỷ đồng.
"""

from __future__ import annotations

import pandas as pd
import pytest

from models import Dataset
from models.scenario import Objective, Scenario
from ui.scenario_form import (
    FACTOR_COLUMN,
    Disbursement,
    FormValues,
    budget_table,
    budgets_from_table,
    build_scenario,
    co_financing_from_table,
    co_financing_table,
    disbursement_table,
    min_share_table,
    min_shares_from_table,
)

NAMES = {"central": "Trung ương", "province": "Tỉnh", "vbsp": "NHCSXH"}


@pytest.fixture
def scenario() -> Scenario:
    return Scenario.model_validate(
        {
            "name": "Cơ sở",
            "horizon": {"start": 2022, "end": 2024},
            "budgets": {
                "scale": 0.8,
                "scale_by_source": {"province": 0.5},
                "overrides": [{"source": "vbsp", "year": 2022, "amount": 700}],
            },
            "policies": {
                "min_shares": [
                    {"name": "border_tenth", "group": "border", "share": 0.1},
                    {
                        "name": "mai_son",
                        "group": "district",
                        "district": "Huyện Mai Sơn",
                        "share": 0.25,
                        "source": "central",
                    },
                ],
                "co_financing": [
                    {
                        "name": "counterpart",
                        "source": "province",
                        "of_source": "central",
                        "ratio": 0.1,
                    }
                ],
            },
        }
    )


def values(scenario: Scenario, shown: pd.DataFrame, edited: pd.DataFrame, **changes) -> FormValues:
    """The form as it opens on ``scenario``, with ``changes``."""
    fields = {
        "name": scenario.name,
        "description": scenario.description or "",
        "start": scenario.horizon.start,
        "end": scenario.horizon.end,
        "pooled": scenario.horizon.single_period,
        "carry_over": scenario.budgets.carry_over,
        "scale_percent": scenario.budgets.scale * 100,
        "budgets_shown": shown,
        "budgets_edited": edited,
        "objectives": [o.value for o in scenario.objectives],
        "criteria_floor": scenario.floor_for(19),
        "target_standard": scenario.targets.communes_at_standard,
        "no_commune_below_floor": scenario.targets.no_commune_below_floor,
        "maintain_standard": scenario.policies.maintain_standard,
        "include_wards": scenario.policies.include_wards,
        "commune_cap_billion": None,
        "min_shares": min_share_table(scenario),
        "co_financing": co_financing_table(scenario),
        "time_limit": scenario.solver.time_limit,
        "gap_percent": scenario.solver.relative_gap * 100,
    }
    fields.update(changes)
    return FormValues(**fields)


def test_budget_table_shows_the_scenarios_money_in_billions(
    dataset: Dataset, scenario: Scenario
) -> None:
    table = budget_table(dataset, scenario, NAMES)
    assert list(table.index) == ["central", "province", "vbsp"]
    assert list(table.columns) == ["name", FACTOR_COLUMN, "2022", "2023", "2024"]
    assert table.at["central", "2022"] == pytest.approx(6.0 * 0.8)
    assert table.at["province", "2023"] == pytest.approx(2.5 * 0.8 * 0.5)
    assert table.at["province", FACTOR_COLUMN] == 50
    assert table.at["vbsp", "2022"] == pytest.approx(0.7)  # the override, not scaled
    assert table.at["vbsp", "2023"] == 0
    assert table.at["central", "name"] == "Trung ương"


def test_an_untouched_table_keeps_the_budgets(dataset: Dataset, scenario: Scenario) -> None:
    shown = budget_table(dataset, scenario, NAMES)
    budgets = budgets_from_table(scenario, shown, shown.copy(), 80, carry_over=True)
    assert budgets == scenario.budgets


def test_an_edited_cell_becomes_an_exact_override(dataset: Dataset, scenario: Scenario) -> None:
    shown = budget_table(dataset, scenario, NAMES)
    edited = shown.copy()
    edited.at["central", "2023"] = 4.25
    edited.at["province", FACTOR_COLUMN] = 100  # back to the dataset's own money for province
    budgets = budgets_from_table(scenario, shown, edited, 90, carry_over=False)
    assert budgets.scale == pytest.approx(0.9)
    assert budgets.scale_by_source == {}
    assert {(o.source, o.year): o.amount for o in budgets.overrides} == {
        ("central", 2023): 4_250,
        ("vbsp", 2022): 700,
    }
    assert budgets.carry_over is False


def test_an_emptied_cell_counts_as_unchanged(dataset: Dataset, scenario: Scenario) -> None:
    shown = budget_table(dataset, scenario, NAMES)
    edited = shown.copy()
    edited.at["central", "2022"] = float("nan")
    assert budgets_from_table(scenario, shown, edited, 80, True).overrides == (
        scenario.budgets.overrides
    )


def test_disbursement_rates_round_trip(dataset: Dataset, scenario: Scenario) -> None:
    """Overall 70%, 2023 at 40%: the editor shows 40 under 2023 and empty cells elsewhere."""
    budgets = scenario.budgets.model_copy(
        update={"disbursement_rate": 0.7, "disbursement_by_year": {2023: 0.4}}
    )
    slow = scenario.model_copy(update={"budgets": budgets})
    table = disbursement_table(slow, [2022, 2023, 2024])
    assert list(table.columns) == ["2022", "2023", "2024"]
    assert table.iloc[0].tolist()[1] == pytest.approx(40)
    assert table.iloc[0].isna().tolist() == [True, False, True]
    shown = budget_table(dataset, slow, NAMES)
    kept = budgets_from_table(slow, shown, shown.copy(), 80, True, Disbursement(70.0, table))
    assert kept == budgets


def test_disbursement_edits_reach_the_scenario(dataset: Dataset, scenario: Scenario) -> None:
    shown = budget_table(dataset, scenario, NAMES)
    rates = disbursement_table(scenario, [2022, 2023, 2024])
    assert rates.isna().all(axis=None)  # the scenario has no disbursement limit
    rates.loc[:, "2024"] = 100.0
    form = values(scenario, shown, shown.copy(), disbursement=Disbursement(55.0, rates))
    built, problems = build_scenario(scenario, form)
    assert not problems
    assert built.budgets.disbursement_rate == pytest.approx(0.55)
    assert built.budgets.disbursement_by_year == {2024: 1.0}
    assert built.budgets.disbursement(2022) == pytest.approx(0.55)
    no_limit = values(scenario, shown, shown.copy(), disbursement=Disbursement(None, rates))
    assert build_scenario(scenario, no_limit)[0].budgets.disbursement_rate is None
    kept = values(scenario, shown, shown.copy())  # a form without disbursement inputs
    assert build_scenario(scenario, kept)[0].budgets == scenario.budgets


def test_policy_tables_round_trip(scenario: Scenario) -> None:
    shares, problems = min_shares_from_table(min_share_table(scenario))
    assert not problems
    assert shares == [m.model_dump() for m in scenario.policies.min_shares]
    rules, problems = co_financing_from_table(co_financing_table(scenario))
    assert not problems
    assert rules == [c.model_dump() for c in scenario.policies.co_financing]


def test_new_policy_rows_get_names_and_bad_rows_are_reported() -> None:
    table = pd.DataFrame(
        [
            {"name": None, "group": "atk", "district": None, "share": 20.0, "source": ""},
            {"name": None, "group": "atk", "district": None, "share": 5.0, "source": None},
            {"name": None, "group": "district", "district": None, "share": 5.0, "source": ""},
            {"name": None, "group": None, "district": None, "share": None, "source": None},
        ]
    )
    shares, problems = min_shares_from_table(table)
    assert [s["name"] for s in shares] == ["min_share_atk", "min_share_atk_2"]
    assert shares[0]["share"] == pytest.approx(0.2) and shares[0]["source"] is None
    assert len(problems) == 1 and problems[0].startswith("3 — ")


def test_build_scenario_applies_the_form_and_keeps_what_it_does_not_show(
    dataset: Dataset, scenario: Scenario
) -> None:
    base = scenario.model_copy(
        update={"policies": scenario.policies.model_copy(update={"forced_out": ("INV0004",)})}
    )
    shown = budget_table(dataset, base, NAMES)
    form = values(
        base,
        shown,
        shown.copy(),
        name="  Cắt giảm  ",
        objectives=["least_cost", "communes_at_standard"],
        must_reach_communes=["03994"],
        target_standard=1,
        commune_cap_billion=2.5,
        gap_percent=1.0,
    )
    built, problems = build_scenario(base, form)
    assert not problems
    assert built.name == "Cắt giảm"
    assert built.objectives == (Objective.LEAST_COST, Objective.COMMUNES_AT_STANDARD)
    assert built.policies.must_reach[0].communes == ("03994",)
    assert built.policies.commune_cap == 2_500
    assert built.policies.forced_out == ("INV0004",)
    assert built.targets.communes_at_standard == 1
    assert built.solver.relative_gap == pytest.approx(0.01)
    assert built.budgets == base.budgets


def test_build_scenario_says_what_is_wrong_in_the_language(
    dataset: Dataset, scenario: Scenario
) -> None:
    shown = budget_table(dataset, scenario, NAMES)
    form = values(scenario, shown, shown.copy(), name=" ", start=2024, end=2022, objectives=[])
    built, problems = build_scenario(scenario, form, "vi")
    assert built is None
    assert problems == [
        "Hãy đặt tên cho kịch bản.",
        "Năm bắt đầu (2024) sau năm kết thúc (2022).",
        "Hãy chọn ít nhất một mục tiêu.",
    ]
    _, problems = build_scenario(scenario, form, "en")
    assert problems[1] == "The first year (2024) is after the last year (2022)."
