"""History page (Lịch sử): the runs recorded in the history store — browse them, reopen one without
solving again, compare two decision by decision, re-run an old scenario version on the data open
now, and move scenario versions through approval (draft → submitted → approved).

The store does the work (``store.Store``: list, diff, record_run, submit/approve/reject); a re-run
solves in a worker process (``ui.runs.plan_in_worker``), as the Scenario page's runs do; the
tables come from ``ui.history_tables``; a reopened plan is drawn by ``ui.plan_view.show_plan``, as
the Results page draws it.
"""

from __future__ import annotations

import streamlit as st

from models.dataset import Dataset
from models.scenario_check import Severity, check_scenario
from reports.provenance import Provenance
from store import ApprovalError, ApprovalState, RunSummary, Store, dataset_hash
from store.accounts import Action, NotSignedIn, PermissionDenied
from ui import auth, history, runs
from ui.format import MISSING, moment, number
from ui.history_tables import (
    Names,
    approval_error_text,
    approval_table,
    commune_changes_table,
    commune_money_table,
    item_changes_table,
    kpi_table,
    money_changes_table,
    run_label,
    runs_table,
    state_name,
    status_name,
)
from ui.i18n import current_language, t
from ui.plan_view import show_plan
from ui.problem_text import problem_line
from ui.state import dataset_or_stop

# Runs the table lists (the newest).
RUNS_SHOWN = 200
# The filter option meaning every scenario or every user.
ALL = ""
SCENARIO_FILTER_KEY = "hist.filter_scenario"
USER_FILTER_KEY = "hist.filter_user"
SECTION_KEY = "hist.section"
SECTIONS = ("open", "compare", "rerun", "approval")
OPEN_KEY = "hist.open"
COMPARE_A_KEY, COMPARE_B_KEY = "hist.compare_a", "hist.compare_b"
RERUN_RUN_KEY = "hist.rerun_run"
# Session state: (original run id, new run id) of the last re-run.
RERUN_RESULT_KEY = "hist.rerun_result"
APPROVAL_SCENARIO_KEY = "hist.approval_scenario"
APPROVAL_NOTICE_KEY = "hist.approval_notice"
# Session state prefix (+ ".<scenario name>"): the version chosen in the approval section.
APPROVAL_CHOSEN_KEY = "hist.approval_chosen"
# Session state: bumped after a successful approval step, so the note field starts empty.
NOTE_VERSION_KEY = "hist.note_version"
# Approval buttons: the store method each calls and the state it moves the version to.
ACTIONS = {
    "submit": ApprovalState.SUBMITTED,
    "approve": ApprovalState.APPROVED,
    "reject": ApprovalState.DRAFT,
}


def render() -> None:
    lang = current_language()
    st.title(t("hist.title"))
    store, why = history.open_store()
    if store is None:
        st.error(t("hist.unavailable", where=history.where(), reason=why))
        st.caption(t("hist.unavailable_hint"))
        return
    st.session_state.pop(history.UNAVAILABLE_KEY, None)  # it opens now: record runs again
    st.caption(t("hist.intro", where=history.where()))

    shown = _runs_list(store, lang)
    section = st.segmented_control(
        t("hist.section"),
        options=list(SECTIONS),
        format_func=lambda s: t(f"hist.section.{s}", lang),
        default="open",
        required=True,
        key=SECTION_KEY,
        label_visibility="collapsed",
    )
    if section == "compare":
        _compare(store, shown, lang)
    elif section == "rerun":
        _rerun(store, shown, lang)
    elif section == "approval":
        _approval(store, shown, lang)
    else:
        _reopen(store, shown, lang)


