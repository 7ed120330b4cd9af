"""Benchmark cases: each runs in its own process and returns its measurements as a dict."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulp

from models.dataset import Dataset
from models.io import load_package
from models.scenario import Objective, Scenario
from models.scenario_io import load_scenario
from optimizer.baselines import BASELINES
from optimizer.formulation import build
from optimizer.frontier import budget_frontier
from optimizer.inputs import prepare
from optimizer.phasing import PHASED_NOTE
from optimizer.plan import Timings
from optimizer.solve import SolveTimeout, make_level_solver, solve_level, solve_prepared

ROOT = Path(__file__).resolve().parents[1]
POOLED = ROOT / "scenarios" / "son_la_2021_2025.yaml"
PHASED = ROOT / "scenarios" / "son_la_2021_2025_phased.yaml"
ANNUAL_2026 = ROOT / "scenarios" / "son_la_2026_2030_annual.yaml"
POOLED_2026 = ROOT / "scenarios" / "son_la_2026_2030.yaml"
BENCH_GAP = 0.001
"""The accepted relative gap in the gap-targeted cases (0.1%)."""


def peak_memory_mb() -> float:
    """Peak resident memory of this process or of any worker it started, MB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def solve_measured(dataset: Dataset, scenario: Scenario) -> dict[str, Any]:
    """Prepare, build and solve level by level as ``ntm run`` does, timing each stage."""
    started = time.perf_counter()
    inputs = prepare(dataset, scenario)
    prepared = Timings(prepare_seconds=time.perf_counter() - started)
    try:
        plan = solve_prepared(inputs, timings=prepared)
    except SolveTimeout:
        return {"total_s": time.perf_counter() - started, "status": "no plan"}
    solved = time.perf_counter()
    timings = plan.timings
    return {
        "build_s": timings.prepare_seconds + timings.build_seconds,
        "total_s": solved - started,
        "levels": [
            {
                "objective": level.objective.value,
                "value": level.value,
                "gap": level.gap,
                "proven": level.proven_optimal,
                "seconds": level.seconds,
            }
            for level in plan.levels
        ],
        "communes_at_standard": plan.kpis.at_standard_after if plan.kpis else None,
        "money": plan.kpis.money_total if plan.kpis else None,
        "complete": len(plan.levels) == len(scenario.objectives),
        "method": "pooled relaxation, phased" if PHASED_NOTE in plan.notes else "direct",
    }


def lp_bound(dataset: Dataset, scenario: Scenario) -> float:
    """Communes at standard in the LP relaxation: no plan can beat it."""
    f = build(prepare(dataset, scenario))
    for var in f.problem.variables():
        if var.cat == pulp.LpInteger:
            var.cat = pulp.LpContinuous
    outcome = solve_level(f, Objective.COMMUNES_AT_STANDARD, make_level_solver(scenario.solver))
    return float(outcome.value or 0.0)


def quality(dataset: Dataset, scenario: Scenario, cbc: bool) -> dict[str, Any]:
    """The same case by CBC and by each baseline rule, and the LP upper bound."""
    out: dict[str, Any] = {"lp_bound": lp_bound(dataset, scenario)}
    for name, rule in BASELINES.items():
        t = time.perf_counter()
        plan = rule(dataset, scenario)
        out[f"baseline_{name}"] = plan.kpis.at_standard_after
        out[f"baseline_{name}_s"] = time.perf_counter() - t
    if cbc:
        settings = scenario.solver.model_copy(update={"name": "cbc"})
        first = (Objective.COMMUNES_AT_STANDARD,)
        cbc_scenario = scenario.model_copy(update={"solver": settings, "objectives": first})
        t = time.perf_counter()
        measured = solve_measured(dataset, cbc_scenario)
        out["cbc_communes_at_standard"] = measured.get("communes_at_standard")
        out["cbc_s"] = time.perf_counter() - t
    return out


def son_la_pooled() -> dict[str, Any]:
    scenario = load_scenario(POOLED)
    dataset = load_package(scenario.dataset)
    result = solve_measured(dataset, scenario)
    return result | quality(dataset, scenario, cbc=True)


