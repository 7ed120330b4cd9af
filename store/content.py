"""Canonical content of datasets and scenarios: what the store keeps, and the hashes that name it.

A dataset is kept as its package tables — the same cell texts the CSV writer produces
(``models.io.writer.dataset_to_tables``) — serialised as canonical JSON. Its SHA-256 is therefore
the same for a package read from CSV, from Excel or built in code, and it changes with any cell
(row order included, since the order of communes and items is part of what the optimizer sees).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from models.dataset import Dataset
from models.io.raw import RawPackage, make_table
from models.io.reader import build_dataset
from models.io.tables import ALL_TABLE_NAMES
from models.io.writer import dataset_to_tables
from models.scenario import Scenario

CONTENT_FORMAT = 1
"""Version of the canonical dataset layout; part of the hashed text."""


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys and Unicode kept as is (the text that is hashed)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dataset_content(dataset: Dataset) -> str:
    """The dataset's package tables as canonical JSON: table → columns and rows of cell texts."""
    tables = dataset_to_tables(dataset)
    document = {
        "format": CONTENT_FORMAT,
        "tables": {
            name: {
                "columns": list(tables[name][0]),
                "rows": [[row[c] for c in tables[name][0]] for row in tables[name][1]],
            }
            for name in ALL_TABLE_NAMES
            if name in tables
        },
    }
    return canonical_json(document)


def dataset_hash(dataset: Dataset) -> str:
    """Stable SHA-256 (hex) of the dataset's canonical tables."""
    return sha256(dataset_content(dataset))


def dataset_from_content(content: str, source: str = "history store") -> Dataset:
    """Rebuild the Dataset from stored content, validated exactly as a package on disk is."""
    document = json.loads(content)
    if document.get("format") != CONTENT_FORMAT:
        raise ValueError(f"unknown dataset content format {document.get('format')!r}")
    raw = RawPackage(source=source)
    for name, table in document["tables"].items():
        raw.tables[name] = make_table(name, table["columns"], table["rows"])
    return build_dataset(raw)


def scenario_content(scenario: Scenario) -> str:
    """The scenario as JSON, every field written (defaults too), in the model's field order."""
    return scenario.model_dump_json()


def scenario_hash(scenario: Scenario) -> str:
    return sha256(canonical_json(scenario.model_dump(mode="json")))
