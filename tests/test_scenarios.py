"""Scenario files: every shipped scenario validates; inheritance; located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.scenario import Objective, Scenario
from models.scenario_io import ScenarioFileError, load_scenario, save_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_loads_and_says_what_it_asks(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.dataset and Path(scenario.dataset).is_dir()
    assert path.read_text(encoding="utf-8").startswith("# Question:")


VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ")


def test_every_shipped_scenario_describes_itself_in_vietnamese() -> None:
    """The app and the workbooks show the description to Vietnamese readers; a derived scenario
    says what it changes instead of repeating its base's words."""
    descriptions = {p.stem: load_scenario(p).description for p in sorted(SCENARIOS.glob("*.yaml"))}
    for stem, text in descriptions.items():
        assert text and VIETNAMESE_LETTERS & set(text.lower()), stem
    assert len(set(descriptions.values())) == len(descriptions)


def test_extends_overrides_only_what_it_names() -> None:
    base = load_scenario(SCENARIOS / "son_la_2021_2025.yaml")
    cut = load_scenario(SCENARIOS / "son_la_budget_cut_20.yaml")
    assert cut.budgets.scale == 0.8
    assert base.budgets.scale == 1.0
    assert cut.policies == base.policies
    assert cut.horizon == base.horizon
    assert cut.name != base.name


def test_least_money_scenario_puts_cost_first() -> None:
    scenario = load_scenario(SCENARIOS / "son_la_least_money_83.yaml")
    assert scenario.objectives[0] == Objective.LEAST_COST
    assert scenario.targets.communes_at_standard == 83


def test_malformed_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nhorizon: [2021\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match=r"bad.yaml: line \d+, column \d+: malformed YAML"):
        load_scenario(path)


def test_invalid_fields_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: x\nhorizon: {start: 2025, end: 2021}\nbudgets: {scale: -1}\nobjectives: [fastest]\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioFileError) as error:
        load_scenario(path)
    text = str(error.value)
    assert "horizon: start 2025 is after end 2021" in text
    assert "budgets.scale" in text
    assert "objectives.0" in text


def test_missing_file_and_extends_loop(tmp_path: Path) -> None:
    with pytest.raises(ScenarioFileError, match="file not found"):
        load_scenario(tmp_path / "none.yaml")
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match="loop"):
        load_scenario(tmp_path / "a.yaml")


def test_negative_budget_override_is_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        Scenario.model_validate(
            {
                "name": "x",
                "horizon": {"start": 2021, "end": 2021},
                "budgets": {"overrides": [{"source": "central", "year": 2021, "amount": -5}]},
            }
        )


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    scenario = load_scenario(SCENARIOS / "son_la_priority_difficult.yaml")
    path = save_scenario(scenario, tmp_path / "copy.yaml")
    assert load_scenario(path) == scenario
