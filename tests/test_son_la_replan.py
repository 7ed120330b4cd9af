"""The shipped progress report of 2026 (data/son_la_2026_progress_2026) against the plan it was
drawn for: it loads, every row fits the plan (no error), its figures are the README's, and it
turns into the inputs of 2027-2030 (completed works count, money carried over).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models.io import load_package
from models.io.progress_io import load_progress
from models.progress import ItemStatus
from models.scenario_io import _read_mapping, load_scenario
from optimizer.replan import check_progress, prepare_replan
from optimizer.solve import solve

ROOT = Path(__file__).resolve().parents[1]
PROGRESS = ROOT / "data" / "son_la_2026_progress_2026"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def approved():
    scenario = load_scenario(ROOT / "scenarios" / "son_la_2026_2030_annual.yaml")
    dataset = load_package(scenario.dataset)
    return dataset, scenario, solve(dataset, scenario)


def test_the_shipped_report_has_the_readme_figures() -> None:
    progress, _numbers, _raw = load_progress(PROGRESS)
    counts = {s: sum(1 for i in progress.items if i.status == s) for s in ItemStatus}
    assert len(progress.items) == 90
    assert counts[ItemStatus.COMPLETED] == 51 and counts[ItemStatus.IN_PROGRESS] == 31
    assert counts[ItemStatus.NOT_STARTED] == 4 and counts[ItemStatus.CANCELLED] == 4
    assert sum(1 for i in progress.items if i.revised_cost) == 19
    assert sum(d.amount for d in progress.disbursements) == 124_932
    assert len(progress.criteria) == 12
    assert "124,932 of 157,400" in (PROGRESS / "README.md").read_text(encoding="utf-8")


def test_the_shipped_report_fits_the_plan_and_replans(approved) -> None:
    dataset, scenario, plan = approved
    progress, numbers, raw = load_progress(PROGRESS)
    if plan.status.value != "optimal":
        pytest.skip("a level stopped at its time limit: the plan may differ (see the README)")
    errors, _warnings = check_progress(
        progress, dataset, plan, scenario.horizon, 2027, numbers, raw
    )
    assert errors == []
    overrides = _read_mapping(ROOT / "scenarios" / "son_la_2027_replan.yaml", ())
    replan = prepare_replan(dataset, scenario, plan, progress, 2027, overrides=overrides)
    completed = [i.investment_code for i in progress.items if i.status == ItemStatus.COMPLETED]
    assert not set(completed) & set(replan.dataset.investment_by_code)
    assert replan.scenario.horizon.start == 2027
    assert replan.scenario.budgets.overrides == ()
    assert replan.budget[("central", 2027)] >= 198_000  # the override, plus money carried over
