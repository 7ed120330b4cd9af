"""Altair charts of a plan and of plans side by side, labelled in the chosen language.

Each function takes a table from ``optimizer.compare`` (money in million VND) and draws it; money is
shown in tỷ đồng. Vietnamese charts use "," for decimals and "." for thousands (a Vega locale).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from models.dataset import Dataset
from ui.charts import HALF_WIDTH_LEGEND
from ui.format import MILLION_PER_BILLION, in_billions
from ui.i18n import criterion_label, source_name, t

COLOR_BUDGET = "#d5dbe1"
COLOR_SPENT = "#1f7a4d"
COLOR_BEFORE = "#b8c4cf"
COLOR_AFTER = "#2e8b57"
COLOR_MORE = "#2e8b57"
COLOR_LESS = "#d9572b"
SOURCE_COLORS = ["#1f7a4d", "#4e79a7", "#f28e2b", "#b07aa1", "#e15759", "#76b7b2", "#edc948"]
"""Colours of the funding sources, in the dataset's order."""
PLAN_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1"]
BAR_HEIGHT = 24
"""Pixels per bar of a horizontal bar chart (a Vega step: the chart grows with its rows)."""
SOURCE_ROW = 34
CRITERION_ROW = 12
"""Pixels per bar of the criterion chart (two bars a criterion: today and after the plan)."""
LABEL_LIMIT = 260
SOURCE_LABEL_LIMIT = 420

VI_LOCALE = alt.Locale(
    number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["", " đ"])
)


