"""The error a data package raises when it cannot be loaded: every problem, located."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LocatedProblem:
    """A problem as a planner finds it: file or sheet, spreadsheet row number, column."""

    location: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.location
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}" if self.row is not None else f" column {self.column}"
        return f"{where}: {self.message}"


class DataPackageError(Exception):
    """A data package has problems; nothing of it was loaded."""

    def __init__(self, source: str, problems: list[LocatedProblem]) -> None:
        self.source = source
        self.problems = list(dict.fromkeys(problems))  # one problem found by two checks: once
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s), nothing loaded:\n{lines}")
