"""One interface for every solve: a model, an objective and a backend give a checked result.

``solve_model(model, objective, maximise, backend, start=None)`` is the only way the product
solves anything (levels, diagnosis, counterfactuals and explanations, frontier points, phasing).
The model's columns are its variables by position and its rows its constraints by position
(ModelMatrix); names are labels only. Two backends give the same raw answer: HiGHS fed the
matrix directly (optimizer/highs_direct.py) and CBC through PuLP (CbcBackend).

Every answer is checked before it is used: the values read back must lie within their bounds,
be whole where the column is integer and satisfy every row; the objective is recomputed from
them and must agree with the value and bound the solver reported. An answer that does not check
is solved again cold (without a start); if it still does not check, or the solver refuses the
model or fails, SolverError is raised with the solver's own words, never an empty plan. The
status, gap and value logic lives here once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import metadata
from typing import Protocol

import numpy as np
import pulp

from models.scenario import Solver, SolverSettings
from optimizer.names import order_key
from optimizer.threads import usable_threads

OPTIMALITY_GAP = 1e-6
"""A level is proven optimal only when the solver says so and its relative gap
|bound − value| / max(1, |value|) is at most this (a zero gap within rounding)."""
AGREEMENT = 1e-6
"""Relative tolerance between the objective recomputed from the values and the one reported."""
FEASIBILITY = 1e-6
"""Relative tolerance (on max(1, |bound|, |activity|)) for a row or a column bound."""
INTEGRALITY = 1e-5
"""Most distance from a whole number for an integer column."""
LARGEST = 1e15
"""Coefficients from this size on are refused (HiGHS refuses them itself; CBC answers wrongly,
e.g. infeasible for a model where funding nothing is a plan)."""


class SolverError(RuntimeError):
    """The solver refused the model, failed, or answered with values that do not check.

    The message holds the solver's own words; the command line exits with code 4.
    """


class SolverUnavailable(RuntimeError):
    """The requested solver is not installed; never silently replaced by another."""


def solver_versions() -> dict[str, str]:
    """The solver packages this machine solves with, recorded in every plan."""
    versions = {}
    for package in ("highspy", "pulp"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


@dataclass(frozen=True)
class RawAnswer:
    """What a backend's solver said, before any check."""

    has_solution: bool
    optimal: bool
    """The solver's status says optimal (within the gap it was asked for)."""
    infeasible: bool
    values: np.ndarray | None
    objective: float | None
    """The objective the solver reported (None when it reports none)."""
    bound: float | None
    """The best bound the solver proved (None when unknown)."""
    seconds: float


@dataclass(frozen=True)
class SolveResult:
    """A checked answer: values by column position and the status, value, bound and gap."""

    has_solution: bool
    proven_optimal: bool
    proven_infeasible: bool
    value: float | None
    """The objective recomputed from the values."""
    bound: float | None
    gap: float | None
    seconds: float
    values: np.ndarray | None = None
    solved_again_cold: bool = False
    """The first answer did not check and the model was solved again without a start."""


