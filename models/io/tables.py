"""The tables of a data package: their names, the model each row is, and the dataset field."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from models.commune import Commune, CriterionStatus
from models.criteria import Criterion
from models.funding import Budget, FundingSource
from models.investment import Effect, Investment

DATASET_TABLE = "dataset"
CRITERIA_TABLE = "criteria"
SET_CODE_COLUMN = "set_code"


@dataclass(frozen=True)
class RowTable:
    """A table whose rows are instances of ``model``, stored in ``Dataset.<field>``."""

    name: str
    model: type[BaseModel]
    field: str

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(n for n, f in self.model.model_fields.items() if f.is_required())


ROW_TABLES: tuple[RowTable, ...] = (
    RowTable("communes", Commune, "communes"),
    RowTable("criteria_status", CriterionStatus, "status"),
    RowTable("investments", Investment, "investments"),
    RowTable("investment_effects", Effect, "effects"),
    RowTable("funding_sources", FundingSource, "sources"),
    RowTable("budgets", Budget, "budgets"),
)
CRITERIA_ROWS = RowTable(CRITERIA_TABLE, Criterion, "criteria")
TABLE_BY_FIELD = {t.field: t for t in ROW_TABLES}
ALL_TABLE_NAMES = (DATASET_TABLE, CRITERIA_TABLE, *(t.name for t in ROW_TABLES))
PROGRESS_TABLE_NAMES = ("progress_items", "progress_disbursements", "progress_criteria")
"""The tables of a progress report (models.progress); a data package may carry them too."""
