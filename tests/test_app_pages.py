"""The planning pages through streamlit.testing: each renders in both languages, and the figures
they show are those of a direct solve of the same question.

They run on data/example (6 communes, solved in well under a second); the Sơn La run is marked
slow. Saved scenarios and imported packages go to a temporary user folder (NTM_USER_DIR).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models import Dataset
from models.io import load_package, save_excel
from models.scenario import (
    BudgetOverride,
    Budgets,
    Horizon,
    Scenario,
    SolverSettings,
    Targets,
)
from models.scenario_io import load_scenario
from optimizer.explain import force_commune
from optimizer.frontier import budget_frontier
from optimizer.plan import Plan
from optimizer.solve import solve
from ui.format import number
from ui.level_text import level_value
from ui.runs import DEFAULT_TIME_LIMIT, RUNS_KEY, USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR, SON_LA_2021_PATH

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
EXAMPLE = ROOT / "data" / "example"
APP_TIMEOUT = 120
"""Seconds for one script run (a Sơn La solve takes 15-25 s on two cores)."""
PAGES = (
    "data",
    "import_data",
    "scenario",
    "results",
    "compare",
    "frontier",
    "districts",
    "commune",
    "history",
)
TITLES = {
    "vi": {
        "data": "Hiện trạng tiêu chí nông thôn mới",
        "import_data": "Nhập bộ dữ liệu",
        "scenario": "Kịch bản phân bổ vốn",
        "results": "Kết quả phân bổ vốn",
        "compare": "So sánh các phương án",
        "frontier": "Đường biên ngân sách",
        "districts": "Xã theo huyện và nhóm",
        "commune": "Xã trong kế hoạch",
        "history": "Lịch sử chạy và phê duyệt",
    },
    "en": {
        "data": "Where communes stand on the NTM criteria",
        "import_data": "Import a data package",
        "scenario": "Allocation scenario",
        "results": "Allocation results",
        "compare": "Compare plans",
        "frontier": "Budget frontier",
        "districts": "Communes by district and group",
        "commune": "A commune in the plan",
        "history": "Run history and approvals",
    },
}
BASE_NAME = "Phương án cơ sở – Ví dụ 6 xã (example)"
"""The scenario the app builds for data/example (it has no shipped scenario)."""
PHIENG_SAN = "90004"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    """The app on data/example, writing into a temporary user folder, after its first run."""
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    return run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))


def run(target) -> AppTest:
    """Run the app (``target``: the AppTest, or a widget just set) and check it raised nothing."""
    app = target.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def open_page(app: AppTest, page: str) -> AppTest:
    return run(app.switch_page(f"ui/pages/{page}.py"))


def key(app: AppTest, name: str) -> str:
    """A Scenario-form widget's key at the form's current version (the budget inputs, outside
    the form, also carry the version of the budgets they show)."""
    version = app.session_state.get("sc.version", 0)
    if name in ("scale", "budgets"):
        budgets = app.session_state.get("sc.budget_version", 0)
        return f"sc.{name}.{version}.{budgets}"
    return f"sc.{name}.{version}"


def run_scenario(
    app: AppTest,
    name: str | None = None,
    scale: float | None = None,
    target: int | None = None,
    disbursement: float | None = None,
) -> AppTest:
    """On the Scenario page, optionally rename, rescale, set a target and a disbursement rate (%),
    then «Chạy kịch bản».

    Form widgets keep a new value only until the form is submitted or the page reruns, so they are
    set here, just before the button is pressed.
    """
    open_page(app, "scenario")
    if name is not None:
        app.text_input(key=key(app, "name")).set_value(name)
    if scale is not None:
        app.number_input(key=key(app, "scale")).set_value(scale)
    if target is not None:
        app.number_input(key=key(app, "target")).set_value(target)
    if disbursement is not None:
        app.number_input(key=key(app, "disbursement")).set_value(disbursement)
    button = next(b for b in app.button if b.label == "Chạy kịch bản")
    return run(button.click())


def metrics(app: AppTest) -> list[tuple[str, str, str]]:
    return [(m.label, m.value, m.proto.delta) for m in app.metric]


def base_scenario(dataset: Dataset, **changes) -> Scenario:
    """What the app's base plan for data/example should be, built here independently."""
    scenario = Scenario(
        name=BASE_NAME,
        dataset=str(EXAMPLE.resolve()),
        horizon=Horizon(start=2026, end=2027),
        solver=SolverSettings(time_limit=DEFAULT_TIME_LIMIT),
    )
    return scenario.model_copy(update=changes)


