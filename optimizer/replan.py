"""Rolling re-planning: bring in what happened, re-plan the remaining years, change little.

``check_progress`` cross-checks a progress report (models.progress) against the dataset and the
plan it reports on; ``prepare_replan`` turns dataset + scenario + plan + progress into the inputs of
the remaining years (``Replan``): an ordinary Dataset describing the situation at the start of the
first re-planned year and an ordinary Scenario over the remaining years that revises the plan.

What the progress does:
  completed items      their effects are counted in the criteria status; they leave the items;
  in_progress items    kept, committed to start in the first re-planned year with their remaining
                       cost (revised cost − money disbursed) and the years left to their expected
                       completion; dropped only if the scenario forces them out;
  not_started items    candidates as before (at their revised cost), planned for their planned
                       year, or the first re-planned year if that is past;
  cancelled items      out, unless proposed again (then candidates);
  reassessed criteria  replace the status (met through other programmes, or a new gap);
  money                disbursed money leaves the past budgets; with carry-over, what the past
                       budgets did not pay out is added to the first re-planned year.
An item of the plan without a progress row is taken as going to plan (completed if its planned
completion is past, else in progress with its planned payments disbursed), with a warning; so an
empty report with the same budgets re-plans the remaining years of the plan exactly.

Money in the dataset is whole million VND; planned payments taken as disbursed are not, so the
Replan keeps the exact remaining costs and carried money and ``replan_inputs`` puts them into the
formulation's inputs (the stored dataset rounds them to the nearest million).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from models.commune import CriterionStatus
from models.dataset import Dataset
from models.funding import Budget
from models.investment import Investment
from models.io.errors import LocatedProblem
from models.io.raw import RawPackage
from models.messages import Message, msg
from models.progress import ItemStatus, Progress
from models.scenario import (
    Budgets,
    Committed,
    Horizon,
    Objective,
    PlannedStart,
    RevisedPlan,
    Scenario,
)
from models.scenario_io import deep_merge
from optimizer.inputs import COVERAGE_TOLERANCE, Inputs, prepare, scenario_budget
from optimizer.plan import Plan, Timings
from optimizer.solve import solve_prepared

NOMINAL_COST = 1
"""Million VND given to an in-progress item whose money is all paid (an item costs > 0)."""


class ReplanError(ValueError):
    """The progress report (or the re-plan request) has errors; nothing was re-planned."""

    def __init__(self, problems: list[LocatedProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"{len(problems)} problem(s) in the progress report, nothing re-planned:\n{lines}"
        )


@dataclass(frozen=True)
class ItemState:
    """An item of the revised plan as the re-plan sees it."""

    investment: str
    status: ItemStatus
    planned_start: int
    planned_completion: int
    reported: bool
    """False when the report has no row for it (taken as going to plan)."""
    cost: float
    """Its (revised) total cost."""
    disbursed: float
    expected_completion: int | None = None
    proposed_again: bool = False


@dataclass(frozen=True)
class Replan:
    """The inputs of the remaining years, and what the progress changed."""

    dataset: Dataset
    scenario: Scenario
    from_year: int
    states: dict[str, ItemState]
    disbursed: dict[tuple[str, int], float]
    """(source, year) → money paid before the first re-planned year (reported or as planned)."""
    carried: dict[str, float]
    """Source → money of the past budgets not paid out, added to the first re-planned year."""
    budget: dict[tuple[str, int], float]
    """Exact money per (source, year) of the remaining years, carried money included."""
    remaining: dict[str, float]
    """In-progress item → exact remaining cost."""
    original_cost: dict[str, float] = field(default_factory=dict)
    """Item of the revised plan → its cost when the plan was made."""
    warnings: list[LocatedProblem] = field(default_factory=list)


# -- checks ------------------------------------------------------------------------------------
@dataclass
class _Locator:
    raw: RawPackage | None
    numbers: dict[str, list[int]]

    def at(
        self, table: str, index: int | None, column: str | None, message: Message
    ) -> LocatedProblem:
        location = self.raw.location_of(table) if self.raw is not None else table
        numbers = self.numbers.get(table, [])
        row = numbers[index] if index is not None and index < len(numbers) else None
        if row is None and index is not None and not numbers:
            row = index + 2  # header is row 1
        return LocatedProblem(location, row, column, message)


def check_progress(
    progress: Progress,
    dataset: Dataset,
    plan: Plan,
    horizon: Horizon,
    from_year: int,
    numbers: dict[str, list[int]] | None = None,
    raw: RawPackage | None = None,
    refused_items: frozenset[str] = frozenset(),
) -> tuple[list[LocatedProblem], list[LocatedProblem]]:
    """(errors, warnings) of a progress report against the dataset and the plan it reports on,
    each located by file, row and column. Every rule runs, so all problems show at once.

    ``refused_items``: items whose progress_items row could not be read (its problem is listed
    already), so their disbursements are not also said to lack a row."""
    at = _Locator(raw, numbers or {}).at
    errors: list[LocatedProblem] = []
    warnings: list[LocatedProblem] = []
    first, last = horizon.start, horizon.end
    if not first < from_year <= last:
        errors.append(
            LocatedProblem(
                "re-plan",
                None,
                "from_year",
                msg("replan.from_year", year=from_year, first=first, last=last, next=first + 1),
            )
        )
    planned = {i.investment: i for i in plan.items}
    investments = dataset.investment_by_code
    seen: dict[str, int] = {}
    for n, row in enumerate(progress.items):
        code = row.investment_code
        if code in seen:
            repeats = msg("key.repeats", key=msg("key.item", item=code))
            errors.append(at("progress_items", n, "investment_code", repeats))
        seen.setdefault(code, n)
        if code not in investments:
            unknown = msg("reference.unknown", what=msg("what.item"), value=repr(code))
            errors.append(at("progress_items", n, "investment_code", unknown))
        elif code not in planned:
            errors.append(
                at("progress_items", n, "investment_code", msg("replan.not_in_plan", item=code))
            )
        year = row.expected_completion_year
        if year is not None and not first <= year <= last:
            errors.append(
                at(
                    "progress_items",
                    n,
                    "expected_completion_year",
                    msg("horizon.value_outside", value=year, horizon=f"{first}-{last}"),
                )
            )
        elif row.status == ItemStatus.IN_PROGRESS and year is not None and year < from_year:
            errors.append(
                at(
                    "progress_items",
                    n,
                    "expected_completion_year",
                    msg("replan.in_progress_before", year=year, from_year=from_year),
                )
            )
        cost = row.revised_cost or (investments[code].cost if code in investments else None)
        paid = progress.disbursed_by_item.get(code, 0.0)
        if cost is not None and paid > cost:
            column = "revised_cost" if row.revised_cost else "status"
            errors.append(
                at(
                    "progress_items",
                    n,
                    column,
                    msg("replan.paid_above_cost", item=code, paid=f"{paid:g}", cost=f"{cost:g}"),
                )
            )
        if row.status == ItemStatus.COMPLETED and paid == 0 and code in planned:
            warnings.append(
                at(
                    "progress_items",
                    n,
                    "status",
                    msg("replan.completed_unpaid", item=code),
                )
            )
    sources = set(dataset.source_by_code)
    for n, d in enumerate(progress.disbursements):
        code = d.investment_code
        if code not in investments:
            unknown = msg("reference.unknown", what=msg("what.item"), value=repr(code))
            errors.append(at("progress_disbursements", n, "investment_code", unknown))
        elif code not in planned:
            errors.append(
                at(
                    "progress_disbursements",
                    n,
                    "investment_code",
                    msg("replan.not_in_plan", item=code),
                )
            )
        elif code not in seen and code not in refused_items:
            errors.append(
                at(
                    "progress_disbursements",
                    n,
                    "investment_code",
                    msg("replan.no_progress_row", item=code),
                )
            )
        if d.source_code not in sources:
            errors.append(
                at(
                    "progress_disbursements",
                    n,
                    "source_code",
                    msg(
                        "reference.unknown",
                        what=msg("what.funding_source"),
                        value=repr(d.source_code),
                    ),
                )
            )
        if not first <= d.year <= last:
            errors.append(
                at(
                    "progress_disbursements",
                    n,
                    "year",
                    msg("horizon.value_outside", value=d.year, horizon=f"{first}-{last}"),
                )
            )
        elif d.year >= from_year:
            errors.append(
                at(
                    "progress_disbursements",
                    n,
                    "year",
                    msg("replan.paid_not_before", year=d.year, from_year=from_year),
                )
            )
    pairs: dict[tuple[str, str], int] = {}
    for n, r in enumerate(progress.criteria):
        key = (r.commune_code, r.criterion_code)
        if key in pairs:
            errors.append(
                at(
                    "progress_criteria",
                    n,
                    "criterion_code",
                    msg(
                        "key.repeats",
                        key=msg("key.commune_criterion", commune=key[0], criterion=key[1]),
                    ),
                )
            )
        pairs.setdefault(key, n)
        if r.commune_code not in dataset.commune_by_code:
            unknown = msg("reference.unknown", what=msg("what.commune"), value=repr(r.commune_code))
            errors.append(at("progress_criteria", n, "commune_code", unknown))
        if r.criterion_code not in dataset.criteria.by_code:
            errors.append(
                at(
                    "progress_criteria",
                    n,
                    "criterion_code",
                    msg(
                        "reference.unknown_in_set",
                        what=msg("what.criterion"),
                        value=repr(r.criterion_code),
                        set=dataset.criteria.code,
                    ),
                )
            )
        if not dataset.info.base_year <= r.year <= last:
            errors.append(
                at(
                    "progress_criteria",
                    n,
                    "year",
                    msg(
                        "replan.year_outside_data",
                        year=r.year,
                        base=dataset.info.base_year,
                        last=last,
                    ),
                )
            )
    missing = [i for i in planned if i not in seen and planned[i].start_year < from_year]
    if missing and not errors:
        warnings.append(
            LocatedProblem(
                raw.location_of("progress_items") if raw is not None else "progress_items",
                None,
                None,
                msg(
                    "replan.items_without_row",
                    count=len(missing),
                    from_year=from_year,
                    items=", ".join(missing[:5]) + ("…" if len(missing) > 5 else ""),
                ),
            )
        )
    return errors, warnings


# -- applying the progress ---------------------------------------------------------------------
def item_states(
    progress: Progress, dataset: Dataset, plan: Plan, from_year: int
) -> dict[str, ItemState]:
    """Each item of the plan with its status, cost and money paid before ``from_year``."""
    planned_paid: dict[str, float] = defaultdict(float)
    for p in plan.payments:
        if p.year < from_year:
            planned_paid[p.investment] += p.amount
    states = {}
    for item in plan.items:
        code = item.investment
        row = progress.item_by_code.get(code)
        original = float(dataset.investment_by_code[code].cost)
        if row is None:
            if item.completion_year < from_year:
                status = ItemStatus.COMPLETED
            elif item.start_year < from_year:
                status = ItemStatus.IN_PROGRESS
            else:
                status = ItemStatus.NOT_STARTED
            states[code] = ItemState(
                code,
                status,
                item.start_year,
                item.completion_year,
                reported=False,
                cost=original,
                disbursed=planned_paid.get(code, 0.0),
                expected_completion=item.completion_year,
            )
            continue
        states[code] = ItemState(
            code,
            row.status,
            item.start_year,
            item.completion_year,
            reported=True,
            cost=float(row.revised_cost) if row.revised_cost is not None else original,
            disbursed=progress.disbursed_by_item.get(code, 0.0),
            expected_completion=row.expected_completion_year,
            proposed_again=row.proposed_again,
        )
    return states


def _disbursed(
    states: dict[str, ItemState], progress: Progress, plan: Plan, from_year: int
) -> dict[tuple[str, int], float]:
    """(source, year) → money paid before ``from_year``: reported rows, and planned payments of
    items without a row."""
    paid: dict[tuple[str, int], float] = defaultdict(float)
    for d in progress.disbursements:
        paid[(d.source_code, d.year)] += d.amount
    for p in plan.payments:
        if p.year < from_year and not states[p.investment].reported:
            paid[(p.source, p.year)] += p.amount
    return dict(paid)


def _status_after(
    dataset: Dataset, completed: set[str], progress: Progress
) -> tuple[CriterionStatus, ...]:
    """The criteria status once completed items' effects count and reassessments apply."""
    closed: dict[tuple[str, str], float] = defaultdict(float)
    kept: set[tuple[str, str]] = set()
    for code in completed:
        maintenance = dataset.investment_by_code[code].maintenance
        for e in dataset.effects_by_investment.get(code, ()):
            closed[(e.commune_code, e.criterion_code)] += e.amount
            if maintenance:
                kept.add((e.commune_code, e.criterion_code))
    reassessed = {(r.commune_code, r.criterion_code): r for r in progress.criteria}
    rows = []
    for s in dataset.status:
        pair = (s.commune_code, s.criterion_code)
        if pair in reassessed:
            r = reassessed[pair]
            rows.append(s.model_copy(update={"met": r.met, "gap": r.gap, "at_risk": False}))
        elif not s.met and pair in closed:
            gap = s.gap - closed[pair]
            met = gap <= COVERAGE_TOLERANCE
            rows.append(s.model_copy(update={"met": met, "gap": 0.0 if met else gap}))
        elif s.at_risk and pair in kept:
            rows.append(s.model_copy(update={"at_risk": False}))
        else:
            rows.append(s)
    return tuple(rows)


