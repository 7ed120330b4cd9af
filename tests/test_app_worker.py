"""The app solves in a worker process (application.isolated), through streamlit.testing.

On the pooled Sơn La package, a run over the worker's memory cap ends with a message in the
page's language and no plan; the same session then runs it within the cap and the progress box
shows each level as the worker settles it, with the plan a solve in this process finds.

(The smallest cap, 256 MB, is below what a worker with the solver's libraries takes, so any solve
that needs fresh memory stops on it; the six-commune example fits in memory the worker already
has, so it is not the package for this test.)
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import APP, APP_TIMEOUT, headline, metrics, open_page, run, run_scenario

from application.isolated import SECONDS_ENV
from models.io import load_package
from models.scenario_io import load_scenario
from optimizer.limits import MEMORY_ENV, MINIMUM_MB
from optimizer.solve import solve
from ui.runs import SCENARIOS_DIR, USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR, SON_LA_2021_PATH


@pytest.mark.slow
def test_a_run_over_the_memory_cap_is_stopped_and_the_app_carries_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    if not SON_LA_2021_PATH.exists():
        pytest.skip("data/son_la_2021 is not built")
    monkeypatch.setenv(DATA_ENV_VAR, str(SON_LA_2021_PATH))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    monkeypatch.delenv(SECONDS_ENV, raising=False)
    shipped = load_scenario(SCENARIOS_DIR / "son_la_2021_2025.yaml")
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))

    monkeypatch.setenv(MEMORY_ENV, str(MINIMUM_MB))
    run_scenario(app)
    assert [e.value for e in app.error] == [
        f"Không tính được phương án «{shipped.name}»: phép tính dùng quá {MINIMUM_MB} MB bộ nhớ "
        "và đã bị dừng"
    ]
    assert not metrics(app)

    monkeypatch.delenv(MEMORY_ENV)  # the cap is read at each solve
    run(app)  # the page asks for the run's plan again
    assert not app.error
    lines = [m.value for m in app.markdown if m.value.startswith("Mức ")]
    total = len(shipped.objectives)
    assert [line.split(" — ")[0] for line in lines] == [
        f"Mức {n}/{total}" for n in range(1, total + 1)
    ]
    plan = solve(load_package(SON_LA_2021_PATH), shipped)
    open_page(app, "results")
    assert metrics(app)[:3] == headline(plan)[:3]
