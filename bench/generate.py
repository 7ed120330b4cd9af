"""Seeded benchmark instances of any size, built from the Sơn La reference dataset.

An instance of ``n`` communes tiles Sơn La's 188 communes into blocks (each block a copy of the
province with new codes and district names), keeps the first ``n`` communes, and perturbs every
item's cost by a seeded factor so blocks are not identical. The structure is the reference
dataset's — shared inter-commune works within a district, partial livelihood packages, seven
sources with their eligibility rules, policy groups — and the budgets scale with the size, so the
money stays as short against needs as in Sơn La.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from models import Budget, Commune, CriterionStatus, Dataset, DatasetInfo, Effect, Investment
from models.io import load_package

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "son_la_2021"
COST_SPREAD = (0.85, 1.15)
"""Each block's item costs are the reference costs times a factor drawn in this range."""


def _code(block: int, code: str) -> str:
    return code if block == 0 else f"{block:03d}{code}"


def generate(
    communes: int,
    seed: int = 0,
    reference: Dataset | None = None,
    offset: int = 0,
    richness: float = 1.0,
    name: str | None = None,
) -> Dataset:
    """An instance with ``communes`` communes (seeded; same arguments → equal datasets).

    ``offset`` starts the tiling at that commune of the reference (wrapping round), so instances
    of the same size differ in which communes they hold; ``richness`` multiplies the budgets.
    """
    base = reference or load_package(REFERENCE)
    if communes < 1:
        raise ValueError("an instance needs at least one commune")
    rng = np.random.default_rng(seed)
    blocks = math.ceil(communes / len(base.communes))
    shift = offset % len(base.communes)
    ordered = base.communes[shift:] + base.communes[:shift]
    kept: list[Commune] = []
    for block in range(blocks):
        for commune in ordered:
            if len(kept) == communes:
                break
            district = commune.district if block == 0 else f"{commune.district} ({block + 1})"
            kept.append(
                commune.model_copy(
                    update={"code": _code(block, commune.code), "district": district}
                )
            )
    codes = {c.code for c in kept}
    status = [
        s.model_copy(update={"commune_code": _code(block, s.commune_code)})
        for block in range(blocks)
        for s in base.status
        if _code(block, s.commune_code) in codes
    ]
    investments: list[Investment] = []
    effects: list[Effect] = []
    for block in range(blocks):
        factors = rng.uniform(*COST_SPREAD, size=len(base.investments))
        for investment, factor in zip(base.investments, factors, strict=True):
            served = base.effects_by_investment[investment.code]
            if not all(_code(block, e.commune_code) in codes for e in served):
                continue
            code = f"B{block:03d}{investment.code}"
            investments.append(
                investment.model_copy(
                    update={"code": code, "cost": max(1, round(investment.cost * factor))}
                )
            )
            effects += [
                e.model_copy(
                    update={"investment_code": code, "commune_code": _code(block, e.commune_code)}
                )
                for e in served
            ]
    scale = communes / len(base.communes) * richness
    budgets = [
        Budget(source_code=b.source_code, year=b.year, amount=round(b.amount * scale))
        for b in base.budgets
    ]
    return Dataset(
        info=DatasetInfo(
            name=name or f"benchmark {communes} communes (seed {seed})",
            province="synthetic",
            base_year=base.info.base_year,
            criteria_set=base.info.criteria_set,
            description=f"Tiled from {base.info.name}; costs perturbed by seed {seed}.",
        ),
        criteria=base.criteria,
        communes=tuple(kept),
        status=tuple(CriterionStatus.model_validate(s) for s in status),
        investments=tuple(investments),
        effects=tuple(effects),
        sources=base.sources,
        budgets=tuple(budgets),
    )


PROVINCES = 34
"""Provinces after the 2025 merger."""
NATION_COMMUNES = 3300
"""Commune-level units nationally in the benchmark (about as many as after the merger)."""
RICHNESS = (0.6, 1.4)
"""Each province's budgets are scaled by a factor drawn in this range: provinces differ in how
short their money is against their needs."""


def nation(
    provinces: int = PROVINCES, communes: int = NATION_COMMUNES, seed: int = 0
) -> list[tuple[str, Dataset]]:
    """A seeded national instance: ``provinces`` provinces of ``communes`` communes in all.

    Province sizes are drawn around the average (a Dirichlet split, no province below 20
    communes); each province tiles the reference from its own starting commune, with its own
    cost perturbation and a richness factor on its budgets (``RICHNESS``). Same arguments →
    equal instances.
    """
    if provinces < 1 or communes < 20 * provinces:
        raise ValueError("need at least one province and 20 communes per province")
    rng = np.random.default_rng(seed)
    base = load_package(REFERENCE)
    spare = communes - 20 * provinces
    shares = rng.dirichlet(np.full(provinces, 8.0))
    sizes = [20 + int(x) for x in np.floor(shares * spare)]
    for k in range(communes - sum(sizes)):
        sizes[k % provinces] += 1
    instance = []
    for p, size in enumerate(sizes):
        name = f"Tỉnh {p + 1:02d}"
        dataset = generate(
            size,
            seed=seed * 1000 + p,
            reference=base,
            offset=int(rng.integers(len(base.communes))),
            richness=float(rng.uniform(*RICHNESS)),
            name=f"{name} (benchmark, seed {seed})",
        )
        instance.append((name, dataset))
    return instance


def write_nation(
    folder: Path, provinces: int = PROVINCES, communes: int = NATION_COMMUNES, seed: int = 0
) -> list[Path]:
    """Write :func:`nation` as one CSV package folder per province under ``folder``."""
    from models.io import save_csv

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, dataset in nation(provinces, communes, seed):
        target = folder / name.replace(" ", "_")
        save_csv(dataset, target)
        written.append(target)
    return written


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write a seeded national benchmark instance.")
    parser.add_argument("out", type=Path, help="folder to write one package folder per province")
    parser.add_argument("--provinces", type=int, default=PROVINCES)
    parser.add_argument("--communes", type=int, default=NATION_COMMUNES)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for path in write_nation(args.out, args.provinces, args.communes, args.seed):
        print(path)