def son_la_phased() -> dict[str, Any]:
    scenario = load_scenario(PHASED)
    scenario = scenario.model_copy(
        update={"solver": scenario.solver.model_copy(update={"relative_gap": BENCH_GAP})}
    )
    dataset = load_package(scenario.dataset)
    return solve_measured(dataset, scenario) | quality(dataset, scenario, cbc=False)


def son_la_2026_annual() -> dict[str, Any]:
    """The bundled 2026-2030 annual scenario as shipped (70 % disbursed a year, 1 % gap)."""
    scenario = load_scenario(ANNUAL_2026)
    dataset = load_package(scenario.dataset)
    result = solve_measured(dataset, scenario)
    return result | {"accepted_gap": scenario.solver.relative_gap}


def son_la_2026_options() -> dict[str, Any]:
    """4 alternatives for the Sơn La 2026 scenario (pooled, tolerance 0, most different)."""
    from optimizer.alternatives import generate_options

    scenario = load_scenario(POOLED_2026)
    dataset = load_package(scenario.dataset)
    started = time.perf_counter()
    options = generate_options(dataset, scenario, k=4)
    total = time.perf_counter() - started
    return {
        "total_s": total,
        "options": len(options.alternatives),
        "option_s": [round(o.seconds, 2) for o in options.options],
        "communes_at_standard": options.optimum.plan.kpis.at_standard_after,
        "all_at_optimum": all(
            o.lead_value == options.optimum.lead_value for o in options.alternatives
        ),
        "fewest_new": [o.new_communes for o in options.alternatives],
    }


def son_la_frontier() -> dict[str, Any]:
    scenario = load_scenario(POOLED)
    dataset = load_package(scenario.dataset)
    started = time.perf_counter()
    build(prepare(dataset, scenario))
    build_s = time.perf_counter() - started
    from optimizer.sweep import dask_client

    started = time.perf_counter()
    dask_client()  # the cluster this process keeps (the app starts it once for its lifetime)
    cluster_s = time.perf_counter() - started
    started = time.perf_counter()
    frontier = budget_frontier(dataset, scenario, points=21)
    total = time.perf_counter() - started
    return {
        "total_s": total,
        "cluster_start_s": cluster_s,
        "build_s": build_s,
        "points": len(frontier.points),
        "all_optimal": all(p.status == "optimal" for p in frontier.points),
    }


def national(communes: int = 8000) -> dict[str, Any]:
    from bench.generate import generate

    scenario = load_scenario(POOLED)
    scenario = scenario.model_copy(
        update={
            "solver": scenario.solver.model_copy(
                update={"relative_gap": BENCH_GAP, "time_limit": 120}
            )
        }
    )
    started = time.perf_counter()
    dataset = generate(communes, seed=1)
    generated = time.perf_counter() - started
    result = solve_measured(dataset, scenario)
    return result | {"generate_s": generated, "communes": communes}


def smoke() -> dict[str, Any]:
    """A tiny run of the runner's machinery (used by the test suite)."""
    from bench.generate import generate

    scenario = load_scenario(POOLED).model_copy(update={"dataset": None})
    dataset = generate(12, seed=3)
    return solve_measured(dataset, scenario) | quality(dataset, scenario, cbc=True)


REPLAN_SCENARIO = ROOT / "scenarios" / "son_la_2027_replan.yaml"
PROGRESS_BUILDER = ROOT / "data" / "build_son_la_2026_progress.py"


