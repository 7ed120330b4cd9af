"""Carrying a dataset across an administrative merger: old commune-level units → new units.

On 1 July 2025 Sơn La's 200 commune-level units became 75 (67 communes, 8 wards). A **mapping**
says which new unit every old unit went into; :func:`merge_dataset` re-aggregates a dataset on the
old units into one on the new units, on the **same criteria set**. Re-assessing the merged units on
another set (2026-2030) is a separate step (see ``data/build_son_la_2026.py``).

The rules (``docs/merge.md`` argues each one):

- a criterion is met only if it is met in every merged part (worst case); gaps add up;
- a met criterion is at risk if any part has it at risk;
- population, households and extremely difficult villages add up; poverty rate and income per
  capita are population-weighted means over the parts that have them;
- region is the most disadvantaged of the parts (III > II > I); a flag (border, ATK, extremely
  difficult) is set if any part has it;
- NTM level is the lowest among the parts (``none`` if any part is ``none``), and ``none`` wherever
  the merged unit does not meet every criterion;
- every item keeps its effects, with commune codes remapped; effects of one item on the same new
  unit and criterion add up; items, funding sources and budgets are otherwise unchanged;
- nothing is dropped silently: an old unit of the dataset missing from the mapping, a mapping row
  naming a unit the dataset lacks (unless the row is flagged ``may_be_absent``) and a new unit
  with no part in the dataset (unless the caller passes ``omit_empty=True``) are errors, all
  listed in one :class:`MergeError`.

Sums and means are rounded to :data:`DECIMALS` places so that files stay readable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path

import pandas as pd
from pydantic import Field, ValidationError, model_validator

from models.base import AdminCode, CodeList, Flag, FrozenModel, OptionalText, Text
from models.commune import Commune, CriterionStatus, NtmLevel, Region, UnitType
from models.dataset import Dataset, DatasetInfo
from models.investment import Effect
from models.messages import Message, message_of, msg

DECIMALS = 6
"""Rounding of summed gaps and amounts and of weighted means (10⁻⁶ of the unit)."""
REGION_RANK = {Region.I: 1, Region.II: 2, Region.III: 3}
"""Region III is the most disadvantaged; a merged unit takes the highest rank among its parts."""
LEVEL_RANK = {NtmLevel.NONE: 0, NtmLevel.STANDARD: 1, NtmLevel.ADVANCED: 2, NtmLevel.MODEL: 3}
"""A merged unit takes the lowest NTM level among its parts."""


class OldUnitType(StrEnum):
    """Type of an old commune-level unit: commune (xã), ward (phường) or town (thị trấn)."""

    COMMUNE = "commune"
    WARD = "ward"
    TOWN = "town"


class MappingRow(FrozenModel):
    """One old unit and the new unit it went into, with where the row comes from."""

    old_code: AdminCode = Field(description="Code of the old unit (the code the dataset uses).")
    old_name: Text = Field(description="Name of the old unit.")
    old_district: OptionalText = Field(default=None, description="District of the old unit.")
    old_unit_type: OldUnitType = Field(
        default=OldUnitType.COMMUNE, description="commune, ward or town."
    )
    new_code: AdminCode = Field(description="Official code of the new unit.")
    new_name: Text = Field(description="Official name of the new unit.")
    new_unit_type: UnitType = Field(description="commune or ward.")
    may_be_absent: Flag = Field(
        default=False,
        description="A dataset may leave this old unit out (e.g. wards and towns in a dataset of "
        "rural communes); any other row must name a unit of the dataset.",
    )
    also_to: CodeList[AdminCode] = Field(
        default=(),
        description="Other new units that received part of the old unit; the merge puts the whole "
        "old unit into new_code.",
    )
    via: OptionalText = Field(default=None, description="Intermediate unit, if any (provenance).")
    basis: OptionalText = Field(default=None, description="How the row was established.")
    source: OptionalText = Field(default=None, description="Document or data it comes from.")
    note: OptionalText = Field(default=None, description="Anything a reader should know.")


MAPPING_COLUMNS = tuple(MappingRow.model_fields)
REQUIRED_MAPPING_COLUMNS = tuple(n for n, f in MappingRow.model_fields.items() if f.is_required())


@dataclass(frozen=True)
class NewUnit:
    """A new unit and the old units that formed it (in mapping order)."""

    code: str
    name: str
    unit_type: UnitType
    old_codes: tuple[str, ...]


def mapping_problems(
    rows: Sequence[MappingRow], numbers: Sequence[int] | None = None
) -> list[Message]:
    """Rules across rows: each old unit once; a new code always with the same name and type;
    ``also_to`` names new units of the mapping. Rows are named by ``numbers`` (default: index)."""
    label = list(numbers if numbers is not None else range(len(rows)))
    problems = []
    first: dict[str, int] = {}
    for index, row in enumerate(rows):
        if row.old_code in first:
            problems.append(
                msg(
                    "mapping.mapped_twice",
                    row=label[index],
                    old=row.old_code,
                    first=label[first[row.old_code]],
                )
            )
        else:
            first[row.old_code] = index
    named: dict[str, tuple[str, UnitType]] = {}
    for index, row in enumerate(rows):
        seen = named.setdefault(row.new_code, (row.new_name, row.new_unit_type))
        if seen != (row.new_name, row.new_unit_type):
            problems.append(
                msg(
                    "mapping.new_unit_differs",
                    row=label[index],
                    new=row.new_code,
                    name=repr(row.new_name),
                    type=row.new_unit_type.value,
                    other_name=repr(seen[0]),
                    other_type=seen[1].value,
                )
            )
    for index, row in enumerate(rows):
        unknown = [code for code in row.also_to if code not in named]
        if unknown:
            problems.append(msg("mapping.also_to_unknown", row=label[index], units=tuple(unknown)))
    return problems


class Mapping(FrozenModel):
    """Old units → new units, one row per old unit."""

    rows: tuple[MappingRow, ...] = Field(min_length=1, description="One row per old unit.")
    source: OptionalText = Field(default=None, description="Where the mapping was read from.")

    @model_validator(mode="after")
    def check_rows_are_consistent(self) -> Mapping:
        problems = mapping_problems(self.rows)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems))
        return self

    @cached_property
    def by_old_code(self) -> dict[str, MappingRow]:
        return {row.old_code: row for row in self.rows}

    @cached_property
    def new_units(self) -> tuple[NewUnit, ...]:
        """Every new unit, by code, with the old units that formed it."""
        parts: dict[str, list[MappingRow]] = defaultdict(list)
        for row in self.rows:
            parts[row.new_code].append(row)
        return tuple(
            NewUnit(code, rows[0].new_name, rows[0].new_unit_type, tuple(r.old_code for r in rows))
            for code, rows in sorted(parts.items())
        )


class MappingError(Exception):
    """A mapping file cannot be read: every problem, located by file, row and column."""

    def __init__(self, source: str, messages: list[Message]) -> None:
        self.source = source
        self.messages = messages
        """Each problem as a catalogue message."""
        self.problems = [str(m) for m in messages]
        """Each problem in English."""
        problems = self.problems
        listed = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in mapping {source}:\n{listed}")


class MergeError(Exception):
    """A dataset and a mapping do not fit together: every problem, one per unit."""

    def __init__(self, messages: list[Message]) -> None:
        self.messages = messages
        """Each problem as a catalogue message."""
        self.problems = problems = [str(m) for m in messages]
        """Each problem in English."""
        shown = "\n".join(f"- {p}" for p in problems[:100])
        more = f"\n… and {len(problems) - 100} more" if len(problems) > 100 else ""
        super().__init__(f"{len(problems)} problem(s) merging the dataset:\n{shown}{more}")


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping CSV (UTF-8, header row); raise MappingError listing every problem.

    Row numbers in messages are spreadsheet rows (the header is row 1).
    """
    path = Path(path)
    name = path.name
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        unreadable = msg("mapping.unreadable", file=name, error=str(error))
        raise MappingError(str(path), [unreadable]) from None
    problems = [
        msg("mapping.column_unknown", file=name, column=column, columns=tuple(MAPPING_COLUMNS))
        for column in frame.columns
        if column not in MAPPING_COLUMNS
    ]
    problems += [
        msg("mapping.column_missing", file=name, column=column)
        for column in REQUIRED_MAPPING_COLUMNS
        if column not in frame.columns
    ]
    if problems:
        raise MappingError(str(path), problems)
    rows: list[MappingRow] = []
    numbers: list[int] = []
    for offset, record in enumerate(frame.to_dict("records")):
        number = offset + 2
        values = {
            k: v for k, v in record.items() if v.strip() != "" or k in REQUIRED_MAPPING_COLUMNS
        }
        try:
            rows.append(MappingRow.model_validate(values))
            numbers.append(number)
        except ValidationError as error:
            for e in error.errors():
                column = str(e["loc"][0]) if e["loc"] else "?"
                why = str(e["msg"]).removeprefix("Value error, ")
                problem = message_of(e) or msg("text.as_written", text=why)
                problems.append(
                    msg("mapping.cell", file=name, row=number, column=column, problem=problem)
                )
    problems += [
        msg("mapping.in_file", file=name, problem=problem)
        for problem in mapping_problems(rows, numbers)
    ]
    if problems:
        raise MappingError(str(path), problems)
    if not rows:
        raise MappingError(str(path), [msg("mapping.no_rows", file=name)])
    return Mapping(rows=tuple(rows), source=str(path))


