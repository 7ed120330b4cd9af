"""Criteria and criteria sets: which conditions a commune must meet to reach the NTM standard.

The set is data, never code: the national sets ship as CSV files beside this module (2021-2025,
Decision 318/QĐ-TTg: ``ntm_2021_2025.csv``; 2026-2030, Decision 51/2025/QĐ-TTg:
``ntm_2026_2030.csv``), and a dataset may bring its own set in its ``criteria.csv``. A set may have a
companion ``<code>_indicators.csv`` listing the indicators behind its criteria (reference only: the
optimizer works on criteria and their gaps); see ``docs/criteria-sets.md``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from importlib import resources

import pandas as pd
from pydantic import Field, model_validator

from models.base import Code, Flag, FrozenModel, OptionalText, Text
from models.messages import invalid

BUILTIN_SETS_PACKAGE = "models.criteria_sets"
INDICATORS_SUFFIX = "_indicators.csv"
"""Companion files listing a set's indicators; they are not criteria sets themselves."""


class CriterionKind(StrEnum):
    """What kind of effort closes a criterion's gap."""

    INFRASTRUCTURE = "infrastructure"
    LIVELIHOOD = "livelihood"
    SOCIAL = "social"
    GOVERNANCE = "governance"


class Criterion(FrozenModel):
    """One criterion of a set, e.g. criterion 2 "Giao thông" (transport), gaps measured in km."""

    code: Code = Field(description="Stable identifier used by every other table, e.g. 'transport'.")
    number: int = Field(ge=1, description="Number in the official list.")
    name_vi: Text = Field(description="Vietnamese name.")
    name_en: Text = Field(description="English name.")
    group: Text = Field(
        description="Group of the official list, e.g. 'II. Hạ tầng kinh tế - xã hội'."
    )
    kind: CriterionKind = Field(description="Infrastructure, livelihood, social or governance.")
    unit: Text = Field(description="Unit in which a gap is measured, e.g. 'km'.")


class CriteriaSet(FrozenModel):
    """A named, ordered set of criteria; a commune is at standard when it meets all of them."""

    code: Code = Field(description="Identifier of the set, e.g. 'ntm_2021_2025'.")
    criteria: tuple[Criterion, ...] = Field(min_length=1, description="The criteria, by number.")

    @model_validator(mode="after")
    def check_codes_and_numbers_are_unique(self) -> CriteriaSet:
        for attribute in ("code", "number"):
            values = [getattr(c, attribute) for c in self.criteria]
            repeated = sorted({str(v) for v in values if values.count(v) > 1})
            if repeated:
                raise invalid("criteria.repeated", attribute=attribute, values=tuple(repeated))
        return self

    @property
    def size(self) -> int:
        """How many criteria a commune must meet to be at standard."""
        return len(self.criteria)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.criteria)

    @cached_property
    def by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.criteria}


class Indicator(FrozenModel):
    """One indicator (chỉ tiêu) behind a criterion, with its threshold per commune group if known.

    Thresholds are text as the decision words them (``≥ 90%``); empty where not known. ``verified``
    says whether the row was checked against the decision's annex.
    """

    criterion_code: Code = Field(description="The criterion the indicator belongs to.")
    number: Text = Field(description="Number in the criterion, e.g. '2.1'.")
    name_vi: Text = Field(description="Vietnamese name.")
    name_en: Text = Field(description="English name.")
    threshold_group_1: OptionalText = Field(default=None, description="Threshold, group 1.")
    threshold_group_2: OptionalText = Field(default=None, description="Threshold, group 2.")
    threshold_group_3: OptionalText = Field(default=None, description="Threshold, group 3.")
    verified: Flag = Field(default=False, description="Checked against the decision's annex.")
    basis: OptionalText = Field(default=None, description="Where the row comes from.")


def builtin_set_codes() -> tuple[str, ...]:
    """Codes of the criteria sets that ship with the product (indicator files excluded)."""
    files = resources.files(BUILTIN_SETS_PACKAGE).iterdir()
    return tuple(
        sorted(
            f.name.removesuffix(".csv")
            for f in files
            if f.name.endswith(".csv") and not f.name.endswith(INDICATORS_SUFFIX)
        )
    )


def builtin_indicators(code: str) -> tuple[Indicator, ...]:
    """The indicators listed for a built-in set (empty when the set has no indicator file).

    Raises KeyError for an unknown set and ValueError when a row names a criterion the set lacks.
    """
    criteria = builtin_criteria_set(code)
    path = resources.files(BUILTIN_SETS_PACKAGE).joinpath(f"{code}{INDICATORS_SUFFIX}")
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8") as f:
        frame = pd.read_csv(f, dtype=str, keep_default_na=False)
    rows = [{k: v for k, v in r.items() if v != ""} for r in frame.to_dict("records")]
    indicators = tuple(Indicator.model_validate(r) for r in rows)
    unknown = sorted({i.criterion_code for i in indicators} - set(criteria.codes))
    if unknown:
        raise ValueError(f"indicators of {code} name unknown criteria: {', '.join(unknown)}")
    return indicators


def builtin_criteria_set(code: str) -> CriteriaSet:
    """Load a built-in criteria set by code; raises KeyError naming the available sets."""
    if code not in builtin_set_codes():
        raise KeyError(
            f"no built-in criteria set {code!r}; built in: {', '.join(builtin_set_codes())}"
        )
    with resources.files(BUILTIN_SETS_PACKAGE).joinpath(f"{code}.csv").open(encoding="utf-8") as f:
        frame = pd.read_csv(f, dtype=str, keep_default_na=False)
    rows = frame.drop(columns="set_code").to_dict("records")
    return CriteriaSet(code=code, criteria=tuple(Criterion.model_validate(r) for r in rows))
