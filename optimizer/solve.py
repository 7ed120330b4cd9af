"""Solve a formulation level by level (lexicographic objectives) and turn it into a Plan.

Each level optimises one objective, then fixes it at its optimum (or, after a time limit, at the
best value found — the level reports its gap) before the next. Status is checked before any value
is read; an infeasible scenario yields a Plan with a diagnosis, never a plausible-looking plan.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import pulp

from models.dataset import Dataset
from models.scenario import Objective, Scenario, Solver, SolverSettings
from optimizer.assemble import assemble_plan
from optimizer.formulation import Formulation, build, complete_indicators, is_large
from optimizer.highs_direct import HighsDirect
from optimizer.inputs import Inputs, prepare
from optimizer.names import name
from optimizer.plan import LevelResult, Payment, Plan, PlanStatus, Timings
from optimizer.threads import usable_threads

MINIMISED = frozenset({Objective.LEAST_COST})
MONEY_TOLERANCE = 1e-6
"""Relative slack when a money level (least cost) is fixed before the next level."""
TIME_LIMIT_NOTE = "A level stopped at its time limit; see the gaps."
VALUE_TOLERANCE = 1e-6
"""Values below this are zero when payments are read from the solver."""


class SolveTimeout(RuntimeError):
    """No plan at all was found within the time limit (not a proof of infeasibility)."""


class SolverUnavailable(RuntimeError):
    """The requested solver is not installed; never silently replaced by another."""


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


def make_solver(settings: SolverSettings) -> pulp.LpSolver:
    """A PuLP solver object for the settings; raises SolverUnavailable if it is not installed."""
    options = {"msg": False, "timeLimit": settings.time_limit, "gapRel": settings.relative_gap}
    if settings.threads:
        options["threads"] = usable_threads(settings.threads)
    solver = (
        pulp.HiGHS(**options)
        if settings.name == Solver.HIGHS
        else pulp.COIN_CMD(path=pulp.apis.coin_api.pulp_cbc_path, **options)
    )
    if not solver.available():
        raise SolverUnavailable(f"solver {settings.name.value} is not available on this machine")
    return solver


def make_level_solver(
    settings: SolverSettings, warm_start: bool = False
) -> pulp.LpSolver | HighsDirect:
    """The solver for lexicographic levels: HiGHS fed directly (optionally starting each level
    from the previous plan), or CBC through PuLP."""
    if settings.name == Solver.HIGHS:
        return HighsDirect(settings, warm_start=warm_start)
    return make_solver(settings)


def solve_level(
    f: Formulation, objective: Objective, solver: pulp.LpSolver | HighsDirect
) -> LevelOutcome:
    """Optimise one objective on the model as it stands; read nothing unless a solution exists."""
    if isinstance(solver, HighsDirect):
        return _solve_level_direct(f, objective, solver)
    prob = f.problem
    prob.sense = pulp.LpMinimize if objective in MINIMISED else pulp.LpMaximize
    prob.setObjective(f.objectives[objective])
    started = time.perf_counter()
    prob.solve(solver)
    seconds = time.perf_counter() - started
    has_solution = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    if prob.status != pulp.LpStatusOptimal or not has_solution:
        infeasible = prob.status == pulp.LpStatusInfeasible
        return LevelOutcome(False, False, None, None, None, seconds, proven_infeasible=infeasible)
    value = float(pulp.value(f.objectives[objective]) or 0.0)
    proven = prob.sol_status == pulp.LpSolutionOptimal
    bound, gap = _bound_and_gap(prob, objective, value, proven)
    return LevelOutcome(True, proven, value, bound, gap, seconds)


def _solve_level_direct(f: Formulation, objective: Objective, solver: HighsDirect) -> LevelOutcome:
    expression = f.objectives[objective]
    result = solver.solve(
        f, list(f.constraints.values()), expression, maximise=objective not in MINIMISED
    )
    if not result.has_solution:
        return LevelOutcome(
            False,
            False,
            None,
            None,
            None,
            result.seconds,
            proven_infeasible=result.proven_infeasible,
        )
    value = float(pulp.value(expression) or 0.0)
    bound = result.objective_bound
    if bound is None:
        gap = 0.0 if result.proven_optimal else None
        bound = value if result.proven_optimal else None
    else:
        gap = abs(bound - value) / max(1.0, abs(value))
    return LevelOutcome(True, result.proven_optimal, value, bound, gap, result.seconds)


def _bound_and_gap(
    prob: pulp.LpProblem, objective: Objective, value: float, proven: bool
) -> tuple[float | None, float | None]:
    model = getattr(prob, "solverModel", None)
    if model is not None and hasattr(model, "getInfo"):
        info = model.getInfo()
        constant = prob.objective.constant
        bound = float(info.mip_dual_bound)
        if math.isfinite(bound):
            bound = (bound + constant) if objective in MINIMISED else (-bound + constant)
            gap = abs(bound - value) / max(1.0, abs(value))
            return bound, (0.0 if proven and gap < 1e-9 else gap)
    return (value, 0.0) if proven else (None, None)


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
            loose = 0.0 if objective not in MINIMISED else sum(f.inputs.cost.values()) + 1.0
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
    solver: pulp.LpSolver,
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
    run, note, phased = None, "", None
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
            method="optimizer",
            status=PlanStatus.INFEASIBLE,
            solver=solver_name,
            message="The scenario's hard constraints cannot all hold.",
            levels=tuple(run.levels),
            timings=timing,
            diagnosis=diagnose(inputs),
        )
    funded, payments = run.decisions
    levels = run.levels
    proven = all(level.proven_optimal for level in levels) and run.stopped_early is None
    message = note
    if run.stopped_early is not None:
        message = (
            f"Level {run.stopped_early.value} found no plan within the time limit; "
            "the plan of the previous level is kept."
        )
    elif not proven:
        message = TIME_LIMIT_NOTE
    return assemble_plan(
        inputs,
        funded,
        payments,
        method="optimizer",
        status=PlanStatus.OPTIMAL if proven else PlanStatus.FEASIBLE,
        solver=solver_name,
        levels=tuple(levels),
        timings=timing,
        message=message,
    )


def solve(dataset: Dataset, scenario: Scenario, on_level: LevelCallback | None = None) -> Plan:
    """Choose items, years and sources to optimise the scenario's objectives in order, telling
    ``on_level`` each objective level as soon as it is settled."""
    started = time.perf_counter()
    inputs = prepare(dataset, scenario)
    prepared = Timings(prepare_seconds=round(time.perf_counter() - started, 4))
    return solve_prepared(inputs, timings=prepared, on_level=on_level)