# -- the list ------------------------------------------------------------------------------------
def _runs_list(store: Store, lang: str) -> list[RunSummary]:
    """Filters by scenario and user, then the table of runs; returns the runs listed."""
    scenarios = [ALL, *(s.name for s in store.list_scenarios())]
    if st.session_state.get(SCENARIO_FILTER_KEY) not in scenarios:
        st.session_state[SCENARIO_FILTER_KEY] = ALL
    left, right, _ = st.columns([2, 1, 1])
    scenario = left.selectbox(
        t("hist.filter_scenario"),
        scenarios,
        format_func=lambda s: s or t("hist.all", lang),
        key=SCENARIO_FILTER_KEY,
    )
    of_scenario = store.list_runs(scenario=scenario or None, limit=None)
    users = [ALL, *sorted({r.run_by for r in of_scenario})]
    if st.session_state.get(USER_FILTER_KEY) not in users:
        st.session_state[USER_FILTER_KEY] = ALL
    user = right.selectbox(
        t("hist.filter_user"),
        users,
        format_func=lambda u: u or t("hist.all", lang),
        key=USER_FILTER_KEY,
    )
    shown = store.list_runs(scenario=scenario or None, user=user or None, limit=RUNS_SHOWN)
    if not shown:
        st.info(t("hist.none_filtered") if scenario or user else t("hist.none"))
        return []
    st.dataframe(
        runs_table(shown, lang),
        hide_index=True,
        width="stretch",
        placeholder=MISSING,
        column_config={
            t("hist.col_run"): st.column_config.NumberColumn(width=64),
            t("hist.col_when"): st.column_config.TextColumn(width=118),
            t("hist.col_scenario"): st.column_config.TextColumn(width=240),
            t("hist.col_version"): st.column_config.NumberColumn(width=72),
            t("hist.col_approval"): st.column_config.TextColumn(width=110),
            t("hist.col_standard"): st.column_config.TextColumn(
                width=96, help=t("hist.col_standard_help")
            ),
            t("hist.col_money"): st.column_config.NumberColumn(width=110),
            t("hist.col_user"): st.column_config.TextColumn(width=130),
        },
    )
    st.caption(t("hist.runs_caption", count=len(shown)))
    return shown


def _pick_run(label: str, shown: list[RunSummary], key: str, lang: str, index: int = 0) -> int:
    labels = {r.id: run_label(r, lang) for r in shown}
    return st.selectbox(label, list(labels), index=index, format_func=labels.__getitem__, key=key)


# -- reopen --------------------------------------------------------------------------------------
def _reopen(store: Store, shown: list[RunSummary], lang: str) -> None:
    if not shown:
        return
    chosen = _pick_run(t("hist.open_run"), shown, OPEN_KEY, lang)
    summary = next(r for r in shown if r.id == chosen)
    record = history.stored_run(store.url, chosen)
    dataset = history.stored_dataset(store.url, record.dataset_hash)
    st.markdown(
        t(
            "hist.open_about",
            scenario=summary.scenario_name,
            version=summary.scenario_version,
            state=state_name(summary.approval_state, lang),
            dataset=summary.dataset_name,
            method=runs.method_name(summary.method),
            user=summary.run_by,
            when=moment(summary.finished_at, lang),
        )
    )
    notes = [t("hist.rerun_of", run=summary.rerun_of)] if summary.rerun_of else []
    notes += [t("hist.note", note=summary.note)] if summary.note else []
    notes += [record.scenario.description] if record.scenario.description else []
    for note in notes:
        st.caption(note)
    file_name = f"{runs.slug(summary.scenario_name)}_v{summary.scenario_version}_{chosen}.xlsx"
    show_plan(
        record.plan,
        record.scenario,
        dataset,
        lang,
        key=OPEN_KEY,
        file_name=file_name,
        provenance=Provenance.of_run(record),
    )


# -- compare -------------------------------------------------------------------------------------
def _compare(store: Store, shown: list[RunSummary], lang: str) -> None:
    if len(shown) < 2:
        st.info(t("hist.need_two"))
        return
    left, right = st.columns(2)
    with left:
        a = _pick_run(t("hist.run_a"), shown, COMPARE_A_KEY, lang, index=1)
    with right:
        b = _pick_run(t("hist.run_b"), shown, COMPARE_B_KEY, lang, index=0)
    if a == b:
        st.warning(t("hist.same_run"))
        return
    _differences(store, a, b, lang)


def _differences(store: Store, a: int, b: int, lang: str) -> None:
    """What run ``b`` decides differently from run ``a``: figures, communes, items, money."""
    diff = history.stored_diff(store.url, a, b)
    run_a, run_b = history.stored_run(store.url, a), history.stored_run(store.url, b)
    hashes = dict.fromkeys((run_b.dataset_hash, run_a.dataset_hash))
    datasets = [history.stored_dataset(store.url, h) for h in hashes]
    names = Names.of(datasets, lang)
    if diff.same_decisions:
        st.success(t("hist.same_decisions"), icon=":material/check_circle:")
    if diff.status_a != diff.status_b:
        st.warning(
            t(
                "hist.status_changed",
                a=status_name(diff.status_a, lang),
                b=status_name(diff.status_b, lang),
            )
        )
    floor = next((r.plan.kpis.floor for r in (run_b, run_a) if r.plan.kpis), 0)
    st.subheader(t("hist.kpis"))
    st.dataframe(kpi_table(diff, floor, lang), hide_index=True)

    st.subheader(t("hist.communes_changed", count=len(diff.communes)))
    if diff.communes:
        size = datasets[0].criteria.size
        st.dataframe(
            commune_changes_table(diff, names, size, lang), hide_index=True, width="stretch"
        )
    else:
        st.caption(t("hist.no_commune_changed"))

    st.subheader(t("hist.items_changed", count=len(diff.items)))
    if diff.items:
        st.dataframe(
            item_changes_table(diff, names, lang),
            hide_index=True,
            width="stretch",
            column_config={t("col.item"): st.column_config.TextColumn(width="large")},
        )
    else:
        st.caption(t("hist.no_item_changed"))

    st.subheader(t("hist.money_changed"))
    if diff.money_by_source_year:
        st.dataframe(money_changes_table(diff, names, lang), hide_index=True, width="stretch")
    else:
        st.caption(t("hist.no_money_changed"))
    if diff.money_by_commune:
        with st.expander(t("hist.money_by_commune", count=len(diff.money_by_commune))):
            st.dataframe(commune_money_table(diff, names, lang), hide_index=True, width="stretch")


