"""Formulas in report files: the totals the reports write, and text from data that must not be one.

Totals rows are ``=SUM(…)`` formulas over the cells above, so a reader who changes a figure sees
the total follow. openpyxl writes a formula without its value, and readers that do not recalculate
(pandas, openpyxl's ``data_only=True``, previews, some viewers) would see an empty cell; so
:func:`save_workbook` computes each SUM from the cells it covers and stores the value in the
saved file beside its formula, as Excel itself does.

Text from data (commune, item and scenario names, descriptions) starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return could be read as a formula by a spreadsheet (OWASP's CSV
injection rule): workbooks store such text as text (``excel.put_cell``), CSV files prefix it with
an apostrophe (:func:`csv_safe`).
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read a text cell as a formula (OWASP)."""
SUM_FORMULA = re.compile(r"=SUM\(([A-Z]+[0-9]+:[A-Z]+[0-9]+)\)")
CACHED_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/>')
"""A formula cell as openpyxl writes it: reference, attributes, formula and an empty value."""


def csv_safe(value: object) -> object:
    """Text a spreadsheet would read as a formula, prefixed with an apostrophe; anything else
    (numbers, negative ones too, and other text) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with :func:`csv_safe` applied to every text cell and column name (a scenario
    label is one); numeric columns untouched."""
    text = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    safe = frame.assign(**{str(c): frame[c].map(csv_safe) for c in text}) if text else frame
    return safe.rename(columns=lambda c: csv_safe(str(c)))


def sum_values(ws: Worksheet) -> dict[str, float | int]:
    """Cell reference → value of every ``=SUM(A1:B2)`` formula of the sheet (numbers only).

    Reads the cells written (``ws._cells``): ``iter_rows`` would visit, and create, a cell at
    every empty position of the sheet's rectangle."""
    cells = ws._cells
    values: dict[str, float | int] = {}
    for cell in list(cells.values()):
        if cell.data_type != "f" or not isinstance(cell.value, str):
            continue
        found = SUM_FORMULA.fullmatch(cell.value)
        if found is None:
            raise ValueError(f"{ws.title}!{cell.coordinate}: unexpected formula {cell.value}")
        min_col, min_row, max_col, max_row = range_boundaries(found.group(1))
        total: float | int = 0
        for row in range(min_row, max_row + 1):
            for column in range(min_col, max_col + 1):
                covered = cells.get((row, column))
                value = None if covered is None else covered.value
                if isinstance(value, int | float) and not isinstance(value, bool):
                    total += value
        values[cell.coordinate] = round(total, 6) if isinstance(total, float) else total
    return values


def save_workbook(wb: Workbook, path: Path | str) -> Path:
    """Save the workbook with the value of every SUM formula stored beside it.

    Saved as openpyxl's ``Workbook.save`` does, into an archive that writes each worksheet's
    cached values as the sheet goes in (one pass, not a second zip of the saved file)."""
    path = Path(path)
    cached = {
        f"xl/worksheets/sheet{index}.xml": values
        for index, ws in enumerate(wb.worksheets, start=1)
        if (values := sum_values(ws))
    }
    wb.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    with _CachedValuesArchive(path, cached) as archive:
        ExcelWriter(wb, archive).save()
    if missing := set(cached) - archive.stored:
        raise ValueError(f"{path}: worksheets saved without their SUM values: {sorted(missing)}")
    return path


class _CachedValuesArchive(zipfile.ZipFile):
    """The xlsx archive openpyxl writes into; ``cached``: worksheet member → its SUM values.

    openpyxl adds each worksheet from a temporary file with ``write``; a worksheet with values
    goes in with them (``_with_values``), everything else as given."""

    def __init__(self, path: Path, cached: dict[str, dict[str, float | int]]) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._cached = cached
        self.stored: set[str] = set()
        """The worksheet members written with their values."""

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        values = self._cached.get(str(arcname))
        if not values:
            super().write(filename, arcname, compress_type, compresslevel)
            return
        xml = Path(filename).read_text(encoding="utf-8")
        self.writestr(str(arcname), _with_values(xml, values), compress_type, compresslevel)
        self.stored.add(str(arcname))


def _with_values(xml: str, values: dict[str, float | int]) -> str:
    missing = set(values)

    def cached(match: re.Match[str]) -> str:
        reference, attributes, formula = match.groups()
        if reference not in values:
            return match.group(0)
        missing.discard(reference)
        return f'<c r="{reference}"{attributes}><f>{formula}</f><v>{values[reference]}</v>'

    xml = CACHED_CELL.sub(cached, xml)
    if missing:
        raise ValueError(f"formula cells not found in the saved sheet: {sorted(missing)}")
    return xml
