"""A scenario's references checked against a dataset: every unknown name is a located error."""

from __future__ import annotations

import pytest

from models.scenario import Scenario
from models.scenario_check import (
    ScenarioReferenceError,
    Severity,
    check_scenario,
    ensure_scenario_fits,
)


@pytest.fixture
def dataset(example):
    """data/example (conftest's ``example``), in place of conftest's tiny ``dataset``."""
    return example


def scenario(**fields) -> Scenario:
    return Scenario.model_validate({"name": "x", "horizon": {"start": 2026, "end": 2027}} | fields)


def messages(dataset, **fields) -> list[str]:
    return [str(p) for p in check_scenario(dataset, scenario(**fields))]


def test_a_scenario_that_names_only_known_things_fits(dataset) -> None:
    fits = scenario(
        budgets={
            "scale_by_source": {"people": 0.5},
            "overrides": [{"source": "central", "year": 2027, "amount": 9000}],
        },
        policies={
            "must_reach": [{"name": "co_lay", "communes": ["90002"], "districts": ["Huyện Mẫu"]}],
            "co_financing": [{"name": "c", "source": "people", "of_source": "central", "ratio": 0}],
            "min_shares": [
                {"name": "m", "group": "district", "district": "Huyện Mẫu", "share": 0.1}
            ],
            "committed": [{"investment": "INV01", "start_year": 2026}],
            "forced_out": ["INV04"],
        },
    )
    assert check_scenario(dataset, fits) == []
    assert ensure_scenario_fits(dataset, fits) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"budgets": {"overrides": [{"source": "centrl", "year": 2026, "amount": 1}]}},
            "budgets.overrides[0].source: unknown funding source 'centrl' (known: central, people, "
            "poverty_programme)",
        ),
        (
            {"budgets": {"overrides": [{"source": "central", "year": 2030, "amount": 1}]}},
            "budgets.overrides[0].year: year 2030 is outside the horizon 2026-2027",
        ),
        (
            {"budgets": {"scale_by_source": {"nobody": 2}}},
            "budgets.scale_by_source.nobody: unknown funding source 'nobody'",
        ),
        (
            {
                "policies": {
                    "min_shares": [{"name": "m", "group": "border", "share": 0.1, "source": "x"}]
                }
            },
            "policies.min_shares[0].source: unknown funding source 'x'",
        ),
        (
            {
                "policies": {
                    "min_shares": [
                        {"name": "m", "group": "district", "district": "H", "share": 0.1}
                    ]
                }
            },
            "policies.min_shares[0].district: unknown district 'H' (known: Huyện Mẫu)",
        ),
        (
            {
                "policies": {
                    "co_financing": [
                        {"name": "c", "source": "a", "of_source": "central", "ratio": 1}
                    ]
                }
            },
            "policies.co_financing[0].source: unknown funding source 'a'",
        ),
        (
            {
                "policies": {
                    "co_financing": [
                        {"name": "c", "source": "people", "of_source": "b", "ratio": 1}
                    ]
                }
            },
            "policies.co_financing[0].of_source: unknown funding source 'b'",
        ),
        (
            {"policies": {"must_reach": [{"name": "m", "communes": ["90001", "12345"]}]}},
            "policies.must_reach[0].communes[1]: unknown commune '12345'",
        ),
        (
            {"policies": {"must_reach": [{"name": "m", "districts": ["Huyện Mai Sơn"]}]}},
            "policies.must_reach[0].districts[0]: unknown district 'Huyện Mai Sơn'",
        ),
        (
            {"policies": {"must_reach": [{"name": "m", "communes": ["90001"], "by_year": 2031}]}},
            "policies.must_reach[0].by_year: year 2031 is outside the horizon 2026-2027",
        ),
        (
            {"policies": {"committed": [{"investment": "INV99"}]}},
            "policies.committed[0].investment: unknown investment 'INV99'",
        ),
        (
            {"policies": {"committed": [{"investment": "INV01"}], "forced_out": ["INV01"]}},
            "policies.committed[0].investment: 'INV01' is both committed and in policies.forced_out",
        ),
        (
            {"policies": {"forced_out": ["INV77"]}},
            "policies.forced_out[0]: unknown investment 'INV77'",
        ),
        (
            {"targets": {"communes_at_standard": 7}},
            "targets.communes_at_standard: 7 is more than the 6 communes that count",
        ),
        (
            {"targets": {"communes_at_standard": 5, "by_year": 2025}},
            "targets.by_year: year 2025 is outside the horizon 2026-2027",
        ),
        (
            {"budgets": {"disbursement_by_year": {2062: 0.1}}},
            "budgets.disbursement_by_year.2062: year 2062 is outside the horizon 2026-2027",
        ),
    ],
)
def test_each_unknown_reference_is_a_located_error(dataset, fields, expected: str) -> None:
    found = messages(dataset, **fields)
    assert any(m.startswith(expected) for m in found), found
    with pytest.raises(ScenarioReferenceError):
        ensure_scenario_fits(dataset, scenario(**fields))


def test_every_problem_is_reported_at_once(dataset) -> None:
    bad = scenario(
        budgets={"overrides": [{"source": "a", "year": 2026, "amount": 1}]},
        policies={"forced_out": ["X1", "X2"], "must_reach": [{"name": "m", "communes": ["1"]}]},
    )
    with pytest.raises(ScenarioReferenceError) as error:
        ensure_scenario_fits(dataset, bad)
    assert len(error.value.problems) == 4


def test_a_horizon_without_money_is_a_warning_not_an_error(dataset) -> None:
    """The example's budgets cover 2026-2027; a 2021-2025 scenario would spend nothing."""
    off = Scenario.model_validate({"name": "x", "horizon": {"start": 2021, "end": 2025}})
    problems = ensure_scenario_fits(dataset, off)
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "has no budget in the dataset (its budgets cover 2026-2027)" in str(problems[0])


def test_a_floor_above_the_set_size_is_a_warning(dataset) -> None:
    problems = check_scenario(dataset, scenario(criteria_floor=15))
    assert [(p.location, p.severity) for p in problems] == [("criteria_floor", Severity.WARNING)]
