"""What every ``ntm`` command shares: exit codes, the Console, progress heartbeats, text tables and
the printed summary of one plan.

``cli.main`` (solving commands, the parser) and ``cli.history`` (the history store's
commands) both build on it; neither imports the other's commands.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from models.dataset import Dataset
from models.io.csv_files import foreign_csv_files
from models.scenario import Scenario
from optimizer.plan import Plan
from reports import check_destination
from reports.labels import DEFAULT_LANGUAGE, label
from ui.format import money, number

EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_INFEASIBLE = 3
EXIT_SOLVER = 4
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
EXIT_INTERNAL = 70
HEARTBEAT_SECONDS = 10.0
"""How often a long solve says it is still working."""


class CliError(Exception):
    """A problem the user can fix; printed as one message, with an exit code."""

    def __init__(
        self, message: str, code: int = EXIT_INVALID_INPUT, details: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.code = code
        self.details = list(details)


class Console:
    """Summaries on stdout, progress and errors on stderr (progress silenced by --quiet)."""

    def __init__(self, quiet: bool = False, lang: str = DEFAULT_LANGUAGE) -> None:
        self.quiet = quiet
        self.lang = lang

    def out(self, text: str = "") -> None:
        print(text, flush=True)

    def progress(self, text: str) -> None:
        if not self.quiet:
            print(f"ntm: {text}", file=sys.stderr, flush=True)

    def notice(self, text: str) -> None:
        """``ntm: text`` on stderr, even with --quiet (something the user must know)."""
        print(f"ntm: {text}", file=sys.stderr, flush=True)

    def error(self, text: str, details: Sequence[str] = ()) -> None:
        """``ntm: error: text`` and the details below it, one per line, indented."""
        print(f"ntm: error: {text}", file=sys.stderr, flush=True)
        for line in details:
            print(f"  {line}", file=sys.stderr, flush=True)

    def t(self, key: str, **values: object) -> str:
        return label(key, self.lang, **values)

    def money(self, million_vnd: float | None) -> str:
        return money(million_vnd, self.lang)

    def number(self, value: float | None, decimals: int = 0) -> str:
        return number(value, decimals, self.lang)


@contextmanager
def heartbeat(console: Console, what: str) -> Iterator[None]:
    """Say ``what`` now, then every HEARTBEAT_SECONDS that it is still running, until done."""
    console.progress(f"{what} …")
    started = time.perf_counter()
    done = threading.Event()

    def beat() -> None:
        while not done.wait(HEARTBEAT_SECONDS):
            console.progress(f"  … {what}: {time.perf_counter() - started:.0f} s")

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def text_table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A plain table with a rule under the header. ``align`` has one letter per column, ``l``
    (left) or ``r`` (right); by default the first column is left-aligned, the others right."""
    widths = [max(len(str(r[j])) for r in [header, *rows]) for j in range(len(header))]
    align = align or "l" + "r" * (len(header) - 1)
    lines = []
    for index, row in enumerate([header, *rows]):
        cells = [
            str(cell).ljust(widths[j]) if align[j] == "l" else str(cell).rjust(widths[j])
            for j, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def num(value: object) -> float | None:
    """A number, or None for anything that is not one (None, NaN, text)."""
    try:
        number_ = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number_ != number_ else number_


def signed(console: Console, value: float | None, decimals: int) -> str:
    """A difference with its sign (``+3``, ``-1,5``); ``–`` when unknown."""
    if value is None:
        return "–"
    text = console.number(value, decimals)
    return text if value < 0 or text.strip("0,.") == "" else f"+{text}"


def print_plan_summary(
    console: Console, plan: Plan, dataset: Dataset, scenario: Scenario | None = None
) -> None:
    """KPIs before → after, money by source and year (by period for a pooled ``scenario``),
    status and gap per level, time."""
    t, lang = console.t, console.lang
    console.out(
        t("cli.header", scenario=plan.scenario, method=label(f"method.{plan.method}", lang))
    )
    status = label(f"status.{plan.status.value}", lang)
    console.out(t("cli.status", status=status + (f" ({plan.solver})" if plan.solver else "")))
    if plan.message:
        console.out(f"  {plan.note_text(console.lang)}")
    k = plan.kpis
    if k is not None:
        console.out(
            t(
                "cli.at_standard",
                before=k.at_standard_before,
                after=k.at_standard_after,
                communes=k.communes,
            )
        )
        console.out(
            t("cli.at_floor", floor=k.floor, before=k.at_floor_before, after=k.at_floor_after)
        )
        console.out(
            t(
                "cli.mean",
                before=console.number(k.mean_criteria_before, 1),
                after=console.number(k.mean_criteria_after, 1),
            )
        )
        console.out(
            t(
                "cli.money",
                money=console.money(k.money_total),
                budget=console.money(k.budget_total),
                items=k.items_funded,
            )
        )
        names = {s.code: (s.name_vi if lang == "vi" else s.name_en) for s in dataset.sources}
        if k.money_by_source:
            console.out(t("cli.by_source"))
            width = max(len(names.get(s, s)) for s in k.money_by_source)
            for source, amount in k.money_by_source.items():
                console.out(
                    f"    {names.get(source, source):<{width}}  {console.money(amount):>18}"
                )
        pooled = scenario is not None and scenario.horizon.single_period
        if k.money_by_year and pooled:
            h = scenario.horizon
            console.out(t("cli.by_period"))
            for amount in k.money_by_year.values():
                console.out(f"    {h.start}-{h.end}  {console.money(amount):>18}")
        elif k.money_by_year:
            console.out(t("cli.by_year"))
            for year, amount in k.money_by_year.items():
                console.out(f"    {year}  {console.money(amount):>18}")
    for level in plan.levels:
        gap = "–" if level.gap is None else f"{console.number(level.gap * 100, 2)}%"
        console.out(
            t(
                "cli.level",
                objective=label(f"objective.{level.objective.value}", lang),
                value=console.number(level.value, 0 if float(level.value).is_integer() else 1),
                gap=gap,
                seconds=console.number(level.seconds, 1),
            )
        )
    if plan.diagnosis is not None:
        console.out(plan.diagnosis.summary())
    console.out(t("cli.time", seconds=console.number(plan.timings.total_seconds, 1)))


def check_out(path: Path, inputs: Sequence[Path] = (), replaces_package: bool = False) -> Path:
    """``path`` if it can become the output folder (nothing is left created); else a CliError.

    Refused: a file, a folder that cannot be written, a data package folder (its tables would be
    overwritten by the report's CSV files) and any of ``inputs``."""
    try:
        check_destination(path)
    except NotADirectoryError as error:
        raise CliError(f"--out: {error}") from None
    resolved = path.resolve()
    if replaces_package and (resolved == Path.cwd() or resolved in Path.cwd().parents):
        raise CliError(f"--out: {path} holds the current folder; give another folder")
    if any(resolved == Path(i).resolve() for i in inputs):
        raise CliError(f"--out: {path} is an input of this command; give another folder")
    foreign = foreign_csv_files(resolved) if replaces_package else []
    if foreign:
        raise CliError(
            f"--out: {path} holds {', '.join(foreign)}, not tables of a data package; "
            "give another folder"
        )
    if not replaces_package and (resolved / "dataset.csv").exists():
        raise CliError(
            f"--out: {path} is a data package folder; the report's CSV files would overwrite "
            "its tables. Give another folder"
        )
    # the report is staged beside the destination, then moved into it: both must be writable
    beside = next(p for p in resolved.parents if p.exists())
    for folder in (beside, resolved) if resolved.exists() else (beside,):
        try:
            os.rmdir(tempfile.mkdtemp(prefix=".ntm-probe.", dir=folder))
        except OSError as error:
            raise CliError(f"--out: cannot write into {folder}: {error.strerror}") from None
    return path


def written(console: Console, folder: Path, paths: Sequence[Path]) -> None:
    """One line naming the folder and the files written into it."""
    names = sorted({str(p) for p in paths})
    console.out(console.t("cli.written", path=f"{folder}/ ({', '.join(names)})"))
