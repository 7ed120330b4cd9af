"""HiGHS fed directly: a run stops at its deadline even where HiGHS's own time limit is late."""

from __future__ import annotations

import time

import highspy
import numpy as np

from optimizer.highs_direct import _stop_after


def _market_split(time_limit: float) -> highspy.Highs:
    """max weights·x with six random rows each capped at half its sum, x binary (a market-split-
    like model): no MIP solver proves these in seconds, so a run lasts until it is stopped."""
    rng = np.random.default_rng(7)
    rows = rng.integers(0, 100, size=(6, 60)).astype(float)
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = rows.shape
    lp.col_cost_ = rows.sum(axis=0) + rng.integers(0, 3, size=60)
    lp.col_lower_, lp.col_upper_ = np.zeros(60), np.ones(60)
    lp.row_lower_ = np.full(6, -highspy.kHighsInf)
    lp.row_upper_ = rows.sum(axis=1) // 2
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.arange(0, rows.size + 1, 60, dtype=np.int32)
    lp.a_matrix_.index_ = np.tile(np.arange(60, dtype=np.int32), 6)
    lp.a_matrix_.value_ = rows.ravel()
    lp.a_matrix_.num_row_, lp.a_matrix_.num_col_ = rows.shape
    lp.integrality_ = [highspy.HighsVarType.kInteger] * 60
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", time_limit)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.passModel(lp)
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return highs


def test_a_run_is_interrupted_at_its_deadline() -> None:
    """HiGHS's own limit is a minute away; the deadline of half a second stops the run, and the
    plan found so far and the bound stay readable."""
    highs = _market_split(time_limit=60.0)
    started = time.perf_counter()
    _stop_after(highs, started + 0.5)
    highs.run()
    assert time.perf_counter() - started < 5.0
    assert highs.getModelStatus() == highspy.HighsModelStatus.kInterrupt
    info = highs.getInfo()
    if info.primal_solution_status == 2:
        assert info.mip_dual_bound >= info.objective_function_value - 1e-6


def test_a_deadline_not_reached_changes_nothing() -> None:
    """A small model settles long before its deadline: optimal, as without the callback."""
    highs = _market_split(time_limit=60.0)
    highs.changeColsBounds(55, np.arange(5, 60, dtype=np.int32), np.zeros(55), np.zeros(55))
    _stop_after(highs, time.perf_counter() + 60.0)
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