def _localized(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """Numbers on axes and tooltips the way the language writes them."""
    if lang == "vi":
        return chart.configure(locale=VI_LOCALE)
    return chart


def _billions(values: pd.Series) -> pd.Series:
    return values.astype(float) / MILLION_PER_BILLION


def money(million_vnd: float, lang: str) -> str:
    """A bar's money label: always in tỷ đồng (one unit on the page), none for a bar of nothing."""
    return "" if abs(million_vnd) < MONEY_SHOWN else in_billions(million_vnd, lang)


MONEY_SHOWN = 50
"""Million VND: a smaller amount rounds to 0,0 tỷ đồng and its bar gets no label."""


def _source_names(dataset: Dataset, lang: str) -> dict[str, str]:
    return {s.code: source_name(s, lang) for s in dataset.sources}


def _names_legend() -> alt.Legend:
    """A legend of names from data (the funding sources), under the chart, one name a line, never
    cut short: on the right, Vega cut the longest source names ("… vùng đồng bào DTTS và miền…")
    and took the plot's width."""
    return alt.Legend(title=None, orient="bottom", direction="vertical", columns=1, labelLimit=0)


def _source_scale(dataset: Dataset, lang: str) -> alt.Scale:
    names = list(_source_names(dataset, lang).values())
    colors = [SOURCE_COLORS[i % len(SOURCE_COLORS)] for i in range(len(names))]
    return alt.Scale(domain=names, range=colors)


def district_chart(table: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Money per district (bars) with the communes brought to standard written beside each bar."""
    money_title = t("chart.money_billion", lang)
    data = table.assign(
        billion=_billions(table["amount"]),
        district=table["district"].replace("", t("chart.no_district", lang)),
        gained=table["at_standard_after"] - table["at_standard_before"],
        money_text=[money(v, lang) for v in table["amount"]],
    )
    data["label"] = [
        t("chart.district_label" if g > 0 else "chart.district_label_none", lang, money=m, gained=g)
        for m, g in zip(data["money_text"], data["gained"], strict=True)
    ]
    order = list(data.sort_values("amount", ascending=False)["district"])
    base = alt.Chart(data).encode(
        y=alt.Y(
            "district:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelLimit=LABEL_LIMIT, labelOverlap=False),
        ),
        x=alt.X("billion:Q", title=money_title, axis=alt.Axis(format=",.0f")),
    )
    bars = base.mark_bar(color=COLOR_SPENT, cornerRadiusEnd=2).encode(
        tooltip=[
            alt.Tooltip("district:N", title=t("col.district", lang)),
            alt.Tooltip("money_text:N", title=t("col.money", lang)),
            alt.Tooltip("communes:Q", title=t("chart.communes", lang)),
            alt.Tooltip("at_standard_before:Q", title=t("col.standard_before", lang)),
            alt.Tooltip("at_standard_after:Q", title=t("col.standard_after", lang)),
        ]
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(text="label:N")
    chart = (bars + labels).properties(height=alt.Step(BAR_HEIGHT))
    return _localized(chart, lang)


def source_chart(table: pd.DataFrame, dataset: Dataset, lang: str) -> alt.TopLevelMixin:
    """Per source: the scenario's budget (grey) and the money the plan uses of it (green)."""
    names = _source_names(dataset, lang)
    budget_word, spent_word = t("chart.budget", lang), t("chart.spent", lang)
    data = table.assign(
        name=table["source"].map(names),
        budget_billion=_billions(table["budget"]),
        spent_billion=_billions(table["spent"]),
        budget_text=[money(v, lang) for v in table["budget"]],
        spent_text=[money(v, lang) for v in table["spent"]],
        used_text=[
            "–" if pd.isna(u) else f"{round(u * 100):d}%".replace(".", ",") for u in table["used"]
        ],
    )
    y = alt.Y(
        "name:N",
        sort=list(names.values()),
        title=None,
        axis=alt.Axis(labelLimit=SOURCE_LABEL_LIMIT, labelOverlap=False),
    )
    tooltip = [
        alt.Tooltip("name:N", title=t("col.source", lang)),
        alt.Tooltip("budget_text:N", title=budget_word),
        alt.Tooltip("spent_text:N", title=spent_word),
        alt.Tooltip("used_text:N", title=t("chart.used", lang)),
    ]
    budget = (
        alt.Chart(data)
        .mark_bar(color=COLOR_BUDGET, size=18)
        .encode(
            y=y,
            x=alt.X(
                "budget_billion:Q",
                title=t("chart.money_billion", lang),
                axis=alt.Axis(format=",.0f"),
            ),
            tooltip=tooltip,
        )
    )
    spent = (
        alt.Chart(data)
        .mark_bar(color=COLOR_SPENT, size=10)
        .encode(y=y, x="spent_billion:Q", tooltip=tooltip)
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=12)
        .encode(y=y, x="budget_billion:Q", text="used_text:N")
    )
    chart = (budget + spent + labels).properties(height=alt.Step(SOURCE_ROW))
    return _localized(chart, lang)


def year_chart(table: pd.DataFrame, dataset: Dataset, lang: str) -> alt.TopLevelMixin:
    """Money per year, stacked by source."""
    names = _source_names(dataset, lang)
    data = table.assign(
        name=table["source"].map(names),
        billion=_billions(table["amount"]),
        money_text=[money(v, lang) for v in table["amount"]],
        year_text=table["year"].astype(str),
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year_text:O", title=t("col.year", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "sum(billion):Q",
                title=t("chart.money_billion", lang),
                axis=alt.Axis(format=",.0f"),
            ),
            color=alt.Color(
                "name:N",
                scale=_source_scale(dataset, lang),
                legend=_names_legend(),
            ),
            order=alt.Order("source:N"),
            tooltip=[
                alt.Tooltip("year_text:O", title=t("col.year", lang)),
                alt.Tooltip("name:N", title=t("col.source", lang)),
                alt.Tooltip("money_text:N", title=t("col.money", lang)),
            ],
        )
        # fit-x: 360 px are the bars' own, the legend below comes on top of them (Streamlit's
        # default "fit" squeezed bars and legend into 360 px together)
        .properties(height=360, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    )
    return _localized(chart, lang)


