"""ui.history_tables without Streamlit: names instead of codes, and an explanation in the user's
language for every approval step the store refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import Dataset
from models.scenario import Budgets, Horizon, Scenario
from optimizer.solve import solve
from store import ApprovalError, ApprovalState, Store, diff_plans
from ui.history_tables import (
    Names,
    approval_error_text,
    commune_changes_table,
    item_changes_table,
    money_changes_table,
    runs_table,
)

ACTIONS = {
    "submit": ApprovalState.SUBMITTED,
    "approve": ApprovalState.APPROVED,
    "reject": ApprovalState.DRAFT,
}
PATHS = {
    ApprovalState.DRAFT: (),
    ApprovalState.SUBMITTED: ("submit",),
    ApprovalState.APPROVED: ("submit", "approve"),
}
"""How a new version reaches each state."""


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_refused_approval_step_is_explained(
    tmp_path: Path, state: ApprovalState, action: str
) -> None:
    with Store.open(tmp_path / "history.db") as history:
        history.save_scenario(Scenario(name="Cơ sở", horizon=Horizon(start=2022, end=2023)))
        for step in PATHS[state]:
            getattr(history, step)("Cơ sở", 1)
        try:
            getattr(history, action)("Cơ sở", 1)
        except ApprovalError:
            refused = True
        else:
            refused = False
    assert refused == (
        (state, ACTIONS[action])
        not in {
            (ApprovalState.DRAFT, ApprovalState.SUBMITTED),
            (ApprovalState.SUBMITTED, ApprovalState.APPROVED),
            (ApprovalState.SUBMITTED, ApprovalState.DRAFT),
        }
    )
    if refused:
        vi = approval_error_text("Cơ sở", 1, state, ACTIONS[action], "vi")
        en = approval_error_text("Cơ sở", 1, state, ACTIONS[action], "en")
        assert vi.startswith("Không thực hiện được: «Cơ sở» phiên bản 1")
        assert en.startswith("Not done: «Cơ sở» version 1")
        assert "không thể chuyển từ" not in vi  # a specific reason, not the catch-all


def test_a_diff_is_shown_by_name(dataset: Dataset, tmp_path: Path) -> None:
    """conftest's dataset with all money and with a third of it: codes never show."""
    scenario = Scenario(name="Cơ sở", horizon=Horizon(start=2022, end=2024))
    full = solve(dataset, scenario)
    cut = solve(dataset, scenario.model_copy(update={"budgets": Budgets(scale=0.3)}))
    diff = diff_plans(full, cut)
    assert diff.items
    names = Names.of([dataset], "vi")
    items = item_changes_table(diff, names, "vi").data
    assert set(items["Hạng mục đầu tư"]) == {
        dataset.investment_by_code[i.investment].name for i in diff.items
    }
    by_name = {i.name: i.code for i in dataset.investments}
    for name, served in zip(items["Hạng mục đầu tư"], items["Xã hưởng lợi"], strict=True):
        assert served == ", ".join(c.name for c in dataset.served_communes(by_name[name]))
    communes = commune_changes_table(diff, names, dataset.criteria.size, "vi").data
    assert set(communes["Xã"]) <= {c.name for c in dataset.communes}
    money = money_changes_table(diff, Names.of([dataset], "en"), "en").data
    assert set(money["Funding source"]) <= {s.name_en for s in dataset.sources}

    with Store.open(tmp_path / "history.db") as history:
        version = history.save_scenario(scenario, user="lan")
        history.record_run(version, dataset, full, user="lan")
        table = runs_table(history.list_runs(), "vi")
    row = table.data.iloc[0]
    assert (row["Kịch bản"], row["Phê duyệt"], row["Người chạy"]) == ("Cơ sở", "Bản nháp", "lan")
    assert row["Vốn (tỷ đồng)"] == pytest.approx(full.kpis.money_total / 1000)
    shown = table.to_html()
    money_text = f"{full.kpis.money_total / 1000:.1f}".replace(".", ",")
    assert money_text in shown  # tỷ đồng with a decimal comma
