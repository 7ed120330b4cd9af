"""The History page through streamlit.testing, on data/example, with a history store of each test's
own (``NTM_DATABASE_URL`` → a temporary SQLite file, set by conftest's autouse fixture).

What the page shows is checked against the store itself and against direct solves: a run made in
the app is recorded (its scenario saved without the dataset path, as the CLI saves it), reopens
with the figures the Results page showed, compares decision by decision with a budget cut,
re-runs on the data open now, and goes through approval with clear errors for illegal steps.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import (
    APP,
    APP_TIMEOUT,
    BASE_NAME,
    EXAMPLE,
    base_scenario,
    headline,
    metrics,
    open_page,
    run,
    run_scenario,
)

from application.isolated import SECONDS_ENV
from models import Dataset
from models.scenario import Budgets
from optimizer.solve import solve
from store import ApprovalState, Store, diff_plans
from ui.format import number
from ui.runs import USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR

USER = "Lan (Sở Tài chính)"
CUT_NAME = "Cắt giảm 50%"
TITLE = {"vi": "Lịch sử chạy và phê duyệt", "en": "Run history and approvals"}


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    """The app on data/example, run by «Lan (Sở Tài chính)» (NTM_USER), after its first run."""
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    monkeypatch.setenv("NTM_USER", USER)
    return run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))


@pytest.fixture
def history() -> Store:
    """The same store the app records into (the autouse fixture's NTM_DATABASE_URL)."""
    store = Store.open(os.environ["NTM_DATABASE_URL"])
    yield store
    store.close()


def section(app: AppTest, name: str) -> AppTest:
    """Open one of the page's sections: open, compare, rerun, approval."""
    app.session_state["hist.section"] = name
    return run(app)


def history_table(app: AppTest):
    return app.dataframe[0].value


def texts(app: AppTest, *kinds: str) -> str:
    return "\n".join(e.value for kind in kinds for e in getattr(app, kind))


# -- browse --------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_renders_empty_and_after_a_run(app: AppTest, lang: str) -> None:
    if lang == "en":
        run(app.sidebar.radio(key="lang").set_value("en"))
    open_page(app, "history")
    assert app.title[0].value == TITLE[lang]
    empty = "Chưa có lần chạy nào" if lang == "vi" else "No run in the history yet"
    assert empty in app.info[0].value
    for name in ("compare", "rerun", "approval", "open"):
        section(app, name)
    open_page(app, "scenario")
    run(next(b for b in app.button if b.label in ("Chạy kịch bản", "Run scenario")).click())
    open_page(app, "history")
    for name in ("open", "compare", "rerun", "approval"):
        section(app, name)
        assert app.title[0].value == TITLE[lang]
    table = history_table(app)
    assert len(table) == 1
    header = "Kết quả giải" if lang == "vi" else "Solver result"
    assert table[header].tolist() == ["Tối ưu" if lang == "vi" else "Optimal"]


def test_a_run_in_the_app_is_recorded_and_reopens_with_the_same_figures(
    app: AppTest, example: Dataset, history: Store
) -> None:
    plan = solve(example, base_scenario(example))
    run_scenario(app)
    open_page(app, "results")
    shown_in_results = metrics(app)
    assert shown_in_results == headline(plan)

    open_page(app, "history")
    table = history_table(app)
    assert len(table) == 1
    row = table.iloc[0]
    k = plan.kpis
    assert row["Kịch bản"] == BASE_NAME
    assert row["Phiên bản"] == 1
    assert row["Phê duyệt"] == "Bản nháp"
    assert row["Bộ dữ liệu"] == example.info.name
    assert row["Phương pháp"] == "Tối ưu hóa"
    assert row["Kết quả giải"] == "Tối ưu"
    assert row["Xã đạt chuẩn"] == f"{k.at_standard_before} → {k.at_standard_after}"
    assert row["Vốn (tỷ đồng)"] == pytest.approx(k.money_total / 1000)
    assert row["Người chạy"] == USER

    # the store holds it: the scenario without its dataset path, as `ntm run` saves it
    (summary,) = history.list_runs()
    version = history.scenario_version(BASE_NAME)
    assert version.scenario == base_scenario(example).model_copy(update={"dataset": None})
    assert (summary.scenario_version, summary.run_by) == (1, USER)
    assert history.get_run(summary.id).plan.items == plan.items

    # reopened: the Results page's figures, read from the store (nothing solved again)
    assert metrics(app) == shown_in_results
    assert "Phương án tối ưu" in app.success[0].value
    items = app.dataframe[-1].value
    assert set(items["Hạng mục đầu tư"]) == {
        example.investment_by_code[i.investment].name for i in plan.items
    }
    assert [b.label for b in app.download_button] == ["Tải báo cáo Excel"]

    # the same plan shown again in this session is not recorded twice
    open_page(app, "results")
    open_page(app, "scenario")
    assert history.count_runs() == 1


@pytest.mark.slow
def test_an_infeasible_run_is_recorded_and_reopens_with_its_diagnosis(
    app: AppTest, history: Store
) -> None:
    run_scenario(app, name="Sáu xã, nửa vốn", scale=50, target=6)
    (summary,) = history.list_runs()
    assert summary.status == "infeasible"
    open_page(app, "history")
    assert history_table(app)["Kết quả giải"].tolist() == ["Không khả thi"]
    assert "Kịch bản không khả thi" in app.error[0].value
    assert "Vì sao không có phương án" in [h.value for h in app.subheader]
    assert not app.metric


def sign_in_as(app: AppTest, history: Store, name: str) -> None:
    """Another account (every role), and the app's session signed in as it."""
    from conftest import app_test_password

    from store.accounts import Role

    if name not in {u.name for u in history.list_users(by=history.identity(USER))}:
        history.add_user(name, app_test_password(name), set(Role), by=history.identity(USER))
    app.session_state["auth.user"] = name
    run(app)


@pytest.mark.slow
def test_the_signed_in_user_is_recorded(app: AppTest, history: Store) -> None:
    sign_in_as(app, history, "Hùng")
    run_scenario(app)
    assert [r.run_by for r in history.list_runs()] == ["Hùng"]
    open_page(app, "history")
    run(app.selectbox(key="hist.filter_user").set_value("Hùng"))
    assert history_table(app)["Người chạy"].tolist() == ["Hùng"]


@pytest.mark.slow
def test_filters_by_scenario_and_user(app: AppTest, history: Store) -> None:
    run_scenario(app)
    sign_in_as(app, history, "Hùng")
    run_scenario(app, name=CUT_NAME, scale=50)
    open_page(app, "history")
    assert history_table(app)["Kịch bản"].tolist() == [CUT_NAME, BASE_NAME]  # newest first
    run(app.selectbox(key="hist.filter_scenario").set_value(BASE_NAME))
    assert history_table(app)["Kịch bản"].tolist() == [BASE_NAME]
    assert app.selectbox(key="hist.filter_user").options == ["Tất cả", USER]
    run(app.selectbox(key="hist.filter_scenario").set_value(""))
    run(app.selectbox(key="hist.filter_user").set_value("Hùng"))
    assert history_table(app)["Kịch bản"].tolist() == [CUT_NAME]


# -- compare -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_comparing_a_base_and_a_budget_cut_lists_what_changed(
    app: AppTest, example: Dataset, history: Store
) -> None:
    run_scenario(app)
    run_scenario(app, name=CUT_NAME, scale=50)
    base = solve(example, base_scenario(example))
    cut = solve(example, base_scenario(example, name=CUT_NAME, budgets=Budgets(scale=0.5)))
    diff = diff_plans(base, cut)
    assert diff.communes and diff.items  # the cut bites

    open_page(app, "history")
    section(app, "compare")
    newest, older = (r.id for r in history.list_runs())
    assert app.selectbox(key="hist.compare_a").value == older  # A: the base, run first
    assert app.selectbox(key="hist.compare_b").value == newest
    headers = [h.value for h in app.subheader]
    assert f"Xã thay đổi kết quả đạt chuẩn ({len(diff.communes)})" in headers
    assert f"Hạng mục thêm, bỏ hoặc đổi năm ({len(diff.items)})" in headers

    frames = [d.value for d in app.dataframe]
    kpis = next(f for f in frames if "Chỉ tiêu" in f.columns).set_index("Chỉ tiêu")
    standard = kpis.loc["Xã đạt chuẩn nông thôn mới"]
    lost = base.kpis.at_standard_after - cut.kpis.at_standard_after
    assert (standard["A"], standard["B"], standard["Thay đổi"]) == (
        number(base.kpis.at_standard_after),
        number(cut.kpis.at_standard_after),
        f"-{lost}",
    )
    communes = next(f for f in frames if "Năm đạt chuẩn A" in f.columns)
    assert set(communes["Xã"]) == {example.commune_by_code[c.commune].name for c in diff.communes}
    lost_names = {example.commune_by_code[c].name for c in diff.communes_lost}
    assert set(communes[communes["Thay đổi"] == "Không còn đạt chuẩn"]["Xã"]) == lost_names
    items = next(f for f in frames if "Năm bắt đầu A" in f.columns)
    assert set(items["Hạng mục đầu tư"]) == {
        example.investment_by_code[i.investment].name for i in diff.items
    }
    removed = {example.investment_by_code[i.investment].name for i in diff.items_removed}
    assert set(items[items["Thay đổi"] == "Bỏ ra"]["Hạng mục đầu tư"]) == removed
    money = next(f for f in frames if "Năm" in f.columns and "Nguồn vốn" in f.columns)
    expected = {(m.source, m.year): m.change / 1000 for m in diff.money_by_source_year}
    names = {s.code: s.name_vi for s in example.sources}
    shown = {
        (source, int(year)): change
        for source, year, change in zip(
            money["Nguồn vốn"], money["Năm"], money["Thay đổi (tỷ đồng)"], strict=True
        )
    }
    assert shown == pytest.approx({(names[s], y): v for (s, y), v in expected.items()})


