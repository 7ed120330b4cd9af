"""Results page (Kết quả): one run's plan — headline figures, where the money goes, what it funds."""

from __future__ import annotations

import altair as alt
import streamlit as st

from optimizer import compare
from ui import runs
from ui.commune_map import has_coordinates, map_chart, map_points, show_map
from ui.format import literal
from ui.i18n import current_language, t
from ui.plan_view import OUTCOMES, show_plan
from ui.state import dataset_or_stop

# Map colours of the outcomes, in the order of ui.plan_view.OUTCOMES.
OUTCOME_COLORS = ["#2e7d32", "#9ccc65", "#4c9f70", "#c62828", "#bdbdbd"]


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    st.title(t("results.title"))

    available = runs.runs()
    if not available:
        st.info(t("results.none"))
        current = runs.current_scenario(dataset)
        if st.button(t("results.run_current", name=literal(current.name)), type="primary"):
            run = runs.add_run(current)
            runs.select_run(run.label)
            st.rerun()
        st.page_link("ui/pages/scenario.py", label=t("results.go_scenario"), icon=":material/tune:")
        return

    labels = list(available)
    selected = st.session_state.get(runs.SELECTED_KEY)
    index = labels.index(selected) if selected in labels else len(labels) - 1
    label = st.selectbox(t("results.run"), labels, index=index)
    runs.select_run(label)
    run = available[label]
    scenario = run.scenario_model()
    if scenario.description:
        st.caption(scenario.description)

    plan = runs.plan_for(run)
    if plan is None:
        return
    show_plan(plan, scenario, dataset, lang, key="results")
    if plan.feasible and has_coordinates(dataset):
        st.subheader(t("map.title"))
        st.caption(t("map.caption_results"))
        outcomes = compare.commune_outcomes(dataset, plan).set_index("commune")["outcome"]
        words = {o: t(f"outcome.{o}") for o in OUTCOMES}
        points = map_points(dataset, outcomes.map(words))
        color = alt.Color(
            "value:N",
            title=t("col.outcome"),
            scale=alt.Scale(domain=[words[o] for o in OUTCOMES], range=OUTCOME_COLORS),
        )
        show_map(map_chart(points, color, t("col.outcome"), lang), key="results.map")


if __name__ == "__main__":
    render()
