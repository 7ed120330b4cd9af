"""Commune page (Xã): one commune in the plan — its criteria, what is funded there, why, and what if.

The explanation and the what-if re-solves come from ``optimizer.explain``; this page picks the
commune, caches the answers per run and shows them with names instead of codes.
"""

from __future__ import annotations

import streamlit as st

from models.commune import CommuneFlag
from optimizer import compare
from ui import auth, runs
from ui.commune_view import (
    criteria_table,
    explanation_for,
    explanation_text,
    items_here_table,
    what_if,
    what_if_text,
)
from ui.format import in_billions, literal, number, percent
from ui.i18n import current_language, flag_short, region_name, t
from ui.state import dataset_or_stop

COMMUNE_KEY = "commune.code"
WHAT_IF_KEY = "commune.what_if"
# Pixels of one row of st.dataframe (so the criteria table shows every criterion).
ROW_PIXELS = 35


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    st.title(t("commune.title"))

    available = runs.runs()
    if not available:
        st.info(t("commune.no_run"))
        st.page_link("ui/pages/scenario.py", label=t("results.go_scenario"), icon=":material/tune:")
        return
    labels = list(available)
    selected = st.session_state.get(runs.SELECTED_KEY)
    index = labels.index(selected) if selected in labels else len(labels) - 1
    top_left, top_right = st.columns(2)
    label = top_left.selectbox(t("results.run"), labels, index=index)
    runs.select_run(label)
    run = available[label]
    plan = runs.plan_for(run)
    if plan is None:
        return
    if not plan.feasible:
        st.warning(t("commune.infeasible"))
        return

    outcomes = compare.commune_outcomes(dataset, plan).set_index("commune")
    names = {c.code: f"{c.name} ({c.district})" if c.district else c.name for c in dataset.communes}
    codes = list(names)
    if st.session_state.get(COMMUNE_KEY) not in codes:
        not_yet = [
            c
            for c in codes
            if outcomes.at[c, "counted"] and not outcomes.at[c, "at_standard_after"]
        ]
        st.session_state[COMMUNE_KEY] = (not_yet or codes)[0]
    code = top_right.selectbox(
        t("commune.choose"), codes, format_func=names.__getitem__, key=COMMUNE_KEY
    )
    commune = dataset.commune_by_code[code]
    row = outcomes.loc[code]
    size = dataset.criteria.size

    facts = [region_name(commune.region.value, lang)]
    facts += [flag_short(f, lang) for f in CommuneFlag if getattr(commune, f.value)]
    facts += [
        t("commune.population", count=number(commune.population, lang=lang)),
        t("commune.poverty", rate=percent(commune.poverty_rate, 1, lang)),
    ]
    st.subheader(literal(commune.name))  # names come from data: shown as written, never markup
    st.caption(literal(" · ".join([commune.district or "", *facts]).strip(" ·")))

    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("commune.criteria_today"), f"{row['criteria_before']}/{size}")
    m2.metric(
        t("commune.criteria_after"),
        f"{row['criteria_after']}/{size}",
        delta=f"+{row['criteria_after'] - row['criteria_before']}"
        if row["criteria_after"] > row["criteria_before"]
        else None,
    )
    m3.metric(t("col.outcome"), t(f"outcome.{row['outcome']}"))
    m4.metric(t("commune.money"), in_billions(row["money"], lang))
    if not row["counted"]:
        st.caption(t("commune.not_counted"))

    explanation = explanation_for(run, plan, code)
    if explanation is not None:
        st.markdown(f"**{t('commune.why')}** {explanation_text(explanation, dataset, lang)}")

    st.subheader(t("commune.criteria_title"))
    criteria = criteria_table(dataset, plan, code, lang)
    st.dataframe(
        criteria, hide_index=True, width="stretch", height=ROW_PIXELS * (len(criteria) + 1) + 3
    )
    st.subheader(t("commune.items_title"))
    items = items_here_table(dataset, plan, code, lang)
    if items is None:
        st.info(t("commune.no_items"))
    else:
        st.dataframe(items, hide_index=True, width="stretch")

    st.subheader(t("commune.what_if_title"))
    if run.method != runs.OPTIMIZER:
        st.info(t("commune.what_if_optimizer_only"))
        return
    st.caption(t("commune.what_if_caption"))
    b1, b2, _ = st.columns([1, 1, 2])
    force = b1.button(
        t("commune.force"),
        icon=":material/flag:",
        disabled=bool(row["at_standard_after"]),
        width="stretch",
    )
    exclude = b2.button(  # a unit that does not count and gets no money: nothing to exclude
        t("commune.exclude"),
        icon=":material/block:",
        disabled=not row["counted"] and not row["money"],
        width="stretch",
    )
    if (force or exclude) and auth.may_run():
        st.session_state[WHAT_IF_KEY] = (run.label, code, "force" if force else "exclude")
    asked = st.session_state.get(WHAT_IF_KEY)
    if asked and asked[0] == run.label and asked[1] == code:
        answer = what_if(run, plan, code, asked[2])
        if answer is not None:
            kind, text, lost, gained = what_if_text(answer, dataset, lang)
            (st.success if kind == "good" else st.warning if kind == "cost" else st.error)(text)
            if lost:
                st.markdown(t("commune.lost_list", names=lost))
            if gained:
                st.markdown(t("commune.gained_list", names=gained))


if __name__ == "__main__":
    render()
