"""A map of the communes when the package gives their coordinates: one dot per commune on longitude
and latitude, coloured by a figure (criteria met today, or the plan's outcome). No map tiles are
drawn, so it works without internet; clicking a dot opens that commune on the Commune page.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from models.dataset import Dataset
from ui.i18n import t

COMMUNE_KEY = "commune.code"
"""The Commune page's choice (ui/pages/commune.py), set by a click on the map."""
MAP_HEIGHT = 520
DOT_SIZE = 90


def has_coordinates(dataset: Dataset) -> bool:
    return any(c.latitude is not None for c in dataset.communes)


def map_points(dataset: Dataset, values: pd.Series) -> pd.DataFrame:
    """Communes with coordinates: code, name, district, lat, lon and ``value`` (from ``values``,
    indexed by commune code)."""
    return pd.DataFrame(
        [
            {
                "code": c.code,
                "name": c.name,
                "district": c.district or "",
                "lat": c.latitude,
                "lon": c.longitude,
                "value": values.get(c.code),
            }
            for c in dataset.communes
            if c.latitude is not None and c.code in values.index
        ],
        columns=["code", "name", "district", "lat", "lon", "value"],
    )


def map_chart(points: pd.DataFrame, color: alt.Color, value_title: str, lang: str) -> alt.Chart:
    pick = alt.selection_point(fields=["code"], name="pick", on="click")
    return (
        alt.Chart(points)
        .mark_circle(size=DOT_SIZE, opacity=0.9, stroke="white", strokeWidth=0.5)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=color,
            tooltip=[
                alt.Tooltip("name:N", title=t("col.commune", lang)),
                alt.Tooltip("district:N", title=t("col.district", lang)),
                alt.Tooltip("value:N", title=value_title),
            ],
        )
        .add_params(pick)
        .project(type="mercator")
        .properties(height=MAP_HEIGHT)
    )


def show_map(chart: alt.Chart, key: str) -> None:
    """Draw the map; a click on a commune opens it on the Commune page."""
    event = st.altair_chart(chart, width="stretch", on_select="rerun", key=key)
    picked = (event.get("selection") or {}).get("pick") or []
    if picked and picked[0].get("code"):
        st.session_state[COMMUNE_KEY] = picked[0]["code"]
        st.switch_page("ui/pages/commune.py")
