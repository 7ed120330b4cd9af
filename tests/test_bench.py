"""A small smoke run of the benchmark runner (benchmarks themselves are not pass/fail here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_benchmark_runner_smoke_case_reports_targets() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "smoke", "--timeout", "300"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=400,
        check=True,
    )
    row = next(line for line in done.stdout.splitlines() if line.startswith("| smoke |"))
    assert "FAIL" not in row
    assert "PASS optimizer ≤ LP bound" in row
    assert "PASS ≥ formula" in row and "PASS ≥ cheapest_first" in row
    assert done.stdout.startswith("Machine: ")


def test_generator_is_seeded_and_sized() -> None:
    from bench.generate import generate

    a, b = generate(200, seed=5), generate(200, seed=5)
    assert a == b
    assert len(a.communes) == 200
    assert generate(200, seed=6) != a
    assert len({c.code for c in a.communes}) == 200
