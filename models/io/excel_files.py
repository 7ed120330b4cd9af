"""Data packages as one Excel workbook, one sheet per table."""

from __future__ import annotations

import os
import secrets
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from models.dataset import Dataset
from models.io.cells import cell_to_text
from models.io.errors import LocatedProblem
from models.io.raw import HEADER_ROW, RawPackage, make_table
from models.io.tables import ALL_TABLE_NAMES, CRITERIA_TABLE, PROGRESS_TABLE_NAMES
from models.io.writer import Table, dataset_to_tables
from models.messages import Message, msg

GUIDE_SHEET = "guide"
"""A sheet of explanations the template carries; the reader skips it."""
NUMBER_COLUMNS = {
    "population",
    "households",
    "poverty_rate",
    "income_per_capita",
    "difficult_villages",
    "latitude",
    "longitude",
    "gap",
    "amount",
    "cost",
    "duration_years",
    "earliest_year",
    "year",
    "number",
    "max_share",
    "max_poverty_rate",
    "revised_cost",
    "expected_completion_year",
}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F5597")


MAX_SHEET_ROWS = 100_000
"""Rows read from one sheet (with the header); a package table has far fewer."""
MAX_SHEET_COLUMNS = 64
"""Columns read from one sheet; the widest table has about twenty."""


def read_workbook(path: Path, tables: tuple[str, ...] = ALL_TABLE_NAMES) -> RawPackage:
    """Read every table sheet of an .xlsx workbook; unreadable files become problems.

    ``tables``: the sheets wanted; the other known tables are skipped (see read_csv_folder).
    """
    raw = RawPackage(source=str(path), workbook=path.name)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raw.problems.append(
            LocatedProblem(path.name, None, None, msg("file.not_workbook", error=str(error)))
        )
        raw.unreadable.update(tables)
        return raw
    seen: dict[str, str] = {}
    try:
        for sheet in workbook.worksheets:
            if sheet.title == GUIDE_SHEET:
                continue
            location = f"{path.name} sheet {sheet.title}"
            name = sheet.title.strip().lower()  # "Communes" is the communes sheet
            if name in seen:
                raw.problems.append(
                    LocatedProblem(
                        location,
                        None,
                        None,
                        msg("sheet.same_table", other=repr(seen[name])),
                    )
                )
                raw.unreadable.add(name)
                raw.tables.pop(name, None)
                continue
            seen[name] = sheet.title
            if name in (*ALL_TABLE_NAMES, *PROGRESS_TABLE_NAMES) and name not in tables:
                continue
            if name not in tables:
                raw.problems.append(
                    LocatedProblem(
                        location,
                        None,
                        None,
                        msg("sheet.unknown", sheets=tuple(tables)),
                    )
                )
                continue
            # a bounded window, read as a stream: one cell at XFD1048576 cannot fill the memory
            rows = [
                [cell_to_text(v) for v in row]
                for row in sheet.iter_rows(
                    max_row=MAX_SHEET_ROWS + 1, max_col=MAX_SHEET_COLUMNS + 1, values_only=True
                )
            ]
            too_big = _beyond_limits(rows, sheet.max_column or 0)
            if too_big is not None:
                raw.problems.append(LocatedProblem(location, None, None, too_big))
                raw.unreadable.add(name)
                continue
            if not rows:
                if name != CRITERIA_TABLE:
                    raw.problems.append(LocatedProblem(location, None, None, msg("file.empty")))
                    raw.unreadable.add(name)
                continue
            header = rows[0]
            while header and header[-1] == "":
                header = header[:-1]
            beyond = False
            for number, row in enumerate(rows[1:], start=HEADER_ROW + 1):
                extra = [j for j, v in enumerate(row, start=1) if v and j > len(header)]
                if extra:  # as a CSV row longer than its header: an error, not dropped
                    beyond = True
                    raw.problems.append(
                        LocatedProblem(
                            location,
                            number,
                            None,
                            msg(
                                "sheet.value_beyond_header",
                                column=get_column_letter(extra[0]),
                                last=get_column_letter(len(header) or 1),
                            ),
                        )
                    )
            if beyond:
                raw.unreadable.add(name)
                continue
            records = [row[: len(header)] for row in rows[1:]]
            raw.tables[name] = make_table(location, header, records)
    finally:
        workbook.close()
    return raw


def _beyond_limits(rows: list[list[str]], used_columns: int) -> Message | None:
    """Why a sheet is larger than any package table (None: it is not). ``used_columns``: the
    width the workbook declares for the sheet (its dimension), so nothing right of the read window
    is dropped unseen."""
    if len(rows) > MAX_SHEET_ROWS:
        return msg("sheet.too_many_rows", most=f"{MAX_SHEET_ROWS:,}")
    beyond = any(value for row in rows for value in row[MAX_SHEET_COLUMNS:])
    if used_columns > MAX_SHEET_COLUMNS or beyond:
        widest = max(used_columns, MAX_SHEET_COLUMNS + 1)
        column = get_column_letter(min(widest, 16384))
        return msg("sheet.too_wide", column=column, most=MAX_SHEET_COLUMNS)
    return None


def _typed(column: str, text: str) -> object:
    """Numbers as numbers (so a planner can sum them in Excel), the rest as text."""
    if column in NUMBER_COLUMNS and text != "":
        number = float(text)
        return int(number) if number.is_integer() else number
    return text


def write_tables_xlsx(tables: dict[str, Table], path: Path, guide: list[str] | None = None) -> None:
    """Write tables to an .xlsx workbook atomically (a temporary file replaces ``path`` at the end)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    if guide:
        sheet = workbook.create_sheet(GUIDE_SHEET)
        for line in guide:
            sheet.append([line])
        sheet.column_dimensions["A"].width = 120
    for name, (columns, rows) in tables.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_typed(c, row[c]) for c in columns])
        for cell in (cell for cells in sheet.iter_rows(min_row=2) for cell in cells):
            if cell.data_type == "f":  # text starting with "=" is data, not a formula
                cell.data_type = "s"
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            longest = max([len(column)] + [len(r[column]) for r in rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
        sheet.freeze_panes = "A2"
    # not tempfile.mkstemp: its file is private (0600) and would stay so once moved in place
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.xlsx")
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_excel(dataset: Dataset, path: str | Path) -> Path:
    """Write ``dataset`` as one workbook; returns the path."""
    write_tables_xlsx(dataset_to_tables(dataset), Path(path))
    return Path(path)
