"""How sure is a plan: the plan's items completed in drawn futures, as far as the money allows.

In each future (optimizer/draws.py: drawn item costs, drawn payouts) the province finishes what it
can of the plan, choosing which of the plan's items to complete so as to keep the most communes
at standard — the **recourse**. It is the same formulation (optimizer/formulation.py) restricted
to the plan's items (every other item is forced out), with the draw's costs and budgets, solved
level by level through ``optimizer.solve.solve_prepared``:

* objectives: the scenario's, ending with the least money (so with nothing drawn differently the
  recourse keeps exactly the plan: it is optimal over a superset, level by level, and the least
  money drops no item a level needs);
* the scenario's money rules hold (shares, co-financing, caps, disbursement), but not its
  outcome requirements (targets, communes that must reach the standard, committed items,
  district equity, maintenance): in a bad future they may no longer be reachable, and the point
  is to see how far the plan falls;
* no robust guard and no reserve: the future is known, the reserve is released.

The recourse never adds an item; a plan item it leaves out is **unfinished**, and its drawn cost
is the money short to finish the plan. Draws run through optimizer/sweep.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from pydantic import Field

from models.base import FrozenModel
from models.dataset import Dataset
from models.scenario import Objective, Policies, Scenario, Targets
from models.uncertainty import Robustness, Uncertainty
from optimizer.draws import Future, Sampler
from optimizer.inputs import Inputs, prepare, scenario_budget
from optimizer.plan import Plan
from optimizer.solve import SolveTimeout, solve_prepared
from optimizer.sweep import Executor, Progress, Shared, choose_executor, worker_state

QUANTILES = (0.1, 0.5, 0.9)
MEASURES = ("communes_at_standard", "communes_at_floor", "money_short", "money_unspent")


class NoUncertainty(ValueError):
    """The scenario has no ``uncertainty:`` section to draw futures from."""


class DrawOutcome(FrozenModel):
    """What one future does to a plan."""

    draw: int
    solved: bool = Field(description="False when the recourse found no plan in its time limit.")
    communes_at_standard: int | None
    communes_at_floor: int | None
    money_spent: float | None = Field(description="Million VND, at the draw's costs.")
    money_available: float = Field(description="Million VND the sources pay out in the draw.")
    money_short: float | None = Field(description="Drawn cost of the plan items left unfinished.")
    unfinished: tuple[str, ...] = ()
    at_standard: tuple[str, ...] = ()

    @property
    def money_unspent(self) -> float | None:
        return None if self.money_spent is None else self.money_available - self.money_spent


class RiskReport(FrozenModel):
    """A plan's outcomes over N drawn futures."""

    scenario: str
    plan_label: str = Field(description="Which plan: 'deterministic', 'robust', a run id, …")
    plan_items: tuple[str, ...]
    plan_at_standard: int
    plan_at_floor: int
    plan_at_standard_codes: tuple[str, ...] = ()
    draws: tuple[DrawOutcome, ...]
    seed: int
    workers: int = 1
    seconds: float = 0.0

    @property
    def solved(self) -> list[DrawOutcome]:
        return [d for d in self.draws if d.solved]

    def distribution(self) -> pd.DataFrame:
        """One row per draw: communes at standard and at floor, money spent, short, unspent."""
        rows = [
            {
                "draw": d.draw,
                "solved": d.solved,
                "communes_at_standard": d.communes_at_standard,
                "communes_at_floor": d.communes_at_floor,
                "money_spent": d.money_spent,
                "money_available": d.money_available,
                "money_short": d.money_short,
                "money_unspent": d.money_unspent,
                "items_unfinished": len(d.unfinished),
            }
            for d in self.draws
        ]
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """P10 / P50 / P90 and mean of each measure over the solved draws, with the plan's value."""
        table = self.distribution()
        table = table[table["solved"]]
        planned = {
            "communes_at_standard": self.plan_at_standard,
            "communes_at_floor": self.plan_at_floor,
            "money_short": 0.0,
            "money_unspent": None,
        }
        rows = []
        for measure in MEASURES:
            values = table[measure].astype(float).to_numpy()
            row = {"measure": measure, "plan": planned[measure]}
            for q in QUANTILES:
                row[f"p{round(q * 100)}"] = float(np.quantile(values, q)) if len(values) else None
            row["mean"] = float(values.mean()) if len(values) else None
            rows.append(row)
        return pd.DataFrame(rows)

    def bad_draws(self) -> pd.DataFrame:
        """Draws that leave an item of the plan unfinished, the worst first (most money short)."""
        table = self.distribution()
        bad = table[table["solved"] & (table["items_unfinished"] > 0)]
        return bad.sort_values(["money_short", "draw"], ascending=[False, True], ignore_index=True)

    def commune_probabilities(self, dataset: Dataset) -> pd.DataFrame:
        """Each counted commune's share of draws in which it is at standard (filterable by
        district), with whether the plan brings it there."""
        solved = self.solved
        counts: dict[str, int] = {}
        for d in solved:
            for c in d.at_standard:
                counts[c] = counts.get(c, 0) + 1
        planned = set(self.plan_at_standard_codes)
        rows = [
            {
                "commune": c.code,
                "name": c.name,
                "district": c.district or "",
                "at_standard_in_plan": c.code in planned,
                "probability": counts.get(c.code, 0) / len(solved) if solved else None,
            }
            for c in dataset.communes
            if c.code in planned or counts.get(c.code)
        ]
        columns = ["commune", "name", "district", "at_standard_in_plan", "probability"]
        table = pd.DataFrame(rows, columns=columns)
        return table.sort_values(["probability", "commune"], ignore_index=True)

    def unfinished_items(self, dataset: Dataset) -> pd.DataFrame:
        """The plan's items by how often they are left unfinished, most often first."""
        solved = self.solved
        counts: dict[str, int] = {}
        for d in solved:
            for i in d.unfinished:
                counts[i] = counts.get(i, 0) + 1
        by_code = {i.code: i for i in dataset.investments}
        rows = [
            {
                "item": i,
                "name": by_code[i].name,
                "category": by_code[i].category,
                "cost": float(by_code[i].cost),
                "share_unfinished": counts.get(i, 0) / len(solved) if solved else None,
            }
            for i in self.plan_items
        ]
        columns = ["item", "name", "category", "cost", "share_unfinished"]
        table = pd.DataFrame(rows, columns=columns)
        return table.sort_values(["share_unfinished", "item"], ascending=[False, True]).reset_index(
            drop=True
        )


