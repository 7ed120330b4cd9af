"""``ntm replan`` through the installed console script, on the example package.

A recorded run of 2026-2027 is revised with a progress report of 2026: the re-plan is recorded as
a new draft version of the scenario naming the run it revises, its report has the re-plan's own
sheets, and a report with problems lists every one (file, row, column) and writes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_cli import BASE, ntm

from cli import main as cli
from models.io.progress_io import save_progress
from models.progress import Disbursement, ItemProgress, Progress
from store import ApprovalState, Store

pytestmark = pytest.mark.slow
"""Every test here runs the console script (a new process that imports the whole program: some
seconds of CPU each), so the quick loop leaves them out: it runs the console script in
tests/test_cli.py, and re-planning in tests/test_replan.py and the progress page in
tests/test_app_progress.py."""


@pytest.fixture
def database(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.db'}"
    monkeypatch.setenv("NTM_DATABASE_URL", url)
    monkeypatch.setenv("NTM_USER", "tester")
    return url


@pytest.fixture
def approved(tmp_path: Path, database: str) -> Store:
    """Run 1: the example's 2026-2027 plan, recorded."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    result = ntm("run", "base.yaml", "--no-baselines", "--out", "r1", cwd=tmp_path)
    assert result.returncode == cli.EXIT_OK, result.stderr
    with Store.open(database) as history:
        return history.get_run(1)


def progress_for(run) -> Progress:
    """The first item started in 2026 completed at its cost, the second cancelled."""
    first = [i for i in run.plan.items if i.start_year == 2026][:2]
    assert first, "the example plan starts something in 2026"
    source = next(p.source for p in run.plan.payments if p.investment == first[0].investment)
    items = [ItemProgress(investment_code=first[0].investment, status="completed")]
    if len(first) > 1:
        items.append(ItemProgress(investment_code=first[1].investment, status="cancelled"))
    return Progress(
        items=tuple(items),
        disbursements=(
            Disbursement(
                investment_code=first[0].investment,
                source_code=source,
                year=2026,
                amount=int(first[0].cost),
            ),
        ),
    )


def test_a_replan_is_recorded_as_a_new_version_naming_the_run_it_revises(
    tmp_path: Path, database: str, approved
) -> None:
    save_progress(progress_for(approved), tmp_path / "progress.xlsx")
    result = ntm(
        "replan", "1", "--progress", "progress.xlsx", "--from-year", "2027",
        "--out", "re", "--lang", "en", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == cli.EXIT_OK, result.stderr
    assert "Against run 1:" in result.stdout
    assert re.search(r"1 dropped, \d+ added; \d+ completed", result.stdout)  # the cancelled one
    with Store.open(database) as history:
        run = history.get_run(2)
        version = history.scenario_version(approved.scenario_name)
    assert run.scenario.revises is not None and run.scenario.revises.run == 1
    assert run.scenario.horizon.start == 2027
    assert version.version == 2 and version.state == ApprovalState.DRAFT
    assert "stability" in [o.value for o in run.scenario.objectives]
    workbook = load_workbook(tmp_path / "re" / "replan.xlsx", read_only=True)
    assert set(workbook.sheetnames) >= {
        "Item changes",
        "Money planned, disbursed",
        "Communes falling behind",
    }
    items = list(workbook["Item changes"].iter_rows(values_only=True))
    assert items[0][:3] == ("Item", "Change", "Status")  # --lang en: words, not keys
    assert "Dropped" in {row[1] for row in items[1:]}  # the cancelled item
    assert (tmp_path / "re" / "plan.xlsx").is_file()


def test_a_progress_report_with_problems_writes_and_records_nothing(
    tmp_path: Path, database: str, approved
) -> None:
    folder = tmp_path / "progress"
    folder.mkdir()
    (folder / "progress_items.csv").write_text(
        "investment_code,status\nNOPE,completed\n", encoding="utf-8"
    )
    (folder / "progress_disbursements.csv").write_text(
        "investment_code,source_code,year,amount\nNOPE,central,2031,5\n", encoding="utf-8"
    )
    result = ntm("replan", "1", "--progress", "progress", "--out", "re", cwd=tmp_path)
    assert result.returncode == cli.EXIT_INVALID_INPUT
    assert "progress_items.csv row 2, column investment_code: unknown item 'NOPE'" in result.stderr
    assert "progress_disbursements.csv row 2, column year: 2031 is outside" in result.stderr
    assert not (tmp_path / "re").exists()
    with Store.open(database) as history:
        assert history.count_runs() == 1


def test_an_unknown_run_is_a_clear_error(tmp_path: Path, database: str) -> None:
    folder = tmp_path / "progress"
    folder.mkdir()
    (folder / "progress_items.csv").write_text("investment_code,status\n", encoding="utf-8")
    result = ntm("replan", "7", "--progress", "progress", cwd=tmp_path)
    assert result.returncode == cli.EXIT_INVALID_INPUT
    assert "no run 7 in the history store" in result.stderr
