"""The cycle transition: a package on the old units and the old criteria set → a package on the new
units and the new set, driven by data only (a *transition*, read by ``models.transition_io``).

:func:`transition_dataset` chains five pure steps (``docs/merge.md`` argues each rule):

1. :func:`apply_progress` — the old package moved to the day of the merger: the status rows and
   commune figures of the transition replace the old ones; effects on gaps closed meanwhile are
   removed (their items were built), effects on gaps that changed are scaled to the new gap;
2. :func:`models.merge.merge_dataset` — re-aggregation onto the new units (same set);
3. :func:`assess` — every unit on the new set: a new criterion carries one indicator of gap per
   old criterion feeding it that is unmet after the merger (``correspondence``), plus the gap the
   transition's ``assessment`` adds; an assessment row may supersede the old status instead;
4. :func:`remap_items` — old items on the new criteria: closing *a* of an old gap *G* closes
   *a/G* of one indicator;
5. the units formed with no old data, the new items, funding sources and budgets are added, and
   the package info and criteria set are the transition's.

Nothing is drawn at random here: the same old package, mapping and transition give the same
package, byte for byte once written.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from pydantic import Field, ValidationError

from models.base import (
    AdminCode,
    Code,
    Flag,
    FrozenModel,
    NonNegativeFloat,
    OptionalFraction,
    OptionalNonNegativeFloat,
    OptionalText,
)
from models.commune import Commune, CriterionStatus, NtmLevel, UnitType
from models.criteria import CriteriaSet
from models.dataset import Dataset, DatasetInfo
from models.funding import Budget, FundingSource
from models.investment import Effect, Investment
from models.io.errors import LocatedProblem
from models.merge import Mapping, empty_new_units, merge_dataset
from models.messages import Message, message_of, msg

SCALED_AMOUNT_STEP = 10_000
"""An effect scaled to a changed gap is rounded up to 10⁻⁴ of the unit (coverage is kept)."""
REMAPPED_AMOUNT_STEP = 1_000_000
"""A remapped effect (share of one indicator) is rounded up to 10⁻⁶ (coverage is kept)."""
RATE_DECIMALS = 4
"""Poverty rates of the new package (the merge keeps 6 decimals)."""
INCOME_DECIMALS = 1
"""Income per capita of the new package, million VND per person."""

T = TypeVar("T")

DROPPED_NOT_CARRIED = "effects on gaps not carried (met or superseded)"
DROPPED_MAINTENANCE = "maintenance effects (criterion no longer at risk)"
DROPPED_ITEMS = "items left without effect"


# -- the transition's rows ------------------------------------------------------------------------
class CommuneProgress(FrozenModel):
    """An old commune's figures on the day of the merger; an empty field keeps the old value."""

    code: AdminCode = Field(description="The old commune.")
    poverty_rate: OptionalFraction = Field(default=None, description="New poverty rate.")
    income_per_capita: OptionalNonNegativeFloat = Field(
        default=None, description="New income per capita, million VND per person."
    )
    ntm_level: NtmLevel | None = Field(default=None, description="New NTM recognition.")

    @property
    def changes(self) -> dict[str, object]:
        """The fields this row sets."""
        fields = ("poverty_rate", "income_per_capita", "ntm_level")
        return {f: getattr(self, f) for f in fields if getattr(self, f) is not None}


class Correspondence(FrozenModel):
    """One old criterion and the new criterion whose status it feeds."""

    old_criterion: Code = Field(description="Criterion of the old set.")
    new_criterion: Code = Field(description="Criterion of the new set it feeds.")
    note: OptionalText = Field(default=None, description="Why, or how sure (provenance).")


