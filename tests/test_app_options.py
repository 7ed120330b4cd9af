"""The Options page (Phương án) through streamlit.testing, on data/example: options are found for
the current scenario, shown side by side with the figures of a direct call to the engine, and the
brief and workbook are offered for download."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from models.io import load_package
from models.scenario import Horizon, Scenario, SolverSettings
from optimizer.alternatives import generate_options
from ui.format import number
from ui.runs import DEFAULT_TIME_LIMIT, USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
EXAMPLE = ROOT / "data" / "example"
BASE_NAME = "Phương án cơ sở – Ví dụ 6 xã (example)"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    assert not at.exception
    at = at.switch_page("ui/pages/options.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_renders_in_both_languages(app: AppTest, lang: str) -> None:
    if lang == "en":
        app = app.sidebar.radio(key="lang").set_value("en").run()
    assert app.title[0].value == (
        "Các phương án tốt để lựa chọn" if lang == "vi" else "Good options to choose from"
    )
    assert app.info  # nothing generated yet: it says what to do


@pytest.mark.slow
def test_find_options_shows_them_side_by_side_with_downloads(app: AppTest) -> None:
    app.number_input(key="opt.k").set_value(2)
    app.number_input(key="opt.tolerance").set_value(1)
    app = app.button[0].click().run()
    assert not app.exception, [e.message for e in app.exception]
    example = load_package(EXAMPLE)
    scenario = Scenario(
        name=BASE_NAME,
        dataset=str(EXAMPLE.resolve()),
        horizon=Horizon(start=2026, end=2027),
        solver=SolverSettings(time_limit=DEFAULT_TIME_LIMIT),
    )
    expected = generate_options(example, scenario, k=2, tolerance=1)
    shown = [m.value for m in app.metric if m.label == "Xã đạt chuẩn"]
    assert shown == [number(o.plan.kpis.at_standard_after) for o in expected.options]
    table = app.dataframe[0].value
    assert table["Phương án"].iloc[0] == "Tối ưu"
    assert len(table) == len(expected.options)
    labels = [b.label for b in app.get("download_button")]
    assert "Tải bản tóm tắt (PDF)" in labels and "Tải bảng phương án (Excel)" in labels


def test_a_lean_the_package_cannot_support_is_explained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The example package with its border flags removed: 'border' is refused, in words."""
    package = tmp_path / "no_border"
    shutil.copytree(EXAMPLE, package)
    communes = pd.read_csv(package / "communes.csv", dtype=str, keep_default_na=False)
    communes["border"] = "false"
    communes.to_csv(package / "communes.csv", index=False)
    monkeypatch.setenv(DATA_ENV_VAR, str(package))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = AppTest.from_file(str(APP), default_timeout=180).run()
    app = app.switch_page("ui/pages/options.py").run()
    app.multiselect(key="opt.leans").set_value(["border"])
    app = app.button[0].click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert "no border commune" in app.error[0].value
    assert not app.metric
