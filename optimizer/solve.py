"""Solve a formulation level by level (lexicographic objectives) and turn it into a Plan.

Each level optimises one objective, then fixes it at its optimum (or, after a time limit, at the
best value found — the level reports its gap) before the next. Status is checked before any value
is read; an infeasible scenario yields a Plan with a diagnosis, never a plausible-looking plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pulp

from models.dataset import Dataset
from models.messages import Message, msg
from models.scenario import Objective, Scenario, SolverSettings
from optimizer.assemble import assemble_plan
from optimizer.formulation import Formulation, build, complete_indicators, is_large
from optimizer.inputs import Inputs, prepare
from optimizer.names import name
from optimizer.plan import OPTIMIZER, LevelResult, Payment, Plan, PlanStatus, Timings
from optimizer.solver import SolverError, SolverSession, SolverUnavailable, solver_versions

__all__ = ["SolveTimeout", "SolverError", "SolverUnavailable", "make_level_solver", "solve"]

MINIMISED = frozenset({Objective.LEAST_COST, Objective.STABILITY})
MONEY_TOLERANCE = 1e-6
"""Relative slack when a money level (least cost) is fixed before the next level."""
TIME_LIMIT_NOTE = msg("note.time_limit")
NOT_PROVEN_NOTE = msg("note.not_proven")
INFEASIBLE_NOTE = msg("note.infeasible")
VALUE_TOLERANCE = 1e-6
"""Values below this are zero when payments are read from the solver."""


def objective_message(objective: Objective, floor: int) -> Message:
    """An objective as a note names it (the catalogue's ``objective.<code>``; ``floor``: the
    criteria floor that the floor objective counts up to)."""
    return msg(f"objective.{objective.value}", floor=floor)


class SolveTimeout(RuntimeError):
    """No plan at all was found within the time limit (not a proof of infeasibility)."""


@dataclass(frozen=True)
class LevelOutcome:
    """What one solve of one level gave."""

    feasible: bool
    proven_optimal: bool
    value: float | None
    bound: float | None
    gap: float | None
    seconds: float
    proven_infeasible: bool = False
    """True when the solver proved no plan exists (not merely found none in time)."""


def make_level_solver(settings: SolverSettings, warm_start: bool = False) -> SolverSession:
    """The solver for lexicographic levels (HiGHS fed directly, or CBC through PuLP), optionally
    starting each level from the previous plan; raises SolverUnavailable if not installed."""
    return SolverSession(settings, warm_start=warm_start)


def solve_level(f: Formulation, objective: Objective, solver: SolverSession) -> LevelOutcome:
    """Optimise one objective on the model as it stands; read nothing unless a solution exists."""
    result = solver.solve(f.problem, f.objectives[objective], maximise=objective not in MINIMISED)
    if not result.has_solution or result.value is None:
        return LevelOutcome(
            False, False, None, None, None, result.seconds, result.proven_infeasible
        )
    return LevelOutcome(
        True, result.proven_optimal, result.value, result.bound, result.gap, result.seconds
    )


def fix_level(f: Formulation, objective: Objective, value: float) -> None:
    """Keep a solved level's value while the next levels are optimised."""
    expression = f.objectives[objective]
    cname = name("lexicographic", objective.value)
    if objective in MINIMISED:
        constraint = expression <= value * (1 + MONEY_TOLERANCE) + MONEY_TOLERANCE
    else:
        integral = all(float(c).is_integer() for c in expression.values())
        constraint = expression >= (round(value) if integral else value - 1e-6)
    if cname in f.constraints:
        f.constraints[cname].constant = constraint.constant
        f.constraints[cname].sense = constraint.sense
    else:
        f.add(constraint, cname)


def release_levels(f: Formulation) -> None:
    """Make every lexicographic fixing non-binding again (before re-solving a changed model)."""
    for objective in Objective:
        cname = name("lexicographic", objective.value)
        if cname in f.constraints:
            expression = f.objectives[objective]
            most = sum(abs(c) for c in expression.values()) + abs(expression.constant) + 1.0
            loose = 0.0 if objective not in MINIMISED else most
            sense = pulp.LpConstraintLE if objective in MINIMISED else pulp.LpConstraintGE
            f.constraints[cname].constant = -loose
            f.constraints[cname].sense = sense


def read_decisions(f: Formulation) -> tuple[dict[str, int], list[Payment]]:
    """Funded items with start years and their payments per source and year, from the solution.

    A payment class's money from each source is shared among its funded items pro rata to cost.
    """
    inp = f.inputs
    funded = {i: t for (i, t), var in f.fund.items() if (var.value() or 0.0) > 0.5}
    class_cost: dict[tuple[str, int], float] = {}
    for i, t in funded.items():
        key = (inp.pay_class[i], t)
        class_cost[key] = class_cost.get(key, 0.0) + inp.cost[i]
    payments: dict[tuple[str, str, int], float] = {}
    for i, start in funded.items():
        g, d = inp.pay_class[i], inp.duration[i]
        part = inp.cost[i] / class_cost[(g, start)]
        for s in inp.sources_for[i]:
            amount = (f.pay[(g, s, start)].value() or 0.0) * part
            if amount <= VALUE_TOLERANCE * max(1.0, inp.cost[i]):
                continue
            for year in range(start, start + d):
                key = (i, s, year)
                payments[key] = payments.get(key, 0.0) + amount / d
    rows = [Payment(investment=i, source=s, year=y, amount=a) for (i, s, y), a in payments.items()]
    return funded, rows


