"""Located problems: what is wrong and where, in the words of the tables a planner edits."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.messages import ENGLISH, Message, render


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: table, 0-based row index (None: whole table), column, and
    what is wrong as a message of the catalogue (``str`` gives it in English)."""

    table: str
    row: int | None
    column: str | None
    message: Message
    repeats: int | None = None
    """For a repeated key: 0-based index of the earlier row it repeats (the message ends there)."""
    unless_rejected: tuple[str, str] | None = field(default=None, compare=False)
    """(table, key): the problem may only come from a row of ``table`` with this key that could
    not be read (a reference to it, a status or effect row it lacks). A reader that reports
    unreadable rows leaves such a problem out until they are fixed."""

    def text(self, lang: str = ENGLISH) -> str:
        """The problem in ``lang``, its place as written."""
        where = self.table if self.row is None else f"{self.table}[{self.row}]"
        if self.column:
            where += f".{self.column}"
        earlier = "" if self.repeats is None else f" {self.table}[{self.repeats}]"
        return f"{where}: {render(self.message, lang)}{earlier}"

    def __str__(self) -> str:
        return self.text(ENGLISH)


class DatasetError(Exception):
    """A dataset violates rules that span tables (references, duplicates, consistency)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the dataset:\n{shown}{more}")