def app_scenario(app: AppTest, label: str) -> Scenario:
    return app.session_state[RUNS_KEY][label].scenario_model()


def headline(plan: Plan) -> list[tuple[str, str, str]]:
    """The Results page's four metrics for ``plan``, worked out from its KPIs."""
    k = plan.kpis
    return [
        (
            "Xã đạt chuẩn nông thôn mới",
            number(k.at_standard_after),
            f"+{k.at_standard_after - k.at_standard_before} xã (hiện nay {k.at_standard_before})",
        ),
        (
            f"Xã đạt từ {k.floor} tiêu chí",
            number(k.at_floor_after),
            f"+{k.at_floor_after - k.at_floor_before} xã (hiện nay {k.at_floor_before})",
        ),
        (
            "Bình quân tiêu chí/xã",
            number(k.mean_criteria_after, 1),
            f"+{number(k.mean_criteria_after - k.mean_criteria_before, 1)} "
            f"(hiện nay {number(k.mean_criteria_before, 1)})",
        ),
        (
            "Vốn sử dụng (tỷ đồng)",
            number(k.money_total / 1000, 1),
            f"{number(k.money_total / k.budget_total * 100, 1)}% ngân sách",
        ),
    ]


# -- every page, both languages ------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_renders_before_and_after_a_run(app: AppTest, lang: str) -> None:
    if lang == "en":
        run(app.sidebar.radio(key="lang").set_value("en"))
    for page in PAGES:
        open_page(app, page)
        assert app.title[0].value == TITLES[lang][page]
    open_page(app, "scenario")
    run(next(b for b in app.button if b.label in ("Chạy kịch bản", "Run scenario")).click())
    for page in ("results", "compare", "frontier", "commune"):
        open_page(app, page)
        assert app.title[0].value == TITLES[lang][page]
    open_page(app, "results")
    assert len(app.metric) == 4
    assert len(app.get("vega_lite_chart")) == 4  # district, criterion, source, year
    words = "Vốn theo huyện" if lang == "vi" else "Money by district"
    assert words in [h.value for h in app.subheader]


def test_pages_render_no_stray_strings() -> None:
    """Page files run as scripts, where Streamlit's magic would print a bare string literal."""
    for path in sorted((ROOT / "ui" / "pages").glob("*.py")):
        body = ast.parse(path.read_text(encoding="utf-8")).body[1:]
        stray = [
            node.lineno
            for node in body
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        ]
        assert not stray, f"{path.name}: bare literals at lines {stray}"


# -- running scenarios ---------------------------------------------------------------------------
def test_run_the_base_scenario_shows_the_direct_solve(app: AppTest, example: Dataset) -> None:
    expected = base_scenario(example)
    plan = solve(example, expected)
    run_scenario(app)
    assert app_scenario(app, BASE_NAME) == expected
    assert metrics(app) == [headline(plan)[i] for i in (0, 1)] + [
        ("Vốn sử dụng (tỷ đồng)", *headline(plan)[3][1:])
    ]
    open_page(app, "results")
    assert metrics(app) == headline(plan)
    assert "Phương án tối ưu" in app.success[0].value
    items = app.dataframe[-1].value
    assert len(items) == len(plan.items)
    names = {example.investment_by_code[i.investment].name for i in plan.items}
    assert set(items["Hạng mục đầu tư"]) == names  # names, not codes


