"""The So sánh page offers the comparison as an Excel workbook, the one ``reports``
writes: where each plan came from, figures side by side, communes that gain or lose the
standard with their money, money moved by district, source and year."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from models.dataset import Dataset
from models.scenario import Budgets
from optimizer.solve import solve
from tests.test_app_pages import (  # noqa: F401 - fixtures
    BASE_NAME,
    app,
    base_scenario,
    open_page,
    run,
    run_scenario,
)
from ui.compare_download import comparison_workbook


def test_the_compare_page_offers_the_comparison_workbook(
    app: AppTest,  # noqa: F811
    example: Dataset,
) -> None:
    run_scenario(app)
    run_scenario(app, name="Cắt giảm 50%", scale=50)
    open_page(app, "compare")
    app.multiselect(key="cmp.chosen").set_value([f"run:{BASE_NAME}", "run:Cắt giảm 50%"])
    run(app.button[0].click())
    assert "Tải báo cáo so sánh (Excel)" in [b.label for b in app.download_button]

    base = solve(example, base_scenario(example))
    cut = solve(example, base_scenario(example, name="Cắt giảm 50%", budgets=Budgets(scale=0.5)))
    plans = {"A": base, "B": cut}
    wb = load_workbook(BytesIO(comparison_workbook(plans, example, "vi")), data_only=True)
    assert wb.sheetnames == [
        "Nguồn gốc",
        "So sánh chỉ tiêu",
        "Xã khác nhau",
        "Vốn theo huyện",
        "Vốn theo nguồn",
        "Vốn theo năm",
        "Phương án",
    ]
    years = {r[0]: r for r in wb["Vốn theo năm"].iter_rows(min_row=2, values_only=True)}
    assert years["Tổng cộng"][1:] == (
        round(base.kpis.money_total),
        round(cut.kpis.money_total),
        round(cut.kpis.money_total) - round(base.kpis.money_total),
    )
    lost = base.at_standard_codes() - cut.at_standard_codes()
    rows = list(wb["Xã khác nhau"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows if r[-1] == "mất chuẩn"} == lost