def replan_scenario_content(approved: Scenario, overrides: dict[str, Any] | None) -> Scenario:
    """The approved scenario with ``overrides`` (a scenario file's mapping) on top; stability is
    put right after communes at standard unless the overrides give the objectives."""
    base = approved.model_dump(mode="json", exclude={"revises"})
    merged = deep_merge(base, overrides or {})
    if "objectives" not in (overrides or {}):
        objectives = [o for o in merged["objectives"] if o != Objective.STABILITY.value]
        at = (
            objectives.index(Objective.COMMUNES_AT_STANDARD.value) + 1
            if Objective.COMMUNES_AT_STANDARD.value in objectives
            else 0
        )
        objectives.insert(at, Objective.STABILITY.value)
        merged["objectives"] = objectives
    return Scenario.model_validate(merged)


def prepare_replan(
    dataset: Dataset,
    approved: Scenario,
    plan: Plan,
    progress: Progress,
    from_year: int,
    *,
    overrides: dict[str, Any] | None = None,
    run_id: int | None = None,
    numbers: dict[str, list[int]] | None = None,
    raw: RawPackage | None = None,
    read_problems: list[LocatedProblem] | None = None,
    refused_items: frozenset[str] = frozenset(),
) -> Replan:
    """Apply the progress to the plan; raise ReplanError listing every problem of the report.

    ``approved``: the scenario the plan answered; ``overrides``: changes for the remaining years
    (budgets, policies, objectives), as in a scenario file. ``read_problems``: the problems of
    the rows that could not be read (models.io.progress_io.read_progress), listed first.
    """
    if approved.horizon.single_period:
        problem = LocatedProblem("re-plan", None, "horizon", msg("replan.pooled"))
        raise ReplanError([problem])
    errors, warnings = check_progress(
        progress, dataset, plan, approved.horizon, from_year, numbers, raw, refused_items
    )
    errors = [*(read_problems or []), *errors]
    if errors:
        raise ReplanError(errors)
    wanted = replan_scenario_content(approved, overrides)
    states = item_states(progress, dataset, plan, from_year)
    disbursed = _disbursed(states, progress, plan, from_year)
    forced_out = set(wanted.policies.forced_out)

    # money: the remaining years' budgets from the scenario, plus what the past did not pay out
    remaining_years = wanted.model_copy(
        update={"horizon": Horizon(start=from_year, end=approved.horizon.end)}
    )
    budget = {k: v for k, v in scenario_budget(dataset, remaining_years).items()}
    past = scenario_budget(
        dataset,
        approved.model_copy(
            update={"horizon": Horizon(start=approved.horizon.start, end=from_year - 1)}
        ),
    )
    carried: dict[str, float] = {}
    for source in dataset.sources:
        s = source.code
        spent = sum(v for (src, _y), v in disbursed.items() if src == s)
        left = sum(v for (src, _y), v in past.items() if src == s) - spent
        if left < -COVERAGE_TOLERANCE:
            warnings.append(
                LocatedProblem(
                    "progress_disbursements",
                    None,
                    "amount",
                    msg("replan.overpaid", source=s, amount=f"{-left:g}", from_year=from_year),
                )
            )
        carried[s] = max(0.0, left) if wanted.budgets.carry_over else 0.0
        budget[(s, from_year)] = budget.get((s, from_year), 0.0) + carried[s]

    # items
    completed = {c for c, st in states.items() if st.status == ItemStatus.COMPLETED}
    status = _status_after(dataset, completed, progress)
    open_pairs = {(s.commune_code, s.criterion_code) for s in status if not s.met}
    risky = {(s.commune_code, s.criterion_code) for s in status if s.at_risk}
    locate = _Locator(raw, numbers or {}).at
    row_of = {r.investment_code: n for n, r in enumerate(progress.items)}
    investments, remaining, committed = [], {}, []
    planned_starts, dropped_before = [], []
    for inv in dataset.investments:
        st = states.get(inv.code)
        if st is None:
            investments.append(inv)
            continue
        if st.status == ItemStatus.COMPLETED:
            continue
        if st.status == ItemStatus.CANCELLED and not st.proposed_again:
            dropped_before.append(inv.code)
            continue
        if st.status == ItemStatus.IN_PROGRESS:
            left = st.cost - st.disbursed
            if left <= COVERAGE_TOLERANCE:
                warnings.append(
                    locate(
                        "progress_items",
                        row_of.get(inv.code),
                        "revised_cost",
                        msg("replan.all_paid_in_progress", item=inv.code, kept=NOMINAL_COST),
                    )
                )
                left = float(NOMINAL_COST)
            completion = max(from_year, st.expected_completion or st.planned_completion)
            remaining[inv.code] = left
            investments.append(
                inv.model_copy(
                    update={
                        "cost": max(NOMINAL_COST, round(left)),
                        "duration_years": completion - from_year + 1,
                        "earliest_year": None,
                    }
                )
            )
            useful = _useful(dataset, inv, open_pairs, risky)
            if inv.code not in forced_out and useful:
                committed.append(Committed(investment=inv.code, start_year=from_year))
            elif not useful:
                warnings.append(
                    locate(
                        "progress_items",
                        row_of.get(inv.code),
                        "investment_code",
                        msg("replan.in_progress_useless", item=inv.code),
                    )
                )
            planned_starts.append(PlannedStart(investment=inv.code, start_year=from_year))
            continue
        # not started, or cancelled and proposed again
        investments.append(
            inv if st.cost == inv.cost else inv.model_copy(update={"cost": round(st.cost)})
        )
        start = max(st.planned_start, from_year)
        planned_starts.append(PlannedStart(investment=inv.code, start_year=start))
    kept = {i.code for i in investments}
    effects = tuple(e for e in dataset.effects if e.investment_code in kept)
    budgets = tuple(
        Budget(source_code=s, year=y, amount=max(0, math.floor(v + 0.5)))
        for (s, y), v in sorted(budget.items())
    )
    base = from_year - 1
    info = dataset.info.model_copy(
        update={
            "base_year": base,
            "name": f"{dataset.info.name} (progress to {base})",
            "description": (
                f"{dataset.info.description or ''} Re-plan from {from_year}: criteria status at "
                f"the end of {base}, items still to fund, budgets of {from_year}-"
                f"{approved.horizon.end} with money carried over."
            ).strip(),
        }
    )
    new_dataset = Dataset(
        info=info,
        criteria=dataset.criteria,
        communes=dataset.communes,
        status=status,
        investments=tuple(investments),
        effects=effects,
        sources=dataset.sources,
        budgets=budgets,
    )
    under_way = {c.investment for c in committed}
    still_committed = [  # the scenario's own commitments; a start year now past is any year
        c
        if c.start_year is None or c.start_year >= from_year
        else c.model_copy(update={"start_year": None})
        for c in wanted.policies.committed
        if c.investment in kept and c.investment not in under_way
    ]
    policies = wanted.policies.model_copy(
        update={
            "committed": (*committed, *still_committed),
            "forced_out": tuple(i for i in wanted.policies.forced_out if i in kept),
        }
    )
    scenario = wanted.model_copy(
        update={
            "horizon": Horizon(start=from_year, end=approved.horizon.end),
            "budgets": Budgets(
                carry_over=wanted.budgets.carry_over,
                disbursement_rate=wanted.budgets.disbursement_rate,
                disbursement_by_year={
                    y: r for y, r in wanted.budgets.disbursement_by_year.items() if y >= from_year
                },
            ),
            "policies": policies,
            "revises": RevisedPlan(
                run=run_id,
                from_year=from_year,
                items=tuple(planned_starts),
                dropped_before=tuple(dropped_before),
            ),
        }
    )
    return Replan(
        dataset=new_dataset,
        scenario=scenario,
        from_year=from_year,
        states=states,
        disbursed=disbursed,
        carried=carried,
        budget=budget,
        remaining=remaining,
        original_cost={i.investment: float(i.cost) for i in plan.items},
        warnings=warnings,
    )


def _useful(
    dataset: Dataset, inv: Investment, open_pairs: set[tuple[str, str]], risky: set[tuple[str, str]]
) -> bool:
    """Whether the item still closes some gap (or keeps an at-risk criterion)."""
    return any(
        (e.commune_code, e.criterion_code) in open_pairs
        or (inv.maintenance and (e.commune_code, e.criterion_code) in risky)
        for e in dataset.effects_by_investment.get(inv.code, ())
    )


def replan_inputs(replan: Replan) -> Inputs:
    """The formulation's inputs of a re-plan, with the exact money (not rounded to millions)."""
    inputs = prepare(replan.dataset, replan.scenario)
    cost = {i: replan.remaining.get(i, c) for i, c in inputs.cost.items()}
    budget = {k: replan.budget.get(k, 0.0) for k in inputs.budget}
    return replace(inputs, cost=cost, budget=budget)


def solve_replan(replan: Replan) -> Plan:
    """Solve the remaining years (the plan is an ordinary Plan of the re-plan's scenario)."""
    started = time.perf_counter()
    inputs = replan_inputs(replan)
    prepared = Timings(prepare_seconds=round(time.perf_counter() - started, 4))
    return solve_prepared(inputs, timings=prepared)
