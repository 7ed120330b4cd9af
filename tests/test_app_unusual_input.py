"""The app where a user does something unusual: a scenario beyond the form's usual bounds or
written for another package, the same plan picked twice, a language switch mid-session.

Each case crashed, or silently did something other than asked, before it was fixed. They run on
data/example (6 communes, solved in well under a second).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import APP, APP_TIMEOUT, BASE_NAME, EXAMPLE, base_scenario, key, open_page, run

import ui.format
from models import Dataset
from models.io import load_package, save_csv
from models.messages import Message, msg
from models.scenario import Budgets, MustReach, Policies, SolverSettings, Targets
from models.scenario_io import save_scenario
from optimizer.plan import Plan
from ui.i18n import plan_note, t, unit_name
from ui.problem_text import problem_line
from ui.runs import RUNS_KEY, USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
SON_LA_POOLED = ROOT / "scenarios" / "son_la_2021_2025.yaml"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    return run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))


def upload(app: AppTest, path: Path) -> AppTest:
    """Open a scenario file on the Scenario page, as its «Mở tệp» upload does."""
    open_page(app, "scenario")
    return run(
        app.file_uploader(key="sc.file").set_value((path.name, path.read_bytes(), "text/yaml"))
    )


def press(app: AppTest, label: str) -> AppTest:
    return run(next(b for b in app.button if b.label == label).click())


def test_a_scenario_beyond_the_forms_usual_bounds_opens_and_runs(
    app: AppTest, example: Dataset, tmp_path: Path
) -> None:
    """83 communes asked of a 6-commune package, six times the money and a two-hour limit are all
    allowed in a scenario file: the form shows them (it crashed on its own bounds), and a run is
    refused with the reason."""
    scenario = base_scenario(
        example,
        name="Vượt khung",
        targets=Targets(communes_at_standard=83),
        budgets=Budgets(scale=6.0),
        solver=SolverSettings(time_limit=7200),
    )
    upload(app, save_scenario(scenario, tmp_path / "vuot_khung.yaml"))
    assert app.number_input(key=key(app, "target")).value == 83
    assert app.number_input(key=key(app, "scale")).value == 600
    assert app.number_input(key=key(app, "time_limit")).value == 7200
    press(app, "Chạy kịch bản")
    assert app.error[0].value == t("scenario.checks_error", "vi")
    assert "83 nhiều hơn 6 xã được tính trong bộ dữ liệu" in app.code[0].value


def test_a_scenario_for_another_package_is_refused_on_results_and_frontier(app: AppTest) -> None:
    """The shipped Sơn La scenario names a source the example lacks. Run from the Results page or
    drawn as a frontier, it is refused with the list of what is missing (it raised), and the
    pages stay usable afterwards."""
    open_page(app, "scenario")
    run(app.selectbox(key="sc.start").set_value(f"file:{SON_LA_POOLED}"))
    open_page(app, "results")
    press(app, "Chạy kịch bản «Sơn La 2021-2025 (pooled)»")
    assert app.error[0].value == t("scenario.checks_error", "vi")
    assert "provincial" in app.code[0].value
    assert not app.metric
    for page in ("results", "commune", "compare"):
        open_page(app, page)
    open_page(app, "frontier")
    press(app, "Vẽ đường biên")
    assert app.error and not app.metric


def test_unknown_must_reach_communes_are_named_not_dropped_unseen(
    app: AppTest, example: Dataset, tmp_path: Path
) -> None:
    scenario = base_scenario(
        example,
        name="Xã lạ",
        policies=Policies(must_reach=(MustReach(name="bat_buoc", communes=("99999",)),)),
    )
    upload(app, save_scenario(scenario, tmp_path / "xa_la.yaml"))
    assert any("99999" in w.value for w in app.warning)


def test_the_current_scenario_and_its_saved_file_are_offered_once_for_comparison(
    app: AppTest,
) -> None:
    """Both would run under the same label, the second replacing the first: one plan, a blank page."""
    open_page(app, "scenario")
    press(app, "Lưu kịch bản")
    open_page(app, "compare")
    offered = app.multiselect(key="cmp.chosen").options
    plans = [label for label in offered if "·" not in label]  # not the baseline rules
    assert sum(BASE_NAME in label for label in plans) == 1


def test_a_baseline_is_one_run_whichever_language_asked_for_it(app: AppTest) -> None:
    for lang in ("vi", "en"):
        run(app.sidebar.radio(key="lang").set_value(lang))
        open_page(app, "compare")
        app.multiselect(key="cmp.chosen").set_value(["current", "baseline:formula"])
        run(app.button[0].click())
    methods = [r.method for r in app.session_state[RUNS_KEY].values()]
    assert methods.count("baseline:formula") == 1


def test_the_frontier_range_survives_a_language_switch(app: AppTest) -> None:
    open_page(app, "frontier")
    app.number_input(key="fr.low").set_value(0)
    app.number_input(key="fr.points").set_value(5)
    press(app, "Vẽ đường biên")
    run(app.sidebar.radio(key="lang").set_value("en"))
    assert app.number_input(key="fr.low").value == 0
    assert app.number_input(key="fr.points").value == 5


def test_every_formatted_number_in_the_app_is_given_the_language() -> None:
    """A formatter left at its default writes Vietnamese numbers (0,1 s; 2.055) in English."""
    with_lang = {
        name
        for name, function in inspect.getmembers(ui.format, inspect.isfunction)
        if "lang" in inspect.signature(function).parameters
    }
    missing = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in with_lang):
                continue
            parameters = list(inspect.signature(getattr(ui.format, node.func.id)).parameters)
            given = len(node.args) > parameters.index("lang") or any(
                k.arg == "lang" for k in node.keywords
            )
            if not given:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    assert not missing, missing


def test_a_baseline_plans_note_reads_in_the_chosen_language(example: Dataset) -> None:
    """Shown under the plan on Results and History; it was English in Vietnamese too."""
    from optimizer.baselines import BASELINES

    plan = BASELINES["formula"](
        example, base_scenario(example, targets=Targets(no_commune_below_floor=True))
    )
    assert plan.notes[-1] == msg("note.ignores", policies=(msg("ignored.targets"),))
    assert plan_note(plan, "vi") == (
        "Phân bổ theo định mức, hệ số xã giai đoạn 2026-2030; không xét: các mục tiêu"
    )
    assert plan_note(plan, "en") == (
        "Formula allocation by 2026-2030 commune weights; ignores: the targets"
    )
    stopped = plan.model_copy(
        update={"notes": (msg("note.level_stopped", objective=msg("objective.criteria_met")),)}
    )
    assert plan_note(stopped, "vi").startswith(
        "Mục tiêu «Nhiều tiêu chí đạt nhất (cộng cả tỉnh)» không tìm được"
    )
    written = {**plan.model_dump(exclude={"notes"}), "message": "a note of another kind"}
    assert plan_note(Plan.model_validate(written), "vi") == "a note of another kind"


def test_an_imported_package_without_money_is_used_with_a_warning(
    app: AppTest, example: Dataset, tmp_path: Path
) -> None:
    import zipfile

    folder = save_csv(example.model_copy(update={"budgets": ()}), tmp_path / "khong_von")
    archive = tmp_path / "khong_von.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(folder.iterdir()):
            zipped.write(path, path.name)
    open_page(app, "import_data")
    run(app.file_uploader[0].set_value(("không vốn.zip", archive.read_bytes(), "x")))
    assert app.success[0].value == "Tệp «không vốn.zip» hợp lệ và đang được dùng."
    assert app.warning[0].value == (
        "Bộ dữ liệu dùng được, nhưng cần xem lại: budgets: không có vốn năm nào; mọi phương án "
        "trên gói này đều không bố trí được gì"
    )


def test_a_ward_on_the_commune_page_says_it_does_not_count(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, csv_package: Path
) -> None:
    """Phường Chiềng Sinh (03646) showed "stays at standard" with no word that wards do not
    count, and excluding it re-solved the scenario for nothing."""
    monkeypatch.setenv(DATA_ENV_VAR, str(csv_package))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    open_page(app, "scenario")
    press(app, "Chạy kịch bản")
    open_page(app, "commune")
    run(app.selectbox(key="commune.code").set_value("03646"))
    assert t("commune.not_counted", "vi") in [c.value for c in app.caption]
    exclude = next(b for b in app.button if b.label == t("commune.exclude", "vi"))
    assert exclude.disabled


def test_english_counts_of_one_take_the_singular_and_units_the_plural() -> None:
    """ "1 runs", "+1 communes", "costs 1 other communes", "2 school short" read wrong."""
    assert t("import.invalid", "en", file="a.xlsx", count="1") == (
        "«a.xlsx» has 1 problem and was not used."
    )
    assert t("import.invalid", "en", file="a.xlsx", count="12") == (
        "«a.xlsx» has 12 problems and was not used."
    )
    assert t("plan_kpi.delta_communes", "en", delta="+1") == "+1 commune"
    assert t("plan_kpi.delta_communes", "en", delta="-21") == "-21 communes"
    assert t("plan_kpi.delta_communes", "vi", delta="+1") == "+1 xã"
    assert [unit_name(u, "en", 2) for u in ("school", "facility", "km", "%", "works")] == [
        "schools",
        "facilities",
        "km",
        "%",
        "works",
    ]
    assert unit_name("school", "en", 1) == "school"
    assert unit_name("percentage point", "en", 0.5) == "percentage points"


@pytest.mark.parametrize(
    ("message", "english", "vietnamese"),
    [
        (msg("value.empty"), "is empty", "đang để trống"),
        (msg("table.missing"), "table is missing", "thiếu bảng này"),
        (
            msg("value.negative", value="-3"),
            "-3 is negative; it must be 0 or more",
            "-3 là số âm; phải từ 0 trở lên",
        ),
        (
            msg("csv.row_too_long", row=2, cells=4, expected=3),
            "malformed CSV: row 2 has 4 cells; the header has 3",
            "tệp CSV lỗi: dòng 2 có 4 ô nhưng dòng tiêu đề có 3 cột",
        ),
        (
            msg("key.repeats_row", key=msg("key.commune_code", code="03994"), row=2),
            "commune code 03994 repeats row 2",
            "mã xã 03994 bị lặp (trùng dòng 2)",
        ),
        (
            msg(
                "reference.unknown_known",
                what=msg("what.funding_source"),
                value="'provincial'",
                known="central, credit",
            ),
            "unknown funding source 'provincial' (known: central, credit)",
            "không có nguồn vốn 'provincial' trong bộ dữ liệu (có: central, credit)",
        ),
        (
            msg("reference.unknown_criterion", value="'roads'", set="ntm_2021_2025"),
            "unknown criterion (not in set ntm_2021_2025) 'roads'",
            "không có tiêu chí 'roads' trong bộ ntm_2021_2025",
        ),
        (
            msg("horizon.year_outside", year=2062, horizon="2026-2027"),
            "year 2062 is outside the horizon 2026-2027",
            "năm 2062 nằm ngoài giai đoạn 2026-2027",
        ),
        ("a message of another shape", "a message of another shape", "a message of another shape"),
    ],
)
def test_problems_read_in_vietnamese_and_keep_their_values(
    message: Message | str, english: str, vietnamese: str
) -> None:
    """Planners saw every import and scenario problem in English; a problem carries a code."""
    assert problem_line(message, "vi") == vietnamese
    assert problem_line(message, "en") == english


def test_a_located_problem_keeps_its_place_and_translates_its_message(
    csv_package: Path, tmp_path: Path
) -> None:
    from models.io import DataPackageError
    from models.scenario_io import ScenarioFileError, load_scenario

    (csv_package / "budgets.csv").unlink()
    with pytest.raises(DataPackageError) as raised:
        load_package(csv_package)
    (problem,) = raised.value.problems
    assert problem_line(problem, "vi") == "budgets.csv: thiếu bảng này"
    assert problem_line(problem, "en") == "budgets.csv: table is missing"
    scenario = tmp_path / "late.yaml"
    scenario.write_text("name: late\nhorizon: {start: 2027, end: 2026}\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError) as raised_file:
        load_scenario(scenario)
    (wrong,) = raised_file.value.problems
    assert problem_line(wrong, "vi") == "horizon: năm đầu 2027 sau năm cuối 2026"
    assert str(wrong) == "horizon: start 2027 is after end 2026"
