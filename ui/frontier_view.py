"""The budget frontier for the app: a cached sweep with a progress bar, its chart and tables.

The sweep itself is ``optimizer.frontier.budget_frontier``; this module caches it per question
(package, scenario JSON, points, range) and dresses its tables in the chosen language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.frontier import budget_frontier
from ui.format import MILLION_PER_BILLION, in_billions, literal, number, percent
from ui.i18n import t
from ui.plan_charts import VI_LOCALE
from ui.runs import SolveError, failure_reason
from ui.server_cache import ServerCache
from ui.state import data_last_modified, data_path, load_dataset

COLOR_LINE = "#1f7a4d"
COLOR_CURRENT = "#d9572b"


FRONTIERS_CACHED = 16
"""Frontiers kept for the server."""


@st.cache_resource(show_spinner=False)
def frontier_cache() -> ServerCache:
    """One frontier cache per server. Not ``st.cache_data``: replaying the progress bar it
    updated fails once that bar is gone (``CacheReplayClosureError`` on the next rerun)."""
    return ServerCache(FRONTIERS_CACHED)


def _cached_frontier(
    data: str,
    last_modified: float,
    scenario_json: str,
    points: int,
    low: float,
    high: float,
    progress=None,
):
    """Cached on the package (at its modification time), the scenario JSON and the sweep;
    computed now if missing, telling ``progress`` each point (a failed sweep caches nothing)."""
    key = (data, last_modified, scenario_json, points, low, high)
    frontier = frontier_cache().get(key)
    if frontier is None:
        dataset = load_dataset(Path(data))
        scenario = Scenario.model_validate_json(scenario_json)
        frontier = budget_frontier(dataset, scenario, points, low, high, progress=progress)
        frontier_cache().put(key, frontier)
    return frontier


def solve_frontier(scenario: Scenario, points: int, low: float, high: float):
    """The frontier of ``scenario`` on the package in use, with a progress bar while it solves."""
    data = str(data_path().resolve())
    key = (data, data_last_modified(), scenario.model_dump_json(), points, low, high)
    solved: set = st.session_state.setdefault("fr.solved", set())
    if key in solved:
        return _cached_frontier(*key)
    bar = st.progress(0.0, text=t("frontier.progress", done=0, total=points))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("frontier.progress", done=done, total=total))

    try:
        frontier = _cached_frontier(*key, progress=progress)
    except SolveError as error:
        bar.empty()
        st.error(t("run.failed", name=literal(scenario.name), reason=failure_reason(error)))
        return None
    bar.empty()
    solved.add(key)
    return frontier


@dataclass(frozen=True)
class NextCommune:
    """What one more commune at standard costs beyond the current budget."""

    count: int
    """The number of communes at standard it would make."""
    cost: float
    """Million VND."""
    exact: bool
    """True: the least-money curve's step; False: the average per commune of the next point."""
    up_to: float = 1.0
    """For an average: the budget factor of the point it is taken from."""


def next_commune_cost(frontier, at_current: int | None) -> NextCommune | None:
    """The money one more commune at standard costs beyond the current budget's count.

    From the least-money curve when the sweep computed it (exact), else the marginal cost of the
    first point above the current budget (an average over the communes that point adds).
    """
    if at_current is None:
        return None
    for entry in frontier.cost_curve:
        if entry.communes_at_standard == at_current + 1 and entry.marginal_cost is not None:
            return NextCommune(at_current + 1, entry.marginal_cost, exact=True)
    for point in frontier.points:
        if point.scale > 1.0 and point.marginal_cost is not None:
            return NextCommune(at_current + 1, point.marginal_cost, exact=False, up_to=point.scale)
    return None


