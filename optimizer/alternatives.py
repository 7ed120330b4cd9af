"""Near-optimal alternatives (modelling to generate alternatives): several good plans that differ.

From a solved scenario (the *optimum*), each alternative is found on a fresh formulation with a few
more rows and one more objective (the MGA step of PyPSA's ``optimize_mga``, applied to our MILP):

  near_optimal:        lead ≥ v* − τ   (lead = the scenario's first objective, v* its value in the
                       optimum, τ the tolerance in its unit; ``≤ v* + τ`` for least cost)
  differs[j]:          new[j] ≥ 1       for every earlier plan j (the optimum and each alternative
                       found before), where new[j] = Σ_{c ∉ S_j} std[c,T̄] counts the communes the
                       alternative brings to standard that plan j does not (S_j: plan j's communes
                       at standard). A plan that only drops communes of an earlier plan is no new
                       option: it is dominated on communes at standard.

and then one objective, before the scenario's other objectives in their order (lexicographic, as
for any plan):

  diverse (no lean):   maximise z subject to z ≤ new[j] for every earlier plan j — the smallest
                       number of communes at standard that the alternative has and an earlier plan
                       lacks (max-min diversity: each new plan as unlike every earlier one as the
                       tolerance allows);
  a lean:              maximise the lean's measure (:class:`Lean`) among the plans that differ.

``new[j]`` counts only std variables at 1, which the coverage rows prove, so a difference the model
claims is a difference the plan has. When a differs row makes the model infeasible, no further
plan within the tolerance brings a new commune to standard: the set is complete, and says so.
All solves go through ``optimizer.solve`` (solve_level, run_levels, make_level_solver).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import StrEnum

import pulp
from pydantic import Field

from models.base import FrozenModel
from models.dataset import Dataset
from models.investment import InvestmentKind
from models.messages import msg
from models.scenario import Objective, Scenario
from optimizer.assemble import assemble_plan
from optimizer.formulation import Formulation, build, complete_indicators, is_large
from optimizer.inputs import Inputs, prepare
from optimizer.names import name
from optimizer.plan import Plan, PlanStatus, Timings
from optimizer.solve import (
    MINIMISED,
    MONEY_TOLERANCE,
    make_level_solver,
    read_decisions,
    run_levels,
    solve_level,
    solve_prepared,
)

DEFAULT_OPTIONS = 4
MAX_OPTIONS = 12
POOREST_SHARE = 1 / 3
"""The poorest districts (or communes): this share of them, by multidimensional poverty rate."""


class Lean(StrEnum):
    """A named preference an alternative leans toward (within the tolerance)."""

    BORDER = "border"
    """Most border communes at standard."""
    EXTREMELY_DIFFICULT = "extremely_difficult"
    """Most extremely difficult communes at standard."""
    POOREST = "poorest"
    """Most communes at standard in the poorest districts: the third of districts with the highest
    poverty rate (households-weighted). A package without districts: the poorest third of its
    communes, and the option's note says so."""
    LIVELIHOOD = "livelihood"
    """Livelihood over infrastructure: the least money on infrastructure works."""
    DISTRICTS = "districts"
    """Fewest districts left without a new commune at standard (most districts with one)."""


DIVERSE = "diverse"
"""The ask of an alternative without a lean: differ most from the earlier plans."""


class LeanUnsupported(ValueError):
    """The data package cannot support a lean (no districts, no border commune, …)."""


class _Level(StrEnum):
    """Keys of the alternatives' own objectives in ``Formulation.objectives`` (all maximised; the
    livelihood lean maximises minus the infrastructure money)."""

    DIVERSE = "option_diverse"
    LEAN = "option_lean"


class Option(FrozenModel):
    """One plan of an option set: the optimum or an alternative."""

    label: str = Field(description="'optimum', 'option_1', 'option_2', …")
    ask: str = Field(description="'optimum', 'diverse' or a Lean value.")
    plan: Plan
    lead_value: float = Field(description="The leading objective's value in this plan.")
    new_communes: int | None = Field(
        default=None,
        description="Fewest communes at standard here that an earlier plan lacks (alternatives).",
    )
    measure: float | None = Field(default=None, description="The lean's measure, if leaning.")
    seconds: float = 0.0


