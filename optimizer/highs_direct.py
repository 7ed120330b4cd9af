"""HiGHS fed the formulation's matrix directly, with each level started from the last plan.

PuLP's own HiGHS interface re-creates the solver model column by column and row by row at every
solve. Here the formulation (still built once, with PuLP, in formulation.py) is turned into one
row-wise matrix that is kept between solves: later solves only append new rows (lexicographic
fixings) and refresh row bounds (frontier sweeps change right-hand sides) before the matrix is
passed to a fresh HiGHS model in one call. With ``warm_start`` each level starts from the previous
level's plan, which stays feasible once that level's objective is fixed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import pulp

from models.scenario import SolverSettings
from optimizer.threads import usable_threads

INF = highspy.kHighsInf


@dataclass(frozen=True)
class DirectResult:
    """What one solve gave, in solver terms (the caller turns it into a level outcome)."""

    has_solution: bool
    proven_optimal: bool
    proven_infeasible: bool
    objective_bound: float | None
    seconds: float


class HighsDirect:
    """A HiGHS session for one formulation at a time (see the module docstring)."""

    name = "highs"

    def __init__(self, settings: SolverSettings, warm_start: bool = False) -> None:
        self.settings = settings
        self.warm_start = warm_start
        """Start each level from the previous plan. It helps hard multi-year models find good
        plans within their time limits, but slowed the pooled Sơn La levels 3-4 twofold."""
        self._matrix: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._owner: object | None = None
        self._columns: list[pulp.LpVariable] = []
        self._index: dict[str, int] = {}
        self._rows: list[pulp.LpConstraint] = []
        self._start: highspy.HighsSolution | None = None

    def available(self) -> bool:
        return True

    def _configure(self, highs: highspy.Highs) -> None:
        s = self.settings
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", float(s.time_limit))
        highs.setOptionValue("mip_rel_gap", float(s.relative_gap))
        if s.threads:
            highs.setOptionValue("threads", usable_threads(int(s.threads)))

    def _row_arrays(self, rows: list[pulp.LpConstraint]) -> tuple[np.ndarray, ...]:
        starts, indices, values = [0], [], []
        for row in rows:
            for var, coefficient in row.items():
                if coefficient:
                    indices.append(self._index[var.name])
                    values.append(coefficient)
            starts.append(len(indices))
        return (
            np.asarray(starts, dtype=np.int32),
            np.asarray(indices, dtype=np.int32),
            np.asarray(values, dtype=np.float64),
        )

    @staticmethod
    def _bounds(rows: list[pulp.LpConstraint]) -> tuple[np.ndarray, np.ndarray]:
        lower = [-INF if (lb := r.getLb()) is None else lb for r in rows]
        upper = [INF if (ub := r.getUb()) is None else ub for r in rows]
        return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)

    def _sync(
        self, owner: object, constraints: list[pulp.LpConstraint], variables: list[pulp.LpVariable]
    ) -> highspy.Highs:
        """A fresh HiGHS model of the current constraints (cached rows, refreshed bounds).

        A fresh model per level solved faster in our trials than one kept and modified.
        """
        if self._owner is not owner or len(variables) != len(self._columns):
            self._owner, self._start = owner, None
            self._columns = variables
            self._index = {v.name: j for j, v in enumerate(variables)}
            self._rows, self._matrix = (
                [],
                (np.zeros(1, dtype=np.int32), np.zeros(0, np.int32), np.zeros(0)),
            )
        new = constraints[len(self._rows) :]
        if new:
            starts, indices, values = self._row_arrays(new)
            old_starts, old_indices, old_values = self._matrix
            self._matrix = (
                np.concatenate([old_starts, starts[1:] + old_starts[-1]]),
                np.concatenate([old_indices, indices]),
                np.concatenate([old_values, values]),
            )
            self._rows += new
        lp = highspy.HighsLp()
        lp.num_col_ = len(variables)
        lp.num_row_ = len(self._rows)
        lp.col_cost_ = np.zeros(len(variables))
        lp.col_lower_ = np.asarray(
            [-INF if v.lowBound is None else v.lowBound for v in variables], dtype=np.float64
        )
        lp.col_upper_ = np.asarray(
            [INF if v.upBound is None else v.upBound for v in variables], dtype=np.float64
        )
        lp.row_lower_, lp.row_upper_ = self._bounds(self._rows)
        starts, indices, values = self._matrix
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = indices
        lp.a_matrix_.value_ = values
        lp.a_matrix_.num_col_ = len(variables)
        lp.a_matrix_.num_row_ = len(self._rows)
        lp.integrality_ = [
            highspy.HighsVarType.kInteger
            if v.cat == pulp.LpInteger
            else highspy.HighsVarType.kContinuous
            for v in variables
        ]
        highs = highspy.Highs()
        self._configure(highs)
        highs.passModel(lp)
        return highs

    def _empty_model(self, objective: pulp.LpAffineExpression, seconds: float) -> DirectResult:
        """No column at all: the only plan sets nothing, and it is feasible only if every row
        (a named requirement with no variable left, such as ``0 ≥ 1``) holds at zero."""
        lower, upper = self._bounds(self._rows)
        if (lower > 1e-9).any() or (upper < -1e-9).any():
            return DirectResult(False, False, True, None, seconds)
        for var in self._columns:
            var.varValue = var.lowBound or 0.0
        return DirectResult(True, True, False, objective.constant, seconds)

    def solve(
        self,
        owner: object,
        constraints: list[pulp.LpConstraint],
        objective: pulp.LpAffineExpression,
        maximise: bool,
    ) -> DirectResult:
        """Optimise ``objective`` over the constraints; write the plan into the PuLP variables."""
        variables = owner.problem.variables()  # type: ignore[attr-defined]
        highs = self._sync(owner, constraints, variables)
        costs = np.zeros(len(self._columns))
        for var, coefficient in objective.items():
            costs[self._index[var.name]] = coefficient
        highs.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs)
        highs.changeObjectiveSense(
            highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        )
        # The constant (communes already at standard, criteria already met) is part of the
        # value the accepted relative gap refers to; without it HiGHS measures the gap on the
        # changing part only and searches far past what was asked (a 0.1 % gap on 29,800
        # criteria met is 30, on the 5,800 that change 6).
        highs.changeObjectiveOffset(float(objective.constant))
        if self.warm_start and self._start is not None:
            start = self._start
            start.col_value = [v.varValue or 0.0 for v in self._columns]
            highs.setSolution(start)
        started = time.perf_counter()
        highs.run()
        seconds = time.perf_counter() - started
        status = highs.getModelStatus()
        info = highs.getInfo()
        if status == highspy.HighsModelStatus.kModelEmpty:
            return self._empty_model(objective, seconds)
        has_solution = info.primal_solution_status == 2
        if not has_solution:
            infeasible = status in (
                highspy.HighsModelStatus.kInfeasible,
                highspy.HighsModelStatus.kUnboundedOrInfeasible,
            )
            return DirectResult(False, False, infeasible, None, seconds)
        solution = highs.getSolution()
        for var, value in zip(self._columns, solution.col_value, strict=True):
            var.varValue = value
        self._start = solution
        bound = float(info.mip_dual_bound)
        proven = status == highspy.HighsModelStatus.kOptimal
        if not np.isfinite(bound):
            bound = None
        return DirectResult(True, proven, False, bound, seconds)
