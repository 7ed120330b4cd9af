"""The Progress page (Tiến độ) through streamlit.testing, on data/example with a history store of
the test's own (conftest's autouse NTM_DATABASE_URL).

A 2026-2027 plan is recorded; a progress workbook with a problem is listed by sheet, row and column
and nothing is re-planned; a good one re-plans 2027, shows what changed as the engine computes it,
saves the re-plan as a new version that names the run it revises, and submits it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import APP, APP_TIMEOUT, EXAMPLE, open_page, run

from models.io import load_package
from models.io.progress_io import save_progress
from models.progress import Disbursement, ItemProgress, Progress
from models.scenario import Scenario
from optimizer.replan import prepare_replan, solve_replan
from optimizer.replan_report import Change, replan_diff
from optimizer.solve import solve
from store import ApprovalState, Store
from ui.runs import USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR

SCENARIO = Scenario(name="Ví dụ theo năm", horizon={"start": 2026, "end": 2027})


@pytest.fixture
def recorded() -> tuple:
    """Run 1: the example's 2026-2027 plan, in the test's own store."""
    dataset = load_package(EXAMPLE)
    plan = solve(dataset, SCENARIO)
    with Store.open(os.environ["NTM_DATABASE_URL"]) as history:
        version = history.save_scenario(SCENARIO)
        run_record = history.record_run(version, dataset, plan)
    return dataset, plan, run_record.id


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, recorded) -> AppTest:
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    return open_page(app, "progress")


def progress_for(plan) -> Progress:
    first = next(i for i in plan.items if i.start_year == 2026)
    source = next(p.source for p in plan.payments if p.investment == first.investment)
    return Progress(
        items=(ItemProgress(investment_code=first.investment, status="cancelled"),),
        disbursements=(
            Disbursement(investment_code=first.investment, source_code=source, year=2026, amount=1),
        ),
    )


def upload(app: AppTest, path: Path) -> AppTest:
    return run(app.file_uploader[0].set_value((path.name, path.read_bytes(), "x")))


def test_a_report_with_problems_is_listed_and_nothing_is_replanned(app, tmp_path) -> None:
    assert app.title[0].value == "Tiến độ thực hiện và lập lại kế hoạch"
    bad = Progress(items=(ItemProgress(investment_code="KHÔNG_CÓ", status="completed"),))
    path = save_progress(bad, tmp_path / "tiến_độ.xlsx")
    app = upload(app, path)
    app = run(app.button[0].click())  # the form's «Lập lại kế hoạch»
    assert app.error, "the problems are shown"
    listed = "\n".join(m.value for m in app.main.markdown)
    assert "tiến_độ.xlsx sheet progress_items dòng 2, cột investment_code" in listed
    assert not app.metric  # nothing re-planned


def test_a_replan_shows_what_changed_saves_and_submits(app, tmp_path, recorded) -> None:
    dataset, plan, run_id = recorded
    progress = progress_for(plan)
    path = save_progress(progress, tmp_path / "progress.xlsx")
    app = upload(app, path)
    app = run(app.button[0].click())
    replan = prepare_replan(dataset, SCENARIO, plan, progress, 2027, run_id=run_id)
    expected = replan_diff(replan, plan, solve_replan(replan))
    shown = {m.label: m.value for m in app.metric}
    assert shown["Bỏ"] == str(expected.count(Change.DROPPED))
    assert expected.count(Change.DROPPED) >= 1  # the cancelled item
    assert shown["Đã hoàn thành"] == str(expected.count(Change.COMPLETED))
    tables = [frame.value for frame in app.dataframe]
    assert "Đã giải ngân (triệu đồng)" in tables[0].columns  # words, not the table's keys
    assert not any("disbursed" in table.columns or "change" in table.columns for table in tables)
    assert "Bỏ" in set(tables[2]["Thay đổi"])  # the cancelled item, dropped
    save = next(b for b in app.button if b.label == "Lưu thành phiên bản mới")
    app = run(save.click())
    assert any("Đã lưu: lượt 2" in s.value for s in app.success)
    with Store.open(os.environ["NTM_DATABASE_URL"]) as history:
        stored = history.get_run(2)
    assert stored.scenario.revises is not None and stored.scenario.revises.run == run_id
    submit = next(b for b in app.button if b.label == "Trình phê duyệt")
    app = run(submit.click())
    with Store.open(os.environ["NTM_DATABASE_URL"]) as history:
        version = history.scenario_version(stored.scenario_name, stored.scenario_version)
    assert version.state == ApprovalState.SUBMITTED