@dataclass
class LevelsRun:
    """Levels solved so far and the decisions of the last level that found a plan."""

    levels: list[LevelResult]
    decisions: tuple[dict[str, int], list[Payment]] | None
    infeasible: bool
    stopped_early: Objective | None = None


LevelCallback = Callable[[LevelResult], None]
"""Told each objective level as soon as it is settled (the app shows the answer as it grows)."""


def run_levels(
    f: Formulation,
    objectives: tuple[Objective, ...],
    solver: SolverSession,
    on_level: LevelCallback | None = None,
) -> LevelsRun:
    """Solve each level in order, fixing each before the next, telling ``on_level`` each result.

    If a later level finds no plan within its time limit, the previous level's plan is kept and
    the run says so; if the first level is proven infeasible, there is no plan.
    """
    run = LevelsRun(levels=[], decisions=None, infeasible=False)
    for objective in objectives:
        outcome = solve_level(f, objective, solver)
        if not outcome.feasible or outcome.value is None:
            run.infeasible = outcome.proven_infeasible and run.decisions is None
            run.stopped_early = objective
            return run
        level = LevelResult(
            objective=objective,
            value=outcome.value,
            bound=outcome.bound,
            gap=outcome.gap,
            proven_optimal=outcome.proven_optimal,
            seconds=round(outcome.seconds, 4),
        )
        run.levels.append(level)
        if on_level is not None:
            on_level(level)
        run.decisions = read_decisions(f)
        fix_level(f, objective, outcome.value)
        complete_indicators(f)
    return run


def solve_prepared(
    inputs: Inputs,
    f: Formulation | None = None,
    timings: Timings | None = None,
    on_level: LevelCallback | None = None,
) -> Plan:
    """Solve prepared inputs (building the formulation unless one is given) into a Plan,
    telling ``on_level`` each objective level as soon as it is settled."""
    scenario = inputs.scenario
    started = time.perf_counter()
    run, note, phased = None, None, None
    if f is None:
        from optimizer.phasing import PHASED_NOTE, solve_through_pooled  # builds on this module

        phased = solve_through_pooled(inputs)
        if phased is not None:
            run, note = phased.run, PHASED_NOTE
            for level in run.levels if on_level is not None else ():
                on_level(level)  # only once phased: pooled values the years miss are not told
    build_seconds = 0.0 if phased is None else phased.build_seconds
    if run is None:
        if f is None:
            started_build = time.perf_counter()
            f = build(inputs)
            build_seconds += time.perf_counter() - started_build
        warm = not scenario.horizon.single_period or is_large(inputs)
        solver = make_level_solver(scenario.solver, warm_start=warm)
        run = run_levels(f, scenario.objectives, solver, on_level)
    solved = time.perf_counter()
    previous = timings or Timings()
    timing = Timings(
        prepare_seconds=previous.prepare_seconds,
        build_seconds=round(previous.build_seconds + build_seconds, 4),
        solve_seconds=round(solved - started - build_seconds, 4),
        total_seconds=round(previous.prepare_seconds + solved - started, 4),
    )
    solver_name = f"{scenario.solver.name.value}"
    if run.decisions is None:
        from optimizer.diagnose import diagnose

        if not run.infeasible:
            raise SolveTimeout(
                f"no plan found within the time limit of {scenario.solver.time_limit:g} s "
                f"for the first objective ({scenario.objectives[0].value}); raise the time limit"
            )
        return Plan(
            scenario=scenario.name,
            method=OPTIMIZER,
            status=PlanStatus.INFEASIBLE,
            solver=solver_name,
            solver_versions=solver_versions(),
            notes=(INFEASIBLE_NOTE,),
            levels=tuple(run.levels),
            timings=timing,
            diagnosis=diagnose(inputs),
        )
    funded, payments = run.decisions
    levels = run.levels
    proven = all(level.proven_optimal for level in levels) and run.stopped_early is None
    message: Message | None = note
    if run.stopped_early is not None:
        floor = scenario.floor_for(inputs.dataset.criteria.size)
        stopped = objective_message(run.stopped_early, floor)
        message = msg("note.level_stopped", objective=stopped)
    elif not proven:
        message = note or NOT_PROVEN_NOTE  # the status (feasible) and the gaps say the rest
    return assemble_plan(
        inputs,
        funded,
        payments,
        method=OPTIMIZER,
        status=PlanStatus.OPTIMAL if proven else PlanStatus.FEASIBLE,
        solver=solver_name,
        solver_versions=solver_versions(),
        levels=tuple(levels),
        timings=timing,
        notes=() if message is None else (message,),
    )


def solve(dataset: Dataset, scenario: Scenario, on_level: LevelCallback | None = None) -> Plan:
    """Choose items, years and sources to optimise the scenario's objectives in order, telling
    ``on_level`` each objective level as soon as it is settled."""
    started = time.perf_counter()
    inputs = prepare(dataset, scenario)
    prepared = Timings(prepare_seconds=round(time.perf_counter() - started, 4))
    return solve_prepared(inputs, timings=prepared, on_level=on_level)