def uncertainty_of(scenario: Scenario) -> Uncertainty:
    """The scenario's uncertainty section; NoUncertainty when it has none."""
    if scenario.uncertainty is None:
        raise NoUncertainty(
            f"scenario {scenario.name!r} has no uncertainty: section to draw futures from "
            "(docs/uncertainty.md)"
        )
    return scenario.uncertainty


def nominal(scenario: Scenario) -> Scenario:
    """The scenario as the future meets it: no robust guard, no reserve held back."""
    return scenario.model_copy(update={"robustness": Robustness()})


def recourse_scenario(dataset: Dataset, scenario: Scenario, items: frozenset[str]) -> Scenario:
    """Only ``items`` may be funded, the money rules hold, the outcome requirements do not, and
    the last level is the least money."""
    policies = scenario.policies
    kept = Policies(
        min_shares=policies.min_shares,
        commune_cap=policies.commune_cap,
        co_financing=policies.co_financing,
        forced_out=tuple(sorted({i.code for i in dataset.investments} - items)),
        include_wards=policies.include_wards,
    )
    objectives = tuple(o for o in scenario.objectives if o != Objective.LEAST_COST)
    return nominal(scenario).model_copy(
        update={
            "policies": kept,
            "targets": Targets(),
            "objectives": (*objectives, Objective.LEAST_COST),
        }
    )


def drawn_budget(
    yearly: dict[tuple[str, int], float], future: Future, inputs: Inputs
) -> dict[tuple[str, int], float]:
    """Money per (source, decision period) in ``future``: each year's budget times its payout."""
    pooled = inputs.scenario.horizon.single_period
    budget: dict[tuple[str, int], float] = {key: 0.0 for key in inputs.budget}
    for (source, year), amount in yearly.items():
        period = inputs.end if pooled else year
        budget[(source, period)] = budget.get((source, period), 0.0) + amount * future.payout.get(
            (source, year), 1.0
        )
    return budget


