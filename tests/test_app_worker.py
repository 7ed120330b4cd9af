"""The app solves in a worker process (application.isolated), through streamlit.testing.

On the pooled Sơn La package, a run over the worker's time limit ends with a message in the
page's language and no plan; the same session then runs it within the limit and the progress box
shows each level as the worker settles it, with the plan a solve in this process finds.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import APP, APP_TIMEOUT, headline, metrics, open_page, run, run_scenario

from application.isolated import SECONDS_ENV
from models.io import load_package
from models.scenario_io import load_scenario
from optimizer.solve import solve
from ui.runs import SCENARIOS_DIR, USER_DIR_ENV_VAR, plan_cache
from ui.state import DATA_ENV_VAR, SON_LA_2021_PATH


@pytest.mark.slow
def test_a_run_over_its_time_limit_is_stopped_and_the_app_carries_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    if not SON_LA_2021_PATH.exists():
        pytest.skip("data/son_la_2021 is not built")
    monkeypatch.setenv(DATA_ENV_VAR, str(SON_LA_2021_PATH))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    monkeypatch.delenv(SECONDS_ENV, raising=False)
    shipped = load_scenario(SCENARIOS_DIR / "son_la_2021_2025.yaml")
    app = run(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT))

    # A time limit the solve cannot meet: a memory cap is not used here because what a worker
    # can still allocate under it depends on what the forkserver holds (its preloaded modules,
    # glibc's free heap and thread stacks), so a small cap does not always stop this solve;
    # tests/test_isolated.py stops a worker on its memory cap.
    monkeypatch.setenv(SECONDS_ENV, "1")
    plan_cache.clear()  # the server's plan cache outlives an AppTest: an earlier test's plan
    # of the same scenario would be shown without a solve
    run_scenario(app)
    assert [e.value for e in app.error] == [
        f"Không tính được phương án «{shipped.name}»: phép tính chạy quá 1 giây và đã bị dừng"
    ]
    assert not metrics(app)

    monkeypatch.delenv(SECONDS_ENV)  # the limit is read at each solve
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


def test_the_forkserver_preloads_every_module_app_py_imports() -> None:
    """A worker imports app.py (multiprocessing loads the parent's main script); with app.py's
    modules already in the forkserver, that import costs nothing."""
    import ast

    from ui.runs import APP_MODULES

    tree = ast.parse(APP.read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    imported = {"ui.pages.data" if name == "ui.pages" else name for name in imported}
    assert imported <= set(APP_MODULES)
