"""Results page (Kết quả): one run's plan — headline figures, where the money goes, what it funds."""

from __future__ import annotations

import streamlit as st

from optimizer import compare
from ui import runs
from ui.format import number
from ui.i18n import current_language, t
from ui.plan_charts import criterion_chart, district_chart, source_chart, year_chart
from ui.plan_tables import commune_table, items_table
from ui.plan_view import (
    diagnosis,
    kpi_metrics,
    plan_status,
    plan_workbook,
    reports_available,
)
from ui.state import dataset_or_stop

OUTCOME_FILTER_KEY = "results.outcomes"


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    st.title(t("results.title"))

    available = runs.runs()
    if not available:
        st.info(t("results.none"))
        current = runs.current_scenario(dataset)
        if st.button(t("results.run_current", name=current.name), type="primary"):
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
    plan_status(plan, lang)
    if plan.message and plan.feasible:
        st.caption(plan.message)
    if not plan.feasible:
        diagnosis(plan, scenario, dataset, lang)
        return

    kpi_metrics(plan, lang)
    _download(plan, dataset, scenario, lang)

    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("results.by_district"))
        st.caption(t("results.by_district_caption"))
        st.altair_chart(
            district_chart(compare.money_by_district(dataset, plan), lang), width="stretch"
        )
    with right:
        st.subheader(t("results.by_criterion"))
        st.caption(t("results.by_criterion_caption"))
        st.altair_chart(
            criterion_chart(compare.criterion_outcomes(dataset, plan), dataset, lang),
            width="stretch",
        )
    st.subheader(t("results.by_source"))
    st.caption(t("results.by_source_caption"))
    st.altair_chart(
        source_chart(compare.source_use(dataset, scenario, plan), dataset, lang), width="stretch"
    )
    st.subheader(t("results.by_year"))
    if scenario.horizon.single_period:
        st.caption(
            t("results.pooled_caption", start=scenario.horizon.start, end=scenario.horizon.end)
        )
    st.altair_chart(year_chart(compare.money_by_year(plan), dataset, lang), width="stretch")

    st.subheader(t("results.communes"))
    outcomes = compare.commune_outcomes(dataset, plan)
    counted = outcomes[outcomes["counted"]]
    choices = ["reaches_standard", "improves", "stays_at_standard", "loses_standard", "unchanged"]
    chosen = st.pills(
        t("results.outcome_filter"),
        options=choices,
        format_func=lambda o: t(
            "results.outcome_count",
            outcome=t(f"outcome.{o}"),
            count=number(int((counted["outcome"] == o).sum()), lang=lang),
        ),
        selection_mode="multi",
        key=OUTCOME_FILTER_KEY,
    )
    shown = counted[counted["outcome"].isin(chosen)] if chosen else counted
    st.dataframe(
        commune_table(shown, dataset.criteria.size, lang), hide_index=True, width="stretch"
    )

    st.subheader(t("results.items", count=number(len(plan.items), lang=lang)))
    st.dataframe(
        items_table(compare.funded_items(dataset, plan), dataset, lang),
        hide_index=True,
        width="stretch",
    )


def _download(plan, dataset, scenario, lang: str) -> None:
    """The plan as an Excel workbook, written by ``optimizer.reports`` when the user asks."""
    if not reports_available():
        st.caption(t("results.excel_soon"))
        return
    st.download_button(
        t("results.download_excel"),
        data=lambda: plan_workbook(plan, dataset, scenario, lang),
        file_name=f"{runs.slug(plan.scenario)}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )


if __name__ == "__main__":
    render()