class ModelMatrix:
    """A PuLP problem as arrays: columns and rows by position, found by object identity.

    Rows are appended as the problem grows (lexicographic fixings, phasing rows); their bounds are
    read again at every solve (frontier sweeps change right-hand sides in place).
    """

    def __init__(self, problem: pulp.LpProblem) -> None:
        self.problem = problem
        self.columns: list[pulp.LpVariable] = []
        self._variables: list[pulp.LpVariable] = []
        self.position: dict[int, int] = {}
        self.rows: list[pulp.LpConstraint] = []
        self.starts = np.zeros(1, dtype=np.int32)
        self.indices = np.zeros(0, dtype=np.int32)
        self.values = np.zeros(0, dtype=np.float64)
        self.sync()

    def sync(self) -> None:
        """Take in the problem's new columns and rows (a new column rebuilds the matrix)."""
        variables = self.problem.variables()
        if len(variables) != len(self._variables) or any(
            a is not b for a, b in zip(variables, self._variables, strict=True)
        ):
            self._variables = list(variables)
            self.columns = sorted(variables, key=lambda v: order_key(v.name))
            self.position = {id(v): j for j, v in enumerate(self.columns)}
            self.rows = []
            self.starts = np.zeros(1, dtype=np.int32)
            self.indices = np.zeros(0, dtype=np.int32)
            self.values = np.zeros(0, dtype=np.float64)
        constraints = self.problem.constraints()
        new = constraints[len(self.rows) :]
        if not new:
            return
        starts, indices, values = [], [], []
        count = len(self.indices)
        for row in new:
            for var, coefficient in row.items():
                if coefficient:
                    indices.append(self.position[id(var)])
                    values.append(coefficient)
            starts.append(count + len(indices))
        self.starts = np.concatenate([self.starts, np.asarray(starts, dtype=np.int32)])
        self.indices = np.concatenate([self.indices, np.asarray(indices, dtype=np.int32)])
        self.values = np.concatenate([self.values, np.asarray(values, dtype=np.float64)])
        self.rows += new

    def column_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lower = [-np.inf if v.lowBound is None else v.lowBound for v in self.columns]
        upper = [np.inf if v.upBound is None else v.upBound for v in self.columns]
        return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lower = [-np.inf if (lb := r.getLb()) is None else lb for r in self.rows]
        upper = [np.inf if (ub := r.getUb()) is None else ub for r in self.rows]
        return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)

    def integer(self) -> np.ndarray:
        return np.asarray([v.cat == pulp.LpInteger for v in self.columns], dtype=bool)

    def costs(self, objective: pulp.LpAffineExpression) -> np.ndarray:
        costs = np.zeros(len(self.columns))
        for var, coefficient in objective.items():
            if not coefficient:
                continue  # PuLP adds a zero-cost __dummy to an empty objective it writes out
            j = self.position.get(id(var))
            if j is None:
                raise SolverError(f"the objective uses {var.name}, which no constraint holds")
            costs[j] += coefficient
        return costs

    def activity(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each row's value at ``x`` and the sum of its terms' magnitudes (for tolerances)."""
        rows = np.repeat(np.arange(len(self.rows)), np.diff(self.starts))
        terms = self.values * x[self.indices]
        size = len(self.rows)
        return (
            np.bincount(rows, weights=terms, minlength=size),
            np.bincount(rows, weights=np.abs(terms), minlength=size),
        )

    def out_of_range(self, objective: pulp.LpAffineExpression) -> str | None:
        """The first coefficient or right-hand side too large to solve (LARGEST), in words."""
        big = np.flatnonzero(np.abs(self.values) >= LARGEST)
        if big.size:
            k = int(big[0])
            row = int(np.searchsorted(self.starts, k, side="right")) - 1
            column = self.columns[int(self.indices[k])]
            return (
                f"row {self.rows[row].name} has the coefficient {self.values[k]:g} for "
                f"{column.name}, beyond what the solvers represent ({LARGEST:g})"
            )
        costs = self.costs(objective)
        big = np.flatnonzero(np.abs(costs) >= LARGEST)
        if big.size:
            j = int(big[0])
            return (
                f"the objective's coefficient {costs[j]:g} for {self.columns[j].name} is too large"
            )
        low, high = self.row_bounds()
        for bounds in (low, high):
            big = np.flatnonzero(np.isfinite(bounds) & (np.abs(bounds) >= LARGEST))
            if big.size:
                i = int(big[0])
                return f"row {self.rows[i].name} has the bound {bounds[i]:g}, too large to solve"
        return None

    def trouble(self, x: np.ndarray) -> str | None:
        """The first way ``x`` breaks the model, in words (names as labels), or None."""
        if x.shape != (len(self.columns),) or not np.isfinite(x).all():
            return f"the solver gave {x.size} values, not {len(self.columns)} finite ones"
        lower, upper = self.column_bounds()
        scale = np.maximum(1.0, np.abs(x))
        bad = np.flatnonzero((x < lower - FEASIBILITY * scale) | (x > upper + FEASIBILITY * scale))
        if bad.size:
            v = self.columns[bad[0]]
            return f"{v.name} = {x[bad[0]]:g} is outside [{lower[bad[0]]:g}, {upper[bad[0]]:g}]"
        whole = self.integer() & (np.abs(x - np.round(x)) > INTEGRALITY)
        if whole.any():
            j = int(np.flatnonzero(whole)[0])
            return f"{self.columns[j].name} = {x[j]:g} is not whole"
        activity, magnitude = self.activity(x)
        low, high = self.row_bounds()
        tol = FEASIBILITY * np.maximum.reduce(
            [np.ones_like(activity), magnitude, np.abs(np.nan_to_num(low, posinf=0, neginf=0))]
        )
        broken = np.flatnonzero((activity < low - tol) | (activity > high + tol))
        if broken.size:
            i = int(broken[0])
            return f"row {self.rows[i].name} is {activity[i]:g}, outside [{low[i]:g}, {high[i]:g}]"
        return None


class Backend(Protocol):
    """A solver that answers one optimisation of a ModelMatrix (raising SolverError on failure)."""

    name: str

    def run(
        self,
        matrix: ModelMatrix,
        objective: pulp.LpAffineExpression,
        maximise: bool,
        start: np.ndarray | None,
    ) -> RawAnswer: ...


class CbcBackend:
    """CBC through PuLP: the problem is written out by PuLP (which renames columns and rows
    itself) and the values are read back by column position."""

    name = "cbc"

    def __init__(self, settings: SolverSettings) -> None:
        self.settings = settings
        options: dict = {"msg": False, "timeLimit": settings.time_limit}
        options["gapRel"] = settings.relative_gap
        if settings.threads:
            options["threads"] = usable_threads(settings.threads)
        self._solver = pulp.COIN_CMD(path=pulp.apis.coin_api.pulp_cbc_path, **options)
        if not self._solver.available():
            raise SolverUnavailable("solver cbc is not available on this machine")

    def run(
        self,
        matrix: ModelMatrix,
        objective: pulp.LpAffineExpression,
        maximise: bool,
        start: np.ndarray | None,
    ) -> RawAnswer:
        if (too_large := matrix.out_of_range(objective)) is not None:
            raise SolverError(f"cbc cannot solve this model: {too_large}")
        prob = matrix.problem
        prob.sense = pulp.LpMaximize if maximise else pulp.LpMinimize
        prob.setObjective(objective)
        for var in matrix.columns:
            var.varValue = None
        started = time.perf_counter()
        try:
            prob.solve(self._solver)
        except pulp.PulpSolverError as error:
            raise SolverError(f"cbc failed: {error}") from error
        seconds = time.perf_counter() - started
        has_solution = prob.status == pulp.LpStatusOptimal and prob.sol_status in (
            pulp.LpSolutionOptimal,
            pulp.LpSolutionIntegerFeasible,
        )
        if prob.status == pulp.LpStatusUnbounded:
            raise SolverError("cbc: the model is unbounded")
        if not has_solution:
            return RawAnswer(
                False, False, prob.status == pulp.LpStatusInfeasible, None, None, None, seconds
            )
        values = [v.varValue for v in matrix.columns]
        used = np.bincount(matrix.indices, minlength=len(values)) > 0
        used |= matrix.costs(objective) != 0
        lower, upper = matrix.column_bounds()
        for j, value in enumerate(values):
            if value is None and used[j]:
                raise SolverError(
                    f"cbc found a plan but gave no value for {matrix.columns[j].name}"
                )
            if value is None:  # in no row and not in the objective (PuLP's own __dummy)
                values[j] = float(np.clip(0.0, lower[j], upper[j]))
        optimal = prob.sol_status == pulp.LpSolutionOptimal
        # CBC asked for a zero gap and stopping optimal proves the value; with a gap it does not
        # say the bound it reached, so the gap is unknown.
        bound = None
        if optimal and self.settings.relative_gap == 0:
            bound = float(np.dot(matrix.costs(objective), values)) + float(objective.constant)
        return RawAnswer(
            True, optimal, False, np.asarray(values, dtype=np.float64), None, bound, seconds
        )


def make_backend(settings: SolverSettings) -> Backend:
    """The backend for the settings' solver; raises SolverUnavailable if it is not installed."""
    if settings.name == Solver.HIGHS:
        from optimizer.highs_direct import HighsBackend

        return HighsBackend(settings)
    return CbcBackend(settings)


def other_solver(settings: SolverSettings) -> SolverSettings:
    """The same settings with the other solver (HiGHS ↔ CBC), for an audit."""
    other = Solver.CBC if settings.name == Solver.HIGHS else Solver.HIGHS
    return settings.model_copy(update={"name": other})


def _empty(matrix: ModelMatrix, objective: pulp.LpAffineExpression) -> SolveResult:
    """No column at all: the only plan sets nothing; feasible only if every row holds at zero."""
    lower, upper = matrix.row_bounds()
    if (lower > FEASIBILITY).any() or (upper < -FEASIBILITY).any():
        return SolveResult(False, False, True, None, None, None, 0.0)
    value = float(objective.constant)
    return SolveResult(True, True, False, value, value, 0.0, 0.0, np.zeros(0))


def _checked(
    answer: RawAnswer,
    matrix: ModelMatrix,
    objective: pulp.LpAffineExpression,
    maximise: bool,
) -> tuple[SolveResult, str | None]:
    """The result of a raw answer, and what is wrong with it (None when it checks)."""
    if not answer.has_solution or answer.values is None:
        result = SolveResult(False, False, answer.infeasible, None, None, None, answer.seconds)
        return result, None
    x = answer.values
    trouble = matrix.trouble(x)
    value = float(np.dot(matrix.costs(objective), x)) + float(objective.constant)
    scale = max(1.0, abs(value))
    reported = answer.objective
    if (
        trouble is None
        and reported is not None
        and abs(value - reported) > AGREEMENT * max(scale, abs(reported))
    ):
        trouble = f"the values are worth {value:g} but the solver reported {reported:g}"
    bound = answer.bound
    if bound is not None and not np.isfinite(bound):
        bound = None
    if bound is None and answer.optimal and not matrix.integer().any():
        bound = value  # an LP solved to optimality: its value is its bound
    gap = None
    if bound is not None:
        beyond = value - bound if maximise else bound - value
        if trouble is None and beyond > AGREEMENT * max(scale, abs(bound)):
            trouble = f"the values are worth {value:g}, beyond the bound {bound:g} it proved"
        gap = abs(bound - value) / scale
        if gap <= OPTIMALITY_GAP:
            gap = 0.0
    proven = answer.optimal and gap is not None and gap == 0.0
    result = SolveResult(True, proven, False, value, bound, gap, answer.seconds, x)
    return result, trouble


def solve_model(
    model: ModelMatrix | pulp.LpProblem,
    objective: pulp.LpAffineExpression,
    maximise: bool,
    backend: Backend,
    start: np.ndarray | None = None,
) -> SolveResult:
    """Optimise ``objective`` over the model with the backend, check the answer and write the
    values into the problem's variables.

    An answer that does not check is solved again cold; if it still does not, SolverError.
    """
    matrix = model if isinstance(model, ModelMatrix) else ModelMatrix(model)
    matrix.problem.sense = pulp.LpMaximize if maximise else pulp.LpMinimize
    matrix.problem.setObjective(objective)  # its columns are the problem's too
    matrix.sync()
    if not matrix.columns:
        return _empty(matrix, objective)
    answer = backend.run(matrix, objective, maximise, start)
    result, trouble = _checked(answer, matrix, objective, maximise)
    seconds = result.seconds
    if trouble is not None:
        answer = backend.run(matrix, objective, maximise, None)
        result, again = _checked(answer, matrix, objective, maximise)
        seconds += result.seconds
        if again is not None:
            raise SolverError(
                f"{backend.name} gave an answer that does not check, twice: {trouble}; "
                f"solved again without a start: {again}"
            )
        result = SolveResult(
            result.has_solution,
            result.proven_optimal,
            result.proven_infeasible,
            result.value,
            result.bound,
            result.gap,
            seconds,
            result.values,
            solved_again_cold=True,
        )
    if result.values is not None:
        for var, value in zip(matrix.columns, result.values, strict=True):
            var.varValue = float(value)
    return result


class SolverSession:
    """One backend solving one model after another, keeping each model's matrix between solves
    and, with ``warm_start``, starting each solve from the values the variables hold (the
    previous level's plan, which stays feasible once that level is fixed)."""

    def __init__(
        self, settings: SolverSettings, warm_start: bool = False, backend: Backend | None = None
    ) -> None:
        self.settings = settings
        self.warm_start = warm_start
        self.backend = backend if backend is not None else make_backend(settings)
        self.name = self.backend.name
        self._matrix: ModelMatrix | None = None
        self._solved = False

    def matrix(self, problem: pulp.LpProblem) -> ModelMatrix:
        if self._matrix is None or self._matrix.problem is not problem:
            self._matrix, self._solved = ModelMatrix(problem), False
        return self._matrix

    def solve(
        self, problem: pulp.LpProblem, objective: pulp.LpAffineExpression, maximise: bool
    ) -> SolveResult:
        matrix = self.matrix(problem)
        start = None
        if self.warm_start and self._solved:
            problem.setObjective(objective)
            matrix.sync()
            start = np.asarray([v.varValue or 0.0 for v in matrix.columns], dtype=np.float64)
        result = solve_model(matrix, objective, maximise, self.backend, start)
        self._solved = self._solved or result.has_solution
        return result
