"""Raw tables as read from disk: cell texts with their spreadsheet row numbers, before validation."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.io.errors import LocatedProblem

HEADER_ROW = 1
"""Spreadsheet row number of the header; the first data row is HEADER_ROW + 1."""


@dataclass(frozen=True)
class RawTable:
    """One table: where it came from (``communes.csv`` or ``sheet communes``), header, rows."""

    location: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    """(spreadsheet row number, column → cell text), blank rows already left out."""


@dataclass
class RawPackage:
    """All tables found in a package, and the problems met while reading them."""

    source: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[LocatedProblem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    """Tables present but not readable (a problem says why), so they are not also "missing"."""
    workbook: str | None = None
    """The workbook's file name when the package is one .xlsx file (tables are its sheets)."""

    def location_of(self, table: str) -> str:
        """Where ``table`` is or should be: ``budgets.csv``, or ``plan.xlsx sheet budgets``."""
        found = self.tables.get(table)
        if found is not None:
            return found.location
        return f"{self.workbook} sheet {table}" if self.workbook else f"{table}.csv"


def make_table(location: str, header: list[str], records: list[list[str]]) -> RawTable:
    """Pair cell texts with their header and spreadsheet row numbers, dropping blank rows."""
    clean_header = tuple(h.strip() for h in header)
    rows = []
    for offset, record in enumerate(records):
        if not any(cell.strip() for cell in record):
            continue
        padded = list(record) + [""] * (len(clean_header) - len(record))
        rows.append((HEADER_ROW + 1 + offset, dict(zip(clean_header, padded, strict=False))))
    return RawTable(location, clean_header, tuple(rows))
