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


def generate(communes: int, seed: int = 0, reference: Dataset | None = None) -> Dataset:
    """An instance with ``communes`` communes (seeded; same arguments → equal datasets)."""
    base = reference or load_package(REFERENCE)
    if communes < 1:
        raise ValueError("an instance needs at least one commune")
    rng = np.random.default_rng(seed)
    blocks = math.ceil(communes / len(base.communes))
    kept: list[Commune] = []
    for block in range(blocks):
        for commune in base.communes:
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
    scale = communes / len(base.communes)
    budgets = [
        Budget(source_code=b.source_code, year=b.year, amount=round(b.amount * scale))
        for b in base.budgets
    ]
    return Dataset(
        info=DatasetInfo(
            name=f"benchmark {communes} communes (seed {seed})",
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
