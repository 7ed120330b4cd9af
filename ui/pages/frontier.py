"""Budget frontier page (Đường biên ngân sách): communes at standard against the total budget.

The current scenario's budgets are scaled from a low to a high factor (``optimizer.frontier``); the
page draws the sweep with the current budget marked, the marginal cost of one more commune, and the
triage order — which communes drop first as the budget falls.
"""

from __future__ import annotations

import streamlit as st

from optimizer.compare import budget_total
from ui import auth, runs
from ui.format import in_billions, literal, number, percent
from ui.frontier_view import (
    at_current_rows,
    cost_curve_table,
    frontier_chart,
    next_commune_cost,
    points_table,
    solve_frontier,
    triage_table,
)
from ui.i18n import current_language, objective_name, t
from ui.state import dataset_or_stop

SHOWN_KEY = "fr.shown"
TRIAGE_HEIGHT = 420
DEFAULT_POINTS = 7
DEFAULT_LOW = 25
# Percent of the scenario's budgets; with 7 points the sweep runs 25, 50, …, 175 % (100 % included).
DEFAULT_HIGH = 175


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    st.title(t("frontier.title"))
    st.caption(t("frontier.intro"))

    scenario = runs.current_scenario(dataset)
    current_budget = budget_total(dataset, scenario)
    st.markdown(
        t(
            "frontier.scenario",
            name=literal(scenario.name),
            budget=in_billions(current_budget, lang),
        )
    )
    with st.form("fr.form", border=False):
        c1, c2, c3, _ = st.columns([1, 1, 1, 2])
        low = c1.number_input(
            t("frontier.low"), min_value=0, max_value=1000, value=DEFAULT_LOW, step=5, key="fr.low"
        )
        high = c2.number_input(
            t("frontier.high"),
            min_value=1,
            max_value=1000,
            value=DEFAULT_HIGH,
            step=5,
            key="fr.high",
        )
        points = c3.number_input(
            t("frontier.points"),
            min_value=2,
            max_value=41,
            value=DEFAULT_POINTS,
            step=1,
            key="fr.points",
        )
        st.caption(t("frontier.time_note", seconds=number(scenario.solver.time_limit, 0, lang)))
        pressed = st.form_submit_button(
            t("frontier.run"), type="primary", icon=":material/show_chart:"
        )
        if pressed and auth.may_run():
            if high <= low:
                st.error(t("frontier.bad_range"))
            else:
                st.session_state[SHOWN_KEY] = (
                    scenario.model_dump_json(),
                    int(points),
                    low / 100,
                    high / 100,
                )
    shown = st.session_state.get(SHOWN_KEY)
    if not shown or shown[0] != scenario.model_dump_json():
        st.info(t("frontier.press_run"))
        return
    _, n, lo, hi = shown
    frontier = solve_frontier(scenario, n, lo, hi)
    if frontier is None:
        return

    at_current = next(
        (p.communes_at_standard for p in frontier.points if abs(p.scale - 1.0) < 1e-9), None
    )
    step = next_commune_cost(frontier, at_current)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("frontier.current_budget"), in_billions(current_budget, lang))
    m2.metric(
        t("frontier.at_current"),
        "–" if at_current is None else number(at_current, lang=lang),
    )
    if step is not None and step.exact:
        m3.metric(
            t("frontier.marginal", count=step.count),
            in_billions(step.cost, lang),
            help=t("frontier.marginal_help"),
        )
    elif step is not None:
        m3.metric(
            t("frontier.marginal_average"),
            in_billions(step.cost, lang),
            help=t("frontier.marginal_average_help", up_to=percent(step.up_to, 0, lang)),
        )
    else:
        m3.metric(t("frontier.marginal_average"), "–", help=t("frontier.marginal_none"))
    _beside_the_plan(frontier, scenario, dataset, lang)
    st.altair_chart(frontier_chart(frontier, current_budget, lang), width="stretch")
    st.caption(
        t(
            "frontier.sweep_caption",
            points=len(frontier.points),
            low=percent(lo, 0, lang),
            high=percent(hi, 0, lang),
            seconds=number(frontier.seconds, 1, lang),
        )
    )

    st.subheader(t("frontier.points_title"))
    floor = scenario.floor_for(dataset.criteria.size)
    st.dataframe(points_table(frontier, lang, floor), hide_index=True, width="stretch")
    curve = cost_curve_table(frontier, lang)
    if curve is not None:
        st.subheader(t("frontier.curve_title"))
        st.caption(t("frontier.curve_caption"))
        st.dataframe(curve, hide_index=True, width="stretch")

    st.subheader(t("frontier.triage_title"))
    everything = st.toggle(t("frontier.triage_all"), key="fr.triage_all")
    st.caption(t("frontier.triage_caption_all" if everything else "frontier.triage_caption"))
    triage = triage_table(frontier, dataset, lang, below=None if everything else 1.0)
    if triage is None:
        st.success(t("frontier.triage_none"))
    else:
        st.dataframe(triage, hide_index=True, width="stretch", height=TRIAGE_HEIGHT)


def _beside_the_plan(frontier, scenario, dataset, lang: str) -> None:
    """At 100 %: the frontier's figures labelled for what they solve, beside the plan of the same
    scenario when this session has solved it (the plan asks more objectives, so its count of
    communes at the floor and its money may differ)."""
    point = next((p for p in frontier.points if abs(p.scale - 1.0) < 1e-9), None)
    if point is None:
        return
    plan = runs.solved_plan(scenario)
    floor = scenario.floor_for(dataset.criteria.size)
    st.markdown(f"**{t('frontier.at_current_title')}**")
    st.dataframe(at_current_rows(point, plan, floor, lang), hide_index=True)
    objectives = ", ".join(objective_name(o, lang, floor=floor) for o in scenario.objectives)
    st.caption(
        t("frontier.at_current_note", objectives=objectives)
        if plan is not None
        else t("frontier.at_current_no_plan", objectives=objectives)
    )


if __name__ == "__main__":
    render()