@pytest.mark.slow
def test_the_progress_box_lists_each_level_as_it_is_settled(app: AppTest, example: Dataset) -> None:
    """While a scenario solves, its progress box gets one line per settled objective level, so
    the first answer shows before the tie-breaking levels are done; the lines carry the plan's
    values, in order, and are not replayed when a later page takes the plan from the cache."""
    name = "Tiến độ từng mức"  # a question no other test asked, so it is solved here
    plan = solve(example, base_scenario(example, name=name))
    run_scenario(app, name=name)
    lines = [m.value for m in app.markdown if m.value.startswith("Mức ")]
    total = len(plan.levels)
    assert len(lines) == total
    for order, (line, level) in enumerate(zip(lines, plan.levels, strict=True), start=1):
        assert line.startswith(f"Mức {order}/{total} — ")
        assert f"**{level_value(level, level.value, 'vi')}**" in line
        assert "(đã chứng minh tối ưu)" in line
    assert f"**{number(plan.levels[0].value, 0)}**" in lines[0]
    assert "Nhiều xã đạt chuẩn nông thôn mới nhất" in lines[0]
    open_page(app, "results")  # the plan comes from the cache: no progress lines again
    assert not [m.value for m in app.markdown if m.value.startswith("Mức ")]
    run(app)
    assert not [m.value for m in app.markdown if m.value.startswith("Mức ")]


