"""Safeguards of the app's pages (issue #17) through streamlit.testing on data/example: an edited
scenario never takes another's name, a save never replaces another file unasked, comparisons keep
their plans, unspent money and names from data read as what they are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import (
    APP,
    APP_TIMEOUT,
    BASE_NAME,
    EXAMPLE,
    app_scenario,
    key,
    open_page,
    run,
    run_scenario,
)

from models import Dataset
from models.scenario import Budgets, Scenario
from models.scenario_io import load_scenario
from optimizer.baselines import BASELINES
from optimizer.frontier import budget_frontier
from optimizer.groups import Grouping, below_floor_costs
from optimizer.solve import solve
from ui.format import literal, number
from ui.frontier_view import triage_ranks
from ui.runs import RUNS_KEY, USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR, SON_LA_2021_PATH

EDITED = f"{BASE_NAME} (bản sửa)"
SHIPPED = Path(__file__).resolve().parents[1] / "scenarios" / "son_la_2021_2025.yaml"
"""The first shipped scenario for the Sơn La data: the one the Scenario page starts from."""


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    return run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))


def press(app: AppTest, label: str) -> AppTest:
    return run(next(b for b in app.button if b.label == label).click())


# -- 1. the rename trap --------------------------------------------------------------------------
@pytest.mark.slow
def test_an_edited_scenario_run_without_a_new_name_gets_its_own(app: AppTest) -> None:
    """The base is run, then cut to 80% and run again under the same name: the cut is named
    "… (bản sửa)", the page says so, and the base's run is still there to compare with."""
    run_scenario(app)
    run_scenario(app, scale=80)
    assert set(app.session_state[RUNS_KEY]) == {BASE_NAME, EDITED}
    assert app_scenario(app, BASE_NAME).budgets == Budgets()
    assert app_scenario(app, EDITED).budgets == Budgets(scale=0.8)
    assert any("bản sửa" in w.value and "không thay thế" in w.value for w in app.warning)
    assert app.text_input(key=key(app, "name")).value == EDITED

    run_scenario(app, scale=60)  # an edit of the edit is counted on, not suffixed twice
    assert f"{BASE_NAME} (bản sửa 2)" in app.session_state[RUNS_KEY]


@pytest.mark.slow
def test_the_same_question_or_a_new_name_keeps_the_name(app: AppTest) -> None:
    run_scenario(app)
    run_scenario(app)  # nothing changed: the same run again
    run_scenario(app, name="Cắt 20%", scale=80)  # a name the user typed is kept
    assert set(app.session_state[RUNS_KEY]) == {BASE_NAME, "Cắt 20%"}
    assert not app.warning


@pytest.mark.slow
def test_an_edit_of_a_shipped_scenario_is_saved_under_its_own_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On the Sơn La data, the shipped pooled scenario cut to 80% and saved without a new name is
    written as "… (bản sửa)", never under the shipped scenario's name (nothing is solved)."""
    monkeypatch.setenv(DATA_ENV_VAR, str(SON_LA_2021_PATH))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    open_page(app, "scenario")
    shipped = load_scenario(SHIPPED)
    assert app.text_input(key=key(app, "name")).value == shipped.name
    app.number_input(key=key(app, "scale")).set_value(80)
    press(app, "Lưu kịch bản")
    saved = list((tmp_path / "user" / "scenarios").glob("*.yaml"))
    assert [load_scenario(p).name for p in saved] == [f"{shipped.name} (bản sửa)"]
    assert load_scenario(saved[0]).budgets.scale == 0.8


# -- 3. a save never replaces another file unasked -----------------------------------------------
def save_as(app: AppTest, name: str, scale: float) -> AppTest:
    open_page(app, "scenario")
    app.text_input(key=key(app, "name")).set_value(name)
    app.number_input(key=key(app, "scale")).set_value(scale)
    return press(app, "Lưu kịch bản")