def empty_new_units(old: Dataset, mapping: Mapping) -> tuple[NewUnit, ...]:
    """New units none of whose old units is in ``old`` (nothing to aggregate for them)."""
    present = set(old.commune_by_code)
    return tuple(u for u in mapping.new_units if not present.intersection(u.old_codes))


def merge_problems(old: Dataset, mapping: Mapping, *, omit_empty: bool = False) -> list[Message]:
    """Everything that stops ``old`` from being merged through ``mapping`` (empty: it can be)."""
    problems = [
        msg("merge.commune_unmapped", commune=c.code, name=c.name)
        for c in old.communes
        if c.code not in mapping.by_old_code
    ]
    problems += [
        msg("merge.row_absent", old=row.old_code, name=row.old_name)
        for row in mapping.rows
        if row.old_code not in old.commune_by_code and not row.may_be_absent
    ]
    if not omit_empty:
        problems += [
            msg("merge.new_unit_empty", new=u.code, name=u.name, old=u.old_codes)
            for u in empty_new_units(old, mapping)
        ]
    return problems


def merge_dataset(
    old: Dataset,
    mapping: Mapping,
    *,
    name: str,
    base_year: int,
    description: str | None = None,
    source: str | None = None,
    omit_empty: bool = False,
) -> Dataset:
    """The dataset on the new units (same criteria set); raise MergeError listing every problem.

    New units are in code order; items, sources and budgets keep their order.
    """
    problems = merge_problems(old, mapping, omit_empty=omit_empty)
    if problems:
        raise MergeError(problems)
    parts: dict[str, list[Commune]] = defaultdict(list)
    for commune in old.communes:  # dataset order within each new unit
        parts[mapping.by_old_code[commune.code].new_code].append(commune)

    communes: list[Commune] = []
    status: list[CriterionStatus] = []
    for unit in mapping.new_units:
        members = parts.get(unit.code)
        if not members:
            continue
        merged_status = [
            merge_status(unit.code, [old.status_by_key[(c.code, k)] for c in members])
            for k in old.criteria.codes
        ]
        all_met = all(s.met for s in merged_status)
        communes.append(merge_communes(unit, members, all_met=all_met))
        status += merged_status

    new_of = {row.old_code: row.new_code for row in mapping.rows}
    return Dataset(
        info=DatasetInfo(
            name=name,
            province=old.info.province,
            base_year=base_year,
            criteria_set=old.info.criteria_set,
            description=description,
            source=source,
        ),
        criteria=old.criteria,
        communes=tuple(communes),
        status=tuple(status),
        investments=old.investments,
        effects=remap_effects(old.effects, new_of),
        sources=old.sources,
        budgets=old.budgets,
    )