# -- re-run --------------------------------------------------------------------------------------
def _rerun(store: Store, shown: list[RunSummary], lang: str) -> None:
    if not shown:
        return
    dataset = dataset_or_stop()
    st.caption(t("hist.rerun_intro", dataset=dataset.info.name))
    chosen = _pick_run(t("hist.rerun_run"), shown, RERUN_RUN_KEY, lang)
    original = next(r for r in shown if r.id == chosen)
    same_data = original.dataset_hash == dataset_hash(dataset)
    st.caption(
        t("hist.rerun_same_data")
        if same_data
        else t("hist.rerun_new_data", dataset=original.dataset_name)
    )
    pressed = st.button(
        t("hist.rerun_button", version=original.scenario_version, scenario=original.scenario_name),
        type="primary",
        icon=":material/replay:",
        disabled=not auth.may(Action.RECORD_RUN),
    )
    if pressed and _solve_again(store, original, dataset, same_data, lang):
        st.rerun()  # the new run joins the table above
    result = st.session_state.get(RERUN_RESULT_KEY)
    if not result or result[0] != chosen:
        return
    new = result[1]
    st.success(t("hist.rerun_done", run=new, original=chosen), icon=":material/history:")
    if same_data and history.stored_diff(store.url, chosen, new).same_decisions:
        st.success(t("hist.reproduced"), icon=":material/verified:")
    _differences(store, chosen, new, lang)


def _solve_again(
    store: Store, original: RunSummary, dataset: Dataset, same_data: bool, lang: str
) -> bool:
    """Solve the original run's scenario version on ``dataset`` and record it; True when done."""
    scenario = history.stored_run(store.url, original.id).scenario
    problems = [p for p in check_scenario(dataset, scenario) if p.severity == Severity.ERROR]
    if problems:
        st.error(t("hist.rerun_checks"))
        lang = current_language()
        st.code("\n".join(problem_line(p, lang) for p in problems), language=None)
        return False
    name = original.scenario_name
    with st.status(t("run.solving", name=name, method=runs.method_name(original.method))) as box:
        try:
            new = store.run_on_dataset(
                original.scenario_version_id,
                dataset,
                user=history.acting_user(),
                note=t("hist.rerun_note", run=original.id, dataset=dataset.info.name),
                method=original.method,
                rerun_of=original.id if same_data else None,
                solver=runs.plan_in_worker,  # held to a memory cap and a time limit
            )
        except runs.SolveError as error:
            box.update(label=t("run.failed_short", name=name), state="error")
            st.error(t("run.failed", name=name, reason=runs.failure_reason(error, lang)))
            return False
        except history.STORE_ERRORS as error:
            box.update(label=t("run.failed_short", name=name), state="error")
            st.error(t("history.not_recorded", reason=history.reason(error)))
            return False
        seconds = number(new.total_seconds, 1, lang)
        box.update(label=t("run.solved", name=name, seconds=seconds), state="complete")
    st.session_state[RERUN_RESULT_KEY] = (original.id, new.id)
    return True