@pytest.mark.slow
def test_a_save_onto_another_scenario_file_asks_first(app: AppTest, tmp_path: Path) -> None:
    """«Cắt 20% vốn» and «Cat 20 von» share cat_20_von.yaml: the second save asks; «Không ghi đè»
    keeps the first, «Ghi đè» replaces it; messages name the file, never the server's folder."""
    target = tmp_path / "user" / "scenarios" / "cat_20_von.yaml"
    save_as(app, "Cắt 20% vốn", 80)
    assert load_scenario(target).name == "Cắt 20% vốn"
    message = next(s.value for s in app.success if "Đã lưu" in s.value)
    assert "cat_20_von.yaml" in message and str(tmp_path) not in message

    save_as(app, "Cat 20 von", 70)
    assert load_scenario(target).name == "Cắt 20% vốn"  # not yet replaced
    assert any("cat_20_von.yaml" in w.value and "Ghi đè" in w.value for w in app.warning)
    press(app, "Không ghi đè")
    assert load_scenario(target).name == "Cắt 20% vốn"
    assert any("Chưa lưu" in i.value for i in app.info)

    save_as(app, "Cat 20 von", 70)
    press(app, "Ghi đè")
    replaced = load_scenario(target)
    assert (replaced.name, replaced.budgets.scale) == ("Cat 20 von", 0.7)
    message = next(s.value for s in app.success if "Đã lưu" in s.value)
    assert "cat_20_von.yaml" in message and str(tmp_path) not in message


@pytest.mark.slow
def test_saving_the_same_scenario_again_does_not_ask(app: AppTest, tmp_path: Path) -> None:
    save_as(app, "Cắt 20% vốn", 80)
    save_as(app, "Cắt 20% vốn", 80)
    assert not app.warning
    assert any("Đã lưu" in s.value for s in app.success)


# -- 2. a comparison keeps its plans -------------------------------------------------------------
def plan_headers(app: AppTest) -> list[str]:
    """The bold "A · name" line over each plan's column of figures."""
    return [m.value for m in app.markdown if m.value.startswith("**") and " · " in m.value]


@pytest.mark.slow
def test_three_compared_plans_survive_a_page_and_a_language_change(app: AppTest) -> None:
    """Base, a 50% cut and the formula rule on the cut are compared; after the Data page and the
    English switch the Compare page shows the same three plans under the same letters."""
    run_scenario(app)
    run_scenario(app, name="Cắt giảm 50%", scale=50)
    open_page(app, "compare")
    chosen = [f"run:{BASE_NAME}", "run:Cắt giảm 50%", "baseline:formula"]
    app.multiselect(key="cmp.chosen").set_value(chosen)
    run(app.button[0].click())
    before = plan_headers(app)
    assert len(before) == 3 and len(app.metric) == 18
    assert [h[2] for h in before] == ["A", "B", "C"]

    open_page(app, "data")
    run(app.sidebar.radio(key="lang").set_value("en"))
    open_page(app, "compare")
    assert len(app.multiselect(key="cmp.chosen").value) == 3
    after = plan_headers(app)
    assert len(after) == 3 and len(app.metric) == 18
    assert [h.split(" · ")[:2] for h in after][:2] == [h.split(" · ")[:2] for h in before][:2]
    assert after[2].startswith("**C · Cắt giảm 50%")

    run(app.sidebar.radio(key="lang").set_value("vi"))
    assert plan_headers(app) == before


# -- 5. unspent money reads as unspent -----------------------------------------------------------
@pytest.mark.slow
def test_money_a_rule_leaves_unspent_reads_as_unspent(app: AppTest, example: Dataset) -> None:
    """The formula rule spends less than the optimizer: its money figure says how much of its
    budget is unspent, never a negative change that reads like a saving."""
    run_scenario(app)
    open_page(app, "compare")
    app.multiselect(key="cmp.chosen").set_value([f"run:{BASE_NAME}", "baseline:formula"])
    run(app.button[0].click())
    scenario = app_scenario(app, BASE_NAME)
    formula = BASELINES["formula"](example, scenario)
    unspent = formula.kpis.budget_total - formula.kpis.money_total
    assert unspent > 1000  # the rule leaves more than 1 tỷ đồng unspent on this data
    money = [m for m in app.metric if m.label == "Vốn sử dụng (tỷ đồng)"]
    assert money[1].value == number(formula.kpis.money_total / 1000, 1)
    assert money[1].proto.delta == f"chưa dùng {number(unspent / 1000, 1)} tỷ đồng"
    assert not any(m.proto.delta.startswith(("-", "−")) for m in money)


# -- 10. names from data are shown as written ----------------------------------------------------
MARKUP_NAME = "**Xã Nà Pát** [bấm vào đây](https://evil.example/) :red[đỏ] $x$"
"""A commune name with bold, a link, a Streamlit colour directive and LaTeX."""
MARKUP_PIECES = ("**Xã Nà Pát**", "](https://", "https:", "https\\:", ":red[", "$x$")
"""What would render as markup if the name reached markdown unescaped."""