def frontier_chart(frontier, current_budget: float, lang: str) -> alt.TopLevelMixin:
    """Communes at standard (y) against total budget (x, tỷ đồng); the current budget marked."""
    table = frontier.table()
    data = table.assign(
        billion=table["budget_total"] / MILLION_PER_BILLION,
        budget_text=[in_billions(v, lang) for v in table["budget_total"]],
        spent_text=[in_billions(v, lang) for v in table["money_spent"]],
        marginal_text=[in_billions(v, lang) for v in table["marginal_cost"]],
        scale_text=[percent(v, 0, lang) for v in table["scale"]],
        status_text=[t(f"point.{s}", lang) for s in table["status"]],
    )
    data = data[data["communes_at_standard"].notna()]
    x = alt.X("billion:Q", title=t("frontier.x", lang), axis=alt.Axis(format=",.0f"))
    y = alt.Y(
        "communes_at_standard:Q",
        title=t("frontier.y", lang),
        axis=alt.Axis(tickMinStep=1, format="d"),
        scale=alt.Scale(zero=False),
    )
    tooltip = [
        alt.Tooltip("scale_text:N", title=t("frontier.col_scale", lang)),
        alt.Tooltip("budget_text:N", title=t("frontier.col_budget", lang)),
        alt.Tooltip("communes_at_standard:Q", title=t("frontier.y", lang)),
        alt.Tooltip("spent_text:N", title=t("frontier.col_spent", lang)),
        alt.Tooltip("marginal_text:N", title=t("frontier.col_marginal", lang)),
        alt.Tooltip("status_text:N", title=t("frontier.col_status", lang)),
    ]
    line = alt.Chart(data).mark_line(color=COLOR_LINE, strokeWidth=3).encode(x=x, y=y)
    dots = (
        alt.Chart(data)
        .mark_circle(color=COLOR_LINE, size=90, opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart(data)
        .mark_text(dy=-12, fontSize=12)
        .encode(x=x, y=y, text=alt.Text("communes_at_standard:Q", format="d"))
    )
    marker = pd.DataFrame(
        {
            "billion": [current_budget / MILLION_PER_BILLION],
            "label": [t("frontier.current_marker", lang, budget=in_billions(current_budget, lang))],
        }
    )
    rule = (
        alt.Chart(marker)
        .mark_rule(color=COLOR_CURRENT, strokeDash=[6, 4], strokeWidth=2)
        .encode(x="billion:Q")
    )
    rule_text = (
        alt.Chart(marker)
        .mark_text(color=COLOR_CURRENT, align="left", dx=6, baseline="top", fontSize=13, y=8)
        .encode(x="billion:Q", text="label:N")
    )
    chart = (line + dots + labels + rule + rule_text).properties(height=420)
    return chart.configure(locale=VI_LOCALE) if lang == "vi" else chart


SAME_LEVEL = 1e-9
"""Budget factors closer than this are one level of the sweep."""


def points_table(frontier, lang: str, floor: int) -> pd.DataFrame:
    """One row per budget level, as text in the language."""
    rows = []
    for p in frontier.points:
        rows.append(
            {
                t("frontier.col_scale", lang): percent(p.scale, 0, lang),
                t("frontier.col_budget", lang): in_billions(p.budget_total, lang),
                t("frontier.y", lang): "–"
                if p.communes_at_standard is None
                else number(p.communes_at_standard, lang=lang),
                t("frontier.col_floor", lang, floor=floor): "–"
                if p.communes_at_floor is None
                else number(p.communes_at_floor, lang=lang),
                t("frontier.col_spent", lang): in_billions(p.money_spent, lang),
                t("frontier.col_marginal", lang): in_billions(p.marginal_cost, lang),
                t("frontier.col_status", lang): t(f"point.{p.status.value}", lang),
            }
        )
    return pd.DataFrame(rows)


def cost_curve_table(frontier, lang: str) -> pd.DataFrame | None:
    """Least money per count of communes at standard, when the sweep computed it."""
    if not frontier.cost_curve:
        return None
    return pd.DataFrame(
        [
            {
                t("frontier.y", lang): number(c.communes_at_standard, lang=lang),
                t("frontier.col_least", lang): in_billions(c.least_money, lang),
                t("frontier.col_marginal_one", lang): in_billions(c.marginal_cost, lang),
            }
            for c in frontier.cost_curve
        ]
    )


def triage_table(
    frontier, dataset: Dataset, lang: str, below: float | None = None
) -> pd.DataFrame | None:
    """Communes in the order they drop below standard as the budget falls (names, not codes).

    With ``below``, only those that drop at a budget factor under it (e.g. 1.0: communes the
    current budget brings to standard), ranked again from 1.
    """
    entries = [e for e in frontier.triage if below is None or e.scale < below - 1e-9]
    if not entries:
        return None
    by_code = dataset.commune_by_code
    return pd.DataFrame(
        [
            {
                t("frontier.col_rank", lang): rank,
                t("col.commune", lang): by_code[e.commune].name
                if e.commune in by_code
                else e.commune,
                t("col.district", lang): (by_code[e.commune].district or "")
                if e.commune in by_code
                else "",
                t("frontier.col_drops_at", lang): t(
                    "frontier.drops_at",
                    lang,
                    scale=percent(e.scale, 0, lang),
                    budget=in_billions(e.budget_total, lang),
                ),
            }
            for rank, e in zip(triage_ranks([e.scale for e in entries]), entries, strict=True)
        ]
    )


def triage_ranks(scales: list[float]) -> list[int]:
    """Ranks of communes listed in drop order: those that drop at the same budget level share a
    rank, and the next level's rank counts the communes before it (1, 1, 1, 4…)."""
    ranks: list[int] = []
    for position, scale in enumerate(scales, start=1):
        same = ranks and abs(scale - scales[position - 2]) < SAME_LEVEL
        ranks.append(ranks[-1] if same else position)
    return ranks


def at_current_rows(point, plan, floor: int, lang: str) -> pd.DataFrame:
    """The frontier's figures at the scenario's own budget beside the plan's, each column named by
    what was solved: the frontier asks only the most communes at standard, then the least money;
    the plan asks every objective of the scenario, in its order."""
    frontier_column = t("frontier.at_current_frontier", lang)
    rows = [
        (t("frontier.y", lang), point.communes_at_standard, plan and plan.kpis.at_standard_after),
        (
            t("frontier.col_floor", lang, floor=floor),
            point.communes_at_floor,
            plan and plan.kpis.at_floor_after,
        ),
        (t("frontier.col_spent", lang), point.money_spent, plan and plan.kpis.money_total),
    ]
    table = {
        t("frontier.at_current_figure", lang): [r[0] for r in rows],
        frontier_column: [_figure(r[1], i == 2, lang) for i, r in enumerate(rows)],
    }
    if plan is not None:
        table[t("frontier.at_current_plan", lang)] = [
            _figure(r[2], i == 2, lang) for i, r in enumerate(rows)
        ]
    return pd.DataFrame(table)


def _figure(value, is_money: bool, lang: str) -> str:
    if value is None:
        return "–"
    return in_billions(value, lang) if is_money else number(value, lang=lang)
