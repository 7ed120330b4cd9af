"""Uncertainty as data: how far costs, payouts and people's contributions may stray from the plan.

The ``uncertainty:`` section of a scenario describes the futures a plan is tested against
(optimizer/risk.py draws them): a lognormal cost multiplier per item category given by its median
and 90th percentile, the share of each source's money actually paid out in a year as a range,
the shortfall of people's contributions, an optional correlation of overruns within a district,
and how many futures to draw with which seed. ``robustness:`` says how a plan guards against
overruns: budgeted uncertainty (Γ items per budget row at their 90th-percentile cost) and a
contingency reserve held back from every budget.
"""

from __future__ import annotations

import math

from pydantic import Field, field_validator, model_validator

from models.base import Code, Fraction, FrozenModel, PositiveFloat
from models.messages import invalid, msg

Z90 = 1.2815515655446004
"""The 90th percentile of the standard normal distribution."""
DEFAULT_DRAWS = 200
MAX_DRAWS = 100_000


class CostOverrun(FrozenModel):
    """Lognormal multiplier of an item's cost: ``median`` and 90th percentile ``p90`` (1.0 = the
    estimate; ``median: 1.05, p90: 1.4`` = typically 5 % over, one work in ten 40 % or more)."""

    median: PositiveFloat = Field(description="Median cost multiplier.")
    p90: PositiveFloat = Field(description="90th-percentile cost multiplier (≥ the median).")

    @model_validator(mode="after")
    def check_p90_is_not_below_the_median(self) -> CostOverrun:
        if self.p90 < self.median:
            raise invalid(
                "uncertainty.p90_below_median", p90=f"{self.p90:g}", median=f"{self.median:g}"
            )
        return self

    @property
    def mu(self) -> float:
        """Mean of the multiplier's logarithm."""
        return math.log(self.median)

    @property
    def sigma(self) -> float:
        """Standard deviation of the multiplier's logarithm (0: no variance)."""
        return math.log(self.p90 / self.median) / Z90


class RateRange(FrozenModel):
    """A share drawn uniformly between ``low`` and ``high`` (equal: a fixed share)."""

    low: Fraction = Field(description="Lowest share (0-1).")
    high: Fraction = Field(description="Highest share (0-1, ≥ low).")

    @model_validator(mode="after")
    def check_low_is_not_above_high(self) -> RateRange:
        if self.low > self.high:
            raise invalid("uncertainty.low_above_high", low=f"{self.low:g}", high=f"{self.high:g}")
        return self


class Uncertainty(FrozenModel):
    """The futures a plan is tested against; every draw is seeded by (``seed``, draw number)."""

    draws: int = Field(default=DEFAULT_DRAWS, ge=1, le=MAX_DRAWS, description="Futures to draw.")
    seed: int = Field(default=0, ge=0, description="Seed of the draws (same seed, same futures).")
    overrun: dict[Code, CostOverrun] = Field(
        default_factory=dict, description="Cost multiplier per item category."
    )
    overrun_default: CostOverrun | None = Field(
        default=None, description="Cost multiplier of categories not listed; None: no overrun."
    )
    disbursement: dict[Code, RateRange] = Field(
        default_factory=dict,
        description="Share of a source's yearly money actually paid out (drawn per source and "
        "year); sources not listed pay out in full.",
    )
    contribution_shortfall: RateRange | None = Field(
        default=None,
        description="Share of people's contributions (sources of kind contribution) that does "
        "not come, drawn per source and year.",
    )
    district_correlation: Fraction = Field(
        default=0.0,
        description="Correlation of the cost overruns of items in the same district (0: each "
        "item on its own; 1: the whole district together).",
    )

    recourse_objectives: tuple[str, ...] | None = Field(
        default=None,
        min_length=1,
        description="Objectives of the recourse in each draw, in order (least money is always "
        "added last). Default: the scenario's, which makes a future without variance give back "
        "the plan exactly; [communes_at_standard] alone is much faster on large plans.",
    )

    @field_validator("recourse_objectives")
    @classmethod
    def check_recourse_objectives_are_objectives(
        cls, value: tuple[str, ...] | None
    ) -> tuple[str, ...] | None:
        from models.scenario import Objective  # models.scenario imports this module

        known = {o.value for o in Objective}
        unknown = [v for v in value or () if v not in known]
        if unknown:
            raise invalid(
                "reference.unknown_known",
                what=msg("what.objective"),
                value=repr(unknown[0]),
                known=", ".join(sorted(known)),
            )
        return value

    def overrun_for(self, category: str) -> CostOverrun | None:
        """The cost multiplier of a category (None: the estimate holds)."""
        return self.overrun.get(category, self.overrun_default)


class Robustness(FrozenModel):
    """How a plan guards against overruns (both may be combined)."""

    gamma: int = Field(
        default=0,
        ge=0,
        description="Budgeted uncertainty (Bertsimas and Sim): every budget row must hold even "
        "when Γ of the items it pays for cost their 90th-percentile multiplier. 0: off.",
    )
    reserve: Fraction = Field(
        default=0.0, description="Share of every budget held back as a contingency reserve."
    )
