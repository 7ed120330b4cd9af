"""Domain types of ntm-budget (validated, immutable pydantic models) and data-package I/O."""

from models.commune import Commune, CommuneFlag, CriterionStatus, NtmLevel, Region, UnitType
from models.criteria import (
    CriteriaSet,
    Criterion,
    CriterionKind,
    Indicator,
    builtin_criteria_set,
    builtin_indicators,
    builtin_set_codes,
)
from models.dataset import Dataset, DatasetInfo, cross_check
from models.funding import Budget, FundingSource, SourceKind
from models.investment import Effect, Investment, InvestmentKind
from models.merge import (
    Mapping,
    MappingError,
    MappingRow,
    MergeError,
    NewUnit,
    load_mapping,
    merge_dataset,
)
from models.problems import DatasetError, Problem
from models.transition import Transition, TransitionError, transition_dataset

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
    "Indicator",
    "Investment",
    "InvestmentKind",
    "Mapping",
    "MappingError",
    "MappingRow",
    "MergeError",
    "NewUnit",
    "NtmLevel",
    "Problem",
    "Region",
    "SourceKind",
    "Transition",
    "TransitionError",
    "UnitType",
    "builtin_criteria_set",
    "builtin_indicators",
    "builtin_set_codes",
    "cross_check",
    "load_mapping",
    "merge_dataset",
    "transition_dataset",
]