class OptionSet(FrozenModel):
    """The optimum and its alternatives, with what was asked and why the set may be short."""

    scenario: str
    lead: Objective
    tolerance: float
    requested: int
    leans: tuple[Lean, ...] = ()
    options: tuple[Option, ...] = Field(description="The optimum first, then the alternatives.")
    complete: bool = Field(
        default=False,
        description="Proven: no further plan within the tolerance differs from these.",
    )
    stopped: str = Field(default="", description="Why fewer alternatives than requested.")
    notes: tuple[str, ...] = Field(default=(), description="E.g. a lean's stand-in grouping.")
    seconds: float = 0.0

    @property
    def optimum(self) -> Option:
        return self.options[0]

    @property
    def alternatives(self) -> tuple[Option, ...]:
        return self.options[1:]

    def plans(self) -> dict[str, Plan]:
        """Label → plan, the optimum first."""
        return {o.label: o.plan for o in self.options}


OptionCallback = Callable[[Option], None]


def lead_value(plan: Plan, objective: Objective, years: tuple[int, ...]) -> float:
    """The leading objective's value, recomputed from the plan's outcomes (not the solver's)."""
    k = plan.kpis
    if k is None:
        raise ValueError("an infeasible plan has no value")
    if objective == Objective.COMMUNES_AT_STANDARD:
        return float(k.at_standard_after)
    if objective == Objective.COMMUNES_AT_FLOOR:
        return float(k.at_floor_after)
    if objective == Objective.CRITERIA_MET:
        return float(k.criteria_met_after)
    if objective == Objective.LEAST_COST:
        return float(k.money_total)
    counted = [c for c in plan.communes if c.counted and c.at_standard_after]
    return float(
        sum(
            1
            for t in years
            for c in counted
            if c.year_at_standard is None or c.year_at_standard <= t
        )
    )


def within_tolerance(value: float, best: float, objective: Objective, tolerance: float) -> bool:
    """Whether ``value`` of the leading objective is at most ``tolerance`` worse than ``best``."""
    if objective in MINIMISED:
        return value <= best + tolerance + MONEY_TOLERANCE * max(1.0, abs(best))
    return value >= best - tolerance - 1e-6


# -- groups for leans --------------------------------------------------------------------------
def lean_group(inputs: Inputs, lean: Lean) -> tuple[frozenset[str], str]:
    """The counted communes a group lean favours, and a note when a stand-in grouping is used.

    Raises LeanUnsupported when the package has no such commune (or none can change).
    """
    dataset = inputs.dataset
    counted = [dataset.commune_by_code[c] for c in inputs.counted]
    note = ""
    if lean in (Lean.BORDER, Lean.EXTREMELY_DIFFICULT):
        group = frozenset(c.code for c in counted if getattr(c, lean.value))
        what = "border" if lean == Lean.BORDER else "extremely difficult"
        if not group:
            raise LeanUnsupported(
                f"lean {lean.value!r}: the data package {dataset.info.name!r} has no {what} commune"
            )
    elif lean == Lean.POOREST:
        group, note = _poorest(dataset, counted)
    else:
        raise ValueError(f"lean {lean.value!r} is not a commune group")
    if not any(c in inputs.open_pairs and c in inputs.can_reach_standard for c in group):
        raise LeanUnsupported(
            f"lean {lean.value!r}: none of the {len(group)} communes it favours can change "
            "standard in any plan (all already at standard, or gaps no item closes)"
        )
    return group, note