# -- re-run --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_rerun_on_the_same_data_reproduces_the_plan(app: AppTest, history: Store) -> None:
    run_scenario(app)
    open_page(app, "history")
    section(app, "rerun")
    assert "trùng với dữ liệu của lần chạy gốc" in texts(app, "caption")
    run(next(b for b in app.button if b.label.startswith("Chạy lại phiên bản 1")).click())
    new, original = history.list_runs()
    assert new.rerun_of == original.id
    assert new.scenario_version_id == original.scenario_version_id
    assert len(history_table(app)) == 2  # the table shows the new run at once
    said = texts(app, "success")
    assert f"Lần chạy mới số {new.id} đã được ghi" in said
    assert "Tái lập chính xác" in said


@pytest.mark.slow
def test_a_rerun_solves_in_a_worker_process_held_to_its_time_limit(
    app: AppTest, history: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Chạy lại" solves as the Scenario page does, in a worker process (application.isolated):
    over its time limit the worker is stopped, the page says so and nothing is recorded."""
    run_scenario(app)
    open_page(app, "history")
    section(app, "rerun")
    monkeypatch.setenv(SECONDS_ENV, "0.001")  # no solve finishes in a millisecond
    run(next(b for b in app.button if b.label.startswith("Chạy lại phiên bản 1")).click())
    assert len(history.list_runs()) == 1  # the original run only
    assert any("phép tính chạy quá 0 giây và đã bị dừng" in e.value for e in app.error)
    monkeypatch.delenv(SECONDS_ENV)
    run(next(b for b in app.button if b.label.startswith("Chạy lại phiên bản 1")).click())
    assert len(history.list_runs()) == 2 and not app.error


@pytest.mark.slow
def test_an_old_scenario_version_reruns_on_new_data(
    app: AppTest, example: Dataset, history: Store
) -> None:
    """A run recorded on last year's package (central budget 3 tỷ đồng a year), re-run on the
    package open now (10 tỷ đồng a year): more communes reach the standard, and the page says
    which."""
    budgets = tuple(
        b.model_copy(update={"amount": 3000}) if b.source_code == "central" else b
        for b in example.budgets
    )
    old_data = example.model_copy(update={"budgets": budgets})
    scenario = base_scenario(example).model_copy(update={"dataset": None})
    cli = history.identity(USER)  # the signed-in account of the app (tests/conftest.py)
    old = history.run_on_dataset(history.save_scenario(scenario, user=cli), old_data, user=cli)
    new_plan = solve(example, scenario)
    diff = diff_plans(old.plan, new_plan)
    assert diff.communes_gained

    open_page(app, "history")
    section(app, "rerun")
    assert "khác dữ liệu của lần chạy gốc" in texts(app, "caption")
    run(next(b for b in app.button if b.label.startswith("Chạy lại phiên bản 1")).click())
    new = history.list_runs()[0]
    assert new.id != old.id and new.rerun_of is None
    assert history.get_run(new.id).plan.items == new_plan.items
    assert "Tái lập chính xác" not in texts(app, "success")
    communes = next(d.value for d in app.dataframe if "Năm đạt chuẩn A" in d.value.columns)
    gained = communes[communes["Thay đổi"] == "Đạt chuẩn thêm"]
    assert set(gained["Xã"]) == {example.commune_by_code[c].name for c in diff.communes_gained}


# -- approval ------------------------------------------------------------------------------------
def click(app: AppTest, label: str) -> AppTest:
    return run(next(b for b in app.button if b.label == label).click())


@pytest.mark.slow
def test_submit_then_approve_and_illegal_steps_are_explained(app: AppTest, history: Store) -> None:
    run_scenario(app)
    open_page(app, "history")
    section(app, "approval")
    assert app.selectbox(key="hist.approval_scenario").value == BASE_NAME

    click(app, "Phê duyệt")  # a draft cannot be approved
    assert "hãy trình duyệt trước khi phê duyệt" in app.error[0].value
    assert history.scenario_version(BASE_NAME, 1).state == ApprovalState.DRAFT

    click(app, "Trình duyệt")
    assert history.scenario_version(BASE_NAME, 1).state == ApprovalState.SUBMITTED
    assert "phiên bản 1: Đã trình duyệt" in app.success[0].value
    app.text_area[0].set_value("Đúng chủ trương của Tỉnh ủy")
    click(app, "Phê duyệt")
    version = history.scenario_version(BASE_NAME, 1)
    assert (version.state, version.state_by) == (ApprovalState.APPROVED, USER)
    assert "đóng băng" in app.info[0].value and "phiên bản mới" in app.info[0].value
    steps = app.dataframe[-1].value
    assert steps["Sang"].tolist() == ["Đã trình duyệt", "Đã phê duyệt"]
    assert steps["Ghi chú"].tolist() == ["", "Đúng chủ trương của Tỉnh ủy"]
    assert history_table(app)["Phê duyệt"].tolist() == ["Đã phê duyệt"]

    click(app, "Trả lại")  # an approved version is frozen
    assert "đã được phê duyệt và đóng băng" in app.error[0].value
    assert "lưu thay đổi thành phiên bản mới" in app.error[0].value
    assert history.scenario_version(BASE_NAME, 1).state == ApprovalState.APPROVED

    # an edit run under the same name is named "… (bản sửa)" (a new line, not a new version);
    # typing the name back makes version 2, a draft; version 1 stays
    run_scenario(app, scale=90)
    assert history.scenario_version(BASE_NAME).version == 1
    assert history.scenario_version(f"{BASE_NAME} (bản sửa)").version == 1
    run_scenario(app, name=BASE_NAME)
    assert history.scenario_version(BASE_NAME).version == 2
    assert history.scenario_version(BASE_NAME, 2).state == ApprovalState.DRAFT
    assert history.scenario_version(BASE_NAME, 1).scenario.budgets.scale == 1.0


# -- a store that cannot be opened ---------------------------------------------------------------
def test_an_unusable_store_stops_the_app_and_says_why(
    app: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """User accounts live in the store, so without it nobody can sign in: the app says which
    store cannot be opened and why, and shows no page (before accounts it solved unrecorded)."""
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the store's folder should be")
    monkeypatch.setenv("NTM_DATABASE_URL", str(blocker / "history.db"))
    run(app)
    assert len(app.error) == 1
    assert "Không mở được kho lịch sử" in app.error[0].value
    assert "not_a_folder" in app.error[0].value
    assert not app.metric and not app.dataframe and not app.button
