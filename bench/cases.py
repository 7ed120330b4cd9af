"""Benchmark cases: each runs in its own process and returns its measurements as a dict."""

from __future__ import annotations

import resource
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
        "method": "pooled relaxation, phased" if plan.message == PHASED_NOTE else "direct",
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


def son_la_frontier() -> dict[str, Any]:
    scenario = load_scenario(POOLED)
    dataset = load_package(scenario.dataset)
    started = time.perf_counter()
    build(prepare(dataset, scenario))
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    frontier = budget_frontier(dataset, scenario, points=21)
    total = time.perf_counter() - started
    return {
        "total_s": total,
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


def national_provinces(provinces: int = 34, communes: int = 3300) -> dict[str, Any]:
    """Every province of a seeded national instance solved (all levels) on 1 worker (in this
    process) and on a LocalCluster of 2; then the central split on 2 workers."""
    from bench.generate import nation
    from optimizer.national import Province, central_split, solve_provinces
    from optimizer.sweep import InProcess, OnDask, close_clusters, dask_client

    scenario = load_scenario(POOLED)
    instance = [Province(name, dataset) for name, dataset in nation(provinces, communes, seed=1)]
    result: dict[str, Any] = {"provinces": provinces, "communes": communes}
    started = time.perf_counter()
    one, _ = solve_provinces(instance, scenario, executor=InProcess())
    result["one_worker_s"] = time.perf_counter() - started
    try:
        two_workers = OnDask(dask_client(workers=2))
        started = time.perf_counter()
        two, _ = solve_provinces(instance, scenario, executor=two_workers)
        result["two_workers_s"] = time.perf_counter() - started
        started = time.perf_counter()
        split = central_split(instance, scenario, executor=two_workers)
        result["split_s"] = time.perf_counter() - started
    finally:
        close_clusters()
    result["same_results"] = [p.at_standard_after for p in one.provinces] == [
        p.at_standard_after for p in two.provinces
    ]
    result["all_optimal"] = all(p.status == "optimal" for p in two.provinces)
    result["communes_at_standard"] = two.at_standard_after
    result["formula_split_communes"] = split.formula_communes
    result["best_split_communes"] = split.best_communes
    result["split_solves"] = sum(len(p.options) for p in split.provinces)
    result["total_s"] = result["one_worker_s"] + result["two_workers_s"] + result["split_s"]
    return result


CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "son_la_pooled": son_la_pooled,
    "son_la_phased": son_la_phased,
    "son_la_frontier_21": son_la_frontier,
    "son_la_2026_annual": son_la_2026_annual,
    "national_8000": national,
    "national_2000": lambda: national(2000),
    "baselines": baselines_shipped,
    "national_34": national_provinces,
    "smoke": smoke,
}
