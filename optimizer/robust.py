"""Plans that hold up: deterministic, robust and reserve plans compared out of sample, and the
no-regret items.

``compare_plans`` solves three plans of one scenario — deterministic (the estimates), robust
(budgeted uncertainty with Γ, optimizer/formulation.py ``robust_protection``) and with a
contingency reserve held back — and tests each on the **same fresh draws** (seed + 1, not the
scenario's own draws), reporting P10 / P50 of communes at standard and the money left unspent.

``no_regret`` re-optimises each draw from scratch (every item, the draw's costs and payouts) and
counts how often each item is funded: funded in at least X % of the draws (default 90 %) means
"do now regardless", never funded "do not start".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd
from pydantic import Field

from models.base import FrozenModel
from models.dataset import Dataset
from models.scenario import Scenario
from models.uncertainty import Robustness
from optimizer.draws import Sampler
from optimizer.inputs import Inputs, prepare
from optimizer.risk import RiskReport, in_future, nominal, plan_risk, uncertainty_of, yearly_budget
from optimizer.solve import SolveTimeout, solve, solve_prepared
from optimizer.sweep import Executor, Progress, Shared, choose_executor, worker_state

DEFAULT_GAMMA = 1
"""Γ of the robust plan when the scenario sets none."""
DEFAULT_RESERVE = 0.1
"""Reserve share of the reserve plan when the scenario sets none."""
NO_REGRET_SHARE = 0.9
"""Funded in at least this share of the draws: a no-regret item."""
FRESH_SEED_OFFSET = 1
"""Out-of-sample draws use the scenario's seed plus this, so they are not the draws it names."""


class PlanKind(FrozenModel):
    """One of the compared plans: how it guards against overruns."""

    label: str
    gamma: int
    reserve: float


class PlanComparison(FrozenModel):
    """Deterministic, robust and reserve plans tested on the same fresh draws."""

    scenario: str
    seed: int
    draws: int
    kinds: tuple[PlanKind, ...]
    reports: tuple[RiskReport, ...]
    seconds: float = 0.0

    def table(self) -> pd.DataFrame:
        """One row per plan: its promise, then P10 / P50 / mean of communes at standard out of
        sample, the mean money unspent and short, million VND."""
        rows = []
        for kind, report in zip(self.kinds, self.reports, strict=True):
            summary = report.summary().set_index("measure")
            rows.append(
                {
                    "plan": kind.label,
                    "gamma": kind.gamma,
                    "reserve": kind.reserve,
                    "items": len(report.plan_items),
                    "planned_at_standard": report.plan_at_standard,
                    "p10_at_standard": summary.loc["communes_at_standard", "p10"],
                    "p50_at_standard": summary.loc["communes_at_standard", "p50"],
                    "mean_at_standard": summary.loc["communes_at_standard", "mean"],
                    "mean_money_unspent": summary.loc["money_unspent", "mean"],
                    "mean_money_short": summary.loc["money_short", "mean"],
                }
            )
        return pd.DataFrame(rows)


def plan_kinds(scenario: Scenario) -> tuple[PlanKind, ...]:
    """The deterministic plan, the robust plan (the scenario's Γ, else 1) and the reserve plan
    (the scenario's reserve, else 10 %)."""
    chosen = scenario.robustness
    return (
        PlanKind(label="deterministic", gamma=0, reserve=0.0),
        PlanKind(label="robust", gamma=chosen.gamma or DEFAULT_GAMMA, reserve=0.0),
        PlanKind(label="reserve", gamma=0, reserve=chosen.reserve or DEFAULT_RESERVE),
    )


def with_kind(scenario: Scenario, kind: PlanKind) -> Scenario:
    """The scenario guarded as ``kind`` says."""
    return scenario.model_copy(
        update={"robustness": Robustness(gamma=kind.gamma, reserve=kind.reserve)}
    )


def compare_plans(
    dataset: Dataset,
    scenario: Scenario,
    *,
    draws: int | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    kinds: tuple[PlanKind, ...] | None = None,
) -> PlanComparison:
    """Solve each kind of plan and test them all on the same fresh draws."""
    started = time.perf_counter()
    uncertainty = uncertainty_of(scenario)
    fresh = uncertainty.model_copy(
        update={
            "seed": uncertainty.seed + FRESH_SEED_OFFSET,
            "draws": draws or uncertainty.draws,
        }
    )
    scenario = scenario.model_copy(update={"uncertainty": fresh})
    kinds = kinds or plan_kinds(scenario)
    if executor is None:
        executor = choose_executor(len(dataset.investments), fresh.draws, workers, scheduler)
    reports = []
    for offset, kind in enumerate(kinds):
        plan = solve(dataset, with_kind(scenario, kind))
        tick = None
        if progress is not None:
            n = fresh.draws

            def tick(done: int, _total: int, base: int = offset * n, total: int = len(kinds) * n):
                progress(base + done, total)

        reports.append(
            plan_risk(dataset, scenario, plan, label=kind.label, executor=executor, progress=tick)
        )
    return PlanComparison(
        scenario=scenario.name,
        seed=fresh.seed,
        draws=fresh.draws,
        kinds=kinds,
        reports=tuple(reports),
        seconds=round(time.perf_counter() - started, 4),
    )


