"""Tables of the history store dressed for reading: runs, differences between two runs, approvals.

Inputs are the store's records (``RunSummary``, ``RunDiff``, ``ApprovalEvent``); names come from
the datasets the runs were solved on, so a table shows communes, items and sources by name, never
by code. Money stays a number underneath (in tỷ đồng, so a column sorts by value) and a pandas
Styler writes it the Vietnamese or English way. Nothing here adds money up: the store's diff did.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from pandas.io.formats.style import Styler

from models.dataset import Dataset
from optimizer.plan import PlanStatus
from store import ApprovalEvent, ApprovalState, RunDiff, RunSummary
from store.diff import ItemChangeKind
from ui.format import MILLION_PER_BILLION, MISSING, moment, number
from ui.i18n import source_name, t
from ui.plan_view import signed
from ui.runs import method_name

RUN_A, RUN_B = "A", "B"
"""How the two compared runs are called in table headers (a legend says which run is which)."""
MONEY_DECIMALS = 2
"""Decimals of tỷ đồng in the tables of changes (a change of 50 million VND still shows)."""
TOTAL_DECIMALS = 1
"""Decimals of tỷ đồng for a run's total."""
ITEM_ORDER = {ItemChangeKind.ADDED: 0, ItemChangeKind.REMOVED: 1, ItemChangeKind.MOVED: 2}
KPI_ROWS = (
    "at_standard_after",
    "at_floor_after",
    "mean_criteria_after",
    "criteria_met_after",
    "items_funded",
    "money_total",
    "budget_total",
)
"""Headline figures of the diff, in the order the comparison lists them."""
KPI_LABELS = {
    "at_standard_after": "plan_kpi.at_standard",
    "at_floor_after": "plan_kpi.at_floor",
    "mean_criteria_after": "plan_kpi.mean_criteria",
    "criteria_met_after": "plan_kpi.criteria_met",
    "items_funded": "plan_kpi.items_funded",
    "money_total": "plan_kpi.money_total",
    "budget_total": "hist.budget_total",
}
MONEY_KPIS = ("money_total", "budget_total")


def state_name(state: ApprovalState | str, lang: str) -> str:
    """``approved`` → "Đã phê duyệt"."""
    return t(f"approval.{ApprovalState(state).value}", lang)


def status_name(status: PlanStatus | str, lang: str) -> str:
    """``feasible`` → "Khả thi (dừng do hết thời gian)"."""
    return t(f"plan_status.{PlanStatus(status).value}", lang)


def billions(million_vnd: float | None) -> float | None:
    return None if million_vnd is None else million_vnd / MILLION_PER_BILLION


def _money(lang: str, decimals: int = MONEY_DECIMALS):
    return lambda v: MISSING if pd.isna(v) else number(v, decimals, lang)


def _signed_money(lang: str):
    return lambda v: MISSING if pd.isna(v) else signed(v, MONEY_DECIMALS, lang)


def _year(value: int | None) -> str:
    """A year as text, ``–`` when there is none (a table cell Streamlit would show as "None")."""
    return MISSING if value is None else str(value)


# -- names -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Names:
    """Names of the codes a diff speaks of, from the datasets of the two runs (the first wins)."""

    items: dict[str, str] = field(default_factory=dict)
    item_communes: dict[str, str] = field(default_factory=dict)
    """Item → the communes it serves, by name."""
    communes: dict[str, str] = field(default_factory=dict)
    districts: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, datasets: Iterable[Dataset], lang: str) -> Names:
        names = cls()
        for dataset in reversed(list(datasets)):
            names.items.update({i.code: i.name for i in dataset.investments})
            names.item_communes.update(
                {
                    code: ", ".join(c.name for c in dataset.served_communes(code))
                    for code in dataset.effects_by_investment
                }
            )
            names.communes.update({c.code: c.name for c in dataset.communes})
            names.districts.update({c.code: c.district or "" for c in dataset.communes})
            names.sources.update({s.code: source_name(s, lang) for s in dataset.sources})
        return names


# -- runs --------------------------------------------------------------------------------------
def run_label(run: RunSummary, lang: str) -> str:
    """``Lần chạy 12 · 23/11/2026 14:05 · Phương án cơ sở (phiên bản 3) · lan · Tối ưu``: the
    method last, so a formula run is told from the optimizer's of the same version."""
    label = t(
        "hist.run_label",
        lang,
        run=run.id,
        when=moment(run.finished_at, lang),
        scenario=run.scenario_name,
        version=run.scenario_version,
        user=run.run_by,
    )
    return f"{label} · {method_name(run.method, lang)}"


