"""What a re-plan changed and why, and the plan against what actually happened.

``replan_diff`` lists every item of the revised plan as kept / moved / dropped / completed / in
progress, the items added, the communes whose expected year at standard changes, and a reason for
each dropped item (from optimizer.explain: its commune cannot reach the standard any more, its
gaps are closed already, a cost overrun, it was cancelled, or the money was needed elsewhere).
``plan_against_actual`` gives the tables of planned against actual: per commune criteria, per
source and year money, and the communes falling behind the year they were to reach the standard.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum

import pandas as pd
from pydantic import Field

from models.base import FrozenModel
from models.dataset import Dataset
from models.progress import ItemStatus
from models.scenario import Scenario
from optimizer.explain import Reason, explain
from optimizer.inputs import scenario_budget
from optimizer.plan import Plan
from optimizer.replan import Replan


class Change(StrEnum):
    """What happened to an item of the revised plan, or to an item the re-plan funds."""

    KEPT = "kept"
    MOVED = "moved"
    DROPPED = "dropped"
    ADDED = "added"
    COMPLETED = "completed"
    """Done before the re-planned years (not a change)."""


CHANGES = (Change.DROPPED, Change.ADDED, Change.MOVED)
"""The kinds that count as changes (the stability objective counts them)."""


class DropReason(StrEnum):
    """Why an item of the revised plan is not in the re-plan (a key the UI translates)."""

    CANCELLED = "cancelled"
    NO_GAP_LEFT = "no_gap_left"
    """Its gaps are closed already (by other items or other programmes)."""
    COMMUNE_CANNOT_REACH = "commune_cannot_reach"
    """A commune it served cannot reach the standard any more within the horizon."""
    COST_OVERRUN = "cost_overrun"
    MONEY_ELSEWHERE = "money_elsewhere"
    """The money was needed elsewhere, for more communes at standard."""
    FORCED_OUT = "forced_out"


class ItemChange(FrozenModel):
    """One item: its planned start, its start in the re-plan, and what changed."""

    investment: str
    change: Change
    status: ItemStatus | None = Field(description="Reported (or assumed) status; None: added.")
    planned_start: int | None
    new_start: int | None
    reason: DropReason | None = None
    message: str = ""


class CommuneChange(FrozenModel):
    """A commune whose expected year at standard changes (None: not by the horizon end)."""

    commune: str
    planned_year: int | None
    new_year: int | None


class ReplanDiff(FrozenModel):
    """What changed between the revised plan and the re-plan."""

    items: tuple[ItemChange, ...]
    communes: tuple[CommuneChange, ...]

    def count(self, change: Change) -> int:
        return sum(1 for i in self.items if i.change == change)

    @property
    def changes(self) -> int:
        """Dropped + added + moved items (each weight 1)."""
        return sum(self.count(c) for c in CHANGES)

    def items_table(self) -> pd.DataFrame:
        columns = list(ItemChange.model_fields)
        return pd.DataFrame([i.model_dump(mode="json") for i in self.items], columns=columns)

    def communes_table(self) -> pd.DataFrame:
        columns = list(CommuneChange.model_fields)
        return pd.DataFrame([c.model_dump(mode="json") for c in self.communes], columns=columns)


def replan_diff(replan: Replan, approved: Plan, new: Plan) -> ReplanDiff:
    """Every item of the revised plan and of the re-plan, and the communes whose year changes."""
    revised = replan.scenario.revises
    assert revised is not None  # a Replan always revises a plan
    reference = {p.investment: p.start_year for p in revised.items}
    new_start = {i.investment: i.start_year for i in new.items}
    reasons = _drop_reasons(replan, new, [c for c in reference if c not in new_start])
    rows = []
    for item in approved.items:
        code = item.investment
        state = replan.states[code]
        if state.status == ItemStatus.COMPLETED:
            change, start = Change.COMPLETED, None
        elif code not in new_start:
            change, start = Change.DROPPED, None
        elif new_start[code] != reference.get(code):
            change, start = Change.MOVED, new_start[code]
        else:
            change, start = Change.KEPT, new_start[code]
        reason, message = (None, "")
        if change == Change.DROPPED:
            if state.status == ItemStatus.CANCELLED and not state.proposed_again:
                reason, message = DropReason.CANCELLED, "Cancelled."
            else:
                reason, message = reasons[code]
        rows.append(
            ItemChange(
                investment=code,
                change=change,
                status=state.status,
                planned_start=item.start_year,
                new_start=start,
                reason=reason,
                message=message,
            )
        )
    for item in new.items:
        if item.investment not in replan.states:
            rows.append(
                ItemChange(
                    investment=item.investment,
                    change=Change.ADDED,
                    status=None,
                    planned_start=None,
                    new_start=item.start_year,
                )
            )
    return ReplanDiff(items=tuple(rows), communes=tuple(_commune_changes(replan, approved, new)))


def _drop_reasons(
    replan: Replan, new: Plan, dropped: list[str]
) -> dict[str, tuple[DropReason, str]]:
    """A reason per dropped item, from the re-plan's explanation of the communes it served."""
    if not dropped:
        return {}
    d = replan.dataset
    forced = set(replan.scenario.policies.forced_out)
    explanations = {e.commune: e for e in explain(d, replan.scenario, new)} if new.feasible else {}
    open_pairs = {(s.commune_code, s.criterion_code) for s in d.status if not s.met}
    result = {}
    for code in dropped:
        effects = d.effects_by_investment.get(code, ())
        served = sorted({e.commune_code for e in effects})
        state = replan.states.get(code)
        if code in forced:
            result[code] = (DropReason.FORCED_OUT, "Forced out by the scenario.")
        elif not any((e.commune_code, e.criterion_code) in open_pairs for e in effects):
            result[code] = (DropReason.NO_GAP_LEFT, "The gaps it closed are closed already.")
        elif any(
            explanations.get(c) is not None
            and explanations[c].reason in {Reason.CANNOT_BE_COMPLETED, Reason.NO_ELIGIBLE_SOURCE}
            for c in served
        ):
            blocked = [
                c
                for c in served
                if explanations[c].reason in {Reason.CANNOT_BE_COMPLETED, Reason.NO_ELIGIBLE_SOURCE}
            ]
            result[code] = (
                DropReason.COMMUNE_CANNOT_REACH,
                f"Commune {', '.join(blocked)} cannot reach the standard any more: "
                f"{explanations[blocked[0]].message}",
            )
        elif state is not None and state.cost > replan.original_cost[code]:
            result[code] = (
                DropReason.COST_OVERRUN,
                f"Cost overrun: {replan.original_cost[code]:,.0f} → {state.cost:,.0f} million VND.",
            )
        else:
            result[code] = (
                DropReason.MONEY_ELSEWHERE,
                "The money was needed elsewhere for more communes at standard.",
            )
    return result