class NoRegret(FrozenModel):
    """How often each item is funded when each draw is re-optimised from scratch."""

    scenario: str
    draws: int
    solved: int = Field(description="Draws whose re-optimisation found a plan.")
    threshold: float
    funded_share: dict[str, float] = Field(description="Item → share of solved draws funding it.")
    seconds: float = 0.0

    def table(self, dataset: Dataset) -> pd.DataFrame:
        """Every candidate item with its share of draws funded and its verdict: 'no_regret'
        (≥ threshold), 'never' (0) or 'depends'."""
        by_code = {i.code: i for i in dataset.investments}
        rows = []
        for item, share in self.funded_share.items():
            verdict = (
                "no_regret" if share >= self.threshold else "never" if share == 0 else "depends"
            )
            investment = by_code[item]
            rows.append(
                {
                    "item": item,
                    "name": investment.name,
                    "category": investment.category,
                    "cost": float(investment.cost),
                    "share_funded": share,
                    "verdict": verdict,
                }
            )
        columns = ["item", "name", "category", "cost", "share_funded", "verdict"]
        table = pd.DataFrame(rows, columns=columns)
        return table.sort_values(
            ["share_funded", "item"], ascending=[False, True], ignore_index=True
        )

    def no_regret_items(self) -> list[str]:
        return sorted(i for i, s in self.funded_share.items() if s >= self.threshold)

    def never_funded(self) -> list[str]:
        return sorted(i for i, s in self.funded_share.items() if s == 0)


@dataclass
class _FreshState:
    inputs: Inputs
    yearly: dict[tuple[str, int], float]
    sampler: Sampler


def _start_fresh(dataset: Dataset, scenario: Scenario) -> _FreshState:
    plain = nominal(scenario)
    return _FreshState(
        prepare(dataset, plain),
        yearly_budget(dataset, scenario),
        Sampler(dataset, scenario, uncertainty_of(scenario)),
    )


def _reoptimise_draw(shared: Shared, index: int) -> tuple[str, ...] | None:
    """The items the optimum of draw ``index`` funds (None: no plan within the time limit)."""
    state: _FreshState = worker_state(shared.token, lambda: _start_fresh(*shared.payload))
    inputs = in_future(state.inputs, state.yearly, state.sampler.draw(index))
    try:
        plan = solve_prepared(inputs)
    except SolveTimeout:
        return None
    if not plan.feasible:
        return None
    return tuple(sorted(plan.funded_codes()))


def no_regret(
    dataset: Dataset,
    scenario: Scenario,
    *,
    draws: int | None = None,
    threshold: float = NO_REGRET_SHARE,
    executor: Executor | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> NoRegret:
    """Re-optimise every draw from scratch and count how often each candidate item is funded.

    Candidate items are those the scenario can fund at all (optimizer.inputs.prepare); the
    scenario's outcome requirements hold in each draw, so a draw where they cannot is left out
    (``solved`` counts the others).
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"the no-regret share must be in (0, 1], got {threshold}")
    started = time.perf_counter()
    uncertainty = uncertainty_of(scenario)
    if draws is not None:
        uncertainty = uncertainty.model_copy(update={"draws": draws})
        scenario = scenario.model_copy(update={"uncertainty": uncertainty})
    candidates = prepare(dataset, nominal(scenario)).items
    if executor is None:
        executor = choose_executor(len(dataset.investments), uncertainty.draws, workers, scheduler)
    shared = Shared((dataset, scenario))
    funded = executor.run(_reoptimise_draw, shared, list(range(uncertainty.draws)), progress)
    solved = [f for f in funded if f is not None]
    counts = dict.fromkeys(candidates, 0)
    for items in solved:
        for item in items:
            counts[item] += 1
    share = {i: (n / len(solved) if solved else 0.0) for i, n in counts.items()}
    return NoRegret(
        scenario=scenario.name,
        draws=uncertainty.draws,
        solved=len(solved),
        threshold=threshold,
        funded_share=share,
        seconds=round(time.perf_counter() - started, 4),
    )
