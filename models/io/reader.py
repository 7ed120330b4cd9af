"""Turn raw tables into a validated Dataset, collecting every problem with its location."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from models.criteria import CriteriaSet, builtin_criteria_set, builtin_set_codes
from models.dataset import Dataset, DatasetInfo, cross_check
from models.io.errors import DataPackageError, LocatedProblem
from models.io.raw import RawPackage, RawTable
from models.io.tables import (
    CRITERIA_ROWS,
    CRITERIA_TABLE,
    DATASET_TABLE,
    ROW_TABLES,
    SET_CODE_COLUMN,
    RowTable,
)
from models.messages import Message, has_text, message_of, msg


def build_dataset(raw: RawPackage) -> Dataset:
    """Validate every row and every cross-table rule; raise DataPackageError listing all problems."""
    problems = list(raw.problems)
    for read in raw.tables.values():
        problems.extend(unsafe_cells(read))
    info, info_rows = _read_info(raw, problems)
    criteria = _read_criteria(raw, info, info_rows, problems)
    fields: dict[str, Any] = {}
    row_numbers: dict[str, list[int]] = {}
    rejected: dict[str, set[str]] = {}
    complete = not problems  # every file read, the info and criteria tables valid
    for spec in ROW_TABLES:
        table = raw.tables.get(spec.name)
        if table is None:
            complete = False
            if spec.name not in raw.unreadable:
                problems.append(
                    LocatedProblem(raw.location_of(spec.name), None, None, msg("table.missing"))
                )
            continue
        rows = _read_rows(table, spec, problems)
        complete = complete and rows.header_ok
        fields[spec.field] = tuple(rows.models)
        row_numbers[spec.name] = rows.numbers
        rejected[spec.name] = _keys(rows.refused, REJECTED_KEY.get(spec.name))
    if info is None or criteria is None or not complete:
        raise DataPackageError(raw.source, problems)

    # Rows that could not be read are left out of the cross-table rules, so that problems of
    # both kinds are listed at once; a rule that the unread rows could explain is left out.
    draft = Dataset.model_construct(info=info, criteria=criteria, **fields)
    for p in cross_check(draft):
        if p.unless_rejected is not None:
            rejected_table, rejected_key = p.unless_rejected
            if rejected_key in rejected.get(rejected_table, set()):
                continue
        if p.table == DATASET_TABLE:
            row = info_rows.get(p.column or "")
            problems.append(LocatedProblem(_location(raw, DATASET_TABLE), row, "value", p.message))
        else:
            numbers = row_numbers[p.table]
            row = numbers[p.row] if p.row is not None else None
            message = p.message
            if p.repeats is not None:  # "… repeats" names the earlier row by its number
                message = msg("key.repeats_row", **p.message.params, row=numbers[p.repeats])
            problems.append(LocatedProblem(_location(raw, p.table), row, p.column, message))
    if problems:
        raise DataPackageError(raw.source, problems)
    return Dataset(info=info, criteria=criteria, **fields)


def _location(raw: RawPackage, table: str) -> str:
    return raw.location_of(table)


def _check_header(table: RawTable, spec: RowTable, problems: list[LocatedProblem]) -> bool:
    allowed = set(spec.columns) | ({SET_CODE_COLUMN} if spec is CRITERIA_ROWS else set())
    ok = True
    for column in table.header:
        if column not in allowed:
            problems.append(
                LocatedProblem(
                    table.location,
                    None,
                    column or "(empty)",
                    msg("column.unknown", columns=tuple(spec.columns)),
                )
            )
            ok = False
    for column in sorted({c for c in table.header if c and table.header.count(c) > 1}):
        problems.append(LocatedProblem(table.location, None, column, msg("column.twice")))
        ok = False
    for column in spec.required_columns:
        if column not in table.header:
            problems.append(LocatedProblem(table.location, None, column, msg("column.missing")))
            ok = False
    return ok


REJECTED_KEY = {
    "communes": "code",
    "investments": "code",
    "funding_sources": "code",
    "criteria_status": "commune_code",
    "investment_effects": "investment_code",
}
"""Per table, the cell that names what a row is about (see Problem.unless_rejected)."""


@dataclass
class ReadRows:
    """A table's rows that validate, their row numbers, and the cells of those that do not."""

    models: list[BaseModel] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    header_ok: bool = True


def _keys(rows: list[dict[str, str]], column: str | None) -> set[str]:
    """The ``column`` cells of rows that could not be read, also as a padded commune code."""
    keys = {row.get(column, "").strip() for row in rows} if column else set()
    return keys | {k.zfill(5) for k in keys if k.isdigit()}


def _read_rows(table: RawTable, spec: RowTable, problems: list[LocatedProblem]) -> ReadRows:
    if not _check_header(table, spec, problems):
        return ReadRows(header_ok=False)
    required = set(spec.required_columns)
    columns = set(spec.columns)  # once: pydantic's model_fields is slow to ask per cell
    read = ReadRows()
    for number, cells in table.rows:
        values = {k: v for k, v in cells.items() if k in columns and (v != "" or k in required)}
        try:
            read.models.append(spec.model.model_validate(values))
            read.numbers.append(number)
        except ValidationError as error:
            problems += _located(error, table.location, number)
            read.refused.append(cells)
    return read


def _located(error: ValidationError, location: str, row: int | None) -> list[LocatedProblem]:
    return [
        LocatedProblem(location, row, str(e["loc"][0]) if e["loc"] else None, error_message(e))
        for e in error.errors()
    ]


