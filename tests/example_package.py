"""The hand-checkable example package (data/example): its path and commune codes, for tests."""

from __future__ import annotations

from pathlib import Path

from models.scenario import Objective

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"
NA_PAT, CO_LAY, HUOI_HIN, PHIENG_SAN, TA_CO, SUOI_DO = (
    "90001",
    "90002",
    "90003",
    "90004",
    "90005",
    "90006",
)
TWO_LEVELS = (Objective.COMMUNES_AT_STANDARD, Objective.LEAST_COST)
"""Most communes at standard, then least money."""
