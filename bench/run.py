"""Run the benchmarks and report against the targets: ``python -m bench.run [CASE …]``.

Each case runs in its own process (so peak memory is the case's own); results are printed as a
Markdown table with pass/fail per target and saved as JSON in bench/results/.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pulp

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_CASES = (
    "son_la_pooled",
    "son_la_phased",
    "son_la_frontier_21",
    "baselines",
    "national_34",
    "run_end_to_end",
)
"""The cases with targets (issue #22's revised table). ``national_8000`` and ``national_2000``
(one pooled problem over 8,000 or 2,000 communes) stay as stress cases, run by name."""
FIRST_LEVEL_TARGET_S = 1.0
ALL_LEVELS_TARGET_S = 6.0
GAP_TARGET = 0.001
BUILD_SHARE_TARGET = 0.25
NATIONAL_SPEEDUP_TARGET = 0.6
"""The national run on 2 workers takes at most this share of its 1-worker time (#22)."""
RUN_RATIO_TARGET = 1.5
"""``ntm run`` end to end (baselines, reports and record included) against its solve (#22)."""
BASELINE_TARGET_S = 0.5
"""A rule of thumb must be instant: each rule on each shipped scenario, issue #22."""


def run_case(name: str, timeout: float) -> dict[str, Any]:
    """Run one case in a child process and return its measurements (or the failure)."""
    code = (
        "import json, sys; from bench.cases import CASES, peak_memory_mb; "
        f"r = CASES[{name!r}](); r['peak_mb'] = peak_memory_mb(); print(json.dumps(r))"
    )
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=Path(__file__).resolve().parents[1],
        )
    except subprocess.TimeoutExpired:
        return {"case": name, "error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"case": name, "error": done.stderr.strip().splitlines()[-1:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["case"] = name
    result["wall_s"] = time.perf_counter() - started
    return result


def verdicts(r: dict[str, Any]) -> list[tuple[str, bool]]:
    """(target, met) for a case's results."""
    if "error" in r:
        return [("ran", False)]
    name, total = r["case"], r.get("total_s", float("inf"))
    levels = r.get("levels", [])
    share = (r.get("build_s") or 0.0) / total if total else 0.0
    checks: list[tuple[str, bool]] = [
        (f"build ≤ {BUILD_SHARE_TARGET:.0%} of wall", share <= BUILD_SHARE_TARGET)
    ]
    if name == "son_la_pooled":
        checks += [
            (
                "all levels proven optimal",
                bool(levels) and all(x["proven"] and (x["gap"] or 0) <= 1e-9 for x in levels),
            ),
            (
                f"first level ≤ {FIRST_LEVEL_TARGET_S:g} s incl. build",
                bool(levels)
                and (r.get("build_s") or 0.0) + levels[0]["seconds"] <= FIRST_LEVEL_TARGET_S,
            ),
            (f"all levels ≤ {ALL_LEVELS_TARGET_S:g} s incl. build", total <= ALL_LEVELS_TARGET_S),
        ]
    elif name == "son_la_phased":
        checks += [
            (
                "≤ 0.1% gap every level",
                bool(levels)
                and all(x["gap"] is not None and x["gap"] <= GAP_TARGET for x in levels),
            ),
            ("≤ 15 s", total <= 15.0),
        ]
    elif name == "son_la_2026_annual":
        accepted = r.get("accepted_gap", GAP_TARGET)
        checks.append(
            (
                f"≤ {accepted:.0%} gap every level (the scenario's own)",
                bool(levels) and all(x["gap"] is not None and x["gap"] <= accepted for x in levels),
            )
        )
    elif name == "son_la_2026_options":
        checks.append(
            (
                "4 alternatives, all at the optimum's count",
                r.get("options") == 4 and bool(r.get("all_at_optimum")),
            )
        )
    elif name == "son_la_2026_replan":
        checks.append(
            ("changes ≤ fresh plan's", r.get("changes", 1e9) <= r.get("fresh_changes", -1))
        )
        checks.append(
            (
                "as many communes at standard as the fresh plan",
                r.get("communes_at_standard", -1) >= r.get("fresh_communes_at_standard", 1e9),
            )
        )
    elif name == "son_la_2026_risk":
        checks += [
            ("200 draws ≤ 2 min on 2 workers", total <= 120.0),
            ("same draws on 1 and 2 workers", bool(r.get("same_draws"))),
        ]
    elif name == "baselines":
        checks = [
            (
                f"every rule ≤ {BASELINE_TARGET_S} s on every shipped scenario",
                r.get("slowest_s", float("inf")) <= BASELINE_TARGET_S,
            )
        ]
    elif name == "run_end_to_end":
        checks = [
            ("every shipped scenario runs", r.get("errors", 1) == 0),
            (
                f"ntm run ≤ {RUN_RATIO_TARGET:g} × its solve on every shipped scenario",
                r.get("worst_ratio", float("inf")) <= RUN_RATIO_TARGET,
            ),
        ]
    elif name == "son_la_frontier_21":
        checks += [("21 points ≤ 15 s", total <= 15.0 and r.get("points") == 21)]
    elif name == "national_34":
        one, two = r.get("one_worker_s", 0.0), r.get("two_workers_s", float("inf"))
        checks = [
            ("same results on 1 and 2 workers", bool(r.get("same_results"))),
            (
                f"2 workers ≤ {NATIONAL_SPEEDUP_TARGET:g} × 1 worker",
                two <= NATIONAL_SPEEDUP_TARGET * one,
            ),
        ]
    elif name.startswith("national"):
        checks += [
            (
                "≤ 0.1% gap every level",
                bool(levels)
                and r.get("complete", False)
                and all(x["gap"] is not None and x["gap"] <= GAP_TARGET for x in levels),
            ),
            ("≤ 60 s", total <= 60.0),
            ("peak ≤ 4 GB", r.get("peak_mb", 1e9) <= 4096),
        ]
    if "lp_bound" in r and "communes_at_standard" in r:
        checks.append(("optimizer ≤ LP bound", r["communes_at_standard"] <= r["lp_bound"] + 1e-6))
        for key, value in r.items():
            if key.startswith("baseline_") and not key.endswith("_s"):
                checks.append(
                    (f"≥ {key.removeprefix('baseline_')}", r["communes_at_standard"] >= value)
                )
    return checks


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"highspy {version('highspy')}; PuLP {pulp.__version__}"
    )


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| case | build s | solve levels s | total s | peak MB | gap (max) | communes at standard | LP bound | CBC | formula | closest | cheapest | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['case']} | error: {r['error']} |" + " |" * 11)
            continue
        levels = r.get("levels", [])
        level_s = " / ".join(f"{x['seconds']:.2f}" for x in levels) or "–"
        gaps = [x["gap"] for x in levels if x["gap"] is not None]
        gap = f"{max(gaps):.2e}" if gaps else "–"
        checks = "; ".join(f"{'PASS' if ok else 'FAIL'} {what}" for what, ok in verdicts(r))
        cells = [
            r["case"],
            f"{r.get('build_s') or 0:.2f}",
            level_s,
            f"{r.get('total_s', 0):.2f}",
            f"{r.get('peak_mb', 0):.0f}",
            gap,
            str(r.get("communes_at_standard", "–")),
            f"{r['lp_bound']:.1f}" if "lp_bound" in r else "–",
            str(r.get("cbc_communes_at_standard", "–")),
            str(r.get("baseline_formula", "–")),
            str(r.get("baseline_closest_first", "–")),
            str(r.get("baseline_cheapest_first", "–")),
            checks,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def end_to_end_table(r: dict[str, Any]) -> str:
    """``ntm run`` per shipped scenario: its wall against its solve, and the floor (a process
    that only imports, loads and solves: ``bench.solve_only``) against that process's solve."""
    lines = [
        "| scenario | ntm run wall s | its solve s | ratio | solve-only wall s | its solve s | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in sorted(r.get("runs", []), key=lambda run: run.get("solve_s", 0.0), reverse=True):
        if "error" in run:
            lines.append(f"| {run['scenario']} | error: {run['error']} |" + " |" * 5)
            continue
        floor = (
            f"{run['floor_wall_s']:.2f} | {run['floor_solve_s']:.2f} | {run['floor_ratio']:.2f}"
            if "floor_ratio" in run
            else "– | – | –"
        )
        lines.append(
            f"| {run['scenario']} | {run['wall_s']:.2f} | {run['solve_s']:.2f} | "
            f"{run['ratio']:.2f} | {floor} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=list(DEFAULT_CASES))
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per case")
    args = parser.parse_args(argv)
    results = []
    for name in args.cases:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        results.append(run_case(name, args.timeout))
    report = f"Machine: {machine()}\n\n{table(results)}\n"
    report += "".join(
        f"\n{end_to_end_table(r)}\n" for r in results if r.get("case") == "run_end_to_end"
    )
    print(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}.json").write_text(
        json.dumps({"machine": machine(), "results": results}, indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
