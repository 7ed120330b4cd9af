"""Progress page (Tiến độ): bring in what happened, see the plan against actual, re-plan.

Pick a recorded run, upload a progress workbook (every problem listed by sheet, row and column, as
on the import page), re-plan the remaining years (optimizer.replan), see what changed and why
(optimizer.replan_report), then save the re-plan as a new draft version and submit it. The page
only reads state, calls the engine and the store, and renders.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from application.isolated import run_isolated
from models.io.errors import DataPackageError
from models.io.progress_io import progress_from_upload
from optimizer.replan import ReplanError, prepare_replan, solve_replan
from optimizer.replan_report import (
    Change,
    criteria_against_plan,
    falling_behind,
    money_against_plan,
    replan_diff,
)
from reports.replan_tables import money_by_year, readable
from store import ApprovalError, RunRecord
from store.accounts import Action, NotSignedIn, PermissionDenied
from ui import auth, history
from ui.i18n import current_language, t
from ui.problem_text import problem_line
from ui.runs import solve_seconds

UPLOAD_KEY = "progress.file"
LOADED_KEY = "progress.loaded"
RESULT_KEY = "progress.result"
SAVED_KEY = "progress.saved"


def render() -> None:
    st.title(t("progress.title"))
    st.markdown(t("progress.intro"))
    store, why = history.open_store()
    if store is None:
        st.warning(t("progress.no_store", reason=why))
        return
    runs = [
        r
        for r in store.list_runs(limit=200)
        if r.status.value != "infeasible" and r.at_standard_after is not None
    ]
    if not runs:
        st.info(t("progress.no_runs"))
        return
    url = store.url
    records = {r.id: history.stored_run(url, r.id) for r in runs[:50]}
    annual = [r for r in runs if not records[r.id].scenario.horizon.single_period]
    if not annual:
        st.info(t("progress.no_runs"))
        return
    approved = [r for r in annual if r.approval_state.value == "approved"]
    chosen_id = st.selectbox(
        t("progress.run"),
        [r.id for r in annual],
        index=annual.index(approved[0]) if approved else 0,
        format_func=lambda i: _run_label(records[i]),
        key="progress.run",
    )
    revised = records[chosen_id]
    uploaded = st.file_uploader(t("progress.upload"), type=["xlsx"], key=UPLOAD_KEY)
    loaded = st.session_state.get(LOADED_KEY)
    if uploaded is not None and (loaded is None or loaded["file_id"] != uploaded.file_id):
        loaded = _read(uploaded)
        st.session_state[LOADED_KEY] = loaded
        st.session_state.pop(RESULT_KEY, None)
    if loaded is None:
        return
    if loaded["problems"]:
        _problems(loaded["problems"])
        return
    read = loaded["read"]
    if read.problems:  # rows that cannot be read: listed as the import page lists them
        _problems(read.problems)
        return
    progress = read.progress
    st.success(
        t(
            "progress.loaded",
            items=len(progress.items),
            payments=len(progress.disbursements),
            criteria=len(progress.criteria),
        )
    )
    horizon = revised.scenario.horizon
    with st.form("progress.form"):
        from_year = st.number_input(
            t("progress.from_year"),
            min_value=horizon.start + 1,
            max_value=horizon.end,
            value=min(horizon.end, max([horizon.start, *_years(progress)]) + 1),
            step=1,
        )
        scale = st.number_input(
            t("progress.scale"), min_value=0.0, max_value=3.0, value=1.0, step=0.05
        )
        submitted = st.form_submit_button(t("progress.replan"), type="primary")
    if submitted and not auth.may(Action.RECORD_RUN):  # a viewer sees plans but solves nothing
        st.info(t("auth.cannot_run"), icon=":material/lock:")
        submitted = False
    if submitted:
        dataset = history.stored_dataset(url, revised.dataset_hash)
        overrides = {"budgets": {"scale": float(scale)}} if scale != 1.0 else None
        try:
            replan = prepare_replan(
                dataset,
                revised.scenario,
                revised.plan,
                progress,
                int(from_year),
                overrides=overrides,
                run_id=revised.id,
                numbers=read.numbers,
                raw=read.raw,
                read_problems=read.problems,
                refused_items=read.refused_items,
            )
        except ReplanError as error:
            _problems(error.problems)
            return
        started = now()
        with st.spinner(t("progress.solving")):
            plan = run_isolated(solve_replan, replan, time_limit=solve_seconds(replan.scenario))
        st.session_state[RESULT_KEY] = {
            "run": revised.id,
            "dataset": dataset,
            "replan": replan,
            "plan": plan,
            "started": started,
            "finished": now(),
        }
        st.session_state.pop(SAVED_KEY, None)
    result = st.session_state.get(RESULT_KEY)
    if result is None or result["run"] != revised.id:
        return
    _show(result, revised)


def _run_label(run: RunRecord) -> str:
    horizon = run.scenario.horizon
    return t(
        "progress.run_label",
        run=run.id,
        scenario=run.scenario_name,
        version=run.scenario_version,
        state=t(f"approval.{run.approval_state.value}"),
        start=horizon.start,
        end=horizon.end,
    )


def _years(progress) -> list[int]:
    return [d.year for d in progress.disbursements] + [c.year for c in progress.criteria]


def _read(uploaded) -> dict:
    try:
        read = progress_from_upload(uploaded.name, uploaded.getvalue())
    except DataPackageError as error:
        return {"file_id": uploaded.file_id, "problems": error.problems}
    return {"file_id": uploaded.file_id, "problems": [], "read": read}


def _problems(problems) -> None:
    lang = current_language()
    st.error(t("progress.problems", count=len(problems)))
    st.markdown("\n".join(f"- {problem_line(p, lang)}" for p in problems))


def _show(result: dict, revised: RunRecord) -> None:
    replan, plan, dataset = result["replan"], result["plan"], result["dataset"]
    lang = current_language()
    for warning in replan.warnings:
        st.warning(problem_line(warning, lang))
    st.subheader(t("progress.money"))
    money = money_against_plan(replan, revised.plan, revised.scenario, dataset)
    st.bar_chart(money_by_year(money, lang), stack=False)
    st.dataframe(readable(money, lang), hide_index=True, width="stretch")
    st.subheader(t("progress.criteria"))
    criteria = criteria_against_plan(replan, revised.plan, dataset)
    st.dataframe(readable(criteria[criteria["behind"]], lang), hide_index=True, width="stretch")
    if not plan.feasible:
        st.error(t("progress.infeasible", message=plan.note_text(lang)))
        return
    diff = replan_diff(replan, revised.plan, plan)
    st.subheader(t("progress.changes"))
    columns = st.columns(6)
    for column, change in zip(
        columns,
        (Change.KEPT, Change.MOVED, Change.DROPPED, Change.ADDED, Change.COMPLETED),
        strict=False,
    ):
        column.metric(t(f"progress.{change.value}"), diff.count(change))
    columns[5].metric(
        t("progress.at_standard"),
        plan.kpis.at_standard_after,
        plan.kpis.at_standard_after - revised.plan.kpis.at_standard_after,
    )
    changed = diff.items_table()
    changed = changed[
        changed["change"].isin([c.value for c in (Change.DROPPED, Change.ADDED, Change.MOVED)])
    ]
    st.dataframe(readable(changed, lang), hide_index=True, width="stretch")
    st.subheader(t("progress.behind"))
    behind = falling_behind(diff)
    if behind.empty:
        st.caption(t("progress.none_behind"))
    else:
        st.dataframe(readable(behind, lang), hide_index=True, width="stretch")
    _save(result, revised)


def _save(result: dict, revised: RunRecord) -> None:
    saved = st.session_state.get(SAVED_KEY)
    if (
        saved is None
        and auth.may(Action.RECORD_RUN)
        and st.button(t("progress.save"), icon=":material/save:")
    ):
        replan = result["replan"]
        run = history.record(
            replan.scenario, replan.dataset, result["plan"], result["started"], result["finished"]
        )
        if run is not None:
            saved = {"run": run.id, "scenario": run.scenario_name, "version": run.scenario_version}
            st.session_state[SAVED_KEY] = saved
    if saved is None:
        return
    st.success(t("progress.saved", revised=revised.id, **saved))
    if auth.may(Action.SUBMIT) and st.button(t("progress.submit"), icon=":material/send:"):
        store, _why = history.open_store()
        if store is None:
            return
        try:  # as the signed-in account: the store checks the role and records who submitted
            store.submit(saved["scenario"], saved["version"], user=history.acting_user())
        except (ApprovalError, PermissionDenied, NotSignedIn) as error:
            st.error(t("auth.refused", reason=str(error)), icon=":material/block:")
            return
        st.success(t("progress.submitted", **{k: saved[k] for k in ("scenario", "version")}))


def now() -> datetime:
    return datetime.now(UTC)


if __name__ == "__main__":
    render()