def standard_text(run: RunSummary, lang: str) -> str:
    """Communes at standard before → after: ``2 → 5``."""
    if run.at_standard_after is None:
        return MISSING
    before = MISSING if run.at_standard_before is None else number(run.at_standard_before, 0, lang)
    return f"{before} → {number(run.at_standard_after, 0, lang)}"


def runs_table(runs: Sequence[RunSummary], lang: str) -> Styler:
    """One row per run, newest first as given: when, scenario, version and method (a formula run
    beside the optimizer's), approval state, communes at standard, money (tỷ đồng), who, then the
    data and solver result (the columns a narrow screen scrolls to)."""
    c = {
        key: t(f"hist.col_{key}", lang)
        for key in (
            "run",
            "when",
            "scenario",
            "version",
            "method",
            "approval",
            "standard",
            "money",
            "user",
            "dataset",
            "status",
            "note",
        )
    }
    frame = pd.DataFrame(
        {
            c["run"]: [r.id for r in runs],
            c["when"]: [moment(r.finished_at, lang) for r in runs],
            c["scenario"]: [r.scenario_name for r in runs],
            c["version"]: [r.scenario_version for r in runs],
            c["approval"]: [state_name(r.approval_state, lang) for r in runs],
            c["dataset"]: [r.dataset_name for r in runs],
            c["method"]: [method_name(r.method, lang) for r in runs],
            c["status"]: [status_name(r.status, lang) for r in runs],
            c["standard"]: [standard_text(r, lang) for r in runs],
            c["money"]: [billions(r.money_total) for r in runs],
            c["user"]: [r.run_by for r in runs],
            c["note"]: [r.note for r in runs],
        },
        columns=list(c.values()),
    )
    if not any(r.note for r in runs):
        frame = frame.drop(columns=c["note"])
    return frame.style.format({c["money"]: _money(lang, TOTAL_DECIMALS)})


# -- two runs ----------------------------------------------------------------------------------
def kpi_table(diff: RunDiff, floor: int, lang: str) -> pd.DataFrame:
    """Headline figures of runs A and B and the change, as text (money in tỷ đồng)."""
    by_name = {k.name: k for k in diff.kpis}
    rows = []
    for name in KPI_ROWS:
        if name not in by_name:
            continue
        k = by_name[name]
        decimals = 1 if name == "mean_criteria_after" else 0
        scale = 1.0
        if name in MONEY_KPIS:
            decimals, scale = TOTAL_DECIMALS, 1 / MILLION_PER_BILLION
        a = None if k.a is None else k.a * scale
        b = None if k.b is None else k.b * scale
        rows.append(
            {
                t("hist.col_figure", lang): t(KPI_LABELS[name], lang, floor=floor),
                RUN_A: number(a, decimals, lang),
                RUN_B: number(b, decimals, lang),
                t("hist.col_change", lang): MISSING
                if a is None or b is None
                else signed(b - a, decimals, lang),
            }
        )
    return pd.DataFrame(rows)


def item_changes_table(diff: RunDiff, names: Names, lang: str) -> Styler:
    """Items added, removed or moved to another start year, with the communes they serve."""
    changes = sorted(diff.items, key=lambda i: (ITEM_ORDER[i.kind], -i.cost, i.investment))
    c = {
        "item": t("col.item", lang),
        "communes": t("col.communes_served", lang),
        "change": t("hist.col_change", lang),
        "start_a": t("hist.col_start", lang, run=RUN_A),
        "start_b": t("hist.col_start", lang, run=RUN_B),
        "cost": t("hist.col_cost", lang),
    }
    frame = pd.DataFrame(
        {
            c["item"]: [names.items.get(i.investment, i.investment) for i in changes],
            c["change"]: [t(f"item_change.{i.kind.value}", lang) for i in changes],
            c["start_a"]: [_year(i.start_a) for i in changes],
            c["start_b"]: [_year(i.start_b) for i in changes],
            c["cost"]: [billions(i.cost) for i in changes],
            c["communes"]: [names.item_communes.get(i.investment, "") for i in changes],
        },
        columns=[c[k] for k in ("item", "change", "start_a", "start_b", "cost", "communes")],
    )
    return frame.style.format({c["cost"]: _money(lang)})


