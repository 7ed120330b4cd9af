"""The error a data package raises when it cannot be loaded: every problem, located."""

from __future__ import annotations

from dataclasses import dataclass

from models.messages import ENGLISH, Message, render, text


@dataclass(frozen=True)
class LocatedProblem:
    """A problem as a planner finds it: file or sheet, spreadsheet row number, column, and what
    is wrong as a message of the catalogue (``str`` gives it in English)."""

    location: str
    row: int | None
    column: str | None
    message: Message

    def place(self, lang: str = ENGLISH) -> str:
        """Where the problem is: ``budgets.csv row 2, column amount``."""
        if self.row is not None and self.column:
            key = "place.row_column"
        elif self.row is not None:
            key = "place.row"
        else:
            key = "place.column" if self.column else "place.table"
        return text(key, lang, location=self.location, row=self.row, column=self.column)

    def text(self, lang: str = ENGLISH) -> str:
        """The problem in ``lang``: ``budgets.csv row 2, column amount: is empty``."""
        return f"{self.place(lang)}: {render(self.message, lang)}"

    def __str__(self) -> str:
        return self.text(ENGLISH)


class DataPackageError(Exception):
    """A data package has problems; nothing of it was loaded."""

    def __init__(self, source: str, problems: list[LocatedProblem]) -> None:
        self.source = source
        self.problems = list(dict.fromkeys(problems))  # one problem found by two checks: once
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s), nothing loaded:\n{lines}")
