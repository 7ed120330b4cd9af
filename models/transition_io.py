"""A transition as a folder of CSV files (``docs/merge.md``), both ways, with located errors.

Tables (UTF-8, header row; every table but ``dataset.csv`` and ``correspondence.csv`` may be
left out, meaning no rows):

- ``dataset.csv`` — key, value: the new package's info (as in a data package);
- ``progress_communes.csv`` — code, poverty_rate, income_per_capita, ntm_level of old communes;
- ``progress_status.csv`` — old status rows that changed before the merger (``criteria_status``
  columns);
- ``correspondence.csv`` — old_criterion, new_criterion, note;
- ``assessment.csv`` — new_code, criterion, gap, supersedes_old;
- ``empty_units.csv`` — records of new units formed with no old data (``communes`` columns);
- ``investments.csv``, ``investment_effects.csv``, ``funding_sources.csv``, ``budgets.csv`` — the
  new cycle's items, sources and budgets (as in a data package).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from models.commune import Commune, CriterionStatus
from models.criteria import builtin_criteria_set
from models.dataset import Dataset, DatasetInfo
from models.funding import Budget, FundingSource
from models.investment import Effect, Investment
from models.io.cells import model_to_row, value_to_text
from models.io.csv_files import write_tables_csv
from models.io.errors import LocatedProblem
from models.io.raw import RawTable, make_table
from models.io.reader import error_message, read_info_table
from models.io.tables import CRITERIA_TABLE
from models.io.writer import Table, dataset_to_tables, written_columns
from models.messages import message_of, msg
from models.transition import (
    Assessment,
    CommuneProgress,
    Correspondence,
    Transition,
    TransitionError,
)

DATASET_TABLE = "dataset"


@dataclass(frozen=True)
class RowSpec:
    """A table of the transition folder: its name, row model and Transition field."""

    name: str
    model: type[BaseModel]
    field: str
    required: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(n for n, f in self.model.model_fields.items() if f.is_required())


ROW_SPECS: tuple[RowSpec, ...] = (
    RowSpec("progress_communes", CommuneProgress, "commune_progress"),
    RowSpec("progress_status", CriterionStatus, "status_progress"),
    RowSpec("correspondence", Correspondence, "correspondence", required=True),
    RowSpec("assessment", Assessment, "assessment"),
    RowSpec("empty_units", Commune, "empty_units"),
    RowSpec("investments", Investment, "investments"),
    RowSpec("investment_effects", Effect, "effects"),
    RowSpec("funding_sources", FundingSource, "sources", required=True),
    RowSpec("budgets", Budget, "budgets", required=True),
)
TABLE_NAMES = (DATASET_TABLE, *(s.name for s in ROW_SPECS))


def load_transition(folder: str | Path) -> Transition:
    """Read and validate a transition folder; raise TransitionError listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TransitionError(str(folder), [msg("transition.not_folder", folder=str(folder))])
    problems: list[LocatedProblem] = []
    tables: dict[str, RawTable] = {}
    for path in sorted(folder.glob("*.csv")):
        if path.stem not in TABLE_NAMES:
            known = tuple(f"{t}.csv" for t in TABLE_NAMES)
            problems.append(
                LocatedProblem(path.name, None, None, msg("table.unknown", tables=known))
            )
            continue
        table = _read_csv(path, problems)
        if table is not None:
            tables[path.stem] = table
    info = _read_info(tables.get(DATASET_TABLE), problems)
    fields: dict[str, tuple] = {}
    numbers: dict[str, tuple[int, ...]] = {}
    for spec in ROW_SPECS:
        table = tables.get(spec.name)
        if table is None:
            if spec.required and not (folder / f"{spec.name}.csv").exists():
                problems.append(
                    LocatedProblem(f"{spec.name}.csv", None, None, msg("table.missing"))
                )
            continue
        rows, numbers[spec.name] = _read_rows(table, spec, problems)
        fields[spec.field] = tuple(rows)
    criteria = None
    if info is not None:
        try:
            criteria = builtin_criteria_set(info.criteria_set)
        except KeyError as error:
            reason = msg("text.as_written", text=str(error.args[0]))
            problems.append(LocatedProblem("dataset.csv", None, "criteria_set", reason))
    if problems or info is None or criteria is None:
        raise TransitionError(str(folder), problems)
    try:
        return Transition(info=info, criteria=criteria, row_numbers=numbers, **fields)
    except ValidationError as error:
        raise TransitionError(
            str(folder),
            [
                msg(
                    "transition.field_invalid",
                    field=str(e["loc"][0]),
                    why=message_of(e) or str(e["msg"]),
                )
                for e in error.errors()
            ],
        ) from None