def son_la_2026_replan() -> dict[str, Any]:
    """Re-plan of data/son_la_2026 after 2026 against a fresh plan of the same years.

    The approved plan is the shipped annual scenario solved here; the progress of 2026 is drawn
    for it by data/build_son_la_2026_progress.py (same seed, so the shipped report when the plan
    is the same); the re-plan uses scenarios/son_la_2027_replan.yaml (central 2027 cut by 10%,
    stability right after communes at standard). The fresh plan solves the same remaining years
    and money without the stability objective. Both are timed and their changes counted.
    """
    import importlib.util

    import numpy as np

    from models.scenario_io import _read_mapping
    from optimizer.replan import prepare_replan, solve_replan
    from optimizer.replan_report import replan_diff
    from optimizer.solve import solve

    spec = importlib.util.spec_from_file_location("progress_builder", PROGRESS_BUILDER)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    scenario = load_scenario(ANNUAL_2026)
    dataset = load_package(scenario.dataset)
    started = time.perf_counter()
    # the approved plan with more time than the scenario's 30 s per level, so that a loaded
    # machine does not make a poor plan to revise
    approved = solve(
        dataset, scenario.model_copy(update={"solver": {"time_limit": 120, "relative_gap": 0.01}})
    )
    approved_s = time.perf_counter() - started
    progress = builder.build(approved, dataset, np.random.default_rng(builder.SEED))
    overrides = _read_mapping(REPLAN_SCENARIO, ())
    overrides.pop("dataset", None)
    started = time.perf_counter()
    replan = prepare_replan(dataset, scenario, approved, progress, 2027, overrides=overrides)
    stable = solve_replan(replan)
    stable_s = time.perf_counter() - started
    fresh_scenario = replan.scenario.model_copy(
        update={"objectives": [o for o in replan.scenario.objectives if o != Objective.STABILITY]}
    )
    fresh_replan = type(replan)(**{**replan.__dict__, "scenario": fresh_scenario})
    started = time.perf_counter()
    fresh = solve_replan(fresh_replan)
    fresh_s = time.perf_counter() - started
    stable_diff, fresh_diff = (replan_diff(replan, approved, p) for p in (stable, fresh))
    return {
        "approved_s": approved_s,
        "total_s": stable_s,
        "fresh_s": fresh_s,
        "levels": [
            {"objective": x.objective.value, "value": x.value, "gap": x.gap,
             "proven": x.proven_optimal, "seconds": x.seconds}
            for x in stable.levels
        ],
        "fresh_levels": [
            {"objective": x.objective.value, "value": x.value, "gap": x.gap, "seconds": x.seconds}
            for x in fresh.levels
        ],
        "communes_at_standard": stable.kpis.at_standard_after,
        "fresh_communes_at_standard": fresh.kpis.at_standard_after,
        "approved_communes_at_standard": approved.kpis.at_standard_after,
        "changes": stable_diff.changes,
        "fresh_changes": fresh_diff.changes,
        "status": stable.status.value,
        "fresh_status": fresh.status.value,
    }  # fmt: skip


RISK_2026 = ROOT / "scenarios" / "son_la_2026_2030_annual_risk.yaml"
RISK_DRAWS = 200
OUT_OF_SAMPLE_DRAWS = 100


PLAN_TIME_LIMIT = 600
"""Seconds per level for the plans tested: on a loaded shared machine the scenario's 30 s can stop
a level early with a poor plan, and the benchmark is about the draws, not the plan."""


def _patient(scenario: Scenario) -> Scenario:
    solver = scenario.solver.model_copy(update={"time_limit": PLAN_TIME_LIMIT})
    return scenario.model_copy(update={"solver": solver})


def son_la_2026_risk() -> dict[str, Any]:
    """The 2026-2030 annual plan tested on 200 drawn futures, with 1 and with 2 Dask workers
    (a LocalCluster each, started before the clock); the draws must agree."""
    from optimizer.risk import plan_risk
    from optimizer.solve import solve
    from optimizer.sweep import OnDask, close_clusters, dask_client

    scenario = _patient(load_scenario(RISK_2026))
    dataset = load_package(scenario.dataset)
    started = time.perf_counter()
    plan = solve(dataset, scenario)
    plan_s = time.perf_counter() - started
    result: dict[str, Any] = {
        "plan_s": plan_s,
        "plan_at_standard": plan.kpis.at_standard_after if plan.kpis else None,
        "plan_status": plan.status.value,
        "draws": RISK_DRAWS,
    }
    reports = {}
    for workers in (1, 2):
        executor = OnDask(dask_client(workers=workers))
        started = time.perf_counter()
        reports[workers] = plan_risk(dataset, scenario, plan, executor=executor)
        result[f"risk_{workers}_workers_s"] = time.perf_counter() - started
        close_clusters()  # the next run has the machine to itself
    result["same_draws"] = reports[1].draws == reports[2].draws
    result["total_s"] = result["risk_2_workers_s"]
    result["scaling_efficiency"] = result["risk_1_workers_s"] / (2 * result["risk_2_workers_s"])
    result["summary"] = reports[2].summary().to_dict("records")
    return result


