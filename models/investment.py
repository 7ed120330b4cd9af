"""Fundable items (infrastructure works, livelihood programmes) and the gaps they close."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from models.base import (
    AdminCode,
    Code,
    Flag,
    FrozenModel,
    OptionalInt,
    PositiveFloat,
    PositiveMoney,
    Text,
)


class InvestmentKind(StrEnum):
    """Whether an item builds something or supports households' livelihoods."""

    INFRASTRUCTURE = "infrastructure"
    LIVELIHOOD = "livelihood"


class Investment(FrozenModel):
    """A fundable item; its cost is spread evenly over its duration."""

    code: Text = Field(description="Unique identifier, e.g. 'INV00001'.")
    name: Text = Field(description="What it is, in Vietnamese.")
    kind: InvestmentKind = Field(description="Infrastructure or livelihood.")
    category: Code = Field(description="road, irrigation, school, value_chain, livestock, …")
    cost: PositiveMoney = Field(description="Total cost in million VND.")
    duration_years: int = Field(default=1, ge=1, description="Years to build or run.")
    maintenance: Flag = Field(default=False, description="Keeps an at-risk criterion.")
    earliest_year: OptionalInt = Field(default=None, description="Cannot start before this year.")

    @property
    def yearly_cost(self) -> float:
        """Cost per year of its duration, million VND."""
        return self.cost / self.duration_years


class Effect(FrozenModel):
    """How much of one commune's gap on one criterion an item closes, in the criterion's unit."""

    investment_code: Text = Field(description="The item.")
    commune_code: AdminCode = Field(description="A commune it serves.")
    criterion_code: Code = Field(description="The criterion whose gap it reduces.")
    amount: PositiveFloat = Field(description="Gap closed, in the criterion's unit.")
