"""CSV files and a JSON document with the same content as the workbook.

CSV: one UTF-8 file per table (with a byte-order mark, so Excel opens Vietnamese names correctly),
columns under their stable keys; text a spreadsheet would read as a formula (``=…``, ``+…``, ``-…``,
``@…``) starts with an apostrophe (``formulas.csv_safe``). JSON: the Plan itself (``Plan.model_dump``) plus every table as a
list of records, the scenario and the dataset's description.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.plan import Plan
from reports.formulas import csv_safe_frame

CSV_ENCODING = "utf-8-sig"


def write_csv_tables(folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write ``<name>.csv`` for every table; return the paths written."""
    written = []
    for name, frame in tables.items():
        path = folder / f"{name}.csv"
        write_csv(path, frame)
        written.append(path)
    return written


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """One table as CSV (UTF-8 with a byte-order mark), text from data never a formula."""
    csv_safe_frame(frame).to_csv(path, index=False, encoding=CSV_ENCODING)
    return path


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON-ready records (NaN and NA become null, numpy scalars plain numbers)."""
    rows = []
    for row in frame.astype(object).to_dict("records"):
        rows.append({str(k): _plain(v) for k, v in row.items()})
    return rows


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def plan_document(
    plan: Plan, tables: Mapping[str, pd.DataFrame], dataset: Dataset, scenario: Scenario
) -> dict[str, Any]:
    """The JSON document of a plan report."""
    return {
        "plan": json.loads(plan.model_dump_json()),
        "scenario": scenario.model_dump(mode="json"),
        "dataset": dataset.info.model_dump(mode="json"),
        "units": {"money": "million VND"},
        "tables": {name: records(frame) for name, frame in tables.items()},
    }


def write_json(path: Path, document: Mapping[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def comparison_document(
    plans: Mapping[str, Plan], tables: Mapping[str, pd.DataFrame]
) -> dict[str, Any]:
    """The JSON document of a comparison: every plan by label, and the comparison tables."""
    return {
        "plans": {label: json.loads(plan.model_dump_json()) for label, plan in plans.items()},
        "units": {"money": "million VND"},
        "tables": {name: records(frame) for name, frame in tables.items()},
    }