def _poorest(dataset: Dataset, counted: list) -> tuple[frozenset[str], str]:
    districts: dict[str, list] = {}
    for c in counted:
        if c.district:
            districts.setdefault(c.district, []).append(c)
    if districts:
        rate = {
            d: sum(c.poverty_rate * c.households for c in cs)
            / max(1, sum(c.households for c in cs))
            for d, cs in districts.items()
        }
        n = max(1, math.ceil(len(rate) * POOREST_SHARE))
        poorest = sorted(rate, key=lambda d: (-rate[d], d))[:n]
        group = frozenset(c.code for d in poorest for c in districts[d])
        return group, ""
    n = max(1, math.ceil(len(counted) * POOREST_SHARE))
    poorest_communes = sorted(counted, key=lambda c: (-c.poverty_rate, c.code))[:n]
    note = (
        f"lean 'poorest': the data package {dataset.info.name!r} has no districts, so the "
        f"poorest third of its communes ({n} of {len(counted)}, by poverty rate) stand in"
    )
    return frozenset(c.code for c in poorest_communes), note


def check_leans(inputs: Inputs, leans: tuple[Lean, ...]) -> list[str]:
    """Raise LeanUnsupported for a lean the package cannot support; return the notes of the rest."""
    notes = []
    for lean in dict.fromkeys(leans):
        if lean in (Lean.BORDER, Lean.EXTREMELY_DIFFICULT, Lean.POOREST):
            _, note = lean_group(inputs, lean)
            if note:
                notes.append(note)
        elif lean == Lean.DISTRICTS and not _new_by_district(inputs):
            raise LeanUnsupported(
                f"lean 'districts': the data package {inputs.dataset.info.name!r} has no districts "
                "(communes after the 2025 reform belong to none); choose another lean"
            )
        elif lean == Lean.LIVELIHOOD and not any(
            inputs.dataset.investment_by_code[i].kind == InvestmentKind.INFRASTRUCTURE
            for i in inputs.items
        ):
            raise LeanUnsupported("lean 'livelihood': the scenario can fund no infrastructure work")
    return notes


def _new_by_district(inputs: Inputs) -> dict[str, list[str]]:
    """District → its counted communes not at standard today that could reach it."""
    dataset = inputs.dataset
    grouped: dict[str, list[str]] = {}
    for code in inputs.counted:
        commune = dataset.commune_by_code[code]
        if commune.district and not dataset.at_standard(code):
            grouped.setdefault(commune.district, []).append(code)
    return grouped


# -- the added rows and objectives ------------------------------------------------------------
def define_near_optimal(f: Formulation, lead: Objective, best: float, tolerance: float) -> None:
    """near_optimal: lead ≥ v* − τ (lead ≤ v* + τ when the lead is least cost)."""
    expression = f.objectives[lead]
    if lead in MINIMISED:
        limit = best + tolerance + MONEY_TOLERANCE * max(1.0, abs(best))
        f.add(expression <= limit, name("near_optimal", lead.value))
    else:
        integral = all(float(c).is_integer() for c in expression.values())
        limit = (round(best) if integral else best - 1e-6) - tolerance
        f.add(expression >= limit, name("near_optimal", lead.value))


def new_communes(f: Formulation, earlier: frozenset[str]) -> pulp.LpAffineExpression:
    """new[j] = Σ_{c ∉ S_j} std[c,T̄]: communes at standard here that plan j does not have."""
    end = f.inputs.end
    counted = set(f.inputs.counted)
    return pulp.LpAffineExpression(
        [
            (var, 1.0)
            for (c, t), var in f.std.items()
            if t == end and c in counted and c not in earlier
        ]
    )


def define_differs(f: Formulation, earlier: list[frozenset[str]]) -> None:
    """differs[j]: new[j] ≥ 1 for every earlier plan j."""
    for j, codes in enumerate(earlier):
        f.add(new_communes(f, codes) >= 1, name("differs", j))


def define_diversity(f: Formulation, earlier: list[frozenset[str]]) -> None:
    """diverse[j]: z ≤ new[j]; objective z (the fewest new communes against any earlier plan)."""
    z = f.problem.add_variable("option_min_new", 0, None)
    for j, codes in enumerate(earlier):
        f.add(new_communes(f, codes) - z >= 0, name("diverse", j))
    f.objectives[_Level.DIVERSE] = pulp.LpAffineExpression([(z, 1.0)])  # type: ignore[index]


