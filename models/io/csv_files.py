"""Data packages as a folder of CSV files (UTF-8, with or without BOM)."""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

import pandas as pd

from models.dataset import Dataset
from models.io.errors import LocatedProblem
from models.io.raw import RawPackage, make_table
from models.io.tables import ALL_TABLE_NAMES, CRITERIA_TABLE, PROGRESS_TABLE_NAMES
from models.io.writer import Table, dataset_to_tables
from models.messages import Message, msg


def read_csv_folder(folder: Path, tables: tuple[str, ...] = ALL_TABLE_NAMES) -> RawPackage:
    """Read every ``<table>.csv`` in ``folder``; unreadable files become problems, not exceptions.

    ``tables``: the tables wanted; the other known tables (a package's, a progress report's) are
    skipped, any other file is a problem.
    """
    raw = RawPackage(source=str(folder))
    for path in sorted(folder.glob("*.csv")):
        name = path.stem
        if name in KNOWN_TABLE_NAMES and name not in tables:
            continue
        if name not in tables:
            raw.problems.append(
                LocatedProblem(
                    path.name,
                    None,
                    None,
                    msg("table.unknown", tables=tuple(f"{t}.csv" for t in tables)),
                )
            )
            continue
        try:
            semicolons = _separated_by_semicolons(path)
            frame = pd.read_csv(  # header=None: a row longer than the header is an error
                path,
                header=None,
                sep=";" if semicolons else ",",
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skip_blank_lines=False,
            )
        except UnicodeDecodeError:
            raw.problems.append(LocatedProblem(path.name, None, None, msg("file.not_utf8_csv")))
            raw.unreadable.add(name)
            continue
        except pd.errors.EmptyDataError:
            if name != CRITERIA_TABLE:
                raw.problems.append(LocatedProblem(path.name, None, None, msg("file.empty")))
                raw.unreadable.add(name)
            continue
        except pd.errors.ParserError as error:
            message = _parser_message(str(error).strip())
            raw.problems.append(LocatedProblem(path.name, None, None, message))
            raw.unreadable.add(name)
            continue
        if semicolons:
            frame = frame.map(_decimal_comma)
        header, *records = frame.astype(str).values.tolist()
        raw.tables[name] = make_table(path.name, header, records)
    return raw


KNOWN_TABLE_NAMES = frozenset((*ALL_TABLE_NAMES, *PROGRESS_TABLE_NAMES))
TABLE_FILES = frozenset(f"{name}.csv" for name in ALL_TABLE_NAMES)
"""The files a package owns."""


def foreign_csv_files(folder: Path) -> list[str]:
    """CSV files in ``folder`` that are not tables of a data package (a mapping, notes)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.csv") if p.name not in TABLE_FILES)


TOKENIZER_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
VN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
"""A number as Excel writes it with Vietnamese regional settings: ``1.234,5``, ``0,25``."""


def _separated_by_semicolons(path: Path) -> bool:
    """True for a CSV file Excel saved with Vietnamese (or another decimal-comma) regional
    settings: its header is separated by ';' and has no ','."""
    with path.open(encoding="utf-8-sig", errors="replace") as file:
        header = file.readline()
    return ";" in header and "," not in header


def _decimal_comma(cell: str) -> str:
    """``1.234,5`` → ``1234.5`` in a ';'-separated file; any other text is kept as it is."""
    if VN_NUMBER.fullmatch(cell):
        return cell.replace(".", "").replace(",", ".")
    return cell


def _parser_message(text: str) -> Message:
    """pandas' tokenizer message in the user's terms (another of its errors as it says it)."""
    found = TOKENIZER_ERROR.search(text)
    if found is None:
        return msg("csv.malformed", error=text)
    expected, line, saw = found.groups()
    return msg("csv.row_too_long", row=line, cells=saw, expected=expected)


def write_tables_csv(tables: dict[str, Table], folder: Path) -> None:
    """Write tables as CSV files into ``folder``, replacing it whole only once all files are written.

    A folder holding other CSV files is refused: deleting them would lose the user's files, and
    keeping them would stop the package from loading (every CSV file of a package is a table).
    """
    folder = Path(folder)
    written = {f"{name}.csv" for name in tables}  # a progress report's own files are replaced
    foreign = [name for name in foreign_csv_files(folder) if name not in written]
    if foreign:
        raise FileExistsError(
            f"{folder} holds {', '.join(foreign)}, not tables of a data package; "
            "write the package into another folder"
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    # not tempfile.mkdtemp: its folder is private (0700) and would stay so once swapped in
    folder = folder.resolve()  # "." has no name to put the staging folder beside
    staging = folder.with_name(f".{folder.name}.{secrets.token_hex(6)}.tmp")
    staging.mkdir()
    try:
        for name, (columns, rows) in tables.items():
            frame = pd.DataFrame(rows, columns=list(columns))
            frame.to_csv(
                staging / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n"
            )
        _swap_into_place(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_into_place(staging: Path, folder: Path) -> None:
    """Replace ``folder`` by ``staging``, keeping non-table files (a README) of the old folder."""
    if folder.exists():
        for extra in folder.iterdir():
            if extra.name not in TABLE_FILES and not (staging / extra.name).exists():
                shutil.move(str(extra), staging / extra.name)
        backup = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(backup, ignore_errors=True)
        folder.rename(backup)
        staging.rename(folder)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        staging.rename(folder)


def save_csv(dataset: Dataset, folder: str | Path) -> Path:
    """Write ``dataset`` as a CSV package folder; returns the folder."""
    write_tables_csv(dataset_to_tables(dataset), Path(folder))
    return Path(folder)