class Assessment(FrozenModel):
    """What the new set asks of one unit beyond what the old criteria carry."""

    new_code: AdminCode = Field(description="The new unit.")
    criterion: Code = Field(description="Criterion of the new set.")
    gap: NonNegativeFloat = Field(
        default=0.0,
        description="Indicators not met beyond those carried (new content, stricter thresholds).",
    )
    supersedes_old: Flag = Field(
        default=False,
        description="The old criteria's status does not carry (e.g. a merged commune's new "
        "general plan): the gap is this row's alone.",
    )


class Transition(FrozenModel):
    """Everything a cycle transition takes as input besides the old package and the mapping."""

    info: DatasetInfo = Field(description="The new package's info (name, base year, set, …).")
    criteria: CriteriaSet = Field(description="The new criteria set.")
    commune_progress: tuple[CommuneProgress, ...] = Field(default=(), description="Old communes.")
    status_progress: tuple[CriterionStatus, ...] = Field(
        default=(), description="Old status rows that changed before the merger."
    )
    correspondence: tuple[Correspondence, ...] = Field(
        min_length=1, description="Every old criterion → the new criterion it feeds."
    )
    assessment: tuple[Assessment, ...] = Field(default=(), description="New-set assessment.")
    empty_units: tuple[Commune, ...] = Field(
        default=(), description="Records of new units formed with no old data."
    )
    investments: tuple[Investment, ...] = Field(default=(), description="New items.")
    effects: tuple[Effect, ...] = Field(default=(), description="Effects of the new items.")
    sources: tuple[FundingSource, ...] = Field(description="Funding sources of the new cycle.")
    budgets: tuple[Budget, ...] = Field(description="Budgets of the new cycle.")
    row_numbers: dict[str, tuple[int, ...]] = Field(
        default_factory=dict,
        exclude=True,
        repr=False,
        description="Spreadsheet row of each record, per table (empty: rows 2, 3, …).",
    )

    @cached_property
    def new_of(self) -> dict[str, str]:
        """Old criterion → the new criterion it feeds."""
        return {c.old_criterion: c.new_criterion for c in self.correspondence}

    @cached_property
    def feeds(self) -> dict[str, tuple[str, ...]]:
        """New criterion (set order) → the old criteria feeding it (correspondence order)."""
        olds: dict[str, list[str]] = defaultdict(list)
        for c in self.correspondence:
            olds[c.new_criterion].append(c.old_criterion)
        return {k: tuple(olds[k]) for k in self.criteria.codes}

    def where(self, table: str, index: int) -> Message:
        """``table.csv row N`` of the record at ``index``."""
        numbers = self.row_numbers.get(table)
        number = numbers[index] if numbers and index < len(numbers) else index + 2
        return msg("place.row", location=f"{table}.csv", row=number)


class TransitionError(Exception):
    """A transition cannot be applied: every problem, located by file and row."""

    def __init__(self, source: str, messages: Sequence[Message | LocatedProblem]) -> None:
        self.source = source
        self.messages = list(messages)
        """Each problem as a catalogue message (or a located one: file, row, column, message)."""
        self.problems = problems = [str(m) for m in messages]
        """Each problem in English."""
        shown = "\n".join(f"- {p}" for p in problems[:100])
        more = f"\n… and {len(problems) - 100} more" if len(problems) > 100 else ""
        super().__init__(f"{len(problems)} problem(s) in transition {source}:\n{shown}{more}")


# -- the result -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewStatus:
    """One unit on one new criterion, and where its gap comes from."""

    unit: str
    criterion: str
    carried: tuple[str, ...]
    """Old criteria unmet after the merger that carry (one indicator of gap each)."""
    added: float
    """Gap the assessment adds (indicators new in the new set, or the whole gap if superseding)."""
    at_risk: bool

    @property
    def gap(self) -> float:
        return len(self.carried) + self.added


@dataclass(frozen=True)
class Transitioned:
    """The new package and the steps that led to it (for figures and checks)."""

    dataset: Dataset
    advanced: Dataset
    """The old package after progress (old units, old set)."""
    merged: Dataset
    """``advanced`` merged onto the new units (old set)."""
    items_done: int
    """Old items removed by progress (every gap they served was closed)."""
    dropped: dict[str, int]
    """What the remap dropped, by kind."""
    carried_items: int
    new_items: int


