"""Every method is named once (optimizer.methods) and each plan records the name it was asked by."""

from __future__ import annotations

import pytest

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.baselines import BASELINES
from optimizer.methods import (
    METHODS,
    OPTIMIZER,
    UnknownMethod,
    baseline_method,
    baseline_rule,
    plan_by,
)

TWO_YEARS = Scenario.model_validate({"name": "methods", "horizon": {"start": 2026, "end": 2027}})


def test_the_registry_names_the_optimizer_first_then_every_baseline_rule() -> None:
    assert list(METHODS) == [OPTIMIZER, *(baseline_method(rule) for rule in BASELINES)]
    assert [baseline_rule(m) for m in METHODS] == [None, *BASELINES]


@pytest.mark.parametrize("method", list(METHODS))
def test_each_plan_records_the_method_that_made_it(example: Dataset, method: str) -> None:
    assert plan_by(method, example, TWO_YEARS).method == method


@pytest.mark.parametrize("method", ["baseline:no_such_rule", "oracle", "baseline"])
def test_an_unknown_method_is_refused_by_name(example: Dataset, method: str) -> None:
    with pytest.raises(UnknownMethod, match=method.split(":")[-1]):
        plan_by(method, example, TWO_YEARS)