def define_lean(f: Formulation, lean: Lean) -> None:
    """The lean's measure as a maximised objective (see :class:`Lean`)."""
    inp = f.inputs
    end = inp.end
    if lean == Lean.LIVELIHOOD:
        infrastructure = [
            (var, -inp.cost[i])
            for (i, _t), var in f.fund.items()
            if inp.dataset.investment_by_code[i].kind == InvestmentKind.INFRASTRUCTURE
        ]
        expression = pulp.LpAffineExpression(infrastructure)
    elif lean == Lean.DISTRICTS:
        terms = []
        for district, codes in sorted(_new_by_district(inp).items()):
            stds = [(f.std[(c, end)], 1.0) for c in codes if (c, end) in f.std]
            if not stds:
                continue
            has = f.problem.add_variable(name("option_district", district), 0, 1)
            f.add(pulp.LpAffineExpression([*stds, (has, -1.0)]) >= 0, name("has_new", district))
            terms.append((has, 1.0))
        expression = pulp.LpAffineExpression(terms)
    else:
        group, _ = lean_group(inp, lean)
        constant = sum(1 for c in group if c not in inp.open_pairs and c in inp.can_reach_standard)
        expression = pulp.LpAffineExpression(
            [(var, 1.0) for (c, t), var in f.std.items() if t == end and c in group], constant
        )
    f.objectives[_Level.LEAN] = expression  # type: ignore[index]


def lean_measure(dataset: Dataset, inputs: Inputs, plan: Plan, lean: Lean) -> float:
    """The lean's measure recomputed from a plan (so options can be compared on it)."""
    if lean == Lean.LIVELIHOOD:
        return -sum(
            item.cost
            for item in plan.items
            if dataset.investment_by_code[item.investment].kind == InvestmentKind.INFRASTRUCTURE
        )
    at_standard = plan.at_standard_codes()
    if lean == Lean.DISTRICTS:
        return float(
            sum(1 for codes in _new_by_district(inputs).values() if at_standard & set(codes))
        )
    group, _ = lean_group(inputs, lean)
    return float(len(at_standard & group))


# -- the generator ----------------------------------------------------------------------------
def generate_options(
    dataset: Dataset,
    scenario: Scenario,
    k: int = DEFAULT_OPTIONS,
    tolerance: float = 0.0,
    leans: tuple[Lean, ...] = (),
    optimum: Plan | None = None,
    on_option: OptionCallback | None = None,
) -> OptionSet:
    """The optimum and up to ``k`` alternatives within ``tolerance`` of it on the leading objective.

    Alternative n leans toward ``leans[(n-1) % len(leans)]``, or (no lean) differs most from the
    earlier plans. ``optimum``: the scenario's plan if already solved. Raises ValueError for bad
    arguments or an infeasible scenario, LeanUnsupported for a lean the data cannot support, and
    SolveTimeout when the optimum itself finds no plan in time.
    """
    if not 1 <= k <= MAX_OPTIONS:
        raise ValueError(f"the number of alternatives must be from 1 to {MAX_OPTIONS}, not {k}")
    if not math.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"the tolerance must be a number ≥ 0, not {tolerance}")
    started = time.perf_counter()
    inputs = prepare(dataset, scenario)
    notes = check_leans(inputs, leans)
    lead = scenario.objectives[0]
    if optimum is None:
        optimum = solve_prepared(inputs)
    if not optimum.feasible or not optimum.levels:
        raise ValueError(
            f"scenario {scenario.name!r} is infeasible: there is no optimum to find options near"
        )
    best = optimum.levels[0].value
    first = Option(
        label="optimum",
        ask="optimum",
        plan=optimum,
        lead_value=lead_value(optimum, lead, inputs.years),
        seconds=optimum.timings.total_seconds,
    )
    options = [first]
    if on_option is not None:
        on_option(first)
    complete, stopped = False, ""
    for n in range(1, k + 1):
        lean = leans[(n - 1) % len(leans)] if leans else None
        option, why = _alternative(inputs, lead, best, tolerance, options, lean, f"option_{n}")
        if option is None:
            complete = why == "complete"
            stopped = (
                f"only {n - 1} alternative(s) of {k}: no other plan within the tolerance brings a "
                "commune to standard that the plans above do not"
                if complete
                else f"only {n - 1} alternative(s) of {k}: {why}"
            )
            break
        options.append(option)
        if on_option is not None:
            on_option(option)
    return OptionSet(
        scenario=scenario.name,
        lead=lead,
        tolerance=tolerance,
        requested=k,
        leans=leans,
        options=tuple(options),
        complete=complete,
        stopped=stopped,
        notes=tuple(notes),
        seconds=round(time.perf_counter() - started, 3),
    )