# -- checks ---------------------------------------------------------------------------------------
def transition_problems(old: Dataset, mapping: Mapping, t: Transition) -> list[Message]:
    """Everything in ``t`` that does not fit the old package, the mapping or the new set."""
    problems: list[Message] = []
    old_units, old_set = set(old.commune_by_code), set(old.criteria.codes)
    new_units = {u.code: u for u in mapping.new_units}
    new_set = set(t.criteria.codes)

    def repeated(table: str, keys: list[tuple], what: Callable[[tuple], Message]) -> None:
        seen: dict[tuple, int] = {}
        for index, key in enumerate(keys):
            if key in seen:
                problems.append(
                    msg(
                        "transition.repeats",
                        where=t.where(table, index),
                        key=what(key),
                        earlier=t.where(table, seen[key]),
                    )
                )
            seen.setdefault(key, index)

    for index, p in enumerate(t.commune_progress):
        if p.code not in old_units:
            problems.append(
                msg(
                    "transition.commune_not_old",
                    where=t.where("progress_communes", index),
                    commune=p.code,
                )
            )
    repeated(
        "progress_communes",
        [(p.code,) for p in t.commune_progress],
        lambda k: msg("key.commune", commune=k[0]),
    )
    for index, s in enumerate(t.status_progress):
        where = t.where("progress_status", index)
        if s.commune_code not in old_units:
            problems.append(msg("transition.commune_not_old", where=where, commune=s.commune_code))
        if s.criterion_code not in old_set:
            problems.append(
                msg(
                    "transition.criterion_not_old",
                    where=where,
                    criterion=s.criterion_code,
                    set=old.criteria.code,
                )
            )
    repeated(
        "progress_status",
        [(s.commune_code, s.criterion_code) for s in t.status_progress],
        lambda k: msg("key.commune_criterion", commune=k[0], criterion=k[1]),
    )

    for index, c in enumerate(t.correspondence):
        where = t.where("correspondence", index)
        if c.old_criterion not in old_set:
            problems.append(
                msg(
                    "transition.old_criterion_unknown",
                    where=where,
                    criterion=c.old_criterion,
                    set=old.criteria.code,
                )
            )
        if c.new_criterion not in new_set:
            problems.append(
                msg(
                    "transition.new_criterion_unknown",
                    where=where,
                    criterion=c.new_criterion,
                    set=t.criteria.code,
                )
            )
    repeated(
        "correspondence",
        [(c.old_criterion,) for c in t.correspondence],
        lambda k: msg("key.old_criterion", criterion=k[0]),
    )
    fed = {c.old_criterion for c in t.correspondence}
    problems += [
        msg("transition.old_criterion_unfed", criterion=k)
        for k in old.criteria.codes
        if k not in fed
    ]

    for index, a in enumerate(t.assessment):
        where = t.where("assessment", index)
        if a.new_code not in new_units:
            problems.append(msg("transition.unit_not_new", where=where, unit=a.new_code))
        if a.criterion not in new_set:
            problems.append(
                msg(
                    "transition.criterion_not_new",
                    where=where,
                    criterion=a.criterion,
                    set=t.criteria.code,
                )
            )
    repeated(
        "assessment",
        [(a.new_code, a.criterion) for a in t.assessment],
        lambda k: msg("key.unit_criterion", unit=k[0], criterion=k[1]),
    )

    empty = {u.code: u for u in empty_new_units(old, mapping)}
    for index, row in enumerate(t.empty_units):
        where = t.where("empty_units", index)
        unit = new_units.get(row.code)
        if unit is None:
            problems.append(msg("transition.unit_not_new", where=where, unit=row.code))
        elif row.code not in empty:
            problems.append(msg("transition.unit_not_empty", where=where, unit=row.code))
        elif (row.name, row.unit_type) != (unit.name, unit.unit_type):
            problems.append(
                msg(
                    "transition.unit_differs",
                    where=where,
                    unit=row.code,
                    name=repr(row.name),
                    type=row.unit_type.value,
                    mapped_name=repr(unit.name),
                    mapped_type=unit.unit_type.value,
                )
            )
    repeated(
        "empty_units", [(c.code,) for c in t.empty_units], lambda k: msg("key.unit", unit=k[0])
    )
    recorded = {c.code for c in t.empty_units}
    problems += [
        msg("transition.empty_unit_unrecorded", unit=u.code, name=u.name)
        for u in empty.values()
        if u.code not in recorded
    ]

    old_items = set(old.investment_by_code)
    items = {i.code for i in t.investments}
    for index, i in enumerate(t.investments):
        if i.code in old_items:
            problems.append(
                msg("transition.item_is_old", where=t.where("investments", index), item=i.code)
            )
    repeated(
        "investments", [(i.code,) for i in t.investments], lambda k: msg("key.item", item=k[0])
    )
    for index, e in enumerate(t.effects):
        where = t.where("investment_effects", index)
        if e.investment_code not in items:
            problems.append(msg("transition.item_unknown", where=where, item=e.investment_code))
        if e.commune_code not in new_units:
            problems.append(msg("transition.unit_not_new", where=where, unit=e.commune_code))
        if e.criterion_code not in new_set:
            problems.append(
                msg(
                    "transition.criterion_not_new",
                    where=where,
                    criterion=e.criterion_code,
                    set=t.criteria.code,
                )
            )
    sources = {s.code for s in t.sources}
    for index, b in enumerate(t.budgets):
        if b.source_code not in sources:
            problems.append(
                msg(
                    "transition.source_unknown",
                    where=t.where("budgets", index),
                    source=b.source_code,
                )
            )
    return problems