def son_la_2026_out_of_sample() -> dict[str, Any]:
    """Deterministic, robust (Γ = 1) and reserve (10 %) plans of Sơn La 2026-2030 with the five
    years pooled and the risk scenario's uncertainty, on the same 100 fresh draws. Pooled: the
    robust annual model has no pooled shortcut (optimizer/phasing.py) and takes too long here."""
    from models.scenario import Budgets
    from optimizer.robust import compare_plans

    annual = _patient(load_scenario(RISK_2026))
    horizon = annual.horizon.model_copy(update={"single_period": True})
    scenario = annual.model_copy(
        update={
            "name": "Sơn La 2026-2030 (pooled, with risk)",
            "horizon": horizon,
            "budgets": Budgets(),
        }
    )
    dataset = load_package(scenario.dataset)
    started = time.perf_counter()
    comparison = compare_plans(dataset, scenario, draws=OUT_OF_SAMPLE_DRAWS)
    return {
        "total_s": time.perf_counter() - started,
        "table": comparison.table().to_dict("records"),
    }


def baselines_shipped() -> dict[str, Any]:
    """Each rule of thumb on every shipped scenario, as ``ntm run`` computes them: wall and CPU
    seconds per rule and scenario (the rule's own preparation of the inputs included)."""
    runs, packages = [], {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        if scenario.dataset not in packages:
            packages[scenario.dataset] = load_package(scenario.dataset)
        dataset = packages[scenario.dataset]
        for name, rule in BASELINES.items():
            wall, cpu = time.perf_counter(), time.process_time()
            rule(dataset, scenario)
            runs.append(
                {
                    "scenario": path.stem,
                    "rule": name,
                    "seconds": time.perf_counter() - wall,
                    "cpu_seconds": time.process_time() - cpu,
                }
            )
    slowest = max(runs, key=lambda r: r["seconds"])
    return {
        "total_s": sum(r["seconds"] for r in runs),
        "runs": runs,
        "slowest_s": slowest["seconds"],
        "slowest": f"{slowest['scenario']} / {slowest['rule']}",
    }


def run_end_to_end() -> dict[str, Any]:
    """``ntm -q run`` on every shipped scenario as a whole process (imports, loading, the solve,
    the baselines, the reports and the history record), against the solve inside it (the plan's
    own ``timings.total_seconds``)."""
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "NTM_DATABASE_URL": f"sqlite:///{folder}/history.db"}
        for path in sorted((ROOT / "scenarios").glob("*.yaml")):
            out = Path(folder) / path.stem
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "cli", "-q", "run", str(path), "--out", str(out)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - started
            if done.returncode != 0:
                runs.append({"scenario": path.stem, "error": done.stderr.strip()[-300:]})
                continue
            plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
            solve_s = plan["plan"]["timings"]["total_seconds"]
            run = {
                "scenario": path.stem,
                "wall_s": wall,
                "solve_s": solve_s,
                "ratio": wall / solve_s,
            }
            if solve_s < FLOOR_UP_TO_S:
                run.update(_solve_only(path, env))
            runs.append(run)
    measured = [r for r in runs if "ratio" in r]
    worst = max(measured, key=lambda r: r["ratio"]) if measured else None
    return {
        "total_s": sum(r.get("wall_s", 0.0) for r in runs),
        "runs": runs,
        "errors": len(runs) - len(measured),
        "worst_ratio": worst["ratio"] if worst else float("inf"),
        "worst": worst["scenario"] if worst else None,
    }


FLOOR_UP_TO_S = 60.0
"""``run_end_to_end`` times the solve-only process (the floor) for scenarios solving faster
than this; above it the fixed cost is a small share of the wall anyway."""


