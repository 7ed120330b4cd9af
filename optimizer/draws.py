"""Futures drawn from a scenario's ``uncertainty:`` section: item costs and money paid out.

Draw number k is made by its own generator seeded with (seed, k), over every item of the dataset
in code order and every source and calendar year of the horizon, so a draw is the same whichever
worker makes it, in whatever order, and whatever else is drawn.

* Cost of item i: c_i · exp(μ + σ·Z_i), μ = ln(median), σ = ln(p90/median)/z_0.9 of its category;
  with a district correlation ρ, Z_i = √ρ·Z_district + √(1−ρ)·ε_i (the district of the first
  commune the item serves; items whose communes have no district draw on their own).
* Money of source s in year y: B[s,y] · r[s,y], r uniform in the source's disbursement range
  (1 when not listed), times (1 − shortfall) for people's contributions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from models.dataset import Dataset
from models.funding import SourceKind
from models.scenario import Scenario
from models.uncertainty import RateRange, Uncertainty


@dataclass(frozen=True)
class Future:
    """One draw: a cost multiplier per item and a payout share per (source, calendar year)."""

    index: int
    cost_factor: dict[str, float]
    payout: dict[tuple[str, int], float]


class Sampler:
    """Draws futures of one dataset and scenario; the per-item parameters are prepared once."""

    def __init__(self, dataset: Dataset, scenario: Scenario, uncertainty: Uncertainty) -> None:
        self.uncertainty = uncertainty
        investments = sorted(dataset.investments, key=lambda i: i.code)
        self.items = [i.code for i in investments]
        self.districts = sorted({c.district for c in dataset.communes if c.district})
        where = {d: k for k, d in enumerate(self.districts)}
        mu, sigma, district = [], [], []
        for investment in investments:
            overrun = uncertainty.overrun_for(investment.category)
            mu.append(overrun.mu if overrun else 0.0)
            sigma.append(overrun.sigma if overrun else 0.0)
            served = dataset.served_communes(investment.code)
            first = served[0].district if served else None
            district.append(where.get(first, -1) if first else -1)
        self.mu, self.sigma = np.array(mu), np.array(sigma)
        self.district = np.array(district, dtype=int)
        self.years = range(scenario.horizon.start, scenario.horizon.end + 1)
        self.sources = sorted(dataset.sources, key=lambda s: s.code)

    def draw(self, index: int) -> Future:
        """Draw number ``index`` (seeded by (seed, index), independent of every other draw)."""
        u = self.uncertainty
        rng = np.random.default_rng([u.seed, index])
        shared = rng.standard_normal(len(self.districts))
        own = rng.standard_normal(len(self.items))
        rho = u.district_correlation
        in_district = self.district >= 0
        z = own.copy()
        z[in_district] = (
            math.sqrt(rho) * shared[self.district[in_district]]
            + math.sqrt(1.0 - rho) * own[in_district]
        )
        factors = np.exp(self.mu + self.sigma * z)
        payout = {}
        for source in self.sources:
            for year in self.years:
                share = _uniform(rng, u.disbursement.get(source.code))
                lost = _uniform(rng, u.contribution_shortfall, default=0.0)
                if source.kind == SourceKind.CONTRIBUTION:
                    share *= 1.0 - lost
                payout[(source.code, year)] = share
        cost_factor = dict(zip(self.items, factors.tolist(), strict=True))
        return Future(index=index, cost_factor=cost_factor, payout=payout)


def _uniform(rng: np.random.Generator, rate: RateRange | None, default: float = 1.0) -> float:
    """A share drawn in the range (always one number drawn, so later draws do not shift)."""
    u = rng.random()
    if rate is None:
        return default
    return rate.low + (rate.high - rate.low) * u
