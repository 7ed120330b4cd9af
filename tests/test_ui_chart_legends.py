"""No chart legend cuts a label short (issue #17: "chart legends not clipped").

Vega cuts a legend label longer than the legend's ``labelLimit`` (160 px unless set) with "…":
the Results page's money-by-year chart showed "Vốn lồng ghép CTMTQG phát triển KT-XH vùng đồng
bào DTTS và miền…". Every colour legend of the charts the pages draw, on the Sơn La 2021 data in
both languages, either sets no limit (0) or has room for its longest label, and a legend of long
labels sits above or below the chart, not beside it; in a half-width chart a legend lists one
label a line (a legend starts where the plot starts, and side by side the last labels ran off the
chart). The browser checks of the same legends: tests/test_browser_pages.py (the Data page) and
tests/test_browser.py (the Results page).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from models import summary
from models.dataset import Dataset
from models.io import load_package
from ui.charts import distribution_chart, status_heatmap, unmet_chart
from ui.plan_charts import criterion_chart, moved_chart, year_chart

SON_LA_2021 = Path(__file__).resolve().parents[1] / "data" / "son_la_2021"
VEGA_LABEL_LIMIT = 160
"""Vega's default ``labelLimit`` for legends (pixels)."""
CHARACTER_PX = 8.4
"""Pixels a character of a legend label may take: 0.6 em of a 14 px font, wider than Streamlit's
legend font renders Vietnamese text (a pessimistic estimate: a label that fits here fits)."""
BESIDE_PX = 160
"""The widest label a legend beside the chart may have before it squeezes the plot."""


@pytest.fixture(scope="module")
def son_la() -> Dataset:
    return load_package(SON_LA_2021)


def legends(spec: object) -> list[tuple[dict, list[str]]]:
    """Every colour legend of a chart's Vega-Lite spec (layers included): its settings and its
    labels (the colour scale's domain)."""
    found = []
    if isinstance(spec, dict):
        color = (spec.get("encoding") or {}).get("color")
        if isinstance(color, dict) and color.get("legend") is not None:
            found.append((color["legend"], list(color["scale"]["domain"])))
        for value in spec.values():
            found += legends(value)
    elif isinstance(spec, list):
        for value in spec:
            found += legends(value)
    return found


def charts(dataset: Dataset, lang: str) -> dict[str, object]:
    """The charts with a colour legend that the Data, Results and Compare pages draw."""
    communes = summary.commune_table(dataset)
    selected = summary.select_communes(communes)
    criteria = dataset.criteria
    floor = summary.default_floor(criteria)
    ordered = summary.fewest_met_first(selected)
    outcomes = pd.DataFrame(columns=["criterion", "before", "after", "amount"])
    moved = pd.DataFrame(
        {"group": ["Huyện Sốp Cộp", "Huyện Mai Sơn"], "plan": "B", "amount": 0, "delta": [5, -5]}
    )
    return {
        "distribution": distribution_chart(
            summary.met_distribution(selected, criteria), floor, criteria.size, lang
        ),
        "unmet": unmet_chart(summary.unmet_by_criterion(selected, criteria), criteria, lang),
        "grid": status_heatmap(
            summary.status_long(dataset, ordered.index), ordered, criteria, lang
        ),
        "by_year": year_chart(pd.DataFrame(columns=["year", "source", "amount"]), dataset, lang),
        "by_criterion": criterion_chart(outcomes, dataset, lang),
        "moved": moved_chart(moved, {}, lang),
    }


HALF_WIDTH = ("distribution", "unmet", "by_criterion")
"""The charts a page draws in half its width (two side by side)."""


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_legend_label_fits_where_its_legend_is(son_la: Dataset, lang: str) -> None:
    drawn = {name: legends(chart.to_dict()) for name, chart in charts(son_la, lang).items()}
    assert all(drawn.values()), drawn  # each chart has its legend
    for name, found in drawn.items():
        for legend, labels in found:
            widest = max(len(label) for label in labels) * CHARACTER_PX
            limit = legend.get("labelLimit", VEGA_LABEL_LIMIT)
            assert limit == 0 or widest <= limit, (name, legend, labels)
            if widest > BESIDE_PX:
                assert legend.get("orient") in ("top", "bottom"), (name, legend, labels)
            if name in HALF_WIDTH:  # one label a line: side by side they ran off the chart
                assert legend.get("direction") == "vertical", (name, legend, labels)


def test_the_money_by_year_legend_names_every_source_in_full(son_la: Dataset) -> None:
    """The case that was cut: Sơn La's sources, up to some 70 characters, one a line below."""
    ((legend, labels),) = legends(
        year_chart(pd.DataFrame(columns=["year", "source", "amount"]), son_la, "vi").to_dict()
    )
    assert max(len(label) for label in labels) > 60
    assert (legend["labelLimit"], legend["orient"], legend["columns"]) == (0, "bottom", 1)
