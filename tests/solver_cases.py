"""Small instances that once made the product state a wrong plan as proven (issue #15)."""

from __future__ import annotations

from builders import dataset

from models.dataset import Dataset
from models.scenario import Scenario

TWO_YEARS = {"start": 2026, "end": 2027}


def warm_start_level() -> tuple[Dataset, Scenario]:
    """Shrunk by hypothesis from tests/test_phasing.py: with highspy 1.16.0 a warm-started level
    reported objective 1 while handing back the start vector (worth 0). The annual optimum funds
    I04 (750, keeping commune 90002's at-risk transport) and reaches 1 commune at the floor."""
    data = dataset(
        gaps={
            "90001": {"irrigation": 1, "income": 1},
            "90002": {},
            "90003": {"irrigation": 1, "income": 1},
            "90004": {"transport": 1, "irrigation": 1, "income": 1},
            "90005": {"transport": 1, "irrigation": 1, "income": 1},
        },
        items=[
            {
                "code": "I01",
                "cost": 1350,
                "duration": 2,
                "category": "irrigation",
                "effects": {
                    ("90001", "irrigation"): 0.5,
                    ("90004", "irrigation"): 0.5,
                    ("90003", "irrigation"): 1.0,
                },
            },
            {
                "code": "I02",
                "cost": 1300,
                "category": "irrigation",
                "effects": {("90001", "irrigation"): 0.5},
            },
            {
                "code": "I03",
                "cost": 1300,
                "category": "irrigation",
                "effects": {("90003", "irrigation"): 1.0},
            },
            {
                "code": "I04",
                "cost": 750,
                "maintenance": True,
                "effects": {("90002", "transport"): 0.5},
            },
            {
                "code": "I05",
                "cost": 100,
                "duration": 2,
                "category": "irrigation",
                "effects": {("90001", "irrigation"): 0.5},
            },
        ],
        budgets={
            ("central", 2026): 700,
            ("central", 2027): 1300,
            ("support", 2026): 0,
            ("support", 2027): 0,
        },
        sources=[{"code": "central"}, {"code": "support"}],
        at_risk={("90002", "transport"), ("90002", "irrigation")},
    )
    return data, Scenario.model_validate(
        {"name": "warm start", "horizon": TWO_YEARS, "budgets": {"carry_over": False}}
    )
