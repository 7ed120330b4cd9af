"""Compare page (So sánh): two to four scenarios side by side — headline figures and what differs.

Choices are this session's runs, the scenario files written for the package in use, the current
scenario and (when installed) the baseline rules applied to it. The arithmetic is in
``optimizer.compare``; this page only picks plans and shows its tables.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from models.scenario_io import ScenarioFileError
from optimizer import compare
from optimizer.plan import Plan
from ui import runs
from ui.compare_download import comparison_download
from ui.format import MILLION_PER_BILLION, in_billions, literal, number
from ui.i18n import current_language, source_name, t
from ui.plan_charts import moved_chart
from ui.plan_tables import differences_table, moved_table
from ui.plan_view import kpi_delta, kpi_label, kpi_text
from ui.state import data_path, dataset_or_stop

CHOSEN_KEY = "cmp.chosen"
SHOWN_KEY = "cmp.shown"
MAX_PLANS = 4
RUN, FILE, CURRENT, BASELINE = "run:", "file:", "current", "baseline:"
KPI_ROWS = (
    "at_standard",
    "at_floor",
    "mean_criteria",
    "criteria_met",
    "money_total",
    "items_funded",
)


def run_id(run: runs.Run) -> str:
    """A run's choice id, the same in every language: ``run:<scenario name>`` for the optimizer,
    ``run:<scenario name> · baseline:<rule>`` for a baseline (its label is translated)."""
    name = run.scenario_model().name
    return RUN + (name if run.method == runs.OPTIMIZER else f"{name} · {run.method}")


def options(dataset) -> dict[str, str]:
    """Choice id → label: runs of this session, the current scenario, files, baselines."""
    data = data_path()
    current = runs.current_scenario(dataset)
    found: dict[str, str] = {}
    existing = runs.runs()
    for label, existing_run in existing.items():
        found[run_id(existing_run)] = t("compare.option_run", label=label)
    if current.name not in existing:
        found[CURRENT] = t("compare.option_current", name=current.name)
    for path, scenario in runs.readable_scenarios().items():
        if scenario.dataset and runs.same_package(scenario, data):
            if scenario.name in existing or scenario.name == current.name:
                continue  # one run per label: the same name would replace the other plan
            found[FILE + str(path)] = t("compare.option_file", name=scenario.name)
    for name in runs.baselines():
        method = runs.BASELINE_PREFIX + name
        found[BASELINE + name] = t(
            "compare.option_baseline", name=current.name, method=runs.method_name(method)
        )
    return found


def run_for(choice: str, dataset) -> runs.Run:
    """The run a choice stands for (recorded in the session, so Results can show it too)."""
    if choice.startswith(RUN):
        return next(r for r in runs.runs().values() if run_id(r) == choice)
    current = runs.current_scenario(dataset)
    if choice == CURRENT:
        return runs.add_run(current)
    if choice.startswith(BASELINE):
        return runs.add_run(current, runs.BASELINE_PREFIX + choice.removeprefix(BASELINE))
    scenario = runs.for_package(runs.read_scenario(Path(choice.removeprefix(FILE))), data_path())
    return runs.add_run(scenario)


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    st.title(t("compare.title"))
    st.caption(t("compare.intro"))

    choices = options(dataset)
    if CHOSEN_KEY not in st.session_state:  # back from another page: the plans compared last
        st.session_state[CHOSEN_KEY] = st.session_state.get(SHOWN_KEY) or []
    st.session_state[CHOSEN_KEY] = [
        c for c in _as_runs(st.session_state[CHOSEN_KEY], dataset) if c in choices
    ][:MAX_PLANS]
    with st.form("cmp.form", border=False):
        chosen = st.multiselect(
            t("compare.choose"),
            options=list(choices),
            format_func=choices.__getitem__,
            max_selections=MAX_PLANS,
            key=CHOSEN_KEY,
            placeholder=t("compare.choose_placeholder"),
            help=t("compare.choose_help"),
        )
        if st.form_submit_button(
            t("compare.run"), type="primary", icon=":material/compare_arrows:"
        ):
            st.session_state[SHOWN_KEY] = list(chosen)
    shown = st.session_state.get(SHOWN_KEY) or []
    if len(shown) < 2:
        st.info(t("compare.need_two"))
        return

    plans: dict[str, Plan] = {}
    resolved = []
    for choice in shown:
        if choice not in choices and not choice.startswith(RUN):
            continue
        try:
            run = run_for(choice, dataset)
        except (KeyError, StopIteration):
            continue
        resolved.append(run_id(run))
        plan = runs.plan_for(run)
        if plan is None:
            return
        plans[run.label] = plan
    # the choices as the runs they became: the same plans, in the same order (A, B, C…), whatever
    # the page or language the user comes back from
    st.session_state[SHOWN_KEY] = resolved
    infeasible = [label for label, plan in plans.items() if not plan.feasible]
    if infeasible:
        st.warning(t("compare.infeasible", names=", ".join(f"«{literal(x)}»" for x in infeasible)))
    plans = {label: plan for label, plan in plans.items() if plan.feasible}
    if len(plans) < 2:
        return
    names = {chr(ord("A") + i): label for i, label in enumerate(plans)}
    lettered = dict(zip(names, plans.values(), strict=True))
    letters = list(names)

    st.subheader(t("compare.kpis"))
    st.caption(t("compare.reference", reference=literal(names["A"])))
    _kpi_columns(lettered, names, lang)
    comparison_download(plans, dataset, lang)

    legend = " · ".join(f"**{letter}**: {literal(label)}" for letter, label in names.items())
    sources = {s.code: source_name(s, lang) for s in dataset.sources}
    for by, group_names, header in (
        ("district", {}, t("col.district")),
        ("source", sources, t("col.source")),
    ):
        st.subheader(t(f"compare.moved_{by}"))
        moved = compare.money_moved(dataset, lettered, by)
        if moved.empty:
            st.success(t("compare.no_money_moved"))
            continue
        st.caption(t("compare.moved_caption", legend=legend))
        st.dataframe(
            moved_table(moved, group_names, letters, lang, header),
            hide_index=True,
            width="stretch",
        )
        others = moved[moved["plan"] != "A"]
        st.altair_chart(moved_chart(others, group_names, lang), width="stretch")

    st.subheader(t("compare.communes"))
    differences = compare.commune_differences(dataset, lettered)
    if differences.empty:
        st.success(t("compare.no_commune_differs"))
    else:
        st.caption(
            t("compare.communes_caption", count=number(len(differences), lang=lang), legend=legend)
        )
        st.dataframe(
            differences_table(differences, letters, dataset.criteria.size, lang),
            hide_index=True,
            width="stretch",
        )


def _as_runs(chosen: list[str], dataset) -> list[str]:
    """Chosen ids with the current scenario, a file or a baseline that has since been run named
    by its run (the option list shows each plan once, as a run when there is one)."""
    existing = {run_id(r): r for r in runs.runs().values()}
    by_name = {(r.scenario_model().name, r.method): i for i, r in existing.items()}
    current = runs.current_scenario(dataset).name
    kept = []
    for choice in chosen:
        if choice == CURRENT:
            choice = by_name.get((current, runs.OPTIMIZER), choice)
        elif choice.startswith(BASELINE):
            method = runs.BASELINE_PREFIX + choice.removeprefix(BASELINE)
            choice = by_name.get((current, method), choice)
        elif choice.startswith(FILE):
            try:
                name = runs.read_scenario(Path(choice.removeprefix(FILE))).name
            except (ScenarioFileError, OSError):  # gone or broken since: the id as it was
                name = None
            choice = by_name.get((name, runs.OPTIMIZER), choice)
        kept.append(choice)
    return list(dict.fromkeys(kept))


def _kpi_columns(plans: dict[str, Plan], names: dict[str, str], lang: str) -> None:
    """One column per plan (by letter): its headline figures, with the change against plan A."""
    table = compare.kpi_table(plans)
    deltas = compare.kpi_deltas(plans)
    floor = next(p.kpis.floor for p in plans.values() if p.kpis)
    columns = st.columns(len(plans), border=True)
    for index, (column, label) in enumerate(zip(columns, plans, strict=True)):
        column.markdown(f"**{label} · {literal(names[label])}**")
        column.caption(runs.method_name(plans[label].method))
        for key in KPI_ROWS:
            value = table.at[key, label]
            if key == "money_total":
                _money_metric(column, plans[label], deltas.at[key, label], lang)
                continue
            reference = index == 0
            delta = (
                t("compare.reference_tag")
                if reference
                else kpi_delta(key, deltas.at[key, label], lang)
            )
            column.metric(
                kpi_label(key, floor, lang),
                kpi_text(key, value, lang),
                delta=delta,
                delta_color="off"
                if reference or key in ("money_total", "items_funded")
                else "normal",
                delta_arrow="off" if reference else "auto",
                help=t("compare.before_help", before=kpi_text(key, table.at[key, "before"], lang))
                if key in ("at_standard", "at_floor", "mean_criteria", "criteria_met")
                else None,
            )


def _money_metric(column, plan: Plan, delta: float, lang: str) -> None:
    """Money used, with what the plan leaves unspent of its own budget (not a difference from
    plan A, which read as a saving when a rule left money unspent)."""
    k = plan.kpis
    unspent = max(k.budget_total - k.money_total, 0.0)
    shown = round(unspent / MILLION_PER_BILLION, 1)
    column.metric(
        kpi_label("money_total", k.floor, lang),
        kpi_text("money_total", k.money_total, lang),
        delta=(
            t("compare.unspent", amount=in_billions(unspent, lang))
            if shown
            else t("compare.all_spent")
        ),
        delta_color="off",
        delta_arrow="off",
        help=t(
            "compare.money_help",
            budget=in_billions(k.budget_total, lang),
            used=in_billions(k.money_total, lang),
            unspent=in_billions(unspent, lang),
            delta=kpi_delta("money_total", delta, lang),
        ),
    )


if __name__ == "__main__":
    render()
