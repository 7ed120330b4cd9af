"""One commune in a plan, for the Commune page: its criteria, items, explanation and what-ifs.

Explanations and counterfactuals come from ``optimizer.explain`` and are cached per run (package,
scenario JSON, method) and commune; the text they carry in English is replaced by sentences in the
chosen language built from their fields.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from application.isolated import run_isolated
from models.dataset import Dataset
from optimizer import compare
from optimizer.explain import exclude_commune, explain, force_commune
from optimizer.plan import Plan
from ui.format import in_billions, literal, number
from ui.i18n import criterion_label, source_name, t, unit_name
from ui.runs import Run, SolveError, cached_plan, failure_reason, solve_seconds
from ui.state import data_last_modified, load_dataset


def _run_key(run: Run) -> tuple[str, float, str, str]:
    return (run.data, data_last_modified(Path(run.data)), run.scenario, run.method)


@st.cache_data(show_spinner=False, max_entries=16)
def _explanations(data: str, last_modified: float, scenario_json: str, method: str) -> dict:
    plan = cached_plan(data, last_modified, scenario_json, method)
    dataset = load_dataset(Path(data))
    scenario = Run("", data, scenario_json, method).scenario_model()
    seconds = solve_seconds(scenario)
    explained = run_isolated(explain, dataset, scenario, plan, time_limit=seconds)
    return {e.commune: e for e in explained}


def explanation_for(run: Run, plan: Plan, commune: str):
    """The commune's explanation in the run's plan (all communes are explained once, cached).

    None, with a note, when the cost-to-complete model is not solved within the time limit.
    """
    with st.spinner(t("commune.explaining")):
        try:
            return _explanations(*_run_key(run)).get(commune)
        except (RuntimeError, *SolveError):
            st.caption(t("commune.no_explanation"))
            return None


@st.cache_data(show_spinner=False, max_entries=64)
def _what_if(
    data: str, last_modified: float, scenario_json: str, method: str, commune: str, kind: str
):
    plan = cached_plan(data, last_modified, scenario_json, method)
    dataset = load_dataset(Path(data))
    scenario = Run("", data, scenario_json, method).scenario_model()
    ask = force_commune if kind == "force" else exclude_commune
    return run_isolated(
        ask, dataset, scenario, commune, base=plan, time_limit=solve_seconds(scenario)
    )


def what_if(run: Run, plan: Plan, commune: str, kind: str):
    """Re-solve with the commune forced to standard or excluded (cached), inside a progress box."""
    key = (*_run_key(run), commune, kind)
    done: set = st.session_state.setdefault("commune.what_if_done", set())
    if key in done:
        return _what_if(*key)
    with st.status(t(f"commune.{kind}_running"), expanded=False) as status:
        try:
            answer = _what_if(*key)
        except SolveError as error:
            status.update(state="error")
            st.error(t("run.failed", name=literal(run.label), reason=failure_reason(error)))
            return None
        status.update(label=t("commune.what_if_done"), state="complete")
    done.add(key)
    return answer


# -- words ---------------------------------------------------------------------------------------
def _criteria_names(codes, dataset: Dataset, lang: str) -> str:
    by_code = dataset.criteria.by_code
    return "; ".join(criterion_label(by_code[c], lang) for c in codes if c in by_code)


def explanation_text(e, dataset: Dataset, lang: str) -> str:
    """Why the commune ends where it does, in a sentence of the language."""
    values = {
        "money": in_billions(e.money_received, lang),
        "cost": in_billions(e.cost_to_complete, lang),
        "last": in_billions(e.last_selected_cost, lang),
        "criteria": literal(_criteria_names(e.criteria, dataset, lang)),
    }
    reason = e.reason.value
    if reason == "too_costly" and e.last_selected_cost is None:
        reason = "too_costly_none"
    if reason == "at_standard_already" and e.money_received <= 0:
        reason = "at_standard_free"
    text = t(f"reason.{reason}", lang, **values)
    if e.status.value == "lost_standard":
        text = t("reason.lost_standard", lang) + " " + text
    return text


def what_if_text(cf, dataset: Dataset, lang: str) -> tuple[str, str, str, str]:
    """(kind, sentence, names lost, names gained); kind is good, cost or error."""
    name = literal(dataset.commune_by_code[cf.commune].name)
    if not cf.feasible:
        return "error", t(f"what_if.{cf.kind.value}_infeasible", lang, name=name), "", ""
    values = {
        "name": name,
        "before": number(cf.base_at_standard, lang=lang),
        "after": number(cf.new_at_standard, lang=lang),
        "lost": number(abs(cf.others_lost or 0), lang=lang),
        "money_before": in_billions(cf.base_money, lang),
        "money_after": in_billions(cf.new_money, lang),
        "items": number(len(cf.excluded_items), lang=lang),
    }
    if cf.kind.value == "force":
        if (cf.others_lost or 0) > 0:
            kind, key = "cost", "what_if.force_costs"
        elif (cf.others_lost or 0) < 0:
            kind, key = "good", "what_if.force_gains"
        else:
            kind, key = "good", "what_if.force_free"
    else:
        kind = "cost" if (cf.new_at_standard or 0) < cf.base_at_standard else "good"
        key = "what_if.exclude"
    by_code = dataset.commune_by_code

    def names(codes) -> str:
        return ", ".join(
            literal(by_code[c].name) for c in codes if c in by_code and c != cf.commune
        )

    return kind, t(key, lang, **values), names(cf.lost), names(cf.gained)


# -- tables --------------------------------------------------------------------------------------
def criteria_table(dataset: Dataset, plan: Plan, commune: str, lang: str) -> pd.DataFrame:
    """One row per criterion: status today (with the gap), after the plan, year met, items."""
    items_for: dict[str, list[str]] = {}
    for target in plan.item_targets:
        if target.commune == commune:
            for code in target.criterion.split(";"):
                items_for.setdefault(code, []).append(
                    dataset.investment_by_code[target.investment].name
                )
    after = {r.criterion: r for r in plan.criteria if r.commune == commune}
    rows = []
    for criterion in dataset.criteria.criteria:
        s = dataset.status_by_key[(commune, criterion.code)]
        if s.met:
            today = t("commune.met_at_risk", lang) if s.at_risk else t("status.met", lang)
        else:
            gap = number(s.gap, 2 if s.gap % 1 else 0, lang)
            unit = unit_name(criterion.unit, lang, s.gap)
            amount = f"{gap}{unit}" if unit == "%" else f"{gap} {unit}"
            today = t("commune.unmet_gap", lang, amount=amount)
        result = after.get(criterion.code)
        met_after = bool(result and result.met_after)
        changed = met_after != s.met or (s.at_risk and met_after)
        rows.append(
            {
                t("chart.criterion", lang): criterion_label(criterion, lang),
                t("commune.today", lang): today,
                t("commune.after", lang): ("✓ " if met_after else "✗ ")
                + t("status.met" if met_after else "status.unmet", lang),
                t("commune.year_met", lang): str(result.year_met)
                if result and result.year_met and changed
                else "",
                t("commune.funded_for", lang): "; ".join(items_for.get(criterion.code, [])),
            }
        )
    return pd.DataFrame(rows)


def items_here_table(dataset: Dataset, plan: Plan, commune: str, lang: str) -> pd.DataFrame | None:
    """Funded items that serve the commune: name, years, its share of the cost, who pays."""
    shares = {t_.investment: t_.share for t_ in plan.item_targets if t_.commune == commune}
    if not shares:
        return None
    items = compare.funded_items(dataset, plan)
    items = items[items["item"].isin(shares)]
    names = {s.code: source_name(s, lang) for s in dataset.sources}
    rows = []
    for _, item in items.iterrows():
        paying = [
            names[code]
            for code in names
            if item.get(f"source:{code}", 0.0) and item[f"source:{code}"] > 0
        ]
        rows.append(
            {
                t("col.item", lang): item["name"],
                t("col.start_year", lang): str(item["start_year"]),
                t("col.completion_year", lang): str(item["completion_year"]),
                t("commune.share_here", lang): in_billions(
                    item["cost"] * shares[item["item"]], lang
                ),
                t("col.sources", lang): "; ".join(paying),
            }
        )
    return pd.DataFrame(rows)