@pytest.fixture
def markup_package(tmp_path: Path) -> Path:
    """data/example with commune 90001 renamed to :data:`MARKUP_NAME` (also its district)."""
    folder = tmp_path / "markup"
    shutil.copytree(EXAMPLE, folder)
    communes = pd.read_csv(folder / "communes.csv", dtype=str, keep_default_na=False)
    communes.loc[communes["code"] == "90001", "name"] = MARKUP_NAME
    communes.to_csv(folder / "communes.csv", index=False)
    return folder


def markdown_sources(app: AppTest) -> list[str]:
    """The markdown source of everything the page renders as markdown."""
    elements = [
        *app.title,
        *app.header,
        *app.subheader,
        *app.markdown,
        *app.caption,
        *app.success,
        *app.info,
        *app.warning,
        *app.error,
    ]
    return [e.value for e in elements] + [m.label for m in app.metric]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_commune_name_with_markup_shows_as_written_on_every_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, markup_package: Path, lang: str
) -> None:
    """Every page, the Commune page on that commune with its what-if answer included: the name
    reaches markdown only escaped (the browser test reads it on screen)."""
    monkeypatch.setenv(DATA_ENV_VAR, str(markup_package))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    if lang == "en":
        run(app.sidebar.radio(key="lang").set_value("en"))
    app.session_state["commune.code"] = "90001"
    open_page(app, "scenario")
    press(app, {"vi": "Chạy kịch bản", "en": "Run scenario"}[lang])
    seen = []
    for page in ("data", "scenario", "results", "compare", "frontier", "commune", "history"):
        open_page(app, page)
        if page == "commune":
            app.session_state["commune.what_if"] = (
                next(iter(app.session_state[RUNS_KEY])),
                "90001",
                "exclude",
            )
            run(app)
            assert literal(MARKUP_NAME) in app.subheader[0].value
        for source in markdown_sources(app):
            assert not any(piece in source for piece in MARKUP_PIECES), (page, source)
            seen.append(source)
    assert sum(literal(MARKUP_NAME) in s for s in seen) >= 2  # the title and the what-if answer


# -- 15. the budget form -------------------------------------------------------------------------
def total_caption(app: AppTest) -> str:
    return next(c.value for c in app.caption if c.value.startswith("Tổng ngân sách"))


@pytest.mark.slow
def test_a_changed_factor_updates_the_amounts_and_the_total_at_once(
    app: AppTest, example: Dataset
) -> None:
    """The overall factor set to 80%: before any run, the table's amounts and the total are 80%
    of the package's budgets."""
    open_page(app, "scenario")
    budgets = app.data_editor(key=key(app, "budgets")).value
    full = sum(float(x.amount) for x in example.budgets) / 1000
    assert f"**{number(full, 1)} tỷ đồng**" in total_caption(app)
    run(app.number_input(key=key(app, "scale")).set_value(80))
    changed = app.data_editor(key=key(app, "budgets")).value
    years = [c for c in budgets.columns if c not in ("name", "factor")]
    assert (changed[years] - budgets[years] * 0.8).abs().to_numpy().max() < 1e-9
    assert f"**{number(full * 0.8, 1)} tỷ đồng**" in total_caption(app)
    press(app, "Chạy kịch bản")
    assert app_scenario(app, BASE_NAME).budgets == Budgets(scale=0.8)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("scale", "reason"),
    [
        (-80, "Hệ số chung -80% là số âm"),
        (1e20, "vượt mức tối đa 1.000.000.000 tỷ đồng (10^12 triệu đồng)"),
    ],
)
def test_a_budget_that_cannot_be_run_says_why(app: AppTest, scale: float, reason: str) -> None:
    """A negative factor, or one that makes an absurd budget, is kept on screen and refused with
    its reason, before and after «Chạy kịch bản»; nothing is run."""
    open_page(app, "scenario")
    run(app.number_input(key=key(app, "scale")).set_value(scale))
    assert app.number_input(key=key(app, "scale")).value == scale
    assert any(reason in m.value for m in app.markdown)
    press(app, "Chạy kịch bản")
    assert app.error and any(reason in m.value for m in app.markdown)
    assert RUNS_KEY not in app.session_state or not app.session_state[RUNS_KEY]


