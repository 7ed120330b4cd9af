"""The risk analysis for the app: assumptions from a form, a cached analysis with a progress bar,
its chart and tables. The analysis itself is ``optimizer.risk`` and ``optimizer.robust``; draws
run on the app's Dask cluster (optimizer/sweep.py), started once and kept for the server's life.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from pydantic import ValidationError

from application.isolated import run_isolated
from models.dataset import Dataset
from models.scenario import Scenario
from models.uncertainty import Uncertainty
from optimizer.risk import RiskReport, plan_risk
from optimizer.robust import NoRegret, PlanComparison, PlanKind, compare_plans, no_regret
from optimizer.solve import solve
from reports.labels import label
from ui.i18n import t
from ui.runs import failure_reason, solve_seconds
from ui.server_cache import ServerCache
from ui.state import data_last_modified, data_path, load_dataset

ANALYSES_CACHED = 8
DEFAULT_DRAWS = 50
COLOR_BAR = "#1f7a4d"


@dataclass(frozen=True)
class RiskAnswer:
    """The plan's risk, and when asked the plans compared and the no-regret items."""

    report: RiskReport
    comparison: PlanComparison | None
    regret: NoRegret | None


@dataclass(frozen=True)
class Assumptions:
    """What the form asks, as plain numbers (percentages as fractions)."""

    draws: int
    seed: int
    median: float
    p90: float
    payout_low: float
    shortfall_high: float
    gamma: int
    reserve: float


def assumptions_of(scenario: Scenario) -> Assumptions:
    """The form's starting values: the scenario's uncertainty section, else moderate ones."""
    u = scenario.uncertainty
    overrun = u.overrun_default if u and u.overrun_default else None
    lows = [r.low for r in u.disbursement.values()] if u else []
    shortfall = u.contribution_shortfall if u else None
    return Assumptions(
        draws=u.draws if u else DEFAULT_DRAWS,
        seed=u.seed if u else 0,
        median=overrun.median if overrun else 1.05,
        p90=overrun.p90 if overrun else 1.3,
        payout_low=min(lows) if lows else 0.8,
        shortfall_high=shortfall.high if shortfall else 0.3,
        gamma=scenario.robustness.gamma or 1,
        reserve=scenario.robustness.reserve or 0.1,
    )


def with_assumptions(
    dataset: Dataset, scenario: Scenario, a: Assumptions
) -> tuple[Scenario, tuple[int, float]]:
    """The scenario with the form's assumptions (its per-category and per-source entries kept),
    and the (Γ, reserve) of the guarded plans; raises ValidationError on bad values."""
    base = scenario.uncertainty.model_dump() if scenario.uncertainty else {}
    disbursement = base.get("disbursement") or {
        s.code: {"low": a.payout_low, "high": 1.0} for s in dataset.sources
    }
    if scenario.uncertainty and scenario.uncertainty.disbursement:
        disbursement = {
            code: {"low": min(r["low"], a.payout_low), "high": r["high"]}
            for code, r in disbursement.items()
        }
    uncertainty = Uncertainty.model_validate(
        base
        | {
            "draws": a.draws,
            "seed": a.seed,
            "overrun_default": {"median": a.median, "p90": a.p90},
            "disbursement": disbursement,
            "contribution_shortfall": {"low": 0.0, "high": a.shortfall_high},
        }
    )
    return scenario.model_copy(
        update={
            "uncertainty": uncertainty,
            "robustness": scenario.robustness.model_copy(update={"gamma": 0, "reserve": 0.0}),
        }
    ), (a.gamma, a.reserve)


@st.cache_resource(show_spinner=False)
def risk_cache() -> ServerCache:
    """One cache of analyses per server (progress bars cannot be replayed by st.cache_data)."""
    return ServerCache(ANALYSES_CACHED)


def analyse(
    dataset: Dataset,
    scenario: Scenario,
    guard: tuple[int, float],
    compare: bool,
    find_no_regret: bool,
    progress=None,
) -> RiskAnswer:
    """Solve the scenario's plan and test it; with ``compare`` also the robust (Γ) and reserve
    plans on fresh draws; with ``find_no_regret`` re-optimise every draw."""
    plan = run_isolated(solve, dataset, scenario, time_limit=solve_seconds(scenario))
    report = plan_risk(dataset, scenario, plan, label="deterministic", progress=progress)
    comparison = regret = None
    if compare:
        gamma, reserve = guard
        kinds = (
            PlanKind(label="deterministic", gamma=0, reserve=0.0),
            PlanKind(label="robust", gamma=gamma, reserve=0.0),
            PlanKind(label="reserve", gamma=0, reserve=reserve),
        )
        guarded = scenario.model_copy(
            update={"robustness": scenario.robustness.model_copy(update={"gamma": 0})}
        )
        comparison = compare_plans(dataset, guarded, kinds=kinds, progress=progress)
    if find_no_regret:
        regret = no_regret(dataset, scenario, progress=progress)
    return RiskAnswer(report, comparison, regret)


def solve_risk(
    scenario: Scenario, guard: tuple[int, float], compare: bool, find_no_regret: bool
) -> RiskAnswer | None:
    """The cached analysis of ``scenario`` on the package in use, with a progress bar."""
    data = str(data_path().resolve())
    key = (data, data_last_modified(), scenario.model_dump_json(), guard, compare, find_no_regret)
    answer = risk_cache().get(key)
    if answer is not None:
        return answer
    bar = st.progress(0.0, text=t("risk.solving_plan"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("risk.progress", done=done, total=total))

    try:
        answer = analyse(
            load_dataset(Path(data)), scenario, guard, compare, find_no_regret, progress
        )
    except (ValidationError, ValueError, RuntimeError) as error:
        bar.empty()
        st.error(t("risk.bad_input", reason=failure_reason(error)))
        return None
    bar.empty()
    risk_cache().put(key, answer)
    return answer


def distribution_chart(report: RiskReport, lang: str) -> alt.Chart:
    """Bars: how many draws end with each count of communes at standard; a rule at the plan."""
    counts = (
        report.distribution()
        .query("solved")
        .groupby("communes_at_standard", as_index=False)
        .size()
        .rename(columns={"size": "draws"})
    )
    x_title, y_title = t("risk.count_axis", lang), t("risk.draws_axis", lang)
    bars = (
        alt.Chart(counts)
        .mark_bar(color=COLOR_BAR)
        .encode(
            x=alt.X("communes_at_standard:O", title=x_title),
            y=alt.Y("draws:Q", title=y_title),
            tooltip=[
                alt.Tooltip("communes_at_standard:O", title=x_title),
                alt.Tooltip("draws:Q", title=y_title),
            ],
        )
    )
    return bars


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A report table with its column headers in the language (the report's words)."""
    return frame.rename(columns={c: label(f"col.{c}", lang) for c in frame.columns})
