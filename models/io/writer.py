"""Turn a Dataset into tables of cell texts, the common ground of the CSV and Excel writers."""

from __future__ import annotations

from models.criteria import builtin_criteria_set
from models.dataset import Dataset
from models.io.cells import model_to_row, value_to_text
from models.io.tables import (
    CRITERIA_ROWS,
    CRITERIA_TABLE,
    DATASET_TABLE,
    ROW_TABLES,
    SET_CODE_COLUMN,
)

Table = tuple[tuple[str, ...], list[dict[str, str]]]
"""(columns, rows as column → cell text)."""


def dataset_to_tables(dataset: Dataset) -> dict[str, Table]:
    """Every table of the package, in the documented column order."""
    info_rows = [
        {"key": key, "value": value_to_text(value)}
        for key, value in dataset.info.model_dump().items()
        if value is not None
    ]
    tables: dict[str, Table] = {DATASET_TABLE: (("key", "value"), info_rows)}
    criteria_columns = (SET_CODE_COLUMN, *CRITERIA_ROWS.columns)
    tables[CRITERIA_TABLE] = (
        criteria_columns,
        [
            {SET_CODE_COLUMN: dataset.criteria.code, **model_to_row(c, CRITERIA_ROWS.columns)}
            for c in dataset.criteria.criteria
        ],
    )
    for spec in ROW_TABLES:
        models = getattr(dataset, spec.field)
        columns = written_columns(spec.columns, models)
        rows = [model_to_row(m, columns) for m in models]
        tables[spec.name] = (columns, rows)
    return tables


UNWRITTEN_WHEN_EMPTY = frozenset({"latitude", "longitude"})
"""Optional columns a package writes only when some row has a value (most packages have no
coordinates; their files stay as they were)."""


def written_columns(columns: tuple[str, ...], models) -> tuple[str, ...]:
    """``columns`` less those of :data:`UNWRITTEN_WHEN_EMPTY` that no row has a value for."""
    return tuple(
        c
        for c in columns
        if c not in UNWRITTEN_WHEN_EMPTY or any(getattr(m, c, None) is not None for m in models)
    )


def empty_tables(criteria_set_code: str = "ntm_2021_2025") -> dict[str, Table]:
    """Headers only (the criteria table filled with a built-in set): the planner's template."""
    criteria = builtin_criteria_set(criteria_set_code)
    tables: dict[str, Table] = {
        DATASET_TABLE: (
            ("key", "value"),
            [
                {"key": "name", "value": ""},
                {"key": "province", "value": ""},
                {"key": "base_year", "value": ""},
                {"key": "criteria_set", "value": criteria.code},
                {"key": "description", "value": ""},
            ],
        ),
        CRITERIA_TABLE: (
            (SET_CODE_COLUMN, *CRITERIA_ROWS.columns),
            [
                {SET_CODE_COLUMN: criteria.code, **model_to_row(c, CRITERIA_ROWS.columns)}
                for c in criteria.criteria
            ],
        ),
    }
    for spec in ROW_TABLES:
        tables[spec.name] = (spec.columns, [])
    return tables