# -- 4. the frontier beside the plan; equal ranks ------------------------------------------------
@pytest.mark.slow
def test_the_frontier_at_100_percent_is_labelled_beside_the_plan(
    app: AppTest, example: Dataset
) -> None:
    """After the base plan is run, the frontier page puts its own figures at 100% (two
    objectives) next to the plan's (every objective), each column named for what it solves."""
    run_scenario(app)
    open_page(app, "frontier")
    run(app.button[0].click())
    scenario = app_scenario(app, BASE_NAME)
    at_one = next(
        p for p in budget_frontier(example, scenario, 7, 0.25, 1.75).points if p.scale == 1.0
    )
    plan = solve(example, scenario)
    table = app.dataframe[0].value.set_index("Chỉ tiêu")
    frontier_column = "Đường biên (nhiều xã đạt chuẩn nhất, rồi ít vốn nhất)"
    plan_column = "Phương án (mọi mục tiêu của kịch bản)"
    assert table.at["Xã đạt chuẩn", frontier_column] == number(at_one.communes_at_standard)
    assert table.at["Xã đạt chuẩn", plan_column] == number(plan.kpis.at_standard_after)
    floor_row = f"Xã đạt từ {plan.kpis.floor} tiêu chí"
    assert table.at[floor_row, plan_column] == number(plan.kpis.at_floor_after)
    assert (
        table.at["Vốn sử dụng", plan_column] == f"{number(plan.kpis.money_total / 1000, 1)} tỷ đồng"
    )
    assert any("chỉ giải hai mục tiêu" in c.value for c in app.caption)


def test_communes_dropping_at_the_same_level_share_a_rank() -> None:
    assert triage_ranks([0.75, 0.75, 0.75, 0.5, 0.25, 0.25]) == [1, 1, 1, 4, 5, 5]
    assert triage_ranks([]) == []
    assert triage_ranks([0.5]) == [1]


# -- 13. communes by district or group -----------------------------------------------------------
def test_the_district_page_shows_the_engine_costs_and_exports_them(
    app: AppTest, example: Dataset
) -> None:
    open_page(app, "districts")
    scenario = app.session_state["scenario.current"]["json"]
    below = below_floor_costs(example, Scenario.model_validate_json(scenario), Grouping.DISTRICT)
    groups = app.dataframe[0].value
    assert list(groups.columns[:2]) == ["Huyện", "Số xã"]
    communes = app.dataframe[1].value if not below.empty else None
    if communes is not None:
        assert list(communes["Xã"]) == list(below["name"])
        assert list(communes["Vốn lên chuẩn (tỷ đồng)"]) == list(
            (below["to_standard"] / 1000).round(1)
        )
    assert len(app.get("download_button")) == (2 if communes is not None else 1)


@pytest.mark.slow
def test_the_district_page_groups_a_package_without_districts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE.parent / "son_la_2026"))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    open_page(app, "districts")
    assert app.selectbox(key="groups.by").options[0] == "Khu vực (nhóm xã)"
    assert "Huyện" not in app.selectbox(key="groups.by").options
    assert app.dataframe[0].value.columns[0] == "Khu vực (nhóm xã)"


# -- 14. a map when the data has coordinates -----------------------------------------------------
@pytest.fixture
def placed_package(tmp_path: Path) -> Path:
    """data/example with made-up test coordinates (a test fixture only; never shipped)."""
    folder = tmp_path / "placed"
    shutil.copytree(EXAMPLE, folder)
    communes = pd.read_csv(folder / "communes.csv", dtype=str, keep_default_na=False)
    communes["latitude"] = [str(21.0 + 0.1 * i) for i in range(len(communes))]
    communes["longitude"] = [str(104.0 + 0.1 * i) for i in range(len(communes))]
    communes.to_csv(folder / "communes.csv", index=False)
    return folder


def map_specs(app: AppTest) -> list[dict]:
    import json

    charts = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    return [c for c in charts if "longitude" in json.dumps(c.get("encoding", {}))]


@pytest.mark.slow
def test_a_package_with_coordinates_gets_a_map_on_data_and_results(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, placed_package: Path
) -> None:
    monkeypatch.setenv(DATA_ENV_VAR, str(placed_package))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    (data_map,) = map_specs(app)
    assert data_map["encoding"]["color"]["field"] == "value"
    assert any(s.value == "Bản đồ các xã" for s in app.subheader)
    run_scenario(app)
    open_page(app, "results")
    (results_map,) = map_specs(app)
    assert results_map["encoding"]["color"]["type"] == "nominal"


def test_a_package_without_coordinates_has_no_map(app: AppTest) -> None:
    assert not map_specs(app)
    assert not any(s.value == "Bản đồ các xã" for s in app.subheader)