def _read_csv(path: Path, problems: list[LocatedProblem]) -> RawTable | None:
    try:
        frame = pd.read_csv(
            path,
            header=None,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skip_blank_lines=False,
        )
    except UnicodeDecodeError:
        problems.append(LocatedProblem(path.name, None, None, msg("file.not_utf8")))
        return None
    except pd.errors.EmptyDataError:
        problems.append(LocatedProblem(path.name, None, None, msg("file.empty")))
        return None
    except pd.errors.ParserError as error:
        reason = msg("csv.malformed", error=str(error).strip())
        problems.append(LocatedProblem(path.name, None, None, reason))
        return None
    header, *records = frame.astype(str).values.tolist()
    return make_table(path.name, header, records)


def _read_rows(
    table: RawTable, spec: RowSpec, problems: list[LocatedProblem]
) -> tuple[list[BaseModel], tuple[int, ...]]:
    """Every row validated by ``spec.model``; problems located by row and column."""
    unknown = [c for c in table.header if c not in spec.columns]
    missing = [c for c in spec.required_columns if c not in table.header]
    problems += [
        LocatedProblem(
            table.location,
            None,
            c or "(empty)",
            msg("column.unknown", columns=tuple(spec.columns)),
        )
        for c in unknown
    ]
    problems += [LocatedProblem(table.location, None, c, msg("column.missing")) for c in missing]
    if unknown or missing:
        return [], ()
    required = set(spec.required_columns)
    rows, numbers = [], []
    for number, cells in table.rows:
        values = {k: v for k, v in cells.items() if v.strip() != "" or k in required}
        try:
            rows.append(spec.model.model_validate(values))
            numbers.append(number)
        except ValidationError as error:
            problems += [
                LocatedProblem(
                    table.location, number, str(e["loc"][0]) if e["loc"] else None, error_message(e)
                )
                for e in error.errors()
            ]
    return rows, tuple(numbers)


def _read_info(table: RawTable | None, problems: list[LocatedProblem]) -> DatasetInfo | None:
    if table is None:
        if not any(p.location == "dataset.csv" for p in problems):
            problems.append(LocatedProblem("dataset.csv", None, None, msg("table.missing")))
        return None
    return read_info_table(table, problems)[0]


def transition_tables(t: Transition) -> dict[str, Table]:
    """Every table of the transition folder, in the documented column order."""
    tables: dict[str, Table] = {
        DATASET_TABLE: (
            ("key", "value"),
            [
                {"key": key, "value": value_to_text(value)}
                for key, value in t.info.model_dump().items()
                if value is not None
            ],
        )
    }
    for spec in ROW_SPECS:
        rows = getattr(t, spec.field)
        columns = written_columns(spec.columns, rows)
        tables[spec.name] = (columns, [model_to_row(row, columns) for row in rows])
    return tables


def save_transition(t: Transition, folder: str | Path) -> Path:
    """Write ``t`` as a transition folder (all files or none; a README is kept)."""
    write_tables_csv(transition_tables(t), Path(folder))
    return Path(folder)


def save_package(dataset: Dataset, folder: str | Path) -> Path:
    """Write ``dataset`` as a CSV package, without ``criteria.csv`` when its set is built in."""
    tables = dataset_to_tables(dataset)
    try:
        if builtin_criteria_set(dataset.criteria.code) == dataset.criteria:
            del tables[CRITERIA_TABLE]
    except KeyError:
        pass
    write_tables_csv(tables, Path(folder))
    return Path(folder)