# -- the steps ------------------------------------------------------------------------------------
def transition_dataset(
    old: Dataset, mapping: Mapping, t: Transition, *, source: str = "(in memory)"
) -> Transitioned:
    """The new package from the old one, the mapping and the transition; raise TransitionError
    (or MergeError) listing every problem."""
    problems = transition_problems(old, mapping, t)
    if problems:
        raise TransitionError(source, problems)
    advanced, items_done = _checked(source, msg("transition.what_advanced"), apply_progress, old, t)
    merged = merge_dataset(
        advanced,
        mapping,
        name=f"{t.info.name} (merged)",
        base_year=t.info.base_year,
        omit_empty=True,
    )
    assessed = assess(merged, mapping, t)
    investments, effects, dropped = remap_items(merged, assessed, t.new_of)
    units = sorted([*merged.communes, *t.empty_units], key=lambda c: c.code)
    status = [
        _new_status(unit.code, k, assessed.get((unit.code, k)))
        for unit in units
        for k in t.criteria.codes
    ]
    unmet = {s.commune_code for s in status if not s.met}
    dataset = _checked(
        source,
        msg("transition.what_new"),
        Dataset,
        info=t.info,
        criteria=t.criteria,
        communes=tuple(_final_unit(u, recognised=u.code not in unmet) for u in units),
        status=tuple(status),
        investments=(*investments, *t.investments),
        effects=(*effects, *t.effects),
        sources=t.sources,
        budgets=t.budgets,
    )
    return Transitioned(
        dataset=dataset,
        advanced=advanced,
        merged=merged,
        items_done=items_done,
        dropped=dict(sorted(dropped.items())),
        carried_items=len(investments),
        new_items=len(t.investments),
    )


