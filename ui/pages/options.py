"""Options page (Phương án): several good plans that differ, side by side, and a brief to download.

The current scenario is solved, then up to K alternatives are found within a tolerance of its
optimum (``optimizer.alternatives``); the page shows each option's figures and what it trades, the
options table and the communes that differ (``reports.options``), and offers the one-page
PDF brief and the options workbook. The page computes nothing itself.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from application.isolated import WorkerStopped, run_isolated, time_limit_for
from optimizer.alternatives import Lean, LeanUnsupported, OptionSet, generate_options
from optimizer.solve import SolverUnavailable, SolveTimeout
from reports.brief import recorded_version
from reports.options import (
    option_name,
    options_sheets,
    table_headers,
    trade_sentences,
)
from reports.options_report import (
    OPTIONS_BRIEF,
    OPTIONS_WORKBOOK,
    option_note,
    write_options_report,
)
from ui import auth, runs
from ui.format import money, number
from ui.history import STORE_ERRORS, open_store
from ui.i18n import current_language, t
from ui.state import dataset_or_stop

RESULT_KEY = "opt.result"
FILES_KEY = "opt.files"  # (options id, language) → the brief and workbook bytes, made once
MAX_SHOWN = 6  # alternatives the page offers to find (the command line goes to 12)


def _generate(dataset, scenario, k: int, tolerance: float, leans: tuple[Lean, ...]) -> None:
    request = (scenario.model_dump_json(), k, tolerance, leans)
    try:
        with st.spinner(t("options.running", k=k)):
            found = run_isolated(
                generate_options,
                dataset,
                scenario,
                k=k,
                tolerance=tolerance,
                leans=leans,
                time_limit=time_limit_for(
                    scenario.solver.time_limit, len(scenario.objectives), rounds=k + 1
                ),
            )
    except LeanUnsupported as error:
        st.session_state[RESULT_KEY] = (request, None, t("options.unsupported", reason=str(error)))
        return
    except (SolveTimeout, SolverUnavailable, WorkerStopped) as error:
        st.session_state[RESULT_KEY] = (request, None, runs.failure_reason(error))
        return
    except ValueError as error:
        st.session_state[RESULT_KEY] = (request, None, t("options.failed", reason=str(error)))
        return
    st.session_state[RESULT_KEY] = (request, found, "")


def _files(dataset, scenario, options: OptionSet, lang: str) -> dict[str, bytes]:
    """The brief and the workbook as bytes (written into a temporary folder, then read)."""
    recorded = None
    history, _why = open_store()
    if history is not None:
        try:
            recorded = recorded_version(history, scenario)
        except STORE_ERRORS:
            recorded = None
    with tempfile.TemporaryDirectory() as folder:
        paths = write_options_report(Path(folder), options, dataset, scenario, recorded, lang)
        return {p.name: p.read_bytes() for p in paths}


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    st.title(t("options.title"))
    st.caption(t("options.intro"))
    scenario = runs.current_scenario(dataset)
    st.markdown(t("options.scenario", name=scenario.name))
    with st.form("opt.form", border=False):
        c1, c2, c3 = st.columns([1, 1, 3])
        k = c1.number_input(
            t("options.k"), min_value=1, max_value=MAX_SHOWN, value=3, step=1, key="opt.k"
        )
        tolerance = c2.number_input(
            t("options.tolerance"),
            min_value=0,
            value=0,
            step=1,
            key="opt.tolerance",
            help=t("options.tolerance_help"),
        )
        leans = c3.multiselect(
            t("options.leans"),
            options=[lean.value for lean in Lean],
            format_func=lambda v: t(f"options.lean.{v}"),
            key="opt.leans",
            help=t("options.leans_help"),
            placeholder=t("options.leans_placeholder"),
        )
        pressed = st.form_submit_button(
            t("options.run"), type="primary", icon=":material/alt_route:"
        )
        if pressed and auth.may_run():
            _generate(dataset, scenario, int(k), float(tolerance), tuple(Lean(v) for v in leans))
    stored = st.session_state.get(RESULT_KEY)
    if not stored:
        st.info(t("options.none_yet"))
        return
    _request, options, problem = stored
    if options is None:
        st.error(problem)
        return
    _show(dataset, scenario, options, lang)


def _show(dataset, scenario, options: OptionSet, lang: str) -> None:
    st.info(option_note(options, lang))
    plans = options.plans()
    reference = options.optimum.plan.at_standard_codes()
    trades = trade_sentences(dataset, plans, lang)
    st.subheader(t("options.side_by_side"))
    for start in range(0, len(options.options), 4):
        row = options.options[start : start + 4]
        for column, option in zip(st.columns(len(row), border=True), row, strict=True):
            k = option.plan.kpis
            codes = option.plan.at_standard_codes()
            column.markdown(f"**{option_name(option.label, lang)}**")
            column.caption(t(f"options.ask.{option.ask}"))
            column.metric(t("options.at_standard"), number(k.at_standard_after, lang=lang))
            column.metric(t("options.at_floor", floor=k.floor), number(k.at_floor_after, lang=lang))
            column.metric(t("options.money"), money(k.money_total, lang))
            column.markdown(
                t(
                    "options.swap",
                    gained=number(len(codes - reference), lang=lang),
                    lost=number(len(reference - codes), lang=lang),
                )
            )
            if trades.get(option.label):
                column.caption(trades[option.label])

    sheets = options_sheets(dataset, plans, {o.label: o.ask for o in options.options}, lang)
    st.subheader(t("options.table"))
    table = sheets["options"]
    shown = table.copy()
    shown.columns = table_headers(table, dataset, lang)
    st.dataframe(shown, hide_index=True, width="stretch")
    st.subheader(t("options.communes"))
    communes = sheets["options_communes"]
    if communes.empty:
        st.success(t("options.no_commune_differs"))
    else:
        st.dataframe(communes.drop(columns="commune"), hide_index=True, width="stretch")

    cached = st.session_state.get(FILES_KEY)
    if not cached or cached[0] != (id(options), lang):
        cached = ((id(options), lang), _files(dataset, scenario, options, lang))
        st.session_state[FILES_KEY] = cached
    files = cached[1]
    c1, c2, _ = st.columns([1, 1, 2])
    if OPTIONS_BRIEF in files:
        c1.download_button(
            t("options.download_brief"),
            data=files[OPTIONS_BRIEF],
            file_name=OPTIONS_BRIEF,
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
        )
    c2.download_button(
        t("options.download_excel"),
        data=files[OPTIONS_WORKBOOK],
        file_name=OPTIONS_WORKBOOK,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )


if __name__ == "__main__":
    render()
