"""Data page (Dữ liệu): where the communes of the loaded package stand on the criteria today."""

from __future__ import annotations

import altair as alt
import streamlit as st

from models import summary
from models.commune import CommuneFlag
from ui.charts import distribution_chart, heatmap_height, status_heatmap, unmet_chart
from ui.commune_map import has_coordinates, map_chart, map_points, show_map
from ui.format import literal, number, percent
from ui.i18n import criteria_set_name, current_language, group_name, t
from ui.state import dataset_or_stop
from ui.tables import below_floor_table

# Pixels of the scrolling frame around a commune × criterion grid taller than this.
HEATMAP_VIEW_HEIGHT = 1000


def render() -> None:
    """Header, filters, headline figures, charts, the communes below the floor and the grid."""
    lang = current_language()
    dataset = dataset_or_stop()
    criteria = dataset.criteria
    communes = summary.commune_table(dataset)

    st.title(t("data.title"))
    st.markdown(
        t(
            "data.info",
            name=literal(dataset.info.name),
            province=literal(dataset.info.province),
            year=dataset.info.base_year,
            criteria_set=criteria_set_name(criteria.code),
            size=criteria.size,
        )
    )
    if dataset.info.description or dataset.info.source:
        with st.expander(t("data.about")):
            if dataset.info.description:
                st.text(dataset.info.description)  # from data: shown as written
            if dataset.info.source:
                st.markdown(t("data.source", source=literal(dataset.info.source)))

    district_col, group_col, floor_col = st.columns([3, 3, 2])
    district_names = summary.district_names(communes)
    districts = (  # packages after the 2025 reform have no districts: no empty filter
        district_col.multiselect(
            t("filter.district"),
            options=district_names,
            placeholder=t("filter.district_all"),
            key="data.districts",
        )
        if district_names
        else []
    )
    groups = group_col.multiselect(
        t("filter.group"),
        options=[f.value for f in CommuneFlag],
        format_func=group_name,
        placeholder=t("filter.group_all"),
        key="data.groups",
    )
    default_floor = summary.default_floor(criteria)
    floor = int(
        floor_col.number_input(
            t("filter.floor"),
            min_value=0,
            max_value=criteria.size,
            value=default_floor,
            step=1,
            help=t("filter.floor_help", default=default_floor, size=criteria.size),
            key="data.floor",
        )
    )
    wards = summary.ward_count(communes)
    include_wards = bool(wards) and st.checkbox(t("filter.include_wards"), key="data.wards")
    if wards and not include_wards:
        st.caption(t("filter.wards_left_out", count=wards))

    selected = summary.select_communes(communes, districts, groups, include_wards)
    if selected.empty:
        st.info(t("filter.empty"))
        return

    kpis = summary.status_kpis(selected, floor)
    size = criteria.size
    columns = st.columns(4)
    columns[0].metric(
        t("kpi.communes"), number(kpis.communes, lang=lang), help=t("kpi.communes_help")
    )
    columns[1].metric(
        t("kpi.at_standard"),
        number(kpis.at_standard, lang=lang),
        help=t("kpi.at_standard_help", size=size, share=percent(kpis.at_standard_share, lang=lang)),
    )
    columns[2].metric(
        t("kpi.mean_met"),
        number(kpis.mean_criteria_met, 1, lang),
        help=t("kpi.mean_met_help", size=size),
    )
    columns[3].metric(
        t("kpi.below_floor", floor=floor),
        number(kpis.below_floor, lang=lang),
        help=t("kpi.below_floor_help", floor=floor, size=size),
    )

    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("chart.distribution"))
        distribution = summary.met_distribution(selected, criteria)
        st.altair_chart(distribution_chart(distribution, floor, size, lang), width="stretch")
    with right:
        st.subheader(t("chart.unmet"))
        unmet = summary.unmet_by_criterion(selected, criteria)
        st.altair_chart(unmet_chart(unmet, criteria, lang), width="stretch")

    st.subheader(t("below.title", floor=floor))
    below = summary.below_floor(selected, floor)
    if below.empty:
        st.success(t("below.none", floor=floor))
    else:
        st.caption(t("below.count", count=number(len(below), lang=lang)))
        st.dataframe(below_floor_table(below, criteria, lang), hide_index=True, width="stretch")

    if has_coordinates(dataset):
        st.subheader(t("map.title"))
        st.caption(t("map.caption_data"))
        points = map_points(dataset, selected["criteria_met"])
        color = alt.Color(
            "value:Q",
            title=t("map.criteria_met"),
            scale=alt.Scale(scheme="redyellowgreen", domain=[0, criteria.size]),
        )
        show_map(map_chart(points, color, t("map.criteria_met"), lang), key="data.map")

    st.subheader(t("heatmap.title"))
    st.caption(t("heatmap.caption"))
    ordered = summary.fewest_met_first(selected)
    status = summary.status_long(dataset, ordered.index)
    grid = status_heatmap(status, ordered, criteria, lang)
    if heatmap_height(len(ordered)) <= HEATMAP_VIEW_HEIGHT:  # a few communes: no scroll frame
        st.altair_chart(grid, width="stretch")
        return
    with st.container(height=HEATMAP_VIEW_HEIGHT, border=False):
        st.altair_chart(grid, width="stretch")


if __name__ == "__main__":
    render()
