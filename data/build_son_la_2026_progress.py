"""Build the synthetic progress report of 2026 for the Sơn La 2026-2030 plan
(``data/son_la_2026_progress_2026/``, a CSV folder; see its README and docs/data-format.md).

Run from the repository root::

    python data/build_son_la_2026_progress.py [--out FOLDER]

It solves ``scenarios/son_la_2026_2030_annual.yaml`` on ``data/son_la_2026`` (the plan that
``ntm run`` records for that scenario), then draws, with a fixed seed, what happened in 2026 to
each item that plan starts in 2026, and which criteria communes met through other programmes.
The distributions (constants below) are written in the README. A plan that stopped a level at
its time limit (a loaded machine) may differ from the one the shipped report was drawn for; then
build the report against your run: ``--run N``. Everything is synthetic: it is a
plausible year, calibrated to "programmes disburse 55-80% of allocated capital within the year"
(shared/domain.md), not a record. Rebuilding is byte-identical. Money: million VND, integers.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np

from models.criteria import CriterionKind
from models.io import load_package
from models.io.progress_io import save_progress
from models.progress import CriterionReassessment, Disbursement, ItemProgress, ItemStatus, Progress
from models.scenario_io import load_scenario
from optimizer.plan import Plan
from optimizer.solve import solve

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "son_la_2026_2030_annual.yaml"
OUT = ROOT / "data" / "son_la_2026_progress_2026"
SEED = 2026
YEAR = 2026

# one-year items planned to start (and finish) in 2026
P_ONE_YEAR = {"completed": 0.72, "in_progress": 0.18, "not_started": 0.06, "cancelled": 0.04}
# multi-year items planned to start in 2026
P_MULTI_YEAR = {"in_progress": 0.86, "not_started": 0.09, "cancelled": 0.05}
P_ONE_YEAR_LATE = 0.15
"""Share of multi-year items in progress that now finish a year later than planned."""
P_OVERRUN = 0.20
OVERRUN = (1.05, 1.35)
"""Share of items (not cancelled) whose cost is revised upward, and the factor's range."""
PAID_IN_PROGRESS = (0.40, 0.80)
"""Share of its planned 2026 money a work in progress actually disbursed in 2026."""
PAID_LATE_ONE_YEAR = (0.30, 0.70)
"""Share of its cost a late one-year work disbursed in 2026."""
P_CANCELLED_PAID = 0.5
PAID_CANCELLED = (0.02, 0.10)
"""Half the cancelled items had paid a little (design, site clearance) before being stopped."""
P_MET_ELSEWHERE = {
    CriterionKind.LIVELIHOOD: 0.06,
    CriterionKind.SOCIAL: 0.05,
    CriterionKind.GOVERNANCE: 0.05,
    CriterionKind.INFRASTRUCTURE: 0.01,
}
"""Chance an unmet criterion was met in 2026 through other programmes, by its kind."""


def draw_status(rng: np.random.Generator, shares: dict[str, float]) -> ItemStatus:
    keys = list(shares)
    return ItemStatus(keys[rng.choice(len(keys), p=[shares[k] for k in keys])])


def split(amount: float, by_source: dict[str, float]) -> dict[str, int]:
    """``amount`` split over sources in proportion to the plan's money, whole millions."""
    total = sum(by_source.values())
    parts = {s: int(amount * v / total) for s, v in sorted(by_source.items())}
    first = max(by_source, key=by_source.get)
    parts[first] += round(amount) - sum(parts.values())
    return {s: v for s, v in parts.items() if v > 0}


def build(plan: Plan, dataset, rng: np.random.Generator) -> Progress:
    planned_2026: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    planned_all: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for p in plan.payments:
        planned_all[p.investment][p.source] += p.amount
        if p.year == YEAR:
            planned_2026[p.investment][p.source] += p.amount
    items, disbursements = [], []
    for item in sorted(plan.items, key=lambda i: i.investment):
        if item.start_year != YEAR:
            continue
        code = item.investment
        one_year = item.completion_year == YEAR
        status = draw_status(rng, P_ONE_YEAR if one_year else P_MULTI_YEAR)
        cost = dataset.investment_by_code[code].cost
        revised = None
        if status != ItemStatus.CANCELLED and rng.random() < P_OVERRUN:
            revised = round(cost * rng.uniform(*OVERRUN))
        total = revised or cost
        expected = None
        if status == ItemStatus.COMPLETED:
            paid = float(total)
        elif status == ItemStatus.IN_PROGRESS and one_year:
            paid = total * rng.uniform(*PAID_LATE_ONE_YEAR)
            expected = YEAR + 1
        elif status == ItemStatus.IN_PROGRESS:
            planned = sum(planned_2026[code].values())
            paid = planned * rng.uniform(*PAID_IN_PROGRESS)
            expected = item.completion_year + (1 if rng.random() < P_ONE_YEAR_LATE else 0)
            expected = min(expected, plan_end(plan))
        elif status == ItemStatus.CANCELLED and rng.random() < P_CANCELLED_PAID:
            paid = cost * rng.uniform(*PAID_CANCELLED)
        else:
            paid = 0.0
        items.append(
            ItemProgress(
                investment_code=code,
                status=status,
                revised_cost=revised,
                expected_completion_year=expected,
            )
        )
        sources = planned_2026[code] or planned_all[code]
        for source, amount in split(paid, sources).items():
            disbursements.append(
                Disbursement(investment_code=code, source_code=source, year=YEAR, amount=amount)
            )
    criteria = []
    kinds = {c.code: c.kind for c in dataset.criteria.criteria}
    for s in dataset.status:
        if not s.met and rng.random() < P_MET_ELSEWHERE[kinds[s.criterion_code]]:
            criteria.append(
                CriterionReassessment(
                    commune_code=s.commune_code,
                    criterion_code=s.criterion_code,
                    met=True,
                    year=YEAR,
                )
            )
    return Progress(
        items=tuple(items), disbursements=tuple(disbursements), criteria=tuple(criteria)
    )


def plan_end(plan: Plan) -> int:
    return max(i.completion_year for i in plan.items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--run",
        type=int,
        help="build against this run of the history store (default: solve the scenario)",
    )
    args = parser.parse_args()
    if args.run is not None:
        from store import Store

        with Store.open() as history:
            run = history.get_run(args.run)
            dataset, plan = history.load_dataset(run.dataset_hash), run.plan
    else:
        scenario = load_scenario(SCENARIO)
        dataset = load_package(scenario.dataset)
        plan = solve(dataset, scenario)
    progress = build(plan, dataset, np.random.default_rng(SEED))
    save_progress(progress, args.out)
    counts = defaultdict(int)
    for i in progress.items:
        counts[i.status.value] += 1
    paid = sum(d.amount for d in progress.disbursements)
    planned = sum(p.amount for p in plan.payments if p.year == YEAR)
    print(f"items started in {YEAR}: {len(progress.items)} {dict(sorted(counts.items()))}")
    print(f"cost revised upward: {sum(1 for i in progress.items if i.revised_cost)}")
    print(f"disbursed in {YEAR}: {paid:,.0f} of {planned:,.0f} planned ({paid / planned:.0%})")
    print(f"criteria met through other programmes: {len(progress.criteria)}")


if __name__ == "__main__":
    main()