def _solve_only(path: Path, env: dict[str, str]) -> dict[str, float]:
    """The floor: ``bench.solve_only`` (imports, loading, the solve, nothing else) as a whole
    process; its wall seconds, its own solve seconds and their ratio."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.solve_only", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    solve_s = float(done.stdout.strip().splitlines()[-1])
    return {"floor_wall_s": wall, "floor_solve_s": solve_s, "floor_ratio": wall / solve_s}


def national_provinces(provinces: int = 34, communes: int = 3300) -> dict[str, Any]:
    """Every province of a seeded national instance solved (all levels) on a LocalCluster of 1
    worker and of 2 (single-threaded HiGHS each, as the sweep executor runs them), and for
    reference in this process (HiGHS's own default threads); then the central split on 2."""
    from bench.generate import nation
    from optimizer.national import Province, central_split, solve_provinces
    from optimizer.sweep import InProcess, OnDask, close_clusters, dask_client

    scenario = load_scenario(POOLED)
    instance = [Province(name, dataset) for name, dataset in nation(provinces, communes, seed=1)]
    result: dict[str, Any] = {"provinces": provinces, "communes": communes}
    runs = {}
    try:
        for workers in (1, 2):
            runs[workers], seconds = solve_on_workers(instance, scenario, workers)
            result[{1: "one_worker_s", 2: "two_workers_s"}[workers]] = seconds
            result[f"task_s_{workers}"] = sum(p.seconds for p in runs[workers].provinces)
        started = time.perf_counter()
        split = central_split(instance, scenario, executor=OnDask(dask_client(workers=2)))
        result["split_s"] = time.perf_counter() - started
    finally:
        close_clusters()
    # last: HiGHS's own threads stay alive in this process after it solves here
    started, cpu = time.perf_counter(), time.process_time()
    here, _ = solve_provinces(instance, scenario, executor=InProcess())
    result["in_process_s"] = time.perf_counter() - started
    # more CPU than wall: HiGHS ran a second thread in this process (its own default)
    result["in_process_cpu_s"] = time.process_time() - cpu
    one, two = runs[1], runs[2]
    result["same_results"] = (
        [p.at_standard_after for p in here.provinces]
        == [p.at_standard_after for p in one.provinces]
        == [p.at_standard_after for p in two.provinces]
    )
    result["all_optimal"] = all(p.status == "optimal" for p in two.provinces)
    result["communes_at_standard"] = two.at_standard_after
    result["formula_split_communes"] = split.formula_communes
    result["best_split_communes"] = split.best_communes
    result["split_solves"] = sum(len(p.options) for p in split.provinces)
    result["total_s"] = (
        result["in_process_s"]
        + result["one_worker_s"]
        + result["two_workers_s"]
        + result["split_s"]
    )
    return result


def solve_on_workers(provinces: list, scenario: Scenario, workers: int) -> tuple[Any, float]:
    """The national run on a LocalCluster of ``workers`` (started and ready before the clock
    starts) and its wall seconds."""
    from optimizer.national import solve_provinces
    from optimizer.sweep import OnDask, Shared, dask_client

    executor = OnDask(dask_client(workers=workers))
    executor.run(_ready, Shared(None), list(range(2 * workers)))  # workers up, engine loaded
    started = time.perf_counter()
    run, _ = solve_provinces(provinces, scenario, executor=executor)
    return run, time.perf_counter() - started


def _ready(shared: Any, item: int) -> int:
    """A task that does nothing: the workers are up and have loaded the engine."""
    return item


CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "son_la_2026_risk": son_la_2026_risk,
    "son_la_2026_out_of_sample": son_la_2026_out_of_sample,
    "son_la_pooled": son_la_pooled,
    "son_la_phased": son_la_phased,
    "son_la_frontier_21": son_la_frontier,
    "son_la_2026_annual": son_la_2026_annual,
    "son_la_2026_options": son_la_2026_options,
    "son_la_2026_replan": son_la_2026_replan,
    "national_8000": national,
    "national_2000": lambda: national(2000),
    "baselines": baselines_shipped,
    "national_34": national_provinces,
    "run_end_to_end": run_end_to_end,
    "smoke": smoke,
}
