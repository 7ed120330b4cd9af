"""Risk page (Rủi ro): how sure the current scenario's plan is over drawn futures.

The form sets the assumptions (from the scenario's ``uncertainty:`` section when it has one); the
page shows the distribution of communes at standard, each commune's probability of the standard
(filter by district), the items most often unfinished, the deterministic plan against the robust
and reserve plans on the same fresh draws, the no-regret items, and an Excel workbook of it all.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from reports.risk_report import risk_tables, risk_workbook
from ui import auth, runs
from ui.format import money, number, percent
from ui.i18n import current_language, t
from ui.risk_view import (
    Assumptions,
    assumptions_of,
    distribution_chart,
    labelled,
    solve_risk,
    with_assumptions,
)
from ui.state import dataset_or_stop

SHOWN_KEY = "risk.shown"
TABLE_HEIGHT = 420


def _form(scenario) -> Assumptions | None:
    start = assumptions_of(scenario)
    with st.form("risk.form", border=False):
        c1, c2, c3, c4 = st.columns(4)
        draws = c1.number_input(t("risk.draws"), 1, 10_000, start.draws, key="risk.draws")
        seed = c2.number_input(t("risk.seed"), 0, 1_000_000, start.seed, key="risk.seed")
        median = c3.number_input(
            t("risk.overrun_median"), 0.1, 5.0, start.median, 0.05, key="risk.median"
        )
        p90 = c4.number_input(t("risk.overrun_p90"), 0.1, 10.0, start.p90, 0.05, key="risk.p90")
        c5, c6, c7, c8 = st.columns(4)
        payout = c5.number_input(
            t("risk.payout_low"), 0, 100, round(start.payout_low * 100), 5, key="risk.payout"
        )
        shortfall = c6.number_input(
            t("risk.shortfall_high"),
            0,
            100,
            round(start.shortfall_high * 100),
            5,
            key="risk.shortfall",
        )
        gamma = c7.number_input(t("risk.gamma"), 0, 1000, start.gamma, key="risk.gamma")
        reserve = c8.number_input(
            t("risk.reserve"), 0, 90, round(start.reserve * 100), 5, key="risk.reserve"
        )
        compare = st.checkbox(t("risk.compare"), value=True, key="risk.compare")
        regret = st.checkbox(t("risk.no_regret"), value=False, key="risk.regret")
        pressed = st.form_submit_button(t("risk.run"), type="primary", icon=":material/casino:")
        if not pressed or not auth.may_run():
            return None
    st.session_state[SHOWN_KEY] = (
        Assumptions(
            int(draws), int(seed), float(median), float(p90), payout / 100, shortfall / 100,
            int(gamma), reserve / 100,
        ),
        bool(compare),
        bool(regret),
    )  # fmt: skip
    return st.session_state[SHOWN_KEY]


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    st.title(t("risk.title"))
    st.caption(t("risk.intro"))
    scenario = runs.current_scenario(dataset)
    st.markdown(t("risk.scenario", name=scenario.name))
    st.caption(t("risk.from_scenario" if scenario.uncertainty else "risk.no_section"))
    _form(scenario)
    shown = st.session_state.get(SHOWN_KEY)
    if not shown:
        st.info(t("risk.press_run"))
        return
    assumptions, compare, find_no_regret = shown
    try:
        tested, guard = with_assumptions(dataset, scenario, assumptions)
    except ValidationError as error:
        st.error(t("risk.bad_input", reason="; ".join(e["msg"] for e in error.errors())))
        return
    answer = solve_risk(tested, guard, compare, find_no_regret)
    if answer is None:
        return
    report = answer.report
    summary = report.summary().set_index("measure")
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("risk.planned"), number(report.plan_at_standard, lang=lang))
    m2.metric(t("risk.p10"), number(summary.loc["communes_at_standard", "p10"], 1, lang))
    m3.metric(t("risk.p50"), number(summary.loc["communes_at_standard", "p50"], 1, lang))
    m4.metric(t("risk.short"), money(summary.loc["money_short", "mean"], lang))
    st.subheader(t("risk.distribution"))
    st.altair_chart(distribution_chart(report, lang), width="stretch")
    st.caption(
        t(
            "risk.caption",
            draws=len(report.draws),
            seed=report.seed,
            workers=report.workers,
            seconds=number(report.seconds, 1, lang),
        )
    )
    st.dataframe(labelled(report.summary(), lang), hide_index=True, width="stretch")
    if not report.floor_optimised:
        st.caption(t("risk.floor_lower_bound"))

    st.subheader(t("risk.communes"))
    communes = report.commune_probabilities(dataset)
    districts = sorted({d for d in communes["district"] if d})
    if districts:
        chosen = st.selectbox(
            t("risk.district"), [t("risk.all_districts"), *districts], key="risk.district_filter"
        )
        if chosen != t("risk.all_districts"):
            communes = communes[communes["district"] == chosen]
    shown_communes = communes.assign(
        probability=communes["probability"].map(lambda p: percent(p, 0, lang))
    )
    st.dataframe(
        labelled(shown_communes, lang), hide_index=True, width="stretch", height=TABLE_HEIGHT
    )
    st.subheader(t("risk.unfinished"))
    unfinished = report.unfinished_items(dataset)
    st.dataframe(labelled(unfinished, lang), hide_index=True, width="stretch", height=TABLE_HEIGHT)

    if answer.comparison is not None:
        st.subheader(t("risk.plans"))
        table = answer.comparison.table()
        columns = st.columns(len(table))
        for column, row in zip(columns, table.itertuples(), strict=True):
            column.metric(
                f"{row.plan} (Γ {row.gamma}, {percent(row.reserve, 0, lang)})",
                f"P10 {number(row.p10_at_standard, 1, lang)} · P50 {number(row.p50_at_standard, 1, lang)}",
                help=money(row.mean_money_unspent, lang),
            )
        st.dataframe(labelled(table, lang), hide_index=True, width="stretch")

    if answer.regret is not None:
        st.subheader(t("risk.no_regret_title"))
        regret = answer.regret
        do_now, never = st.columns(2)
        table = regret.table(dataset)
        do_now.markdown(t("risk.do_now", share=percent(regret.threshold, 0, lang)))
        for column, verdict in ((do_now, "no_regret"), (never, "never")):
            if verdict == "never":
                column.markdown(t("risk.do_not_start"))
            listed = table[table["verdict"] == verdict]
            if len(listed):
                column.dataframe(labelled(listed, lang), hide_index=True)
            else:
                column.write(t("risk.none"))

    workbook = risk_workbook(risk_tables(dataset, report, answer.comparison, answer.regret), lang)
    st.download_button(
        t("risk.download"),
        workbook,
        file_name="risk.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="risk.download",
    )


if __name__ == "__main__":
    render()
