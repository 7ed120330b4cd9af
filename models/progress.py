"""Progress through a planning cycle: what happened to each funded item and to the communes' criteria.

Three tables, read like a data package (a CSV folder or Excel sheets; see docs/data-format.md):
``progress_items`` (status, revised cost and expected completion of each funded item),
``progress_disbursements`` (money paid per item, source and year) and ``progress_criteria``
(criteria reassessed in a commune, e.g. met through another programme). Cross-checks against the
dataset and the plan being revised live in ``optimizer.replan``; here each row is valid on its own.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from functools import cached_property

from pydantic import Field, model_validator

from models.base import (
    AdminCode,
    Code,
    Flag,
    FrozenModel,
    Money,
    NonNegativeFloat,
    OptionalInt,
    OptionalText,
    Text,
)
from models.messages import invalid


class ItemStatus(StrEnum):
    """Where a funded item stands at the time of the progress report."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ItemProgress(FrozenModel):
    """One funded item's status at the end of the reported year."""

    investment_code: Text = Field(description="The item (a code of the investments table).")
    status: ItemStatus = Field(description="not_started, in_progress, completed or cancelled.")
    revised_cost: OptionalInt = Field(
        default=None, description="Revised total cost, million VND; empty: the original cost."
    )
    expected_completion_year: OptionalInt = Field(
        default=None, description="Year it is now expected to be complete (in_progress items)."
    )
    proposed_again: Flag = Field(
        default=False, description="A cancelled item that may be funded again in the re-plan."
    )
    note: OptionalText = Field(default=None, description="Free text (why late, why cancelled).")

    @model_validator(mode="after")
    def check_revised_cost_is_positive(self) -> ItemProgress:
        if self.revised_cost is not None and self.revised_cost <= 0:
            raise invalid("progress.revised_cost_not_positive", cost=self.revised_cost)
        return self

    @model_validator(mode="after")
    def check_only_cancelled_items_are_proposed_again(self) -> ItemProgress:
        if self.proposed_again and self.status != ItemStatus.CANCELLED:
            raise invalid("progress.proposed_again_not_cancelled")
        return self


class Disbursement(FrozenModel):
    """Money one source paid for one item in one year, million VND."""

    investment_code: Text = Field(description="The item.")
    source_code: Code = Field(description="The funding source that paid.")
    year: int = Field(ge=1900, le=2200, description="Calendar year of the payment.")
    amount: Money = Field(description="Million VND paid.")


class CriterionReassessment(FrozenModel):
    """A commune's criterion as reassessed in a year: met, or the gap still left."""

    commune_code: AdminCode = Field(description="The commune.")
    criterion_code: Code = Field(description="The criterion.")
    met: Flag = Field(description="Met at the reassessment.")
    gap: NonNegativeFloat = Field(default=0.0, description="Gap left, in the criterion's unit.")
    year: int = Field(ge=1900, le=2200, description="Year of the assessment.")

    @model_validator(mode="after")
    def check_gap_matches_met(self) -> CriterionReassessment:
        if self.met and self.gap != 0:
            raise invalid("status.gap_but_met", gap=f"{self.gap:g}")
        if not self.met and self.gap == 0:
            raise invalid("status.no_gap_not_met")
        return self


class Progress(FrozenModel):
    """Everything reported about a cycle so far (rows as read; cross-checked by the re-plan)."""

    items: tuple[ItemProgress, ...] = ()
    disbursements: tuple[Disbursement, ...] = ()
    criteria: tuple[CriterionReassessment, ...] = ()

    @cached_property
    def item_by_code(self) -> dict[str, ItemProgress]:
        return {i.investment_code: i for i in self.items}

    @cached_property
    def disbursed_by_item(self) -> dict[str, float]:
        """Item → money paid for it so far, all sources and years."""
        paid: dict[str, float] = defaultdict(float)
        for d in self.disbursements:
            paid[d.investment_code] += d.amount
        return dict(paid)

    @cached_property
    def disbursed_by_source_year(self) -> dict[tuple[str, int], float]:
        """(source, year) → money paid."""
        paid: dict[tuple[str, int], float] = defaultdict(float)
        for d in self.disbursements:
            paid[(d.source_code, d.year)] += d.amount
        return dict(paid)

    @property
    def is_empty(self) -> bool:
        return not (self.items or self.disbursements or self.criteria)
