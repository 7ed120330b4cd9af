"""Charts saved as PNG (matplotlib, Agg backend): the budget frontier and money by district.

Each function takes a tidy table from ``tables`` or ``Frontier.table()`` and a path; axis labels
come from ``labels``; money is drawn in tỷ đồng (billion VND) so the numbers stay short.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from reports.labels import label

MILLION_PER_BILLION = 1000
"""1 tỷ đồng = 1,000 triệu đồng."""
DPI = 150
COLOR = "#1f5c3a"
BAR_HEIGHT_INCHES = 0.32


def _pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend, imported on first use (it is slow to import)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def load_chart_library() -> None:
    """Import matplotlib now (a caller with time to spare, e.g. beside a solve)."""
    _pyplot()


def _decimal(value: float, lang: str) -> str:
    """``1234.5`` → ``1.234,5`` (vi) or ``1,234.5`` (en)."""
    text = f"{value:,.1f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "vi" else text


def frontier_chart(table: pd.DataFrame, path: Path, scenario: str, lang: str = "vi") -> Path:
    """Communes at standard (steps) against the total budget, one marker per frontier point."""
    data = table.dropna(subset=["communes_at_standard"]).sort_values("budget_total")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    x = data["budget_total"] / MILLION_PER_BILLION
    y = data["communes_at_standard"].astype(float)
    ax.step(x, y, where="post", color=COLOR, linewidth=1.5)
    ax.plot(x, y, "o", color=COLOR)
    for value, count in zip(x, y, strict=True):
        ax.annotate(
            f"{count:.0f}",
            (value, count),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8,
        )
    missing = table[table["communes_at_standard"].isna()]
    for value in missing["budget_total"] / MILLION_PER_BILLION:
        ax.axvline(value, color="#c00000", linestyle=":", linewidth=1)
    ax.set_xlabel(label("chart.budget_total", lang))
    ax.set_ylabel(label("chart.at_standard", lang))
    ax.set_title(label("chart.frontier_title", lang, scenario=scenario), fontsize=10)
    ax.grid(alpha=0.3)
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def district_money_chart(
    districts: pd.DataFrame, path: Path, scenario: str, lang: str = "vi"
) -> Path:
    """Horizontal bars of money per district, largest on top."""
    data = districts.sort_values("money")
    height = max(2.5, BAR_HEIGHT_INCHES * len(data) + 1.2)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, height))
    values = data["money"] / MILLION_PER_BILLION
    ax.barh(data["district"].astype(str), values, color=COLOR)
    for position, value in enumerate(values):
        ax.annotate(f" {_decimal(value, lang)}", (value, position), va="center", fontsize=8)
    ax.set_xlabel(label("chart.money", lang))
    ax.set_title(label("chart.district_title", lang, scenario=scenario), fontsize=10)
    ax.margins(x=0.2)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
