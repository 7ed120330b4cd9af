"""Pieces every page that shows a plan shares: headline metrics, solver status, the diagnosis,
and the whole plan as the Results page shows it (:func:`show_plan`, also used by History).

They render what ``optimizer.compare`` and the Plan already hold, in the chosen language; nothing
here adds money up or counts communes on its own.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer import compare
from optimizer.compare import KpiValue, kpi_values
from optimizer.plan import Agreement, Plan, PlanStatus
from reports.provenance import Provenance
from reports.report import plan_workbook as write
from ui.format import MILLION_PER_BILLION, in_billions, literal, number, percent
from ui.i18n import objective_name, plan_note, policy_group_name, source_name, t
from ui.level_text import level_value
from ui.plan_charts import criterion_chart, district_chart, source_chart, year_chart
from ui.plan_tables import commune_table, items_table
from ui.runs import method_name, slug

KPI_DECIMALS = {"mean_criteria": 1}
"""Decimals a headline figure is shown with (whole numbers unless listed)."""
COUNT_KPIS = ("at_standard", "at_floor")
"""Headline figures that count communes."""


def signed(value: float, decimals: int = 0, lang: str = "vi") -> str:
    """A change with its sign, for st.metric: ``+57``, ``-3``, ``0`` (ASCII minus: it colours)."""
    text = number(value, decimals, lang)
    if text.startswith("-"):
        return text
    return text if float(round(value, decimals)) == 0 else f"+{text}"


def kpi_label(key: str, floor: int, lang: str) -> str:
    return t(f"plan_kpi.{key}", lang, floor=floor)


def kpi_text(key: str, value: float | None, lang: str) -> str:
    """A headline figure as shown: money in tỷ đồng, counts whole, means with one decimal."""
    if value is None or pd.isna(value):
        return "–"
    if key == "money_total":
        return number(value / MILLION_PER_BILLION, 1, lang)
    return number(value, KPI_DECIMALS.get(key, 0), lang)


def kpi_delta(key: str, delta: float, lang: str) -> str:
    """A change of a headline figure: ``+57 xã``, ``-0,7``, ``-333,0`` (tỷ đồng for money)."""
    if key == "money_total":
        return signed(delta / MILLION_PER_BILLION, 1, lang)
    text = signed(delta, KPI_DECIMALS.get(key, 0), lang)
    return t("plan_kpi.delta_communes", lang, delta=text) if key in COUNT_KPIS else text


def kpi_metrics(
    plan: Plan,
    lang: str,
    keys: Sequence[str] = ("at_standard", "at_floor", "mean_criteria", "money_total"),
) -> None:
    """One st.metric per headline figure: after the plan, with the change from today."""
    values = kpi_values(plan)
    if not values or plan.kpis is None:
        return
    columns = st.columns(len(keys))
    for column, key in zip(columns, keys, strict=True):
        value: KpiValue = values[key]
        delta, help_text = None, None
        if value.before is not None:
            delta = t(
                "plan_kpi.delta_from",
                lang,
                delta=kpi_delta(key, value.after - value.before, lang),
                before=kpi_text(key, value.before, lang),
            )
        elif key == "money_total":
            budget = plan.kpis.budget_total
            delta = t(
                "plan_kpi.of_budget",
                lang,
                share=percent(value.after / budget if budget else None, 1, lang),
                budget=in_billions(budget, lang),
            )
            help_text = t("plan_kpi.budget_help", lang, budget=in_billions(budget, lang))
        column.metric(
            kpi_label(key, plan.kpis.floor, lang),
            kpi_text(key, value.after, lang),
            delta=delta,
            delta_color="off" if key in ("money_total", "items_funded") else "normal",
            delta_arrow="off" if key in ("money_total", "items_funded") else "auto",
            help=help_text or t(f"plan_kpi.{key}_help", lang, floor=plan.kpis.floor),
        )


def plan_status(plan: Plan, lang: str) -> None:
    """Solver status, gap and time in one line; the levels in an expander."""
    seconds = number(plan.timings.total_seconds, 1, lang)
    solver = (plan.solver or "").upper()
    if plan.status == PlanStatus.OPTIMAL:
        st.success(
            t("status.optimal", lang, solver=solver, seconds=seconds),
            icon=":material/check_circle:",
        )
    elif plan.status == PlanStatus.FEASIBLE:
        gaps = [level.gap for level in plan.levels if level.gap is not None]
        st.warning(
            t(
                "status.feasible",
                lang,
                solver=solver,
                seconds=seconds,
                gap=percent(max(gaps) if gaps else None, 2, lang),
            ),
            icon=":material/timer:",
        )
    elif plan.status == PlanStatus.HEURISTIC:
        st.info(
            t("status.heuristic", lang, method=method_name(plan.method)), icon=":material/rule:"
        )
    else:
        st.error(
            t("status.infeasible", lang, solver=solver, seconds=seconds), icon=":material/block:"
        )
    if plan.verification is not None:
        _verification(plan, lang)
    if plan.levels:
        with st.expander(t("status.levels", lang)):
            st.dataframe(levels_table(plan, lang), hide_index=True, width="stretch")


def levels_table(plan: Plan, lang: str) -> pd.DataFrame:
    """One row per objective level: what it optimised, the value, bound, gap and time."""
    floor = plan.kpis.floor if plan.kpis else None
    rows = []
    for i, level in enumerate(plan.levels, start=1):
        bound = "–" if level.bound is None else level_value(level, level.bound, lang)
        rows.append(
            {
                t("level.order", lang): i,
                t("level.objective", lang): objective_name(level.objective, lang, floor=floor),
                t("level.value", lang): level_value(level, level.value, lang),
                t("level.bound", lang): bound,
                t("level.gap", lang): percent(level.gap, 2, lang),
                t("level.proven", lang): "✓" if level.proven_optimal else "✗",
                t("level.seconds", lang): number(level.seconds, 1, lang),
            }
        )
    return pd.DataFrame(rows)


# -- infeasible scenarios ------------------------------------------------------------------------
def policy_text(policy: str, scenario: Scenario, dataset: Dataset, lang: str) -> str:
    """A named requirement of the scenario in words: ``Tối thiểu 50% vốn cho xã ĐBKK``."""
    p, targets = scenario.policies, scenario.targets
    sources = {s.code: s for s in dataset.sources}

    def source_label(code: str | None) -> str:
        return source_name(sources[code], lang) if code in sources else (code or "")

    for m in p.min_shares:
        if m.name == policy:
            group = literal(m.district) if m.district else policy_group_name(m.group, lang)
            key = "policy.min_share_source" if m.source else "policy.min_share"
            return t(
                key,
                lang,
                share=percent(m.share, 0, lang),
                group=group,
                source=source_label(m.source),
            )
    for m in p.must_reach:
        if m.name == policy:
            names = [
                literal(dataset.commune_by_code[c].name)
                for c in m.communes
                if c in dataset.commune_by_code
            ]
            return t(
                "policy.must_reach",
                lang,
                what=", ".join([*names, *map(literal, m.districts)]),
                year=m.by_year or scenario.horizon.end,
            )
    for c in p.co_financing:
        if c.name == policy:
            return t(
                "policy.co_financing",
                lang,
                source=source_label(c.source),
                ratio=percent(c.ratio, 0, lang),
                of_source=source_label(c.of_source),
            )
    if p.district_equity is not None and p.district_equity.name == policy:
        return t("policy.district_equity", lang, count=p.district_equity.min_communes)
    simple = {
        "commune_cap": t("policy.commune_cap", lang, cap=in_billions(p.commune_cap or 0, lang)),
        "maintain_standard": t("policy.maintain_standard", lang),
        "committed": t("policy.committed", lang),
        "target_communes_at_standard": t(
            "policy.target_standard",
            lang,
            count=targets.communes_at_standard,
            year=targets.by_year or scenario.horizon.end,
        ),
        "target_no_commune_below_floor": t(
            "policy.target_floor", lang, floor=scenario.floor_for(dataset.criteria.size)
        ),
    }
    return simple.get(policy, policy)


def diagnosis(plan: Plan, scenario: Scenario, dataset: Dataset, lang: str) -> None:
    """Why the scenario has no plan and what would give it one, in words and names."""
    d = plan.diagnosis
    if d is None:
        st.error(t("diagnosis.none", lang))
        return
    st.subheader(t("diagnosis.title", lang))
    if d.conflicting:
        st.markdown(t("diagnosis.conflicting", lang))
        st.markdown(
            "\n".join(f"- {policy_text(name, scenario, dataset, lang)}" for name in d.conflicting)
        )
    else:
        st.markdown(t("diagnosis.no_conflict", lang))
    st.markdown(t("diagnosis.options", lang))
    floor = scenario.floor_for(dataset.criteria.size)
    counted = sum(
        1
        for c in dataset.communes
        if c.unit_type.value == "commune" or scenario.policies.include_wards
    )
    lines = []
    for r in d.relaxations:
        if r.policy == "budget":
            if r.amount:
                lines.append(t("diagnosis.more_money", lang, amount=in_billions(r.amount, lang)))
            else:
                lines.append(t("diagnosis.no_money_helps", lang))
        elif r.policy == "target_communes_at_standard" and r.amount is not None:
            lines.append(
                t(
                    "diagnosis.lower_target",
                    lang,
                    best=number(r.amount, 0, lang),
                    year=scenario.targets.by_year or scenario.horizon.end,
                )
            )
        elif r.policy == "target_no_commune_below_floor" and r.amount is not None:
            lines.append(
                t(
                    "diagnosis.accept_below",
                    lang,
                    count=number(counted - r.amount, 0, lang),
                    floor=floor,
                )
            )
        else:
            lines.append(
                t("diagnosis.drop", lang, policy=policy_text(r.policy, scenario, dataset, lang))
            )
    st.markdown("\n".join(f"- {line}" for line in lines))
    if d.extra_budget:
        sources = {s.code: s for s in dataset.sources}
        rows = []
        for key, amount in d.extra_budget.items():
            code, _, year = key.rpartition(" ")
            rows.append(
                {
                    t("col.source", lang): source_name(sources[code], lang)
                    if code in sources
                    else code,
                    t("col.year", lang): year,
                    t("diagnosis.extra", lang): in_billions(amount, lang),
                }
            )
        st.caption(t("diagnosis.extra_caption", lang))
        st.dataframe(pd.DataFrame(rows), hide_index=True)


# -- a whole plan --------------------------------------------------------------------------------
OUTCOMES = ("reaches_standard", "improves", "stays_at_standard", "loses_standard", "unchanged")
"""Commune outcomes the Results filter offers, in this order."""


def show_plan(
    plan: Plan,
    scenario: Scenario,
    dataset: Dataset,
    lang: str,
    key: str,
    file_name: str | None = None,
    provenance: Provenance | None = None,
) -> None:
    """A plan as the Results page shows it: status, headline figures, the Excel report, money by
    district, criterion, source and year, the communes and the funded items (or, for an infeasible
    scenario, the diagnosis). ``key`` prefixes the widgets' keys; ``file_name`` names the report;
    ``provenance``: the stored run the plan is (the workbook names it)."""
    plan_status(plan, lang)
    if plan.message and plan.feasible:
        st.caption(plan_note(plan, lang, plan.kpis.floor if plan.kpis else None))
    if not plan.feasible:
        diagnosis(plan, scenario, dataset, lang)
        return

    kpi_metrics(plan, lang)
    plan_download(plan, dataset, scenario, lang, key, file_name, provenance)

    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("results.by_district", lang))
        st.caption(t("results.by_district_caption", lang))
        st.altair_chart(
            district_chart(compare.money_by_district(dataset, plan), lang), width="stretch"
        )
    with right:
        st.subheader(t("results.by_criterion", lang))
        st.caption(t("results.by_criterion_caption", lang))
        st.altair_chart(
            criterion_chart(compare.criterion_outcomes(dataset, plan), dataset, lang),
            width="stretch",
        )
    st.subheader(t("results.by_source", lang))
    st.caption(t("results.by_source_caption", lang))
    st.altair_chart(
        source_chart(compare.source_use(dataset, scenario, plan), dataset, lang), width="stretch"
    )
    st.subheader(t("results.by_year", lang))
    if scenario.horizon.single_period:
        st.caption(
            t(
                "results.pooled_caption",
                lang,
                start=scenario.horizon.start,
                end=scenario.horizon.end,
            )
        )
    st.altair_chart(year_chart(compare.money_by_year(plan), dataset, lang), width="stretch")

    st.subheader(t("results.communes", lang))
    outcomes = compare.commune_outcomes(dataset, plan)
    counted = outcomes[outcomes["counted"]]
    chosen = st.pills(
        t("results.outcome_filter", lang),
        options=list(OUTCOMES),
        format_func=lambda o: t(
            "results.outcome_count",
            lang,
            outcome=t(f"outcome.{o}", lang),
            count=number(int((counted["outcome"] == o).sum()), lang=lang),
        ),
        selection_mode="multi",
        key=f"{key}.outcomes",
    )
    shown = counted[counted["outcome"].isin(chosen)] if chosen else counted
    st.dataframe(
        commune_table(shown, dataset.criteria.size, lang), hide_index=True, width="stretch"
    )

    st.subheader(t("results.items", lang, count=number(len(plan.items), lang=lang)))
    st.dataframe(
        items_table(compare.funded_items(dataset, plan), dataset, lang),
        hide_index=True,
        width="stretch",
    )


def plan_download(
    plan: Plan,
    dataset: Dataset,
    scenario: Scenario,
    lang: str,
    key: str,
    file_name: str | None = None,
    provenance: Provenance | None = None,
) -> None:
    """The plan as an Excel workbook, written by ``reports`` when the user asks."""
    st.download_button(
        t("results.download_excel", lang),
        data=lambda: plan_workbook(plan, dataset, scenario, lang, provenance),
        file_name=file_name or f"{slug(plan.scenario)}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key=f"{key}.download",
    )


def plan_workbook(
    plan: Plan,
    dataset: Dataset,
    scenario: Scenario,
    lang: str,
    provenance: Provenance | None = None,
) -> bytes:
    """The plan's Excel workbook, as ``reports`` writes it, in the language; its first sheet
    names the stored run (``provenance``) or says the plan was not recorded."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        write(path, plan, dataset, scenario, lang, provenance)
        return path.read_bytes()


def _verification(plan: Plan, lang: str) -> None:
    """The audit switch's answer: did the other solver find the same value on every level?"""
    v = plan.verification
    assert v is not None
    other = v.solver.upper() if v.solver == "cbc" else "HiGHS"
    if v.agreement == Agreement.AGREE:
        st.success(t("verify.agree", lang, solver=other), icon=":material/verified:")
        return
    lines = [
        t(
            "verify.level",
            lang,
            objective=objective_name(c.objective, lang),
            value=_audit_value(c.value, lang),
            other=_audit_value(c.other_value, lang),
            solver=other,
        )
        for c in v.levels
        if not c.agrees
    ]
    if v.agreement == Agreement.DISAGREE:
        st.error(t("verify.disagree", lang, solver=other), icon=":material/error:")
    else:
        st.info(t("verify.unconfirmed", lang, solver=other), icon=":material/help:")
    st.markdown("\n".join(f"- {line}" for line in lines))


def _audit_value(value: float | None, lang: str) -> str:
    if value is None:
        return t("verify.no_plan", lang)
    return number(value, 0 if float(value).is_integer() else 2, lang)
