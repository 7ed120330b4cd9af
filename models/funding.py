"""Funding sources, what each may pay for, and the money available per year."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import Field

from models.base import Code, CodeList, Fraction, FrozenModel, Money, OptionalFraction, Text
from models.commune import Commune, CommuneFlag, Region
from models.investment import Investment, InvestmentKind


class SourceKind(StrEnum):
    """Budget money, a loan, or a voluntary contribution."""

    GRANT = "grant"
    CREDIT = "credit"
    CONTRIBUTION = "contribution"


class FundingSource(FrozenModel):
    """A source of money with its eligibility rules and caps."""

    code: Code = Field(description="Unique identifier, e.g. 'central'.")
    name_vi: Text = Field(description="Vietnamese name.")
    name_en: Text = Field(description="English name.")
    kind: SourceKind = Field(default=SourceKind.GRANT, description="Grant, credit or contribution.")
    eligible_kinds: CodeList[InvestmentKind] = Field(
        default=(), description="Investment kinds it may pay for; empty means all."
    )
    eligible_categories: CodeList[Code] = Field(
        default=(), description="Investment categories it may pay for; empty means all."
    )
    eligible_regions: CodeList[Region] = Field(
        default=(), description="It pays only in communes of these regions; empty means all."
    )
    eligible_flags: CodeList[CommuneFlag] = Field(
        default=(), description="It pays only in communes with one of these flags; empty means all."
    )
    max_share: Fraction = Field(default=1.0, description="At most this share of an item's cost.")
    max_poverty_rate: OptionalFraction = Field(
        default=None, description="It pays only where served communes' poverty is at most this."
    )

    def may_pay_for(self, investment: Investment, served: Iterable[Commune]) -> bool:
        """Whether this source may pay for ``investment``, which serves the communes ``served``."""
        if self.eligible_kinds and investment.kind not in self.eligible_kinds:
            return False
        if self.eligible_categories and investment.category not in self.eligible_categories:
            return False
        return all(self.may_pay_in(commune) for commune in served)

    def may_pay_in(self, commune: Commune) -> bool:
        """Whether the commune passes this source's region, flag and poverty conditions."""
        if self.eligible_regions and commune.region not in self.eligible_regions:
            return False
        if self.eligible_flags and not (commune.flags & set(self.eligible_flags)):
            return False
        return not (
            self.max_poverty_rate is not None and commune.poverty_rate > self.max_poverty_rate
        )


class Budget(FrozenModel):
    """Money available from one source in one year, million VND."""

    source_code: Code = Field(description="The funding source.")
    year: int = Field(ge=1900, le=2200, description="Calendar year.")
    amount: Money = Field(description="Million VND available that year.")
