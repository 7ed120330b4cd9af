"""Groups page (Huyện): communes by district — or, for packages without districts, by region,
border or extremely difficult — where they stand, and the least money that brings each commune below
the floor to the floor and to standard (``optimizer.groups``). The page only renders and exports.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from application.isolated import run_isolated
from models.scenario import Scenario
from optimizer.groups import Grouping, below_floor_costs, group_table, groupings
from ui import runs
from ui.format import MILLION_PER_BILLION, literal
from ui.i18n import current_language, region_name, t
from ui.state import data_last_modified, data_path, dataset_or_stop, load_dataset

GROUPING_KEY = "groups.by"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP's CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@st.cache_data(show_spinner=False, max_entries=16)
def _tables(
    data: str, last_modified: float, scenario_json: str, grouping: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(groups, below-floor communes), cached on the package, the scenario and the grouping."""
    del last_modified  # only part of the cache key
    dataset = load_dataset(Path(data))
    scenario = Scenario.model_validate_json(scenario_json)
    seconds = runs.solve_seconds(scenario)
    below = run_isolated(
        below_floor_costs, dataset, scenario, Grouping(grouping), time_limit=seconds
    )
    return group_table(dataset, scenario, Grouping(grouping), below), below


def group_label(group: str, grouping: Grouping, lang: str) -> str:
    if grouping == Grouping.DISTRICT:
        return group or t("chart.no_district", lang)
    if grouping == Grouping.REGION:
        return region_name(group, lang)
    return t(f"groups.flag_{group}", lang, flag=t(f"groups.by_{grouping.value}", lang))


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula, prefixed with ``'``."""
    return table.map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v)


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    st.title(t("groups.title"))
    st.caption(t("groups.intro"))
    scenario = runs.current_scenario(dataset)
    offered = groupings(dataset)
    if st.session_state.get(GROUPING_KEY) not in [g.value for g in offered]:
        st.session_state[GROUPING_KEY] = offered[0].value
    grouping = Grouping(
        st.selectbox(
            t("groups.by"),
            [g.value for g in offered],
            format_func=lambda g: t(f"groups.by_{g}", lang),
            key=GROUPING_KEY,
        )
    )
    floor = scenario.floor_for(dataset.criteria.size)
    with st.spinner(t("groups.computing")):
        try:
            groups, below = _tables(
                str(data_path().resolve()),
                data_last_modified(),
                scenario.model_dump_json(),
                grouping.value,
            )
        except runs.SolveError as error:
            st.error(
                t("run.failed", name=literal(scenario.name), reason=runs.failure_reason(error))
            )
            st.stop()
    group_header = t(f"groups.by_{grouping.value}", lang)
    shown = pd.DataFrame(
        {
            group_header: [group_label(g, grouping, lang) for g in groups["group"]],
            t("groups.communes", lang): groups["communes"],
            t("groups.at_standard", lang): groups["at_standard"],
            t("groups.at_floor", lang, floor=floor): groups["at_floor"],
            t("groups.below_floor", lang, floor=floor): groups["below_floor"],
            t("groups.mean_met", lang): groups["mean_criteria_met"].round(1),
            t("groups.to_floor", lang): (groups["to_floor"] / MILLION_PER_BILLION).round(1),
            t("groups.to_standard", lang): (groups["to_standard"] / MILLION_PER_BILLION).round(1),
        }
    )
    money_format = {
        c: st.column_config.NumberColumn(c, format="localized")
        for c in (t("groups.to_floor", lang), t("groups.to_standard", lang))
    }
    st.subheader(t("groups.table_title", by=group_header.lower()))
    st.caption(t("groups.table_caption", floor=floor, scenario=literal(scenario.name)))
    st.dataframe(shown, hide_index=True, width="stretch", column_config=money_format)
    st.download_button(
        t("groups.download"),
        spreadsheet_safe(shown).to_csv(index=False).encode("utf-8-sig"),
        file_name=f"groups_{grouping.value}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="groups.download_groups",
    )

    st.subheader(t("groups.below_title", floor=floor))
    if below.empty:
        st.success(t("below.none", floor=floor))
        return
    communes = pd.DataFrame(
        {
            t("col.commune", lang): below["name"],
            group_header: [group_label(g, grouping, lang) for g in below["group"]],
            t("groups.criteria_met", lang): below["criteria_met"],
            t("groups.to_floor", lang): (below["to_floor"] / MILLION_PER_BILLION).round(1),
            t("groups.to_standard", lang): (below["to_standard"] / MILLION_PER_BILLION).round(1),
        }
    )
    st.dataframe(communes, hide_index=True, width="stretch", column_config=money_format)
    st.download_button(
        t("groups.download"),
        spreadsheet_safe(communes).to_csv(index=False).encode("utf-8-sig"),
        file_name=f"below_floor_{grouping.value}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="groups.download_below",
    )


if __name__ == "__main__":
    render()
