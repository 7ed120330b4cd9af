"""Converting between spreadsheet cells (text) and model values, the same way for CSV and Excel."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel


def cell_to_text(value: Any) -> str:
    """Normalise a raw cell (from openpyxl or CSV) to the text the models parse."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def value_to_text(value: Any) -> str:
    """Write one model value as cell text: booleans true/false, lists a;b, no spurious decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple | list | frozenset | set):
        return ";".join(value_to_text(v) for v in value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def model_to_row(model: BaseModel, columns: tuple[str, ...]) -> dict[str, str]:
    """One model as a row of cell texts in the given column order."""
    return {column: value_to_text(getattr(model, column)) for column in columns}
