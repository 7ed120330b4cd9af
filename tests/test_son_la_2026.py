"""The 2026-2030 cycle through the engine and the command line: 10 criteria, 75 merged units."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from models.io import load_package
from models.scenario_io import load_scenario
from optimizer.check import check_plan
from optimizer.plan import PlanStatus
from optimizer.solve import solve

ROOT = Path(__file__).resolve().parents[1]
POOLED = ROOT / "scenarios" / "son_la_2026_2030.yaml"


def test_2026_package_uses_the_ten_criteria_set_and_keeps_wards_out_of_targets() -> None:
    dataset = load_package(ROOT / "data" / "son_la_2026")
    assert dataset.criteria.code == "ntm_2026_2030" and dataset.criteria.size == 10
    scenario = load_scenario(POOLED)
    assert scenario.floor_for(dataset.criteria.size) == 8
    from optimizer.inputs import prepare

    inputs = prepare(dataset, scenario)
    assert len(inputs.counted) == 67  # 75 units less 8 wards


@pytest.mark.slow
def test_2026_pooled_scenario_solves_to_optimality_and_passes_the_checker() -> None:
    scenario = load_scenario(POOLED)
    dataset = load_package(scenario.dataset)
    plan = solve(dataset, scenario)
    assert plan.status == PlanStatus.OPTIMAL
    assert plan.kpis.communes == 67 and plan.kpis.criteria_in_set == 10
    assert plan.kpis.at_standard_after > plan.kpis.at_standard_before
    assert check_plan(dataset, scenario, plan) == []


@pytest.mark.slow
def test_ntm_validate_reports_the_ten_criteria_set() -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("ntm")),
            "validate",
            str(ROOT / "data" / "son_la_2026"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "criteria set ntm_2026_2030: 10 criteria" in done.stdout
    assert "75 commune-level units (8 wards)" in done.stdout