def _checked(source: str, what: Message, build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``build(*args, **kwargs)``, a failed validation re-raised as a TransitionError."""
    try:
        return build(*args, **kwargs)
    except ValidationError as error:
        raise TransitionError(
            source,
            [
                msg("transition.invalid", what=what, why=message_of(e) or str(e["msg"]))
                for e in error.errors()
            ],
        ) from None


def apply_progress(old: Dataset, t: Transition) -> tuple[Dataset, int]:
    """The old package on the day of the merger, and how many of its items were removed.

    Status rows and commune figures of the transition replace the old ones (a status row listed
    in the transition is *re-assessed*, even if unchanged). Per effect: a maintenance effect stays
    while its criterion is at risk; another effect stays while its gap is open, and where the row
    was re-assessed it is scaled by new gap / old gap (rounded up to 10⁻⁴); every other effect is
    removed (its gap was closed: the item was built). An item's cost scales with the smallest
    such ratio below 1; an item left with no effect is removed.
    """
    changed = {(s.commune_code, s.criterion_code): s for s in t.status_progress}
    status = tuple(changed.get((s.commune_code, s.criterion_code), s) for s in old.status)
    updates = {p.code: p.changes for p in t.commune_progress}
    communes = tuple(
        c.model_copy(update=updates[c.code]) if updates.get(c.code) else c for c in old.communes
    )
    after = {(s.commune_code, s.criterion_code): s for s in status}
    investments, effects, removed = _progress_items(old, after, rescored=set(changed))
    advanced = Dataset(
        info=old.info,
        criteria=old.criteria,
        communes=communes,
        status=status,
        investments=investments,
        effects=effects,
        sources=old.sources,
        budgets=old.budgets,
    )
    return advanced, removed


COUNTED_IN_NAMES = re.compile(r"(?P<count>\d+)(?P<unit>\s+(?:hộ|lao động)\b)")
"""Households and workers an item's name counts (``cho 109 hộ nghèo``, ``cho 80 lao động``)."""


def scaled_name(name: str, scale: float) -> str:
    """The name of an item scaled to a smaller gap, with the households or workers it counts
    scaled alike (at least 1): ``cho 109 hộ nghèo`` at 0.4 % → ``cho 1 hộ nghèo``."""
    if scale >= 1.0:
        return name
    return COUNTED_IN_NAMES.sub(
        lambda m: f"{max(1, round(int(m['count']) * scale))}{m['unit']}", name
    )


def _progress_items(
    old: Dataset,
    after: dict[tuple[str, str], CriterionStatus],
    *,
    rescored: set[tuple[str, str]],
) -> tuple[tuple[Investment, ...], tuple[Effect, ...], int]:
    """Items and effects after progress (rules in :func:`apply_progress`)."""
    investments: list[Investment] = []
    effects: list[Effect] = []
    removed = 0
    for investment in old.investments:
        kept: list[Effect] = []
        scale = 1.0
        for e in old.effects_by_investment[investment.code]:
            a = old.status_by_key[(e.commune_code, e.criterion_code)]
            b = after[(e.commune_code, e.criterion_code)]
            if investment.maintenance and b.at_risk:
                kept.append(e)
            elif not a.met and not b.met:
                if (e.commune_code, e.criterion_code) not in rescored:
                    kept.append(e)
                    continue
                ratio = b.gap / a.gap
                scale = min(scale, ratio)
                amount = math.ceil(e.amount * ratio * SCALED_AMOUNT_STEP) / SCALED_AMOUNT_STEP
                kept.append(e.model_copy(update={"amount": amount}))
        if not kept:
            removed += 1
            continue
        cost = max(1, round(investment.cost * scale))
        name = scaled_name(investment.name, scale)
        investments.append(investment.model_copy(update={"cost": cost, "name": name}))
        effects += kept
    return tuple(investments), tuple(effects), removed


def assess(merged: Dataset, mapping: Mapping, t: Transition) -> dict[tuple[str, str], NewStatus]:
    """Every unit × new criterion (merged units, then units with no old data; set order).

    Carried: the old criteria feeding the new one that are unmet after the merger (none where an
    assessment row supersedes the old status). Added: the assessment row's gap. At risk: met,
    and any old criterion feeding it at risk.
    """
    rows = {(a.new_code, a.criterion): a for a in t.assessment}
    out: dict[tuple[str, str], NewStatus] = {}
    for unit in merged.communes:
        for new, olds in t.feeds.items():
            row = rows.get((unit.code, new))
            statuses = [merged.status_by_key[(unit.code, k)] for k in olds]
            carried = tuple(s.criterion_code for s in statuses if not s.met)
            if row is not None and row.supersedes_old:
                carried = ()
            added = row.gap if row is not None else 0.0
            at_risk = not carried and not added and any(s.at_risk for s in statuses)
            out[(unit.code, new)] = NewStatus(unit.code, new, carried, added, at_risk)
    for unit in t.empty_units:
        for new in t.criteria.codes:
            row = rows.get((unit.code, new))
            if row is not None:
                out[(unit.code, new)] = NewStatus(unit.code, new, (), row.gap, False)
    return out


def remap_items(
    merged: Dataset, assessed: dict[tuple[str, str], NewStatus], new_of: dict[str, str]
) -> tuple[list[Investment], list[Effect], Counter]:
    """Old items on the new criteria.

    An effect closing *a* of an old gap *G* closes *a/G* of one indicator of the new criterion
    (rounded up to 10⁻⁶, so coverage is kept); effects of one item on one unit and new criterion
    add up. A maintenance effect becomes 1 where the new criterion is at risk. Dropped and
    counted: effects on old gaps that do not carry, maintenance where the new criterion is not at
    risk, and items left without any effect.
    """
    investments: list[Investment] = []
    effects: list[Effect] = []
    dropped: Counter = Counter()
    for investment in merged.investments:
        amounts: dict[tuple[str, str], float] = {}
        for e in merged.effects_by_investment[investment.code]:
            a = assessed[(e.commune_code, new_of[e.criterion_code])]
            key = (e.commune_code, a.criterion)
            if investment.maintenance:
                if a.at_risk:
                    amounts[key] = 1.0
                else:
                    dropped[DROPPED_MAINTENANCE] += 1
            elif e.criterion_code in a.carried:
                gap = merged.status_by_key[(e.commune_code, e.criterion_code)].gap
                share = math.ceil(e.amount / gap * REMAPPED_AMOUNT_STEP) / REMAPPED_AMOUNT_STEP
                amounts[key] = amounts.get(key, 0.0) + share
            else:
                dropped[DROPPED_NOT_CARRIED] += 1
        if not amounts:
            dropped[DROPPED_ITEMS] += 1
            continue
        investments.append(investment)
        effects += [
            Effect(investment_code=investment.code, commune_code=u, criterion_code=k, amount=a)
            for (u, k), a in amounts.items()
        ]
    return investments, effects, dropped


def _new_status(unit: str, criterion: str, a: NewStatus | None) -> CriterionStatus:
    gap = a.gap if a else 0.0
    return CriterionStatus(
        commune_code=unit,
        criterion_code=criterion,
        met=gap == 0,
        gap=gap,
        at_risk=bool(a and a.at_risk),
    )


def _final_unit(unit: Commune, *, recognised: bool) -> Commune:
    """Rates at the package's precision; ``none`` for a ward or a unit with any gap."""
    income = unit.income_per_capita
    return unit.model_copy(
        update={
            "ntm_level": unit.ntm_level
            if recognised and unit.unit_type != UnitType.WARD
            else NtmLevel.NONE,
            "poverty_rate": round(unit.poverty_rate, RATE_DECIMALS),
            "income_per_capita": None if income is None else round(income, INCOME_DECIMALS),
        }
    )


__all__ = [
    "Assessment",
    "CommuneProgress",
    "Correspondence",
    "NewStatus",
    "Transition",
    "TransitionError",
    "Transitioned",
    "apply_progress",
    "assess",
    "remap_items",
    "transition_dataset",
    "transition_problems",
]