def criterion_chart(table: pd.DataFrame, dataset: Dataset, lang: str) -> alt.TopLevelMixin:
    """Per criterion: communes meeting it today and after the plan, side by side."""
    before_word, after_word = t("chart.before", lang), t("chart.after", lang)
    labels = {c.code: criterion_label(c, lang) for c in dataset.criteria.criteria}
    long = pd.concat(
        [
            table.assign(when=before_word, communes=table["before"]),
            table.assign(when=after_word, communes=table["after"]),
        ],
        ignore_index=True,
    )
    long = long.assign(
        label=long["criterion"].map(labels),
        money_text=[money(v, lang) for v in long["amount"]],
    )
    order = [labels[c] for c in table["criterion"]]
    base = alt.Chart(long).encode(
        y=alt.Y(
            "label:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelLimit=LABEL_LIMIT, labelOverlap=False),
        ),
        x=alt.X(
            "communes:Q",
            title=t("chart.communes_meeting", lang),
            axis=alt.Axis(tickMinStep=1, format="d"),
        ),
        yOffset=alt.YOffset("when:N", sort=[before_word, after_word]),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "when:N",
            scale=alt.Scale(domain=[before_word, after_word], range=[COLOR_BEFORE, COLOR_AFTER]),
            legend=HALF_WIDTH_LEGEND,  # side by side, "Sau kế hoạch" ran off the chart
        ),
        tooltip=[
            alt.Tooltip("label:N", title=t("chart.criterion", lang)),
            alt.Tooltip("before:Q", title=before_word),
            alt.Tooltip("after:Q", title=after_word),
            alt.Tooltip("money_text:N", title=t("chart.money_for_criterion", lang)),
        ],
    )
    chart = bars.properties(height=alt.Step(CRITERION_ROW))
    return _localized(chart, lang)


def moved_chart(table: pd.DataFrame, names: dict[str, str], lang: str) -> alt.TopLevelMixin:
    """Money moved per group against the reference plan (tỷ đồng), largest moves on top.

    One compared plan: bars green where it spends more, orange where less. Several: one bar per
    plan and group, coloured by plan.
    """
    more, less = t("chart.more", lang), t("chart.less", lang)
    data = table.assign(
        name=table["group"].map(lambda g: names.get(g, g) or t("chart.no_district", lang)),
        billion=_billions(table["delta"]),
        direction=[more if d >= 0 else less for d in table["delta"]],
        delta_text=[("+" if d > 0 else "") + money(d, lang) for d in table["delta"]],
    )
    order = list(
        data.assign(size=data["delta"].abs())
        .groupby("name")["size"]
        .max()
        .sort_values(ascending=False)
        .index
    )
    several = data["plan"].nunique() > 1
    color = (
        alt.Color(
            "plan:N",
            scale=alt.Scale(range=PLAN_COLORS[1:]),
            legend=alt.Legend(title=None, orient="top"),
        )
        if several
        else alt.Color(
            "direction:N",
            scale=alt.Scale(domain=[more, less], range=[COLOR_MORE, COLOR_LESS]),
            legend=alt.Legend(title=None, orient="top"),
        )
    )
    encoding = {
        "y": alt.Y(
            "name:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelLimit=SOURCE_LABEL_LIMIT, labelOverlap=False),
        ),
        "x": alt.X("billion:Q", title=t("chart.delta_billion", lang), axis=alt.Axis(format=",.0f")),
        "color": color,
        "tooltip": [
            alt.Tooltip("name:N", title=t("chart.group", lang)),
            alt.Tooltip("plan:N", title=t("chart.plan", lang)),
            alt.Tooltip("delta_text:N", title=t("chart.delta", lang)),
        ],
    }
    if several:
        encoding["yOffset"] = alt.YOffset("plan:N")
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(**encoding)
        .properties(height=alt.Step(BAR_HEIGHT * 2 // 3 if several else BAR_HEIGHT))
    )
    return _localized(chart, lang)