def error_message(error: Any) -> Message:
    """A pydantic error as a short message for a located problem: a rule of ours by its code,
    one of pydantic's own with pydantic's words for why."""
    ours = message_of(error)
    if ours is not None:
        return ours
    if error["type"] == "value_error":  # a validator without a code (none of ours)
        return msg("value.invalid_because", why=str(error["msg"]).removeprefix("Value error, "))
    if error["type"] == "missing" or error.get("input") == "":
        return msg("value.empty")
    value, why = repr(error["input"]), str(error["msg"])
    known = msg(f"pydantic.{error['type']}", value=value, **dict(error.get("ctx") or {}))
    if has_text(known.code) and str(known) == f"{value} is not valid: {why}":
        return known  # pydantic's words for this error, in the catalogue's languages
    return msg("value.invalid", value=value, why=why)


MAX_NAME_LENGTH = 200
"""Longest name, code or label (the history store keeps at most this many characters)."""
NAME_COLUMNS = frozenset(
    {"name", "code", "name_vi", "name_en", "district", "province", "criteria_set", "label"}
)
"""Columns (and dataset.csv keys) that hold names or codes."""
CONTROL_CHARACTERS = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r"}
CONTROL_CHARACTER = re.compile("[" + re.escape("".join(sorted(CONTROL_CHARACTERS))) + "]")
"""Any of ``CONTROL_CHARACTERS`` (one regular-expression search a cell, not a loop over it)."""


def unsafe_cells(table: RawTable) -> list[LocatedProblem]:
    """Cells no reader downstream can take: control characters (a NUL byte crashed the Excel
    writer) anywhere, and names or codes longer than ``MAX_NAME_LENGTH``."""
    found = []
    for number, cells in table.rows:
        key = cells.get("key", "").strip()  # dataset.csv: a name is a key/value row
        for column, text in cells.items():
            if CONTROL_CHARACTER.search(text):
                found.append(
                    LocatedProblem(table.location, number, column, msg("value.control_character"))
                )
            elif len(text) > MAX_NAME_LENGTH and (
                column in NAME_COLUMNS or (column == "value" and key in NAME_COLUMNS)
            ):
                found.append(
                    LocatedProblem(
                        table.location,
                        number,
                        column,
                        msg("cell.too_long", length=len(text), most=MAX_NAME_LENGTH),
                    )
                )
    return found


def _read_info(
    raw: RawPackage, problems: list[LocatedProblem]
) -> tuple[DatasetInfo | None, dict[str, int]]:
    table = raw.tables.get(DATASET_TABLE)
    if table is None:
        if DATASET_TABLE not in raw.unreadable:
            problems.append(
                LocatedProblem(raw.location_of(DATASET_TABLE), None, None, msg("table.missing"))
            )
        return None, {}
    return read_info_table(table, problems)


def read_info_table(
    table: RawTable, problems: list[LocatedProblem]
) -> tuple[DatasetInfo | None, dict[str, int]]:
    """A key/value table (dataset.csv) as DatasetInfo, and the row of each key; problems located."""
    if sorted(table.header) != ["key", "value"]:
        problems.append(LocatedProblem(table.location, None, None, msg("info.columns")))
        return None, {}
    values, rows = {}, {}
    for number, cells in table.rows:
        key = cells["key"].strip()
        if key not in DatasetInfo.model_fields:
            problems.append(
                LocatedProblem(
                    table.location,
                    number,
                    "key",
                    msg("info.unknown_key", key=repr(key), keys=tuple(DatasetInfo.model_fields)),
                )
            )
        elif key in values:
            problems.append(
                LocatedProblem(table.location, number, "key", msg("info.key_twice", key=repr(key)))
            )
        else:
            values[key], rows[key] = cells["value"], number
    try:
        return DatasetInfo.model_validate({k: v for k, v in values.items() if v.strip()}), rows
    except ValidationError as error:
        for e in error.errors():
            key = str(e["loc"][0]) if e["loc"] else ""
            missing = e["type"] == "missing"
            message = msg("info.key_missing", key=repr(key)) if missing else error_message(e)
            problems.append(LocatedProblem(table.location, rows.get(key), "value", message))
        return None, rows


def _read_criteria(
    raw: RawPackage,
    info: DatasetInfo | None,
    info_rows: dict[str, int],
    problems: list[LocatedProblem],
) -> CriteriaSet | None:
    table = raw.tables.get(CRITERIA_TABLE)
    if table is None or not table.rows:
        if info is None:
            return None
        try:
            return builtin_criteria_set(info.criteria_set)
        except KeyError:
            problems.append(
                LocatedProblem(
                    _location(raw, DATASET_TABLE),
                    info_rows.get("criteria_set"),
                    "value",
                    msg(
                        "criteria.set_not_built_in",
                        set=repr(info.criteria_set),
                        built_in=tuple(builtin_set_codes()),
                    ),
                )
            )
            return None
    criteria = _read_rows(table, CRITERIA_ROWS, problems).models
    set_codes = {cells.get(SET_CODE_COLUMN, "") for _, cells in table.rows}
    if len(set_codes) != 1 or "" in set_codes:
        problems.append(
            LocatedProblem(table.location, None, SET_CODE_COLUMN, msg("criteria.one_set"))
        )
        return None
    if not criteria:  # no row was valid; the problems say why
        return None
    try:
        return CriteriaSet(code=set_codes.pop(), criteria=tuple(criteria))
    except ValidationError as error:
        for problem in _located(error, table.location, None):  # the set's code is set_code
            column = SET_CODE_COLUMN if problem.column == "code" else problem.column
            problems.append(replace(problem, column=column))
        return None