# -- approval ------------------------------------------------------------------------------------
def _approval(store: Store, shown: list[RunSummary], lang: str) -> None:
    st.caption(t("hist.approval_intro"))
    scenarios = [s.name for s in store.list_scenarios()]
    if not scenarios:
        st.info(t("hist.no_scenarios"))
        return
    if st.session_state.get(APPROVAL_SCENARIO_KEY) not in scenarios:
        preferred = st.session_state.get(SCENARIO_FILTER_KEY) or (
            shown[0].scenario_name if shown else scenarios[0]
        )
        st.session_state[APPROVAL_SCENARIO_KEY] = (
            preferred if preferred in scenarios else scenarios[0]
        )
    left, right = st.columns([2, 1])
    name = left.selectbox(t("hist.approval_scenario"), scenarios, key=APPROVAL_SCENARIO_KEY)
    versions = {v.version: v for v in reversed(store.scenario_versions(name))}  # newest first
    chosen = _version_picker(right, name, versions, lang)
    version = versions[chosen]
    notice = st.session_state.pop(APPROVAL_NOTICE_KEY, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    st.markdown(
        t(
            "hist.version_about",
            version=chosen,
            state=state_name(version.state, lang),
            state_by=version.state_by,
            state_at=moment(version.state_at, lang),
            saved_by=version.saved_by,
            saved_at=moment(version.saved_at, lang),
        )
    )
    if version.note:
        st.caption(t("hist.note", note=version.note))
    if version.version == 1:
        st.caption(t("hist.version_first"))
    elif not version.changes:
        st.caption(t("hist.version_same"))
    else:
        st.caption(t("hist.version_changes"))
        st.code("\n".join(c.describe() for c in version.changes), language=None)
    if version.frozen:
        st.info(t("hist.frozen", version=chosen), icon=":material/lock:")

    if not auth.may(Action.APPROVE):
        st.info(t("auth.cannot_approve"), icon=":material/lock:")
        _approval_events(store, name, lang)
        return
    with st.form("hist.approval_form"):
        note = st.text_area(
            t("hist.approval_note"),
            key=f"hist.approval_note.{st.session_state.get(NOTE_VERSION_KEY, 0)}",
            height=68,
        )
        c1, c2, c3, _ = st.columns([1, 1, 1, 2])
        submit = c1.form_submit_button(t("hist.submit"), icon=":material/send:", width="stretch")
        approve = c2.form_submit_button(
            t("hist.approve"), icon=":material/verified:", type="primary", width="stretch"
        )
        reject = c3.form_submit_button(t("hist.reject"), icon=":material/undo:", width="stretch")
    for action, pressed in (("submit", submit), ("approve", approve), ("reject", reject)):
        if pressed:
            _step(store, name, chosen, action, note.strip(), lang)

    _approval_events(store, name, lang)


def _version_picker(column, name: str, versions: dict, lang: str) -> int:
    """The version dropdown, each option labelled with its version's state; returns the version
    chosen.

    The browser keeps showing the label an option had when it was chosen, so after a submission
    or an approval the dropdown still read «Bản nháp» above a line saying «Đã trình duyệt». The
    widget's key therefore carries the versions' states (a new state, a new widget, drawn with
    the new labels), and the version chosen is kept apart so that it stays chosen."""
    chosen_key = f"{APPROVAL_CHOSEN_KEY}.{name}"
    states = ",".join(f"{n}:{v.state}" for n, v in versions.items())
    previous = st.session_state.get(chosen_key)
    chosen = column.selectbox(
        t("hist.approval_version"),
        list(versions),
        index=list(versions).index(previous) if previous in versions else 0,
        format_func=lambda n: t(
            "hist.version_label", lang, version=n, state=state_name(versions[n].state, lang)
        ),
        key=f"hist.approval_version.{name}.{states}",
    )
    st.session_state[chosen_key] = chosen
    return chosen


def _approval_events(store: Store, name: str, lang: str) -> None:
    st.subheader(t("hist.approval_history"))
    events = store.approval_history(name)
    if events:
        st.dataframe(approval_table(events, lang), hide_index=True, width="stretch")
    else:
        st.caption(t("hist.no_events"))


def _step(store: Store, name: str, version: int, action: str, note: str, lang: str) -> None:
    """One approval step; an illegal one is explained (and changes nothing)."""
    target = ACTIONS[action]
    try:
        done = getattr(store, action)(name, version, user=history.acting_user(), note=note)
    except ApprovalError as error:
        current = store.scenario_version(name, version).state
        if "four-eyes" in str(error):
            st.error(t("auth.four_eyes", scenario=name, version=version), icon=":material/block:")
            return
        st.error(approval_error_text(name, version, current, target, lang), icon=":material/block:")
        return
    except (PermissionDenied, NotSignedIn) as error:
        st.error(t("auth.refused", reason=str(error)), icon=":material/block:")
        return
    except history.STORE_ERRORS as error:
        st.error(history.reason(error))
        return
    st.session_state[APPROVAL_NOTICE_KEY] = t(
        "hist.approval_done", scenario=name, version=version, state=state_name(done.state, lang)
    )
    st.session_state[NOTE_VERSION_KEY] = st.session_state.get(NOTE_VERSION_KEY, 0) + 1
    st.rerun()


if __name__ == "__main__":
    render()