def yearly_budget(dataset: Dataset, scenario: Scenario) -> dict[tuple[str, int], float]:
    """Each source's money per calendar year of the horizon (the scenario's, no reserve)."""
    horizon = scenario.horizon.model_copy(update={"single_period": False})
    return scenario_budget(dataset, nominal(scenario).model_copy(update={"horizon": horizon}))


def in_future(inputs: Inputs, yearly: dict, future: Future) -> Inputs:
    """The prepared inputs with the draw's costs and budgets."""
    cost = {i: c * future.cost_factor.get(i, 1.0) for i, c in inputs.cost.items()}
    return replace(inputs, cost=cost, budget=drawn_budget(yearly, future, inputs))


@dataclass
class _RecourseState:
    inputs: Inputs
    yearly: dict[tuple[str, int], float]
    sampler: Sampler
    items: frozenset[str]
    base_cost: dict[str, float]


def _start_recourse(dataset: Dataset, scenario: Scenario, items: frozenset[str]) -> _RecourseState:
    recourse = recourse_scenario(dataset, scenario, items)
    inputs = prepare(dataset, recourse)
    cost = {i.code: float(i.cost) for i in dataset.investments if i.code in items}
    return _RecourseState(
        inputs,
        yearly_budget(dataset, scenario),
        Sampler(dataset, scenario, uncertainty_of(scenario)),
        items,
        cost,
    )


def _recourse_draw(shared: Shared, index: int) -> DrawOutcome:
    """Draw ``index`` and complete the plan's items in it as well as possible."""
    state: _RecourseState = worker_state(shared.token, lambda: _start_recourse(*shared.payload))
    future = state.sampler.draw(index)
    inputs = in_future(state.inputs, state.yearly, future)
    available = round(sum(inputs.budget.values()), 6)
    drawn_cost = {i: c * future.cost_factor.get(i, 1.0) for i, c in state.base_cost.items()}
    try:
        plan = solve_prepared(inputs)
    except SolveTimeout:
        return DrawOutcome(
            draw=index,
            solved=False,
            communes_at_standard=None,
            communes_at_floor=None,
            money_spent=None,
            money_available=available,
            money_short=None,
        )
    kpis = plan.kpis
    if not plan.feasible or kpis is None:  # money rules alone always allow paying nothing
        raise RuntimeError(f"the recourse of draw {index} is infeasible: {plan.message}")
    unfinished = tuple(sorted(state.items - plan.funded_codes()))
    return DrawOutcome(
        draw=index,
        solved=True,
        communes_at_standard=kpis.at_standard_after,
        communes_at_floor=kpis.at_floor_after,
        money_spent=round(kpis.money_total, 6),
        money_available=available,
        money_short=round(sum(drawn_cost[i] for i in unfinished), 6),
        unfinished=unfinished,
        at_standard=tuple(sorted(plan.at_standard_codes())),
    )


def plan_risk(
    dataset: Dataset,
    scenario: Scenario,
    plan: Plan,
    *,
    label: str = "plan",
    draws: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> RiskReport:
    """The plan's outcomes over ``draws`` futures (default: the scenario's) drawn with ``seed``.

    ``scenario`` is the one the plan answers; its ``uncertainty`` section says what is drawn.
    """
    started = time.perf_counter()
    uncertainty = uncertainty_of(scenario)
    update = {}
    if draws is not None:
        update["draws"] = draws
    if seed is not None:
        update["seed"] = seed
    if update:
        uncertainty = uncertainty.model_copy(update=update)
        scenario = scenario.model_copy(update={"uncertainty": uncertainty})
    if not plan.feasible or plan.kpis is None:
        raise ValueError(f"plan {label!r} has no funded items to test: it is {plan.status.value}")
    items = plan.funded_codes()
    if executor is None:
        executor = choose_executor(len(dataset.investments), uncertainty.draws, workers, scheduler)
    shared = Shared((dataset, scenario, items))
    outcomes = executor.run(_recourse_draw, shared, list(range(uncertainty.draws)), progress)
    return RiskReport(
        scenario=scenario.name,
        plan_label=label,
        plan_items=tuple(sorted(items)),
        plan_at_standard=plan.kpis.at_standard_after,
        plan_at_floor=plan.kpis.at_floor_after,
        plan_at_standard_codes=tuple(sorted(plan.at_standard_codes())),
        draws=tuple(outcomes),
        seed=uncertainty.seed,
        workers=executor.workers,
        seconds=round(time.perf_counter() - started, 4),
    )
