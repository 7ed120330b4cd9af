"""Check a scenario's references against a dataset: every source, commune, district, item and year
it names must exist, so a typo is a located error and never a silently empty constraint.

A scenario file is validated on its own by ``models.scenario`` (types, ranges, negative budgets);
what it names can only be checked once the dataset is known. Locations use the scenario's field
path, e.g. ``budgets.overrides[0].source: unknown funding source 'centrl'``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from models.dataset import Dataset
from models.messages import ENGLISH, Message, msg, render
from models.scenario import CommuneGroup, Scenario

SHOWN_CHOICES = 8
"""How many known codes an "unknown …" message lists before "…"."""


class Severity(StrEnum):
    ERROR = "error"
    """The scenario cannot be solved as written."""
    WARNING = "warning"
    """The scenario can be solved, but probably does not ask what its author meant."""


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario on a dataset, located by the scenario's field path."""

    location: str
    """The scenario's field path; empty for a problem of the whole file."""
    message: Message
    severity: Severity = Severity.ERROR

    def text(self, lang: str = ENGLISH) -> str:
        """The problem in ``lang``: ``horizon: start 2027 is after end 2026``."""
        message = render(self.message, lang)
        return f"{self.location}: {message}" if self.location else message

    def __str__(self) -> str:
        return self.text(ENGLISH)


class ScenarioReferenceError(Exception):
    """A scenario names things the dataset does not have; every error is listed."""

    def __init__(self, scenario: str, problems: list[ScenarioProblem]) -> None:
        self.scenario = scenario
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"scenario {scenario!r} does not fit the dataset ({len(problems)} problem(s)):\n{lines}"
        )

    def __reduce__(self):
        """Pickled by its arguments (it crosses from the solve's worker process to the app)."""
        return (type(self), (self.scenario, self.problems))


def _choices(known: Iterable[str]) -> str:
    values = sorted(known)
    shown = ", ".join(values[:SHOWN_CHOICES])
    return shown + (", …" if len(values) > SHOWN_CHOICES else "")


def _unknown(location: str, what: Message, value: str, known: set[str]) -> list[ScenarioProblem]:
    if value in known:
        return []
    unknown = msg("reference.unknown_known", what=what, value=repr(value), known=_choices(known))
    return [ScenarioProblem(location, unknown)]


def _year_in_horizon(location: str, year: int | None, scenario: Scenario) -> list[ScenarioProblem]:
    h = scenario.horizon
    if year is None or h.start <= year <= h.end:
        return []
    outside = msg("horizon.year_outside", year=year, horizon=f"{h.start}-{h.end}")
    return [ScenarioProblem(location, outside)]


def check_scenario(dataset: Dataset, scenario: Scenario) -> list[ScenarioProblem]:
    """Every reference of ``scenario`` that ``dataset`` cannot satisfy; empty when it fits."""
    return [
        *_check_budgets(dataset, scenario),
        *_check_policies(dataset, scenario),
        *_check_targets(dataset, scenario),
        *_check_uncertainty(dataset, scenario),
    ]


def scenario_errors(dataset: Dataset, scenario: Scenario) -> list[ScenarioProblem]:
    """Only the problems that make the scenario unusable."""
    return [p for p in check_scenario(dataset, scenario) if p.severity == Severity.ERROR]


def ensure_scenario_fits(dataset: Dataset, scenario: Scenario) -> list[ScenarioProblem]:
    """Raise ScenarioReferenceError on any error; return the warnings otherwise."""
    problems = check_scenario(dataset, scenario)
    errors = [p for p in problems if p.severity == Severity.ERROR]
    if errors:
        raise ScenarioReferenceError(scenario.name, errors)
    return problems


def _check_budgets(dataset: Dataset, scenario: Scenario) -> list[ScenarioProblem]:
    sources = {s.code for s in dataset.sources}
    b, h = scenario.budgets, scenario.horizon
    problems: list[ScenarioProblem] = []
    for index, override in enumerate(b.overrides):
        where = f"budgets.overrides[{index}]"
        problems += _unknown(
            f"{where}.source", msg("what.funding_source"), override.source, sources
        )
        problems += _year_in_horizon(f"{where}.year", override.year, scenario)
    for source in b.scale_by_source:
        problems += _unknown(
            f"budgets.scale_by_source.{source}", msg("what.funding_source"), source, sources
        )
    for year in sorted(b.disbursement_by_year):
        problems += _year_in_horizon(f"budgets.disbursement_by_year.{year}", year, scenario)
    budget_years = {x.year for x in dataset.budgets} | {o.year for o in b.overrides}
    if not any(h.start <= year <= h.end for year in budget_years):
        known = (
            msg("horizon.years", years=f"{min(budget_years)}-{max(budget_years)}")
            if budget_years
            else msg("horizon.no_year")
        )
        problems.append(
            ScenarioProblem(
                "horizon",
                msg("horizon.no_budget", horizon=f"{h.start}-{h.end}", known=known),
                Severity.WARNING,
            )
        )
    return problems


