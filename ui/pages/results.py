"""Results page (Kết quả): one run's plan — headline figures, where the money goes, what it funds."""

from __future__ import annotations

import streamlit as st

from ui import runs
from ui.format import literal
from ui.i18n import current_language, t
from ui.plan_view import show_plan
from ui.state import dataset_or_stop


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


if __name__ == "__main__":
    render()
