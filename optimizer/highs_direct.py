"""HiGHS fed the model's matrix directly: the HiGHS backend of optimizer/solver.py.

PuLP's own HiGHS interface re-creates the solver model column by column and row by row at every
solve. Here the model's ModelMatrix (rows cached between solves, bounds refreshed) is passed to a
fresh HiGHS model in one call; a fresh model per solve was faster in our trials than one kept and
modified. Every HiGHS return is checked: a refused model, a refused start, a failed run or a
solution that cannot be read back raises SolverError with HiGHS's own words (its log, captured
by repeating the failing step with logging on).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import highspy
import numpy as np
import pulp

from models.scenario import SolverSettings
from optimizer.solver import ModelMatrix, RawAnswer, SolverError
from optimizer.threads import highs_threads

INF = highspy.kHighsInf
Status = highspy.HighsStatus
Model = highspy.HighsModelStatus
WITH_SOLUTION = 2
"""HiGHS's primal_solution_status for a feasible solution."""
NO_SOLUTION = {
    Model.kTimeLimit,
    Model.kIterationLimit,
    Model.kSolutionLimit,
    Model.kInterrupt,
    Model.kObjectiveBound,
    Model.kObjectiveTarget,
}
"""Statuses that stop a search early: a plan may or may not have been found."""
INFEASIBLE = {Model.kInfeasible, Model.kUnboundedOrInfeasible}

_banner_lock = threading.Lock()
_banner_done = False


def new_highs() -> highspy.Highs:
    """A fresh HiGHS instance with its output off.

    The first instance in a process prints HiGHS's banner on standard output before any option
    can be set (``ntm -q run`` printed it, so did every Dask worker); that one is made while the
    process's standard output points at /dev/null. Later instances print nothing.
    """
    global _banner_done
    with _banner_lock:
        if _banner_done:
            highs = highspy.Highs()
        else:
            sys.stdout.flush()
            saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
                highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)
            _banner_done = True
    highs.setOptionValue("output_flag", False)
    return highs


class HighsBackend:
    """One HiGHS solve per call, from the model's matrix (see the module docstring)."""

    name = "highs"

    def __init__(self, settings: SolverSettings) -> None:
        self.settings = settings

    def _configure(self, highs: highspy.Highs, log: Path | None = None) -> None:
        s = self.settings
        if log is None:
            highs.setOptionValue("output_flag", False)
        else:
            highs.setOptionValue("output_flag", True)
            highs.setOptionValue("log_to_console", False)
            highs.setOptionValue("log_file", str(log))
        highs.setOptionValue("time_limit", float(s.time_limit))
        highs.setOptionValue("mip_rel_gap", float(s.relative_gap))

    def _words(self, steps: Callable[[highspy.Highs], object]) -> str:
        """What HiGHS logs when ``steps`` are repeated on a fresh model with logging on."""
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "highs.log"
            highs = new_highs()
            self._configure(highs, log)
            steps(highs)
            highs.setOptionValue("output_flag", False)
            text = log.read_text(errors="replace") if log.exists() else ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        wanted = [
            line for line in lines if any(w in line.lower() for w in ("error", "warning", "≥"))
        ]
        return "; ".join(wanted or lines[-5:]) or "no message"

    def _lp(
        self, matrix: ModelMatrix, objective: pulp.LpAffineExpression, maximise: bool
    ) -> highspy.HighsLp:
        lp = highspy.HighsLp()
        lp.num_col_ = len(matrix.columns)
        lp.num_row_ = len(matrix.rows)
        lp.col_cost_ = matrix.costs(objective)
        lower, upper = matrix.column_bounds()
        lp.col_lower_ = np.where(np.isinf(lower), -INF, lower)
        lp.col_upper_ = np.where(np.isinf(upper), INF, upper)
        row_lower, row_upper = matrix.row_bounds()
        lp.row_lower_ = np.where(np.isinf(row_lower), -INF, row_lower)
        lp.row_upper_ = np.where(np.isinf(row_upper), INF, row_upper)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = matrix.starts
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.values
        lp.a_matrix_.num_col_ = len(matrix.columns)
        lp.a_matrix_.num_row_ = len(matrix.rows)
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if whole else highspy.HighsVarType.kContinuous
            for whole in matrix.integer()
        ]
        lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        # The constant (communes already at standard, criteria already met) is part of the
        # value the accepted relative gap refers to; without it HiGHS measures the gap on the
        # changing part only and searches far past what was asked (a 0.1 % gap on 29,800
        # criteria met is 30, on the 5,800 that change 6).
        lp.offset_ = float(objective.constant)
        return lp

    def run(
        self,
        matrix: ModelMatrix,
        objective: pulp.LpAffineExpression,
        maximise: bool,
        start: np.ndarray | None,
    ) -> RawAnswer:
        lp = self._lp(matrix, objective, maximise)
        highs = new_highs()
        self._configure(highs)
        if highs.passModel(lp) == Status.kError:
            words = self._words(lambda h: h.passModel(lp))
            raise SolverError(f"HiGHS refused the model: {words}")
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = start.tolist()
            solution.value_valid = True
            if highs.setSolution(solution) == Status.kError:
                raise SolverError("HiGHS refused the start (the previous plan) for this model")
        started = time.perf_counter()
        with highs_threads(self.settings.threads) as threads:
            if threads:
                highs.setOptionValue("threads", threads)
            ran = highs.run()
        seconds = time.perf_counter() - started
        status = highs.getModelStatus()
        if ran == Status.kError or status not in NO_SOLUTION | INFEASIBLE | {Model.kOptimal}:
            words = self._words(lambda h: (h.passModel(lp), h.run()))
            raise SolverError(f"HiGHS failed ({highs.modelStatusToString(status)}): {words}")
        info = highs.getInfo()
        if status in INFEASIBLE:
            return RawAnswer(False, False, True, None, None, None, seconds)
        if info.primal_solution_status != WITH_SOLUTION:
            if status == Model.kOptimal:
                raise SolverError("HiGHS says optimal but has no feasible solution to give")
            return RawAnswer(False, False, False, None, None, None, seconds)
        solution = highs.getSolution()
        if not solution.value_valid:
            raise SolverError("HiGHS found a plan but its values cannot be read back")
        values = np.asarray(solution.col_value, dtype=np.float64)
        bound = float(info.mip_dual_bound)  # only a MIP has one; an LP's optimum is its bound
        if not matrix.integer().any() or not np.isfinite(bound) or abs(bound) >= INF:
            bound = None
        return RawAnswer(
            True,
            status == Model.kOptimal,
            False,
            values,
            float(info.objective_function_value),
            bound,
            seconds,
        )