def _alternative(
    inputs: Inputs,
    lead: Objective,
    best: float,
    tolerance: float,
    earlier: list[Option],
    lean: Lean | None,
    label: str,
) -> tuple[Option | None, str]:
    """One alternative, or None with 'complete' (proven none) or the reason none was found."""
    started = time.perf_counter()
    scenario = inputs.scenario
    f = build(inputs)
    sets = [o.plan.at_standard_codes() for o in earlier]
    define_near_optimal(f, lead, best, tolerance)
    define_differs(f, sets)
    if lean is None:
        define_diversity(f, sets)
        key = _Level.DIVERSE
    else:
        define_lean(f, lean)
        key = _Level.LEAN
    warm = not scenario.horizon.single_period or is_large(inputs)
    solver = make_level_solver(scenario.solver, warm_start=warm)
    outcome = solve_level(f, key, solver)  # type: ignore[arg-type]
    if not outcome.feasible or outcome.value is None:
        if outcome.proven_infeasible:
            return None, "complete"
        return None, (
            f"no further plan found within the time limit of {scenario.solver.time_limit:g} s"
        )
    decisions = read_decisions(f)
    _fix_own_level(f, key, outcome.value)
    complete_indicators(f)
    rest = tuple(o for o in scenario.objectives if o != lead)
    run = run_levels(f, rest, solver)
    funded, payments = run.decisions or decisions
    proven = outcome.proven_optimal and all(lv.proven_optimal for lv in run.levels)
    proven = proven and run.stopped_early is None
    seconds = round(time.perf_counter() - started, 4)
    plan = assemble_plan(
        inputs,
        funded,
        payments,
        method=f"option:{lean.value if lean else DIVERSE}",
        status=PlanStatus.OPTIMAL if proven else PlanStatus.FEASIBLE,
        solver=scenario.solver.name.value,
        levels=tuple(run.levels),
        timings=Timings(solve_seconds=seconds, total_seconds=seconds),
        notes=(
            msg(
                "note.alternative",
                tolerance=f"{tolerance:g}",
                best=f"{best:g}",
                lead=lead.value,
                key=key.value,
                value=f"{outcome.value:g}",
            ),
        ),
    )
    codes = plan.at_standard_codes()
    fewest_new = min(len(codes - s) for s in sets)
    if fewest_new < 1:  # the differs rows forbid this; a slip must not pass as an option
        raise RuntimeError(f"{label}: the alternative repeats an earlier plan's communes")
    measure = None if lean is None else lean_measure(inputs.dataset, inputs, plan, lean)
    return (
        Option(
            label=label,
            ask=lean.value if lean else DIVERSE,
            plan=plan,
            lead_value=lead_value(plan, lead, inputs.years),
            new_communes=fewest_new,
            measure=measure,
            seconds=seconds,
        ),
        "",
    )


def _fix_own_level(f: Formulation, key: _Level, value: float) -> None:
    """Keep the diversity or lean value while the scenario's other objectives are optimised."""
    expression = f.objectives[key]  # type: ignore[index]
    integral = all(float(c).is_integer() for c in expression.values())
    limit = round(value) if integral else value - MONEY_TOLERANCE * max(1.0, abs(value))
    f.add(expression >= limit, name("option_level", key.value))


__all__ = [
    "DEFAULT_OPTIONS",
    "DIVERSE",
    "MAX_OPTIONS",
    "Lean",
    "LeanUnsupported",
    "Option",
    "OptionSet",
    "generate_options",
    "lead_value",
    "lean_measure",
    "within_tolerance",
]