def _commune_changes(replan: Replan, approved: Plan, new: Plan) -> list[CommuneChange]:
    last_past = replan.from_year - 1
    now_at_standard = {
        c.code for c in replan.dataset.communes if replan.dataset.at_standard(c.code)
    }
    new_year = {c.commune: c.year_at_standard for c in new.communes}
    rows = []
    for c in approved.communes:
        if c.at_standard_before:
            continue
        after = last_past if c.commune in now_at_standard else new_year.get(c.commune)
        before = c.year_at_standard
        planned_past = before is not None and before <= last_past
        after_past = after is not None and after <= last_past
        if before != after and not (planned_past and after_past):
            rows.append(CommuneChange(commune=c.commune, planned_year=before, new_year=after))
    return rows


# -- plan against actual -----------------------------------------------------------------------
def money_against_plan(
    replan: Replan, approved: Plan, approved_scenario: Scenario, dataset: Dataset
) -> pd.DataFrame:
    """Per source and past year: budget, planned payments, disbursed and the disbursement rate
    (disbursed ÷ planned; empty when nothing was planned)."""
    planned: dict[tuple[str, int], float] = defaultdict(float)
    for p in approved.payments:
        if p.year < replan.from_year:
            planned[(p.source, p.year)] += p.amount
    budget = scenario_budget(dataset, approved_scenario)
    rows = []
    for source in dataset.sources:
        for year in range(approved_scenario.horizon.start, replan.from_year):
            key = (source.code, year)
            plan_money = planned.get(key, 0.0)
            paid = replan.disbursed.get(key, 0.0)
            rows.append(
                {
                    "source": source.code,
                    "year": year,
                    "budget": round(budget.get(key, 0.0), 3),
                    "planned": round(plan_money, 3),
                    "disbursed": round(paid, 3),
                    "rate": round(paid / plan_money, 4) if plan_money > 0 else None,
                    "carried_over": round(replan.carried.get(source.code, 0.0), 3)
                    if year == replan.from_year - 1
                    else None,
                }
            )
    return pd.DataFrame(
        rows, columns=["source", "year", "budget", "planned", "disbursed", "rate", "carried_over"]
    )


def criteria_against_plan(replan: Replan, approved: Plan, dataset: Dataset) -> pd.DataFrame:
    """Per commune: criteria met at the start, planned by the end of the last past year, and
    actually met then (after the progress); and the planned and now expected year at standard."""
    last_past = replan.from_year - 1
    planned: dict[str, int] = defaultdict(int)
    for c in approved.criteria:
        if c.year_met is not None and (c.met_before or c.year_met <= last_past):
            planned[c.commune] += 1
    actual = replan.dataset.criteria_met
    rows = []
    for outcome in approved.communes:
        code = outcome.commune
        rows.append(
            {
                "commune": code,
                "criteria_start": dataset.criteria_met[code],
                "criteria_planned": planned[code],
                "criteria_actual": actual[code],
                "behind": actual[code] < planned[code],
                "planned_year_at_standard": outcome.year_at_standard,
            }
        )
    return pd.DataFrame(rows)


def falling_behind(diff: ReplanDiff) -> pd.DataFrame:
    """Communes now expected to reach the standard later than planned (or not by the end)."""
    rows = [
        c.model_dump()
        for c in diff.communes
        if c.planned_year is not None and (c.new_year is None or c.new_year > c.planned_year)
    ]
    return pd.DataFrame(rows, columns=list(CommuneChange.model_fields))
