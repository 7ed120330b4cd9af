"""The audit switch in the app: a checkbox in the solver settings solves every level again with
the other solver, and the Results page says whether the values agree (data/example)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_app_pages import app, base_scenario, key, open_page, run  # noqa: F401

from models import Dataset
from optimizer.plan import Agreement
from optimizer.solve import solve
from optimizer.verify import verify
from ui.pages.scenario import VERIFY_KEY


def test_the_verify_checkbox_shows_the_agreement_on_results(app: AppTest, example: Dataset) -> None:  # noqa: F811
    """The example's base plan, audited by CBC in the app, agrees on every level — as the audit
    run here directly says."""
    name = "Kiểm chứng hai bộ giải"  # a question no other test asked, so it is solved here
    expected = base_scenario(example, name=name)
    assert verify(example, expected, solve(example, expected)).agreement == Agreement.AGREE
    open_page(app, "scenario")
    app.text_input(key=key(app, "name")).set_value(name)
    app.checkbox(key=VERIFY_KEY).check()
    run(next(b for b in app.button if b.label == "Chạy kịch bản").click())
    open_page(app, "results")
    texts = [s.value for s in app.success]
    assert "Đã kiểm chứng: CBC cho cùng giá trị ở mọi mục tiêu." in texts