def merge_status(new_code: str, parts: Sequence[CriterionStatus]) -> CriterionStatus:
    """Met only if met in every part; gaps add up; at risk if met and any part is at risk."""
    met = all(s.met for s in parts)
    return CriterionStatus(
        commune_code=new_code,
        criterion_code=parts[0].criterion_code,
        met=met,
        gap=0.0 if met else round(sum(s.gap for s in parts), DECIMALS),
        at_risk=met and any(s.at_risk for s in parts),
    )


def merge_communes(unit: NewUnit, parts: Sequence[Commune], *, all_met: bool) -> Commune:
    """The new unit's record from its parts (see the module docstring for the rules)."""
    population = sum(c.population for c in parts)
    level = min((c.ntm_level for c in parts), key=LEVEL_RANK.__getitem__)
    return Commune(
        code=unit.code,
        name=unit.name,
        district=None,
        unit_type=unit.unit_type,
        region=max((c.region for c in parts), key=REGION_RANK.__getitem__),
        population=population,
        households=sum(c.households for c in parts),
        poverty_rate=_weighted(parts, [c.poverty_rate for c in parts]),
        income_per_capita=_weighted_optional(parts, [c.income_per_capita for c in parts]),
        ntm_level=level if all_met else NtmLevel.NONE,
        border=any(c.border for c in parts),
        atk=any(c.atk for c in parts),
        extremely_difficult=any(c.extremely_difficult for c in parts),
        difficult_villages=sum(c.difficult_villages for c in parts),
    )


def _weighted(parts: Sequence[Commune], values: Sequence[float]) -> float:
    """Population-weighted mean (plain mean when no part has people)."""
    weights = [c.population for c in parts]
    total = sum(weights)
    if total == 0:
        return round(sum(values) / len(values), DECIMALS)
    return round(sum(w * v for w, v in zip(weights, values, strict=True)) / total, DECIMALS)


def _weighted_optional(parts: Sequence[Commune], values: Sequence[float | None]) -> float | None:
    """Population-weighted mean over the parts that have a value; None when none has."""
    known = [(c, v) for c, v in zip(parts, values, strict=True) if v is not None]
    if not known:
        return None
    return _weighted([c for c, _ in known], [v for _, v in known])


def remap_effects(effects: Sequence[Effect], new_of: dict[str, str]) -> tuple[Effect, ...]:
    """Effects with commune codes remapped; one item's effects on one new unit and criterion add
    up (in order of first appearance)."""
    amounts: dict[tuple[str, str, str], float] = {}
    for e in effects:
        key = (e.investment_code, new_of[e.commune_code], e.criterion_code)
        amounts[key] = amounts.get(key, 0.0) + e.amount
    return tuple(
        Effect(investment_code=i, commune_code=c, criterion_code=k, amount=round(a, DECIMALS))
        for (i, c, k), a in amounts.items()
    )