def _check_policies(dataset: Dataset, scenario: Scenario) -> list[ScenarioProblem]:
    p = scenario.policies
    sources = {s.code for s in dataset.sources}
    communes = {c.code for c in dataset.communes}
    districts = {c.district for c in dataset.communes if c.district}
    items = {i.code for i in dataset.investments}
    problems: list[ScenarioProblem] = []
    for index, share in enumerate(p.min_shares):
        where = f"policies.min_shares[{index}]"
        if share.source is not None:
            problems += _unknown(
                f"{where}.source", msg("what.funding_source"), share.source, sources
            )
        if share.group == CommuneGroup.DISTRICT and share.district is not None:
            problems += _unknown(
                f"{where}.district", msg("what.district"), share.district, districts
            )
    for index, rule in enumerate(p.co_financing):
        where = f"policies.co_financing[{index}]"
        problems += _unknown(f"{where}.source", msg("what.funding_source"), rule.source, sources)
        problems += _unknown(
            f"{where}.of_source", msg("what.funding_source"), rule.of_source, sources
        )
        if rule.source == rule.of_source:
            problems.append(
                ScenarioProblem(where, msg("co_financing.same_source", source=repr(rule.source)))
            )
    for index, reach in enumerate(p.must_reach):
        where = f"policies.must_reach[{index}]"
        for j, commune in enumerate(reach.communes):
            problems += _unknown(f"{where}.communes[{j}]", msg("what.commune"), commune, communes)
        for j, district in enumerate(reach.districts):
            problems += _unknown(
                f"{where}.districts[{j}]", msg("what.district"), district, districts
            )
        problems += _year_in_horizon(f"{where}.by_year", reach.by_year, scenario)
    forced_out = set(p.forced_out)
    for index, commitment in enumerate(p.committed):
        where = f"policies.committed[{index}]"
        problems += _unknown(
            f"{where}.investment", msg("what.investment"), commitment.investment, items
        )
        problems += _year_in_horizon(f"{where}.start_year", commitment.start_year, scenario)
        if commitment.investment in forced_out:
            problems.append(
                ScenarioProblem(
                    f"{where}.investment",
                    msg("committed.forced_out", item=repr(commitment.investment)),
                )
            )
    for index, item in enumerate(p.forced_out):
        problems += _unknown(f"policies.forced_out[{index}]", msg("what.investment"), item, items)
    return problems


def _check_targets(dataset: Dataset, scenario: Scenario) -> list[ScenarioProblem]:
    problems = _year_in_horizon("targets.by_year", scenario.targets.by_year, scenario)
    size = dataset.criteria.size
    if scenario.criteria_floor is not None and scenario.criteria_floor > size:
        problems.append(
            ScenarioProblem(
                "criteria_floor",
                msg(
                    "floor.above_set",
                    floor=scenario.criteria_floor,
                    size=size,
                    set=dataset.criteria.code,
                ),
                Severity.WARNING,
            )
        )
    target = scenario.targets.communes_at_standard
    counted = sum(
        1 for c in dataset.communes if c.unit_type == "commune" or scenario.policies.include_wards
    )
    if target is not None and target > counted:
        problems.append(
            ScenarioProblem(
                "targets.communes_at_standard",
                msg("target.above_communes", target=target, counted=counted),
            )
        )
    return problems


def _check_uncertainty(dataset: Dataset, scenario: Scenario) -> list[ScenarioProblem]:
    """Categories and sources named in ``uncertainty`` must be the dataset's."""
    u = scenario.uncertainty
    if u is None:
        return []
    categories = {i.category for i in dataset.investments}
    sources = {s.code for s in dataset.sources}
    problems = []
    for category in u.overrun:
        problems += _unknown(
            f"uncertainty.overrun.{category}", msg("what.item_category"), category, categories
        )
    for source in u.disbursement:
        problems += _unknown(
            f"uncertainty.disbursement.{source}", msg("what.funding_source"), source, sources
        )
    return problems
