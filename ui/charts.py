"""Altair charts of the tables in ``models.summary``: labelled, in the chosen language.

Each function takes tidy tables and returns a chart; it computes nothing about communes itself.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from models.criteria import CriteriaSet
from ui.format import number
from ui.i18n import criterion_label, current_language, t, unit_name

COLOR_BELOW = "#d9572b"
COLOR_BETWEEN = "#f2b447"
COLOR_STANDARD = "#2e8b57"
COLOR_MET = "#4c9f70"
COLOR_UNMET = "#e8743b"
KIND_COLORS = {
    "infrastructure": "#4e79a7",
    "livelihood": "#f28e2b",
    "social": "#59a14f",
    "governance": "#b07aa1",
}
ROW_HEIGHT = 20
"""Pixels per commune in the heat map, so that names stay readable."""
BAR_HEIGHT = 26
HEATMAP_LABEL_ROOM = 300
"""Pixels above the heat map's rows: the legend and the slanted criterion names."""


HALF_WIDTH_LEGEND = alt.Legend(title=None, orient="top", direction="vertical", labelLimit=0)
"""The legend of a chart drawn in half the page's width: one label a line. A legend starts where
the plot starts (right of the axis labels) and Vega does not widen the chart for it: side by
side, the last labels ran off the chart ("At standard" at Chromium's default width)."""


def heatmap_height(rows: int) -> int:
    """The heat map's whole height in pixels for ``rows`` communes (rows and labels)."""
    return ROW_HEIGHT * rows + HEATMAP_LABEL_ROOM


def distribution_chart(
    distribution: pd.DataFrame, floor: int, size: int, lang: str | None = None
) -> alt.Chart:
    """Bars of communes per number of criteria met, coloured below floor / between / at standard."""
    bands = [t("band.below", lang), t("band.between", lang), t("band.standard", lang)]
    data = distribution.assign(
        band=[
            bands[0] if k < floor else bands[2] if k >= size else bands[1]
            for k in distribution["criteria_met"]
        ]
    )
    x_title, y_title = t("chart.distribution_x", lang), t("chart.communes", lang)
    base = alt.Chart(data).encode(
        x=alt.X("criteria_met:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("communes:Q", title=y_title, axis=alt.Axis(tickMinStep=1, format="d")),
    )
    bars = base.mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
        color=alt.Color(
            "band:N",
            scale=alt.Scale(domain=bands, range=[COLOR_BELOW, COLOR_BETWEEN, COLOR_STANDARD]),
            legend=HALF_WIDTH_LEGEND,
        ),
        tooltip=[
            alt.Tooltip("criteria_met:O", title=x_title),
            alt.Tooltip("communes:Q", title=y_title),
            alt.Tooltip("band:N", title=t("chart.band", lang)),
        ],
    )
    labels = base.mark_text(dy=-7, fontSize=12).encode(text=alt.Text("communes:Q"))
    return (bars + labels).properties(height=420)


def unmet_chart(unmet: pd.DataFrame, criteria: CriteriaSet, lang: str | None = None) -> alt.Chart:
    """Horizontal bars: communes not meeting each criterion, most often unmet on top."""
    kinds = list(KIND_COLORS)
    data = unmet.assign(
        label=[criterion_label(criteria.by_code[c], lang) for c in unmet["criterion_code"]],
        kind_name=[t(f"kind.{k}", lang) for k in unmet["kind"]],
    )
    order = data.sort_values(["communes_unmet", "number"], ascending=[False, True])["label"]
    x_title, y_title = t("chart.unmet_x", lang), t("chart.criterion", lang)
    base = alt.Chart(data).encode(
        y=alt.Y(
            "label:N",
            sort=list(order),
            title=None,
            axis=alt.Axis(labelLimit=320, labelOverlap=False),
        ),
        x=alt.X("communes_unmet:Q", title=x_title, axis=alt.Axis(tickMinStep=1, format="d")),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "kind_name:N",
            scale=alt.Scale(
                domain=[t(f"kind.{k}", lang) for k in kinds], range=list(KIND_COLORS.values())
            ),
            legend=alt.Legend(
                title=None, orient="bottom", direction="vertical", columns=1, labelLimit=0
            ),
        ),
        tooltip=[
            alt.Tooltip("label:N", title=y_title),
            alt.Tooltip("communes_unmet:Q", title=x_title),
            alt.Tooltip("kind_name:N", title=t("chart.kind", lang)),
        ],
    )
    labels = base.mark_text(align="left", dx=3, fontSize=12).encode(text="communes_unmet:Q")
    return (bars + labels).properties(height=max(BAR_HEIGHT * len(data), 120))


def status_heatmap(
    status: pd.DataFrame,
    communes: pd.DataFrame,
    criteria: CriteriaSet,
    lang: str | None = None,
) -> alt.Chart:
    """Commune × criterion grid, met or not met; rows follow the order of ``communes``.

    ``status`` is ``models.summary.status_long``; ``communes`` a commune table (its ``label``
    column names the rows).
    """
    lang = lang or current_language()
    met_word, unmet_word = t("status.met", lang), t("status.unmet", lang)
    labels = communes["label"]
    criterion_labels = {c.code: criterion_label(c, lang) for c in criteria.criteria}
    data = status.assign(
        commune=status["commune_code"].map(labels),
        district=status["commune_code"].map(communes["district"]),
        criterion=status["criterion_code"].map(criterion_labels),
        status=[met_word if m else unmet_word for m in status["met"]],
        gap_text=[
            "" if m else f"{number(g, 2 if g % 1 else 0, lang)} {unit_name(u, lang, g)}"
            for m, g, u in zip(status["met"], status["gap"], status["unit"], strict=True)
        ],
    )
    return (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "criterion:N",
                sort=list(criterion_labels.values()),
                title=None,
                axis=alt.Axis(orient="top", labelAngle=-45, labelLimit=260, labelOverlap=False),
            ),
            y=alt.Y(
                "commune:N",
                sort=list(labels),
                title=None,
                axis=alt.Axis(labelLimit=260, labelOverlap=False),
            ),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=[met_word, unmet_word], range=[COLOR_MET, COLOR_UNMET]),
                legend=alt.Legend(title=None, orient="top", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("commune:N", title=t("heatmap.commune", lang)),
                alt.Tooltip("district:N", title=t("col.district", lang)),
                alt.Tooltip("criterion:N", title=t("chart.criterion", lang)),
                alt.Tooltip("status:N", title=t("heatmap.status", lang)),
                alt.Tooltip("gap_text:N", title=t("heatmap.gap", lang)),
            ],
        )
        # fit-x: the height is the grid's own (one row per commune), the axis labels come on
        # top of it; Streamlit's default ("fit") squeezed labels and rows into that height,
        # which left a few communes blank and many squashed
        .properties(
            height=ROW_HEIGHT * len(communes),
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        )
    )
