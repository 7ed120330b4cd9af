"""Re-plan tables as people read them (reports.replan_tables: the Progress page and replan.xlsx)."""

from __future__ import annotations

import pandas as pd
import pytest

from models.progress import ItemStatus
from optimizer.replan_report import Change, CommuneChange, DropReason, ItemChange
from reports.replan_tables import money_by_year, readable

MONEY = pd.DataFrame(
    [
        {"source": "TW", "year": 2026, "budget": 100.0, "planned": 80.0, "disbursed": 60.0,
         "rate": 0.75, "carried_over": 20.0},
        {"source": "DP", "year": 2026, "budget": 50.0, "planned": 40.0, "disbursed": 40.0,
         "rate": 1.0, "carried_over": 0.0},
    ]
)  # fmt: skip


def test_headers_and_codes_read_in_vietnamese_with_the_data_unchanged() -> None:
    items = pd.DataFrame(
        [
            ItemChange(
                investment="R1", change=Change.DROPPED, status=ItemStatus.NOT_STARTED,
                planned_start=2027, new_start=None, reason=DropReason.NO_GAP_LEFT,
            ).model_dump(mode="json"),
            ItemChange(
                investment="R2", change=Change.ADDED, status=None, planned_start=None,
                new_start=2027,
            ).model_dump(mode="json"),
        ]
    )  # fmt: skip
    table = readable(items, "vi")
    assert list(table.columns[:3]) == ["Mã hạng mục", "Thay đổi", "Trạng thái"]
    assert list(table["Thay đổi"]) == ["Bỏ", "Thêm"]
    assert table["Trạng thái"].iloc[0] == "chưa khởi công"
    assert table["Lý do"].iloc[0] == "các chỉ tiêu đã được đáp ứng"
    assert pd.isna(table["Trạng thái"].iloc[1]) and pd.isna(table["Lý do"].iloc[1])
    assert list(table["Mã hạng mục"]) == ["R1", "R2"]  # codes of items stay codes
    assert list(items["change"]) == ["dropped", "added"]  # the page's table, not the data


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_header_is_a_raw_key(lang: str) -> None:
    """Every column the page shows has words in both languages."""
    behind = pd.DataFrame(columns=list(CommuneChange.model_fields))
    criteria = pd.DataFrame(
        columns=["commune", "criteria_start", "criteria_planned", "criteria_actual", "behind",
                 "planned_year_at_standard"]
    )  # fmt: skip
    items = pd.DataFrame(columns=list(ItemChange.model_fields))
    for frame in (MONEY, behind, criteria, items):
        headers = list(readable(frame, lang).columns)
        assert not set(headers) & set(frame.columns), headers


def test_the_chart_legend_and_yes_no() -> None:
    chart = money_by_year(MONEY, "vi")
    assert list(chart.columns) == ["Kế hoạch giải ngân", "Đã giải ngân"]  # the legend's words
    assert chart.iloc[0].tolist() == [120.0, 100.0]
    flags = readable(pd.DataFrame({"commune": ["14101"], "behind": [True]}), "en")
    assert flags["Behind the plan"].tolist() == ["yes"]
