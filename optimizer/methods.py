"""Every method that answers a scenario with a Plan, named once: the optimizer and each baseline rule.

A method's name is what a Plan records as ``Plan.method``: ``optimizer``, or ``baseline:<rule>``
for a rule of ``optimizer.baselines.BASELINES``. The command line, the app and the history store
all ask for plans by these names through :func:`plan_by`.
"""

from __future__ import annotations

from collections.abc import Callable

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.baselines import BASELINES
from optimizer.plan import BASELINE_PREFIX, OPTIMIZER, Plan
from optimizer.solve import LevelCallback, solve

PlanMethod = Callable[[Dataset, Scenario], Plan]
"""A method: from a dataset and a scenario to a plan."""

__all__ = [
    "BASELINE_PREFIX",
    "METHODS",
    "OPTIMIZER",
    "PlanMethod",
    "UnknownMethod",
    "baseline_method",
    "baseline_rule",
    "plan_by",
]


def baseline_method(rule: str) -> str:
    """The method name of a baseline rule: ``formula`` → ``baseline:formula``."""
    return BASELINE_PREFIX + rule


def baseline_rule(method: str) -> str | None:
    """The rule a baseline method names (``baseline:formula`` → ``formula``); None otherwise."""
    return method.removeprefix(BASELINE_PREFIX) if method.startswith(BASELINE_PREFIX) else None


METHODS: dict[str, PlanMethod] = {
    OPTIMIZER: solve,
    **{baseline_method(rule): function for rule, function in BASELINES.items()},
}
"""Method name → method, the optimizer first."""


class UnknownMethod(ValueError):
    """A method name that is neither ``optimizer`` nor a known baseline rule."""


def plan_by(
    method: str, dataset: Dataset, scenario: Scenario, on_level: LevelCallback | None = None
) -> Plan:
    """The plan of ``method`` (the optimizer telling ``on_level`` each level once settled).

    Raises UnknownMethod naming the method; the optimizer's own errors (SolveTimeout,
    SolverUnavailable) pass through.
    """
    if method == OPTIMIZER:
        return solve(dataset, scenario, on_level=on_level)
    if method not in METHODS:
        rule = baseline_rule(method)
        if rule is not None:
            raise UnknownMethod(f"baseline rule {rule!r} is not in optimizer.baselines.BASELINES")
        raise UnknownMethod(f"unknown method {method!r}: expected 'optimizer' or 'baseline:<rule>'")
    return METHODS[method](dataset, scenario)