@pytest.mark.slow
def test_edit_a_budget_then_run(app: AppTest, example: Dataset) -> None:
    """Central budget 2027 cut from 10 to 4 tỷ đồng in the editor: an exact override of 4,000."""
    open_page(app, "scenario")
    editor = key(app, "budgets")
    assert list(app.data_editor(key=editor).value.index) == [s.code for s in example.sources]
    app.session_state[editor] = {
        "edited_rows": {0: {"2027": 4.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    run_scenario(app, name="Cắt vốn trung ương 2027")
    expected = base_scenario(
        example,
        name="Cắt vốn trung ương 2027",
        budgets=Budgets(overrides=(BudgetOverride(source="central", year=2027, amount=4000),)),
    )
    assert app_scenario(app, "Cắt vốn trung ương 2027") == expected
    plan = solve(example, expected)
    base = solve(example, base_scenario(example))
    assert plan.kpis.at_standard_after < base.kpis.at_standard_after  # the cut bites
    open_page(app, "results")
    assert metrics(app) == headline(plan)


@pytest.mark.slow
def test_a_disbursement_rate_set_in_the_form_reaches_the_plan(
    app: AppTest, example: Dataset
) -> None:
    """Half the money on hand paid out a year: 4 communes reach the standard, not the base's 5
    (2027 can spend only half of what is left). Letting 2027 pay out everything, in the per-year
    editor, gives the 5 back while 2026 stays at half."""
    base = solve(example, base_scenario(example))
    run_scenario(app, name="Giải ngân 50%", disbursement=50)
    half = base_scenario(example, name="Giải ngân 50%", budgets=Budgets(disbursement_rate=0.5))
    assert app_scenario(app, "Giải ngân 50%") == half
    plan = solve(example, half)
    assert plan.kpis.at_standard_after == base.kpis.at_standard_after - 1 == 4
    assert app.number_input(key=key(app, "disbursement")).value == 50  # the form shows it again
    open_page(app, "results")
    assert metrics(app) == headline(plan)

    open_page(app, "scenario")
    editor = key(app, "disbursement_years")
    assert list(app.data_editor(key=editor).value.columns) == ["2026", "2027"]
    app.session_state[editor] = {
        "edited_rows": {0: {"2027": 100.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    run_scenario(app, name="Giải ngân 50%, năm 2027 đủ")
    late = base_scenario(
        example,
        name="Giải ngân 50%, năm 2027 đủ",
        budgets=Budgets(disbursement_rate=0.5, disbursement_by_year={2027: 1.0}),
    )
    assert app_scenario(app, "Giải ngân 50%, năm 2027 đủ") == late
    plan = solve(example, late)
    assert plan.kpis.at_standard_after == base.kpis.at_standard_after
    assert plan.kpis.money_by_year.get(2026, 0) <= 0.5 * 13_000
    open_page(app, "results")
    assert metrics(app) == headline(plan)


@pytest.mark.slow
def test_compare_two_scenarios_shows_the_right_deltas(app: AppTest, example: Dataset) -> None:
    run_scenario(app)
    run_scenario(app, name="Cắt giảm 50%", scale=50)
    base = solve(example, base_scenario(example))
    cut = solve(example, base_scenario(example, name="Cắt giảm 50%", budgets=Budgets(scale=0.5)))
    assert app_scenario(app, "Cắt giảm 50%").budgets == Budgets(scale=0.5)

    open_page(app, "compare")
    app.multiselect(key="cmp.chosen").set_value([f"run:{BASE_NAME}", "run:Cắt giảm 50%"])
    run(app.button[0].click())
    shown = metrics(app)
    assert len(shown) == 12  # six figures for each of the two plans
    a, b = shown[:6], shown[6:]
    assert a[0] == (
        "Xã đạt chuẩn nông thôn mới",
        number(base.kpis.at_standard_after),
        "Phương án gốc",
    )
    lost = base.kpis.at_standard_after - cut.kpis.at_standard_after
    assert b[0] == (
        "Xã đạt chuẩn nông thôn mới",
        number(cut.kpis.at_standard_after),
        f"-{lost} xã",
    )
    unspent = (cut.kpis.budget_total - cut.kpis.money_total) / 1000  # not a delta: no saving
    assert b[4] == (
        "Vốn sử dụng (tỷ đồng)",
        number(cut.kpis.money_total / 1000, 1),
        f"chưa dùng {number(unspent, 1)} tỷ đồng" if round(unspent, 1) else "dùng hết ngân sách",
    )
    sources = app.dataframe[1].value  # money moved between sources, million VND
    central = sources.set_index("Nguồn vốn").loc["Ngân sách trung ương"]
    assert central["B − A"] == pytest.approx(
        cut.kpis.money_by_source.get("central", 0) - base.kpis.money_by_source.get("central", 0)
    )
    differs = app.dataframe[2].value
    expected = {
        example.commune_by_code[c.commune].name
        for c, d in zip(base.communes, cut.communes, strict=True)
        if c.counted
        and (c.criteria_after, c.at_standard_after) != (d.criteria_after, d.at_standard_after)
    }
    assert set(differs["Xã"]) == expected


@pytest.mark.slow
def test_an_infeasible_scenario_explains_itself(app: AppTest, example: Dataset) -> None:
    """All six communes at standard with half the money cannot be: the diagnosis says how many."""
    run_scenario(app, name="Sáu xã, nửa vốn", scale=50, target=6)
    expected = base_scenario(
        example,
        name="Sáu xã, nửa vốn",
        budgets=Budgets(scale=0.5),
        targets=Targets(communes_at_standard=6),
    )
    assert app_scenario(app, "Sáu xã, nửa vốn") == expected
    plan = solve(example, expected)
    assert not plan.feasible
    assert app.error and "không khả thi" in app.error[0].value.lower()
    open_page(app, "results")
    assert "Kịch bản không khả thi" in app.error[0].value
    text = "\n".join(m.value for m in app.markdown)
    assert "Mục tiêu 6 xã đạt chuẩn đến năm 2027" in text
    best = next(r for r in plan.diagnosis.relaxations if r.policy == "target_communes_at_standard")
    assert f"tối đa **{number(best.amount)} xã** đạt chuẩn đến năm 2027" in text
    assert not app.metric


# -- scenarios as files --------------------------------------------------------------------------
@pytest.mark.slow
def test_save_then_load_a_scenario(app: AppTest, tmp_path: Path) -> None:
    open_page(app, "scenario")
    app.text_input(key=key(app, "name")).set_value("Ưu tiên xã biên giới")
    app.number_input(key=key(app, "scale")).set_value(120)
    run(next(b for b in app.button if b.label == "Lưu kịch bản").click())
    saved = tmp_path / "user" / "scenarios" / "uu_tien_xa_bien_gioi.yaml"
    assert saved.is_file()
    assert any("Đã lưu kịch bản" in s.value for s in app.success)
    scenario = load_scenario(saved)
    assert (scenario.name, scenario.budgets.scale) == ("Ưu tiên xã biên giới", 1.2)

    run(app.selectbox(key="sc.start").set_value("default"))  # back to the plain base plan
    assert app.text_input(key=key(app, "name")).value == BASE_NAME
    run(app.selectbox(key="sc.start").set_value(f"file:{saved}"))
    assert app.text_input(key=key(app, "name")).value == "Ưu tiên xã biên giới"
    assert app.number_input(key=key(app, "scale")).value == 120
    assert app.selectbox(key="sc.start").value == "current"


# -- frontier and commune ------------------------------------------------------------------------
@pytest.mark.slow
def test_frontier_marks_the_current_budget(app: AppTest, example: Dataset) -> None:
    open_page(app, "frontier")
    run(app.button[0].click())
    scenario = base_scenario(example)
    frontier = budget_frontier(example, scenario, 7, 0.25, 1.75)
    at_one = next(p for p in frontier.points if p.scale == 1.0)
    shown = dict((label, value) for label, value, _ in metrics(app))
    assert shown["Ngân sách hiện tại"] == "28,0 tỷ đồng"
    assert shown["Xã đạt chuẩn với ngân sách hiện tại"] == number(at_one.communes_at_standard)
    points = app.dataframe[1].value  # after the figures at 100% (frontier and plan)
    assert list(points["Xã đạt chuẩn"]) == [number(p.communes_at_standard) for p in frontier.points]
    triage = app.dataframe[-1].value
    dropping = [e for e in frontier.triage if e.scale < 1.0]
    assert list(triage["Xã"]) == [example.commune_by_code[e.commune].name for e in dropping]
    run(app)  # a rerun takes the frontier from the cache (replaying its progress bar crashed)
    assert dict((label, value) for label, value, _ in metrics(app)) == shown
    assert not app.get("progress")


@pytest.mark.slow
def test_commune_what_if_names_the_communes_it_costs(app: AppTest, example: Dataset) -> None:
    run_scenario(app)
    open_page(app, "commune")
    run(app.selectbox(key="commune.code").set_value(PHIENG_SAN))
    assert app.subheader[0].value == "Xã Phiêng Sản"
    criteria = app.dataframe[0].value
    assert len(criteria) == example.criteria.size
    assert criteria.iloc[0]["Hiện nay"] == "Chưa đạt — thiếu 4 km"
    run(next(b for b in app.button if b.label == "Buộc xã đạt chuẩn").click())
    scenario = base_scenario(example)
    answer = force_commune(example, scenario, PHIENG_SAN, base=solve(example, scenario))
    said = "\n".join(x.value for x in [*app.warning, *app.success])
    assert "Buộc Xã Phiêng Sản đạt chuẩn" in said
    assert f"{answer.base_at_standard} → {answer.new_at_standard}" in said
    lost = [example.commune_by_code[c].name for c in answer.lost if c != PHIENG_SAN]
    if lost:
        text = "\n".join(m.value for m in app.markdown)
        assert f"**Xã mất chuẩn:** {', '.join(lost)}" in text


# -- importing a package -------------------------------------------------------------------------
@pytest.mark.slow
def test_a_broken_upload_lists_its_problems_and_keeps_the_data(
    app: AppTest, dataset: Dataset, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    good = save_excel(dataset, tmp_path / "good.xlsx")
    workbook = load_workbook(good)
    sheet = workbook["communes"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("region") + 1).value = "IV"
    sheet.cell(row=3, column=header.index("population") + 1).value = "nhiều"
    broken = tmp_path / "hỏng.xlsx"
    workbook.save(broken)

    open_page(app, "data")
    before = metrics(app)
    open_page(app, "import_data")
    uploader = app.file_uploader[0]
    run(uploader.set_value(("hỏng.xlsx", broken.read_bytes(), "application/octet-stream")))
    assert app.error[0].value == "Tệp «hỏng.xlsx» có 2 lỗi, chưa được dùng."
    problems = app.dataframe[0].value
    assert list(problems.columns) == ["Tệp / trang tính", "Dòng", "Cột", "Lỗi"]
    assert set(zip(problems["Dòng"], problems["Cột"], strict=True)) == {
        ("2", "region"),
        ("3", "population"),
    }
    assert all(where.startswith("hỏng.xlsx") for where in problems["Tệp / trang tính"])
    assert not list((tmp_path / "user" / "uploads").glob("*"))  # nothing of it is kept
    open_page(app, "data")
    assert metrics(app) == before  # still data/example

    open_page(app, "import_data")
    run(app.file_uploader[0].set_value(("tốt.xlsx", good.read_bytes(), "x")))
    assert app.success[0].value == "Tệp «tốt.xlsx» hợp lệ và đang được dùng."
    open_page(app, "data")
    assert "Sơn La thử nghiệm" in app.markdown[0].value
    open_page(app, "scenario")  # the scenario follows the package: its own budget years
    assert app.selectbox(key=key(app, "start")).value == 2022


# -- Sơn La --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_son_la_pooled_base_in_the_app_is_the_direct_solve(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not SON_LA_2021_PATH.exists():
        pytest.skip("data/son_la_2021 is not built")
    monkeypatch.setenv(DATA_ENV_VAR, str(SON_LA_2021_PATH))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    shipped = load_scenario(ROOT / "scenarios" / "son_la_2021_2025.yaml")
    run_scenario(app)
    assert app_scenario(app, shipped.name) == shipped
    plan = solve(load_package(SON_LA_2021_PATH), shipped)
    open_page(app, "results")
    assert metrics(app)[:3] == headline(plan)[:3]
    assert metrics(app)[3][1] == number(plan.kpis.money_total / 1000, 1)
    assert app.title[0].value == "Kết quả phân bổ vốn"


@pytest.mark.slow
def test_a_baseline_rule_compares_with_the_optimizer(app: AppTest, example: Dataset) -> None:
    from optimizer.baselines import BASELINES

    run_scenario(app)
    open_page(app, "compare")
    app.multiselect(key="cmp.chosen").set_value([f"run:{BASE_NAME}", "baseline:formula"])
    run(app.button[0].click())
    formula = BASELINES["formula"](example, base_scenario(example))
    shown = metrics(app)
    assert shown[6][:2] == ("Xã đạt chuẩn nông thôn mới", number(formula.kpis.at_standard_after))
    assert "Phân bổ theo định mức (hệ số)" in [c.value for c in app.caption]


@pytest.mark.slow
def test_results_offer_the_excel_report(app: AppTest, example: Dataset) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from ui.plan_view import plan_workbook

    run_scenario(app)
    open_page(app, "results")
    assert [b.label for b in app.download_button] == ["Tải báo cáo Excel"]
    scenario = base_scenario(example)
    workbook = load_workbook(
        BytesIO(plan_workbook(solve(example, scenario), example, scenario, "vi"))
    )
    assert len(workbook.sheetnames) >= 5


def test_a_broken_scenario_file_is_reported_and_changes_nothing(app: AppTest) -> None:
    open_page(app, "scenario")
    text = "name: Hỏng\nhorizon: {start: 2027, end: 2026}\nobjectives: [fastest]\n"
    run(app.file_uploader(key="sc.file").set_value(("hỏng.yaml", text.encode(), "text/yaml")))
    assert app.error[0].value == "Không dùng được tệp kịch bản hỏng.yaml:"
    problems = app.code[0].value
    assert "horizon: năm đầu 2027 sau năm cuối 2026" in problems
    assert "objectives.0" in problems
    assert app.text_input(key=key(app, "name")).value == BASE_NAME


@pytest.mark.slow
def test_a_zip_of_csv_files_is_imported(app: AppTest, csv_package: Path, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "goi.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(csv_package.iterdir()):
            zipped.write(path, path.name)
    open_page(app, "import_data")
    run(app.file_uploader[0].set_value(("gói.zip", archive.read_bytes(), "x")))
    assert app.success[0].value == "Tệp «gói.zip» hợp lệ và đang được dùng."
    assert "3 xã · 4 hạng mục · 3 nguồn vốn" in "\n".join(m.value for m in app.markdown)
    run(next(b for b in app.button if b.label == "Quay lại bộ dữ liệu mặc định").click())
    open_page(app, "data")
    assert "Ví dụ 6 xã" in app.markdown[0].value
