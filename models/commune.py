"""Communes (xã) and their status on each criterion."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from models.base import (
    AdminCode,
    Code,
    Flag,
    Fraction,
    FrozenModel,
    NonNegativeFloat,
    NonNegativeInt,
    OptionalNonNegativeFloat,
    OptionalText,
    Text,
)
from models.messages import invalid


class Region(StrEnum):
    """Ethnic-minority and mountain area classification (khu vực I / II / III)."""

    I = "I"  # noqa: E741 - the official name of the region
    II = "II"
    III = "III"


class NtmLevel(StrEnum):
    """NTM recognition of a commune."""

    NONE = "none"
    STANDARD = "standard"
    ADVANCED = "advanced"
    MODEL = "model"


class UnitType(StrEnum):
    """Commune-level unit type; wards are excluded from commune targets by default."""

    COMMUNE = "commune"
    WARD = "ward"


class CommuneFlag(StrEnum):
    """Policy flags that funding rules and policy constraints refer to."""

    BORDER = "border"
    ATK = "atk"
    EXTREMELY_DIFFICULT = "extremely_difficult"


class Commune(FrozenModel):
    """A commune-level unit with the attributes that policy and the funding formula use."""

    code: AdminCode = Field(description="Official administrative code, five digits.")
    name: Text = Field(description="Official name with prefix, e.g. 'Xã Chiềng Mai'.")
    district: OptionalText = Field(default=None, description="District-level unit (pre-2025).")
    unit_type: UnitType = Field(default=UnitType.COMMUNE, description="Commune or ward.")
    region: Region = Field(description="Region I, II or III.")
    population: NonNegativeInt = Field(description="People.")
    households: NonNegativeInt = Field(description="Households.")
    poverty_rate: Fraction = Field(description="Multidimensional poverty rate, a fraction.")
    income_per_capita: OptionalNonNegativeFloat = Field(
        default=None, description="Million VND per person per year."
    )
    ntm_level: NtmLevel = Field(default=NtmLevel.NONE, description="NTM recognition.")
    border: Flag = Field(default=False, description="Border commune.")
    atk: Flag = Field(default=False, description="Safe-zone (ATK) commune.")
    extremely_difficult: Flag = Field(default=False, description="Extremely difficult commune.")
    difficult_villages: NonNegativeInt = Field(
        default=0, description="Number of extremely difficult villages (bản ĐBKK)."
    )
    latitude: float | None = Field(
        default=None, ge=-90, le=90, description="Decimal degrees north (WGS 84), optional."
    )
    longitude: float | None = Field(
        default=None, ge=-180, le=180, description="Decimal degrees east (WGS 84), optional."
    )

    @model_validator(mode="after")
    def check_coordinates_come_in_pairs(self) -> Commune:
        if (self.latitude is None) != (self.longitude is None):
            given = "latitude" if self.longitude is None else "longitude"
            raise invalid("commune.coordinate_alone", given=given)
        return self

    @property
    def flags(self) -> frozenset[CommuneFlag]:
        """The policy flags this commune carries."""
        return frozenset(f for f in CommuneFlag if getattr(self, f.value))

    @property
    def poor_households(self) -> int:
        """Poor households, from the rate and the household count."""
        return round(self.poverty_rate * self.households)


class CriterionStatus(FrozenModel):
    """Where one commune stands on one criterion: met, or the gap left in the criterion's unit."""

    commune_code: AdminCode = Field(description="The commune.")
    criterion_code: Code = Field(description="The criterion.")
    met: Flag = Field(description="The criterion is met today.")
    gap: NonNegativeFloat = Field(
        default=0.0, description="What is missing, in the criterion's unit."
    )
    at_risk: Flag = Field(default=False, description="Met, but lost without maintenance.")

    @model_validator(mode="after")
    def check_gap_matches_met(self) -> CriterionStatus:
        if self.met and self.gap != 0:
            raise invalid("status.gap_but_met", gap=f"{self.gap:g}")
        if not self.met and self.gap == 0:
            raise invalid("status.no_gap_not_met")
        if self.at_risk and not self.met:
            raise invalid("status.at_risk_not_met")
        return self
