"""Criteria and criteria sets: which conditions a commune must meet to reach the NTM standard.

The set is data, never code: the 2021-2025 national set (19 criteria, Decision 318/QĐ-TTg) ships as a
CSV file beside this module, and a dataset may bring its own set in its ``criteria.csv``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from importlib import resources

import pandas as pd
from pydantic import Field, model_validator

from models.base import Code, FrozenModel, Text

BUILTIN_SETS_PACKAGE = "models.criteria_sets"


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
                raise ValueError(f"criterion {attribute} repeated: {', '.join(repeated)}")
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


def builtin_set_codes() -> tuple[str, ...]:
    """Codes of the criteria sets that ship with the product."""
    files = resources.files(BUILTIN_SETS_PACKAGE).iterdir()
    return tuple(sorted(f.name.removesuffix(".csv") for f in files if f.name.endswith(".csv")))


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
