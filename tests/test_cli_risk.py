"""``ntm risk``: a scenario file or a recorded run, its files, and the errors a user can make."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
NTM = Path(sys.executable).with_name("ntm")
TIMEOUT = 300
pytestmark = pytest.mark.slow
"""Every test here runs the console script (a new process that imports the whole program: some
seconds of CPU each), so the quick loop leaves them out: it runs the console script in
tests/test_cli.py, and the risk engine in tests/test_risk.py and the risk page in
tests/test_app_risk.py."""

RISKY = f"""\
name: Ví dụ có rủi ro
dataset: {EXAMPLE}
horizon: {{start: 2026, end: 2027}}
uncertainty:
  draws: 6
  seed: 3
  overrun_default: {{median: 1.1, p90: 1.6}}
  disbursement: {{central: {{low: 0.6, high: 1.0}}}}
"""
PLAIN = f"""\
name: Ví dụ
dataset: {EXAMPLE}
horizon: {{start: 2026, end: 2027}}
"""


def ntm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = NTM if NTM.exists() else shutil.which("ntm")
    assert executable, "the ntm console script is not installed (pip install -e .)"
    return subprocess.run(
        [str(executable), *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
    )


@pytest.fixture(autouse=True)
def history_database(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    path = tmp_path_factory.mktemp("history") / "history.db"
    monkeypatch.setenv("NTM_DATABASE_URL", f"sqlite:///{path}")
    return path


def test_risk_of_a_scenario_writes_every_table_and_a_sheet_each(tmp_path: Path):
    (tmp_path / "risky.yaml").write_text(RISKY, encoding="utf-8")
    result = ntm(
        "risk", "risky.yaml", "--workers", "1", "--compare", "--no-regret", "--lang", "en",
        "--out", "r", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "risk draws [" in result.stderr and "] 6/6" in result.stderr
    assert "Communes at standard" in result.stdout and "P10" in result.stdout
    assert "deterministic" in result.stdout and "no-regret" in result.stdout
    folder = tmp_path / "r"
    for name in ("risk_summary", "risk_distribution", "risk_communes", "risk_unfinished"):
        assert (folder / f"{name}.csv").exists()
    assert (folder / "risk_plans.csv").exists() and (folder / "no_regret.csv").exists()
    sheets = load_workbook(folder / "risk.xlsx").sheetnames
    assert sheets == [
        "Risk summary",
        "Distribution",
        "Commune probabilities",
        "Items unfinished",
        "Robust plans compared",
        "No-regret items",
    ]
    distribution = (folder / "risk_distribution.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(distribution) == 1 + 6


def test_risk_of_a_recorded_run(tmp_path: Path):
    (tmp_path / "risky.yaml").write_text(RISKY, encoding="utf-8")
    run = ntm("run", "risky.yaml", "--no-baselines", "--out", "plan", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    result = ntm("risk", "1", "--draws", "3", "--workers", "1", "--out", "r", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "run 1: 3 draws (seed 3)" in result.stdout


def test_risk_without_uncertainty_or_with_bad_options_says_what_is_wrong(tmp_path: Path):
    (tmp_path / "plain.yaml").write_text(PLAIN, encoding="utf-8")
    result = ntm("risk", "plain.yaml", "--workers", "1", cwd=tmp_path)
    assert result.returncode == 1
    assert "has no uncertainty: section" in result.stderr
    result = ntm("risk", "plain.yaml", "--draws", "0", cwd=tmp_path)
    assert result.returncode == 2 and "--draws must be at least 1" in result.stderr
