"""The dataset: communes, criteria status, investments, sources and budgets, cross-validated."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any

from pydantic import Field, model_validator

from models.base import Code, FrozenModel, OptionalText, Text
from models.commune import Commune, CriterionStatus, NtmLevel
from models.criteria import CriteriaSet
from models.funding import Budget, FundingSource
from models.investment import Effect, Investment
from models.messages import Message, msg
from models.problems import DatasetError, Problem


class DatasetInfo(FrozenModel):
    """What a data package is: name, province, base year and the criteria set it is assessed on."""

    name: Text = Field(description="Short name, e.g. 'Sơn La 2021'.")
    province: Text = Field(description="Province.")
    base_year: int = Field(ge=1900, le=2200, description="Year the criterion status describes.")
    criteria_set: Code = Field(description="Code of the criteria set.")
    description: OptionalText = Field(default=None, description="Provenance, what is synthetic.")
    source: OptionalText = Field(default=None, description="Where the data comes from.")


class Dataset(FrozenModel):
    """Everything the optimizer needs about a province, as flat tables that mirror the package."""

    info: DatasetInfo
    criteria: CriteriaSet
    communes: tuple[Commune, ...]
    status: tuple[CriterionStatus, ...]
    investments: tuple[Investment, ...]
    effects: tuple[Effect, ...]
    sources: tuple[FundingSource, ...]
    budgets: tuple[Budget, ...]

    @model_validator(mode="after")
    def check_tables_are_consistent(self) -> Dataset:
        problems = cross_check(self)
        if problems:
            raise DatasetError(problems)
        return self

    # -- lookups (computed once per immutable dataset) -------------------------------------------
    @cached_property
    def commune_by_code(self) -> dict[str, Commune]:
        return {c.code: c for c in self.communes}

    @cached_property
    def commune_index(self) -> dict[str, int]:
        """Commune code → its position in the dataset."""
        return {c.code: n for n, c in enumerate(self.communes)}

    @cached_property
    def investment_by_code(self) -> dict[str, Investment]:
        return {i.code: i for i in self.investments}

    @cached_property
    def source_by_code(self) -> dict[str, FundingSource]:
        return {s.code: s for s in self.sources}

    @cached_property
    def status_by_key(self) -> dict[tuple[str, str], CriterionStatus]:
        """(commune code, criterion code) → status."""
        return {(s.commune_code, s.criterion_code): s for s in self.status}

    @cached_property
    def effects_by_investment(self) -> dict[str, tuple[Effect, ...]]:
        grouped: dict[str, list[Effect]] = defaultdict(list)
        for effect in self.effects:
            grouped[effect.investment_code].append(effect)
        return {code: tuple(effects) for code, effects in grouped.items()}

    @cached_property
    def criteria_met(self) -> dict[str, int]:
        """Commune code → number of criteria met today."""
        counts = Counter(s.commune_code for s in self.status if s.met)
        return {c.code: counts.get(c.code, 0) for c in self.communes}

    @cached_property
    def years(self) -> tuple[int, ...]:
        """Years that have a budget, in order."""
        return tuple(sorted({b.year for b in self.budgets}))

    def served_communes(self, investment_code: str) -> tuple[Commune, ...]:
        """Communes an item serves, in dataset order."""
        codes = {e.commune_code for e in self.effects_by_investment.get(investment_code, ())}
        return tuple(
            self.commune_by_code[c] for c in sorted(codes, key=self.commune_index.__getitem__)
        )

    def at_standard(self, commune_code: str) -> bool:
        """Whether a commune meets every criterion of the set today."""
        return self.criteria_met[commune_code] == self.criteria.size


# -- cross-table rules ---------------------------------------------------------------------------
def _duplicates(
    table: str, column: str, keys: Sequence[Any], describe: Callable[[Any], Message]
) -> list[Problem]:
    seen: dict[Any, int] = {}
    problems = []
    for index, key in enumerate(keys):
        if key in seen:
            problems.append(
                Problem(
                    table, index, column, msg("key.repeats", key=describe(key)), repeats=seen[key]
                )
            )
        else:
            seen[key] = index
    return problems


REFERENCED_TABLE = {
    "commune": "communes",
    "investment": "investments",
    "funding_source": "funding_sources",
}
"""The table a reference names, by the kind of thing it names (``what.<kind>``)."""


def _unknown(
    table: str,
    column: str,
    values: Iterable[str],
    known: set[str],
    what: Message,
    criteria_set: str | None = None,
) -> list[Problem]:
    """A problem for each value that is not ``known``; ``criteria_set``: the values are criteria
    of this set."""
    target = REFERENCED_TABLE.get(what.code.removeprefix("what."))
    return [
        Problem(
            table,
            index,
            column,
            msg("reference.unknown", what=what, value=repr(value))
            if criteria_set is None
            else msg("reference.unknown_criterion", value=repr(value), set=criteria_set),
            unless_rejected=(target, value) if target else None,
        )
        for index, value in enumerate(values)
        if value not in known
    ]


def cross_check(dataset: Dataset) -> list[Problem]:
    """Every rule that spans tables; an empty list means the dataset is consistent."""
    d = dataset
    communes = {c.code for c in d.communes}
    criteria = set(d.criteria.codes)
    investments = {i.code for i in d.investments}
    sources = {s.code for s in d.sources}
    problems: list[Problem] = []

    if d.criteria.code != d.info.criteria_set:
        problems.append(
            Problem(
                "dataset",
                None,
                "criteria_set",
                msg(
                    "dataset.criteria_set_differs",
                    named=repr(d.info.criteria_set),
                    given=repr(d.criteria.code),
                ),
            )
        )
    problems += _duplicates(
        "communes", "code", [c.code for c in d.communes], lambda k: msg("key.commune_code", code=k)
    )
    problems += _duplicates(
        "investments",
        "code",
        [i.code for i in d.investments],
        lambda k: msg("key.investment_code", code=k),
    )
    problems += _duplicates(
        "funding_sources",
        "code",
        [s.code for s in d.sources],
        lambda k: msg("key.source_code", code=k),
    )
    problems += _duplicates(
        "criteria_status",
        "criterion_code",
        [(s.commune_code, s.criterion_code) for s in d.status],
        lambda k: msg("key.commune_criterion", commune=k[0], criterion=k[1]),
    )
    problems += _duplicates(
        "investment_effects",
        "criterion_code",
        [(e.investment_code, e.commune_code, e.criterion_code) for e in d.effects],
        lambda k: msg("key.investment_commune_criterion", item=k[0], commune=k[1], criterion=k[2]),
    )
    problems += _duplicates(
        "budgets",
        "year",
        [(b.source_code, b.year) for b in d.budgets],
        lambda k: msg("key.source_year", source=k[0], year=k[1]),
    )

    problems += _unknown(
        "criteria_status",
        "commune_code",
        [s.commune_code for s in d.status],
        communes,
        msg("what.commune"),
    )
    problems += _unknown(
        "criteria_status",
        "criterion_code",
        [s.criterion_code for s in d.status],
        criteria,
        msg("what.criterion"),
        d.criteria.code,
    )
    problems += _missing_status(d)
    problems += _standard_communes_meet_everything(d)

    problems += _unknown(
        "investment_effects",
        "investment_code",
        [e.investment_code for e in d.effects],
        investments,
        msg("what.investment"),
    )
    problems += _unknown(
        "investment_effects",
        "commune_code",
        [e.commune_code for e in d.effects],
        communes,
        msg("what.commune"),
    )
    problems += _unknown(
        "investment_effects",
        "criterion_code",
        [e.criterion_code for e in d.effects],
        criteria,
        msg("what.criterion"),
        d.criteria.code,
    )
    with_effects = {e.investment_code for e in d.effects}
    problems += [
        Problem(
            "investments",
            index,
            "code",
            msg("investment.no_effect", item=i.code),
            unless_rejected=("investment_effects", i.code),
        )
        for index, i in enumerate(d.investments)
        if i.code not in with_effects
    ]
    problems += _unknown(
        "budgets",
        "source_code",
        [b.source_code for b in d.budgets],
        sources,
        msg("what.funding_source"),
    )
    return problems


def _missing_status(d: Dataset) -> list[Problem]:
    present = {(s.commune_code, s.criterion_code) for s in d.status}
    problems = []
    for index, commune in enumerate(d.communes):
        missing = [k for k in d.criteria.codes if (commune.code, k) not in present]
        if missing:
            problems.append(
                Problem(
                    "communes",
                    index,
                    "code",
                    msg("commune.status_missing", commune=commune.code, criteria=tuple(missing)),
                    unless_rejected=("criteria_status", commune.code),
                )
            )
    return problems


def _standard_communes_meet_everything(d: Dataset) -> list[Problem]:
    unmet: dict[str, list[str]] = defaultdict(list)
    for s in d.status:
        if not s.met:
            unmet[s.commune_code].append(s.criterion_code)
    return [
        Problem(
            "communes",
            index,
            "ntm_level",
            msg(
                "commune.level_but_unmet",
                level=msg(f"ntm_level.{c.ntm_level.value}"),
                criteria=tuple(unmet[c.code]),
            ),
        )
        for index, c in enumerate(d.communes)
        if c.ntm_level != NtmLevel.NONE and unmet.get(c.code)
    ]
