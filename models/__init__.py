"""Domain types of ntm-budget (validated, immutable pydantic models) and data-package I/O."""

from models.commune import Commune, CommuneFlag, CriterionStatus, NtmLevel, Region, UnitType
from models.criteria import (
    CriteriaSet,
    Criterion,
    CriterionKind,
    builtin_criteria_set,
    builtin_set_codes,
)
from models.dataset import Dataset, DatasetInfo, cross_check
from models.funding import Budget, FundingSource, SourceKind
from models.investment import Effect, Investment, InvestmentKind
from models.problems import DatasetError, Problem

__all__ = [
    "Budget",
    "Commune",
    "CommuneFlag",
    "CriteriaSet",
    "Criterion",
    "CriterionKind",
    "CriterionStatus",
    "Dataset",
    "DatasetError",
    "DatasetInfo",
    "Effect",
    "FundingSource",
    "Investment",
    "InvestmentKind",
    "NtmLevel",
    "Problem",
    "Region",
    "SourceKind",
    "UnitType",
    "builtin_criteria_set",
    "builtin_set_codes",
    "cross_check",
]
