"""Read and write a progress report (models.progress) as a CSV folder or an Excel workbook.

Every row problem is reported at once with its file, row and column (the same LocatedProblem as a
data package); the checks against a dataset and a plan are in ``optimizer.replan``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from models.io.cells import model_to_row
from models.io.csv_files import read_csv_folder, write_tables_csv
from models.io.errors import DataPackageError, LocatedProblem
from models.io.excel_files import read_workbook, write_tables_xlsx
from models.io.raw import RawPackage
from models.io.reader import _read_rows
from models.io.tables import PROGRESS_TABLE_NAMES, RowTable
from models.io.writer import Table
from models.messages import msg
from models.progress import CriterionReassessment, Disbursement, ItemProgress, Progress

PROGRESS_TABLES: tuple[RowTable, ...] = (
    RowTable("progress_items", ItemProgress, "items"),
    RowTable("progress_disbursements", Disbursement, "disbursements"),
    RowTable("progress_criteria", CriterionReassessment, "criteria"),
)
assert tuple(t.name for t in PROGRESS_TABLES) == PROGRESS_TABLE_NAMES


class ProgressFileError(DataPackageError):
    """A progress report has problems; nothing of it was used."""


def read_progress_raw(path: str | Path) -> RawPackage:
    """The progress tables of a folder of CSV files or an .xlsx workbook, as cell texts."""
    path = Path(path)
    if not path.exists():
        raise ProgressFileError(
            str(path), [LocatedProblem(str(path), None, None, msg("file.missing"))]
        )
    if path.is_dir():
        return read_csv_folder(path, PROGRESS_TABLE_NAMES)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_workbook(path, PROGRESS_TABLE_NAMES)
    problem = LocatedProblem(path.name, None, None, msg("package.give_progress"))
    raise ProgressFileError(str(path), [problem])


@dataclass(frozen=True)
class ReadProgress:
    """A progress report as far as it could be read: the valid rows, where they are, and the
    problems of the rest (so the checks against a plan can run on the valid rows and every
    problem be listed at once)."""

    progress: Progress
    numbers: dict[str, list[int]]
    """Table → spreadsheet row number of each valid row, in order."""
    raw: RawPackage
    problems: list[LocatedProblem] = field(default_factory=list)
    refused_items: frozenset[str] = frozenset()
    """Item codes of progress_items rows that could not be read."""


def read_progress(path: str | Path) -> ReadProgress:
    """Read a progress report, keeping the problems of the rows that could not be read.

    A missing table is an empty one (a report may have no reassessed criteria), but a report
    with none of the tables is an error. Raises ProgressFileError only when nothing can be read.
    """
    raw = read_progress_raw(path)
    problems = list(raw.problems)
    if not raw.tables:
        if not problems:
            tables = tuple(PROGRESS_TABLE_NAMES)
            problems.append(
                LocatedProblem(raw.source, None, None, msg("progress.no_tables", tables=tables))
            )
        raise ProgressFileError(raw.source, problems)
    fields: dict[str, tuple] = {}
    numbers: dict[str, list[int]] = {}
    refused: set[str] = set()
    for spec in PROGRESS_TABLES:
        table = raw.tables.get(spec.name)
        if table is None:
            fields[spec.field], numbers[spec.name] = (), []
            continue
        rows = _read_rows(table, spec, problems)
        fields[spec.field], numbers[spec.name] = tuple(rows.models), rows.numbers
        if spec.name == "progress_items":
            refused |= {r.get("investment_code", "").strip() for r in rows.refused}
    return ReadProgress(Progress(**fields), numbers, raw, problems, frozenset(refused))


def load_progress(path: str | Path) -> tuple[Progress, dict[str, list[int]], RawPackage]:
    """A validated Progress, the spreadsheet row number of each row per table, and where each
    table was read; raises ProgressFileError listing every problem of its rows."""
    read = read_progress(path)
    if read.problems:
        raise ProgressFileError(read.raw.source, read.problems)
    return read.progress, read.numbers, read.raw


def progress_tables(progress: Progress) -> dict[str, Table]:
    """Table name → (columns, rows of cell texts) for the CSV and Excel writers."""
    return {
        spec.name: (
            spec.columns,
            [model_to_row(r, spec.columns) for r in getattr(progress, spec.field)],
        )
        for spec in PROGRESS_TABLES
    }


def save_progress(progress: Progress, path: str | Path) -> Path:
    """Write a progress report as a CSV folder or (``.xlsx``) a workbook."""
    path = Path(path)
    tables = progress_tables(progress)
    if path.suffix.lower() == ".xlsx":
        write_tables_xlsx(tables, path)
    else:
        path.mkdir(parents=True, exist_ok=True)
        write_tables_csv(tables, path)
    return path


def progress_from_upload(name: str, content: bytes) -> ReadProgress:
    """Read an uploaded .xlsx progress workbook (the app's upload); nothing of it is kept."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / Path(name).name
        target.write_bytes(content)
        return read_progress(target)
