"""The 34-province national run on a LocalCluster of 1 worker, then of 2, in one process that
does nothing else: ``python -m bench.national_workers`` (from the repository root). Prints the
wall seconds, the provinces' own seconds summed, and the ratio 2 workers / 1 worker."""

from __future__ import annotations

import time
from pathlib import Path

from bench.generate import nation
from models.scenario_io import load_scenario
from optimizer.national import Province, solve_provinces
from optimizer.sweep import OnDask, Shared, close_clusters, dask_client

POOLED = Path(__file__).resolve().parents[1] / "scenarios" / "son_la_2021_2025.yaml"


def _ready(shared: Shared, item: int) -> int:
    return item


def main() -> None:
    provinces = [Province(name, dataset) for name, dataset in nation(34, 3300, seed=1)]
    scenario = load_scenario(POOLED)
    seconds = {}
    try:
        for workers in (1, 2):
            executor = OnDask(dask_client(workers=workers))
            executor.run(_ready, Shared(None), list(range(2 * workers)))  # workers up
            started = time.perf_counter()
            run, _ = solve_provinces(provinces, scenario, executor=executor)
            seconds[workers] = time.perf_counter() - started
            own = sum(p.seconds for p in run.provinces)
            print(f"{workers} worker(s): {seconds[workers]:.1f} s; provinces' own {own:.1f} s")
    finally:
        close_clusters()
    print(f"2 workers / 1 worker: {seconds[2] / seconds[1]:.2f}")


if __name__ == "__main__":
    main()