def commune_changes_table(diff: RunDiff, names: Names, size: int, lang: str) -> Styler:
    """Communes that gain or lose the standard (or reach it earlier or later), by name."""
    c = {
        "commune": t("col.commune", lang),
        "district": t("col.district", lang),
        "change": t("hist.col_change", lang),
        "year_a": t("hist.col_year_standard", lang, run=RUN_A),
        "year_b": t("hist.col_year_standard", lang, run=RUN_B),
        "criteria_a": t("hist.col_criteria", lang, run=RUN_A),
        "criteria_b": t("hist.col_criteria", lang, run=RUN_B),
    }
    changes = diff.communes

    def criteria(value: int | None) -> str:
        return MISSING if value is None else f"{value}/{size}"

    frame = pd.DataFrame(
        {
            c["commune"]: [names.communes.get(x.commune, x.commune) for x in changes],
            c["district"]: [names.districts.get(x.commune, "") for x in changes],
            c["change"]: [t(f"standard_change.{x.kind.value}", lang) for x in changes],
            c["year_a"]: [_year(x.year_a) for x in changes],
            c["year_b"]: [_year(x.year_b) for x in changes],
            c["criteria_a"]: [criteria(x.criteria_a) for x in changes],
            c["criteria_b"]: [criteria(x.criteria_b) for x in changes],
        },
        columns=list(c.values()),
    )
    return frame.style


def _money_columns(lang: str) -> dict[str, str]:
    return {
        "a": t("hist.col_run_money", lang, run=RUN_A),
        "b": t("hist.col_run_money", lang, run=RUN_B),
        "change": t("hist.col_change_money", lang),
    }


def money_changes_table(diff: RunDiff, names: Names, lang: str) -> Styler:
    """Money by source and year that differs, in runs A and B and the change (tỷ đồng)."""
    m = _money_columns(lang)
    source, year = t("col.source", lang), t("col.year", lang)
    rows = diff.money_by_source_year
    frame = pd.DataFrame(
        {
            source: [names.sources.get(x.source or "", x.source) for x in rows],
            year: [str(x.year) for x in rows],
            m["a"]: [billions(x.a) for x in rows],
            m["b"]: [billions(x.b) for x in rows],
            m["change"]: [billions(x.change) for x in rows],
        },
        columns=[source, year, *m.values()],
    )
    return frame.style.format(
        {m["a"]: _money(lang), m["b"]: _money(lang), m["change"]: _signed_money(lang)}
    )


def commune_money_table(diff: RunDiff, names: Names, lang: str) -> Styler:
    """Money by commune that differs, largest change first (tỷ đồng)."""
    m = _money_columns(lang)
    commune, district = t("col.commune", lang), t("col.district", lang)
    rows = sorted(diff.money_by_commune, key=lambda x: -abs(x.change))
    frame = pd.DataFrame(
        {
            commune: [names.communes.get(x.commune or "", x.commune) for x in rows],
            district: [names.districts.get(x.commune or "", "") for x in rows],
            m["a"]: [billions(x.a) for x in rows],
            m["b"]: [billions(x.b) for x in rows],
            m["change"]: [billions(x.change) for x in rows],
        },
        columns=[commune, district, *m.values()],
    )
    return frame.style.format(
        {m["a"]: _money(lang), m["b"]: _money(lang), m["change"]: _signed_money(lang)}
    )


# -- approvals ---------------------------------------------------------------------------------
def approval_table(events: Sequence[ApprovalEvent], lang: str) -> pd.DataFrame:
    """One row per approval step, oldest first: when, version, from → to, who, note."""
    return pd.DataFrame(
        {
            t("hist.col_when", lang): [moment(e.done_at, lang) for e in events],
            t("hist.col_version", lang): [e.version for e in events],
            t("hist.col_from", lang): [state_name(e.from_state, lang) for e in events],
            t("hist.col_to", lang): [state_name(e.to_state, lang) for e in events],
            t("hist.col_by", lang): [e.done_by for e in events],
            t("hist.col_note", lang): [e.note for e in events],
        }
    )


def approval_error_text(
    scenario: str, version: int, current: ApprovalState, to: ApprovalState, lang: str
) -> str:
    """Why a step of the workflow is not allowed, and what to do instead, in the language."""
    values = {
        "scenario": scenario,
        "version": version,
        "current": state_name(current, lang),
        "to": state_name(to, lang),
    }
    if current == ApprovalState.APPROVED:
        key = "frozen"
    elif current == to == ApprovalState.DRAFT:
        key = "not_submitted"
    elif current == to:
        key = "already"
    elif current == ApprovalState.DRAFT and to == ApprovalState.APPROVED:
        key = "submit_first"
    else:
        key = "other"
    return t(f"approval_error.{key}", lang, **values)
