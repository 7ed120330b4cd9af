"""The 34-province national run on a LocalCluster of 1 worker, then of 2, in one process that
does nothing else: ``python -m bench.national_workers`` (from the repository root). Prints the
wall seconds, the provinces' own seconds summed, and the ratio 2 workers / 1 worker."""

from __future__ import annotations

from bench.cases import POOLED, solve_on_workers
from bench.generate import nation
from models.scenario_io import load_scenario
from optimizer.national import Province
from optimizer.sweep import close_clusters


def main() -> None:
    provinces = [Province(name, dataset) for name, dataset in nation(34, 3300, seed=1)]
    scenario = load_scenario(POOLED)
    seconds = {}
    try:
        for workers in (1, 2):
            run, seconds[workers] = solve_on_workers(provinces, scenario, workers)
            own = sum(p.seconds for p in run.provinces)
            print(f"{workers} worker(s): {seconds[workers]:.1f} s; provinces' own {own:.1f} s")
    finally:
        close_clusters()
    print(f"2 workers / 1 worker: {seconds[2] / seconds[1]:.2f}")


if __name__ == "__main__":
    main()
