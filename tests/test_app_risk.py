"""The Risk page (Rủi ro) through streamlit.testing, on data/example.

The page solves the current scenario's plan and tests it on drawn futures; its figures are checked
against the same analysis computed here with optimizer.risk on the same assumptions.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models.io import load_package
from models.scenario import Horizon, Scenario, SolverSettings
from optimizer.risk import plan_risk
from optimizer.solve import solve
from ui.format import number
from ui.risk_view import assumptions_of, with_assumptions
from ui.runs import DEFAULT_TIME_LIMIT, USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
EXAMPLE = ROOT / "data" / "example"
APP_TIMEOUT = 180
BASE_NAME = "Phương án cơ sở – Ví dụ 6 xã (example)"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    return run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))


def run(target) -> AppTest:
    app = target.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


@pytest.mark.slow
def test_the_risk_page_shows_the_plans_spread_probabilities_and_the_workbook(app: AppTest):
    run(app.switch_page("ui/pages/risk.py"))
    assert app.title[0].value == "Rủi ro của kế hoạch"
    app.number_input(key="risk.draws").set_value(8)
    app.checkbox(key="risk.regret").set_value(True)
    run(next(b for b in app.button if b.label == "Phân tích rủi ro").click())

    dataset = load_package(EXAMPLE)
    scenario = Scenario(
        name=BASE_NAME,
        dataset=str(EXAMPLE.resolve()),
        horizon=Horizon(start=2026, end=2027),
        solver=SolverSettings(time_limit=DEFAULT_TIME_LIMIT),
    )
    start = replace(assumptions_of(scenario), draws=8)
    tested, _guard = with_assumptions(dataset, scenario, start)
    plan = solve(dataset, tested)
    report = plan_risk(dataset, tested, plan)
    summary = report.summary().set_index("measure")
    shown = {m.label: m.value for m in app.metric}
    assert shown["Xã đạt chuẩn theo kế hoạch"] == number(plan.kpis.at_standard_after)
    assert shown["P10 (tương lai xấu)"] == number(summary.loc["communes_at_standard", "p10"], 1)
    assert shown["P50"] == number(summary.loc["communes_at_standard", "p50"], 1)
    headers = [h.value for h in app.subheader]
    assert "Xác suất đạt chuẩn của từng xã" in headers
    assert "Tất định và an toàn, trên cùng các tương lai mới" in headers
    assert "Hạng mục không hối tiếc" in headers
    probabilities = next(d.value for d in app.dataframe if "Xác suất đạt chuẩn" in d.value.columns)
    expected = report.commune_probabilities(dataset)
    assert list(probabilities["Mã xã"]) == list(expected["commune"])
    assert app.get("download_button")
    run(app)  # a rerun takes the analysis from the cache
    assert {m.label: m.value for m in app.metric} == shown


def test_the_risk_page_reads_in_english(app: AppTest):
    run(app.sidebar.radio(key="lang").set_value("en"))
    run(app.switch_page("ui/pages/risk.py"))
    assert app.title[0].value == "How sure is the plan"
    assert any(b.label == "Analyse risk" for b in app.button)


@pytest.mark.slow
def test_the_risk_page_draws_on_the_cluster_named_in_the_environment(
    app: AppTest, dask_workers, monkeypatch: pytest.MonkeyPatch
):
    """With NTM_DASK_SCHEDULER set, the page's draws run on that cluster's workers (here a real
    LocalCluster of two), and the figures are those drawn in this process."""
    from optimizer.sweep import SCHEDULER_ENV

    address = dask_workers(2).client.scheduler.address
    monkeypatch.setenv(SCHEDULER_ENV, address)
    run(app.switch_page("ui/pages/risk.py"))
    app.number_input(key="risk.draws").set_value(4)
    app.checkbox(key="risk.compare").set_value(False)
    run(next(b for b in app.button if b.label == "Phân tích rủi ro").click())
    caption = next(c.value for c in app.caption if "lần rút (hạt giống" in c.value)
    assert caption.startswith("4 lần rút") and "2 tiến trình" in caption
