"""Built-in criteria sets as data: the 2021-2025 set (19 criteria) and the 2026-2030 set (10)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from models import (
    Budget,
    Commune,
    CriterionStatus,
    Dataset,
    DatasetError,
    DatasetInfo,
    Effect,
    FundingSource,
    Investment,
    builtin_criteria_set,
    builtin_indicators,
    builtin_set_codes,
)
from models.io import load_package, save_csv
from models.scenario import default_floor

REPO = Path(__file__).resolve().parents[1]
NEW_CODES = (
    "planning",
    "infrastructure",
    "rural_economy",
    "human_resources",
    "culture_education_health",
    "poverty_social_security",
    "digital_transformation",
    "environment",
    "political_system",
    "law_security",
)


def test_both_national_sets_are_built_in_and_indicator_files_are_not_sets() -> None:
    assert builtin_set_codes() == ("ntm_2021_2025", "ntm_2026_2030")
    assert builtin_criteria_set("ntm_2021_2025").size == 19


def test_the_2026_2030_set_has_the_ten_criteria_of_decision_51_in_order() -> None:
    criteria = builtin_criteria_set("ntm_2026_2030")
    assert criteria.size == 10
    assert criteria.codes == NEW_CODES
    assert [c.number for c in criteria.criteria] == list(range(1, 11))
    assert criteria.by_code["poverty_social_security"].name_vi == "Giảm nghèo và an sinh xã hội"
    assert {c.unit for c in criteria.criteria} == {"indicator"}


def test_indicators_belong_to_the_set_and_are_numbered_within_their_criterion() -> None:
    criteria = builtin_criteria_set("ntm_2026_2030")
    indicators = builtin_indicators("ntm_2026_2030")
    assert 0 < len(indicators) <= 47  # Decision 51/2025/QĐ-TTg has 47; only some are listed
    assert {i.criterion_code for i in indicators} == set(criteria.codes)
    numbers = [i.number for i in indicators]
    assert len(numbers) == len(set(numbers))
    for indicator in indicators:
        criterion = criteria.by_code[indicator.criterion_code]
        assert indicator.number.split(".")[0] == str(criterion.number)
    assert builtin_indicators("ntm_2021_2025") == ()


def test_the_default_floor_scales_with_the_set_size() -> None:
    """15 of 19 on the old set; the same share (8 of 10) on the new one."""
    assert default_floor(19) == 15
    assert default_floor(10) == 8


def tiny_dataset(status: list[CriterionStatus]) -> Dataset:
    criteria = builtin_criteria_set("ntm_2026_2030")
    return Dataset(
        info=DatasetInfo(
            name="Hai xã", province="Sơn La", base_year=2026, criteria_set="ntm_2026_2030"
        ),
        criteria=criteria,
        communes=(
            Commune(
                code="03994",
                name="Xã Chiềng Mai",
                region="III",
                population=15_000,
                households=3_400,
                poverty_rate=0.12,
            ),
        ),
        status=tuple(status),
        investments=(
            Investment(
                code="INV26_0001",
                name="Hạ tầng số xã",
                kind="infrastructure",
                category="ict",
                cost=1_200,
            ),
        ),
        effects=(
            Effect(
                investment_code="INV26_0001",
                commune_code="03994",
                criterion_code="digital_transformation",
                amount=1,
            ),
        ),
        sources=(FundingSource(code="central", name_vi="Trung ương", name_en="Central"),),
        budgets=(Budget(source_code="central", year=2026, amount=10_000),),
    )


def full_status(gaps: dict[str, float]) -> list[CriterionStatus]:
    return [
        CriterionStatus(
            commune_code="03994", criterion_code=k, met=k not in gaps, gap=gaps.get(k, 0)
        )
        for k in NEW_CODES
    ]


def test_a_dataset_on_the_ten_criteria_validates_and_round_trips(tmp_path: Path) -> None:
    dataset = tiny_dataset(full_status({"digital_transformation": 1, "planning": 1}))
    assert dataset.criteria_met["03994"] == 8
    save_csv(dataset, tmp_path / "pkg")
    (tmp_path / "pkg" / "criteria.csv").unlink()  # the built-in set is found by its code
    assert load_package(tmp_path / "pkg") == dataset


def test_a_dataset_on_the_ten_criteria_rejects_old_criteria() -> None:
    status = full_status({})
    status[0] = CriterionStatus(
        commune_code="03994", criterion_code="transport", met=False, gap=2.0
    )
    with pytest.raises(DatasetError, match="criterion \\(not in set ntm_2026_2030\\)"):
        tiny_dataset(status)


def test_the_2026_build_maps_every_old_criterion_to_exactly_one_new_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The correspondence documented in docs/criteria-sets.md, as the build script uses it."""
    path = REPO / "data" / "build_son_la_2026.py"
    spec = importlib.util.spec_from_file_location("build_son_la_2026", path)
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_son_la_2026", build)
    spec.loader.exec_module(build)
    old = builtin_criteria_set("ntm_2021_2025").codes
    fed = [k for olds in build.FEEDS.values() for k in olds]
    assert sorted(fed) == sorted(old)
    assert tuple(build.FEEDS) == NEW_CODES
    assert set(build.NEW_CONTENT) == set(NEW_CODES) == set(build.NEW_ITEMS)
