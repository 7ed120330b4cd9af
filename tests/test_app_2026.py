"""The 2026-2030 cycle in the app: switch to the merged Sơn La package, solve, compare."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import (
    APP,
    APP_TIMEOUT,
    app_scenario,
    headline,
    key,
    metrics,
    open_page,
    run,
)

from models.io import load_package
from models.scenario import Budgets
from models.scenario_io import load_scenario
from optimizer.solve import solve
from ui.format import number
from ui.runs import USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR, SON_LA_2021_PATH

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "data" / "son_la_2026"
POOLED = ROOT / "scenarios" / "son_la_2026_2030.yaml"


def test_the_app_opens_on_the_current_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    """December 2026: with no package configured the app shows the 2026-2030 merged package."""
    monkeypatch.delenv(DATA_ENV_VAR, raising=False)
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    assert ("Số xã", "67") in [(m.label, m.value) for m in app.metric]
    assert any("data/son_la_2026" in c.value for c in app.caption)


@pytest.mark.slow
def test_switch_to_2026_package_solve_and_compare(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Pick data/son_la_2026 among the bundled packages; the scenario page starts from the shipped
    pooled 2026-2030 scenario; its results equal a direct solve; a 20% cut compares against it."""
    monkeypatch.setenv(DATA_ENV_VAR, str(SON_LA_2021_PATH))  # started on the 2021 package
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))
    open_page(app, "import_data")
    app.selectbox(key="import.bundled").set_value("son_la_2026")
    run(next(b for b in app.button if b.label == "Dùng bộ dữ liệu này").click())

    open_page(app, "data")
    assert any("10 tiêu chí" in m.value for m in app.markdown)

    shipped = load_scenario(POOLED)
    dataset = load_package(PACKAGE)
    open_page(app, "scenario")
    run(next(b for b in app.button if b.label == "Chạy kịch bản").click())
    assert app_scenario(app, shipped.name) == shipped
    plan = solve(dataset, shipped)
    open_page(app, "results")
    assert metrics(app)[:3] == headline(plan)[:3]

    open_page(app, "scenario")
    app.text_input(key=key(app, "name")).set_value("Cắt 20%")
    app.number_input(key=key(app, "scale")).set_value(80)
    run(next(b for b in app.button if b.label == "Chạy kịch bản").click())
    cut = solve(
        dataset,
        shipped.model_copy(update={"name": "Cắt 20%", "budgets": Budgets(scale=0.8)}),
    )
    open_page(app, "compare")
    app.multiselect(key="cmp.chosen").set_value([f"run:{shipped.name}", "run:Cắt 20%"])
    run(app.button[0].click())
    shown = metrics(app)
    lost = plan.kpis.at_standard_after - cut.kpis.at_standard_after
    assert shown[0][1] == number(plan.kpis.at_standard_after)
    half = len(shown) // 2
    assert shown[half][1] == number(cut.kpis.at_standard_after)
    if lost:
        assert shown[half][2] == f"-{lost} xã"
