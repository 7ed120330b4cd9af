"""Scenarios: what the user controls — horizon, budgets, objectives in order, policies, solver."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from models.base import AdminCode, Code, Fraction, FrozenModel, Money, OptionalText, Text
from models.commune import CommuneFlag
from models.messages import invalid
from models.uncertainty import Robustness, Uncertainty

DEFAULT_FLOOR_SHARE = 15 / 19
"""The 2021-2025 floor, "15 of 19 criteria", as a share that means something for any set."""


def default_floor(set_size: int) -> int:
    """The criteria floor when a scenario names none: 15 of 19, scaled to the set's size."""
    return max(1, round(DEFAULT_FLOOR_SHARE * set_size))


class Objective(StrEnum):
    """One level of the lexicographic objective."""

    COMMUNES_AT_STANDARD = "communes_at_standard"
    """Maximise communes meeting every criterion at the horizon end."""
    COMMUNES_AT_FLOOR = "communes_at_floor"
    """Maximise communes meeting at least the criteria floor at the horizon end."""
    CRITERIA_MET = "criteria_met"
    """Maximise criteria met, summed over communes, at the horizon end."""
    EARLIEST_ACHIEVEMENT = "earliest_achievement"
    """Maximise commune-years at standard (reaching it earlier counts more)."""
    LEAST_COST = "least_cost"
    """Minimise money spent."""
    STABILITY = "stability"
    """Minimise changes to the plan being revised (Scenario.revises): weighted count of its items
    dropped, items added and items moved to another start year (see ChangeWeights). Without a
    plan to revise it is 0 for every plan."""


DEFAULT_OBJECTIVES = (
    Objective.COMMUNES_AT_STANDARD,
    Objective.COMMUNES_AT_FLOOR,
    Objective.CRITERIA_MET,
    Objective.LEAST_COST,
)


class Horizon(FrozenModel):
    """Planning years; ``single_period`` pools the years' budgets into one decision period."""

    start: int = Field(ge=1900, le=2200, description="First year.")
    end: int = Field(ge=1900, le=2200, description="Last year (the horizon end).")
    single_period: bool = Field(
        default=False, description="Treat the whole horizon as one period (no phasing)."
    )

    @model_validator(mode="after")
    def check_start_not_after_end(self) -> Horizon:
        if self.start > self.end:
            raise invalid("horizon.start_after_end", start=self.start, end=self.end)
        return self

    @property
    def years(self) -> tuple[int, ...]:
        """Decision periods: every year, or the end year alone for a single period."""
        if self.single_period:
            return (self.end,)
        return tuple(range(self.start, self.end + 1))


class BudgetOverride(FrozenModel):
    """Replace the dataset's budget for one source and year."""

    source: Code
    year: int
    amount: Money = Field(description="Million VND.")


class Budgets(FrozenModel):
    """How the scenario's money derives from the dataset's budgets."""

    scale: float = Field(default=1.0, ge=0, description="Multiply every budget (0.8 = a 20% cut).")
    scale_by_source: dict[Code, float] = Field(
        default_factory=dict, description="Extra multiplier per source."
    )
    overrides: tuple[BudgetOverride, ...] = Field(default=(), description="Exact amounts.")
    carry_over: bool = Field(default=True, description="Unspent money carries to the next year.")
    disbursement_rate: Fraction | None = Field(
        default=None,
        description="Share of the money available in a year (its budget plus money carried "
        "over) that can actually be disbursed that year; the rest carries over. None: all.",
    )
    disbursement_by_year: dict[int, Fraction] = Field(
        default_factory=dict, description="Disbursement rate for particular years."
    )

    def disbursement(self, year: int) -> float | None:
        """The disbursement rate in force in ``year`` (None: no limit)."""
        return self.disbursement_by_year.get(year, self.disbursement_rate)

    @model_validator(mode="after")
    def check_scales_are_not_negative(self) -> Budgets:
        negative = [k for k, v in self.scale_by_source.items() if v < 0]
        if negative:
            raise invalid("budgets.scale_negative", sources=tuple(negative))
        return self


class CommuneGroup(StrEnum):
    """Groups a policy can name."""

    EXTREMELY_DIFFICULT = CommuneFlag.EXTREMELY_DIFFICULT.value
    BORDER = CommuneFlag.BORDER.value
    ATK = CommuneFlag.ATK.value
    BELOW_FLOOR = "below_floor"
    REGION_III = "region_iii"
    DISTRICT = "district"


class MinShare(FrozenModel):
    """At least ``share`` of the money (of one source, or of all) goes to a commune group."""

    name: Code
    group: CommuneGroup
    district: OptionalText = Field(default=None, description="With group 'district'.")
    share: Fraction
    source: Code | None = Field(default=None, description="Only this source's money; None: all.")

    @model_validator(mode="after")
    def check_district_named_for_district_group(self) -> MinShare:
        if (self.group == CommuneGroup.DISTRICT) != (self.district is not None):
            raise invalid("policy.district_for_group")
        return self


class MustReach(FrozenModel):
    """These communes (or every commune of these districts) reach the standard by a year."""

    name: Code
    communes: tuple[AdminCode, ...] = ()
    districts: tuple[Text, ...] = ()
    by_year: int | None = Field(default=None, description="Default: the horizon end.")

    @model_validator(mode="after")
    def check_something_is_named(self) -> MustReach:
        if not self.communes and not self.districts:
            raise invalid("policy.name_something")
        return self


class CoFinancing(FrozenModel):
    """Source ``source`` pays at least ``ratio`` × what source ``of_source`` pays, every year."""

    name: Code
    source: Code
    of_source: Code
    ratio: float = Field(ge=0)


class DistrictEquity(FrozenModel):
    """Every district gets at least ``min_communes`` (or ``min_share`` of its communes) at standard."""

    name: Code = "district_equity"
    min_communes: int = Field(default=0, ge=0)
    min_share: Fraction = 0.0


class Targets(FrozenModel):
    """Hard targets, for the inverse question "least money to reach …"."""

    communes_at_standard: int | None = Field(default=None, ge=0)
    by_year: int | None = Field(default=None, description="Default: the horizon end.")
    no_commune_below_floor: bool = False


class Committed(FrozenModel):
    """An item that must be funded (a work already started), optionally from a given year."""

    investment: Text
    start_year: int | None = None


class ChangeWeights(FrozenModel):
    """What one change to the revised plan costs in the stability objective and ``max_changes``.

    A moved item counts once (not as a drop and an add); money moved between sources for the same
    item is not a change. Equal weights by default: every changed decision is one change.
    """

    dropped: float = Field(default=1.0, ge=0, description="An item of the plan left out.")
    added: float = Field(default=1.0, ge=0, description="An item funded that the plan did not.")
    moved: float = Field(default=1.0, ge=0, description="An item kept but started another year.")


class PlannedStart(FrozenModel):
    """An item of the plan being revised and the year it is to start."""

    investment: Text
    start_year: int


class RevisedPlan(FrozenModel):
    """The plan a re-plan revises: what the stability objective and ``max_changes`` compare with.

    Written by ``ntm replan`` (optimizer.replan): the items still to start or to finish, with
    their start years (a late item's year is the first year re-planned).
    """

    run: int | None = Field(default=None, description="History run of the revised plan.")
    from_year: int = Field(ge=1900, le=2200, description="First year re-planned.")
    items: tuple[PlannedStart, ...] = Field(default=(), description="The plan's items.")
    dropped_before: tuple[Text, ...] = Field(
        default=(),
        description="Items of the plan that cannot be funded any more (no gap left to close, "
        "cancelled, or no year left): dropped whatever the re-plan does.",
    )
    weights: ChangeWeights = ChangeWeights()


class Policies(FrozenModel):
    """Optional policy constraints; each is named so diagnostics read in the user's words."""

    min_shares: tuple[MinShare, ...] = ()
    must_reach: tuple[MustReach, ...] = ()
    commune_cap: Money | None = Field(default=None, description="Most money per commune.")
    maintain_standard: bool = Field(
        default=False, description="At-risk criteria of communes at standard must be kept."
    )
    co_financing: tuple[CoFinancing, ...] = ()
    committed: tuple[Committed, ...] = ()
    forced_out: tuple[Text, ...] = ()
    district_equity: DistrictEquity | None = None
    include_wards: bool = Field(default=False, description="Count wards in commune targets.")
    max_changes: float | None = Field(
        default=None, ge=0, description="At most this many changes to the revised plan."
    )


class Solver(StrEnum):
    HIGHS = "highs"
    CBC = "cbc"


class SolverSettings(FrozenModel):
    """Which solver, how long, how exact."""

    name: Solver = Solver.HIGHS
    time_limit: float = Field(default=120.0, gt=0, description="Seconds per level.")
    relative_gap: float = Field(default=0.0, ge=0, le=1, description="Accepted MIP gap.")
    threads: int | None = Field(
        default=None, ge=1, le=256, description="Solver threads (capped at the machine's cores)."
    )


class Scenario(FrozenModel):
    """A named question to the optimizer, on a dataset."""

    name: Text = Field(max_length=200, description="At most 200 characters (the history's key).")
    description: OptionalText = None
    dataset: OptionalText = Field(default=None, description="Data package path (from a file).")
    horizon: Horizon
    budgets: Budgets = Budgets()
    objectives: tuple[Objective, ...] = Field(default=DEFAULT_OBJECTIVES, min_length=1)
    criteria_floor: int | None = Field(
        default=None,
        ge=1,
        description="Criteria a commune must meet at least; default 15/19 of the set.",
    )
    targets: Targets = Targets()
    policies: Policies = Policies()
    solver: SolverSettings = SolverSettings()
    revises: RevisedPlan | None = Field(
        default=None, description="The plan this scenario re-plans (set by ntm replan)."
    )
    uncertainty: Uncertainty | None = Field(
        default=None, description="Futures to test a plan against (docs/uncertainty.md)."
    )
    robustness: Robustness = Field(
        default=Robustness(), description="Guards against overruns: Γ and a reserve."
    )

    @model_validator(mode="after")
    def check_robust_budgets_know_the_overruns(self) -> Scenario:
        if self.robustness.gamma > 0 and (
            self.uncertainty is None
            or not (self.uncertainty.overrun or self.uncertainty.overrun_default)
        ):
            raise invalid("scenario.gamma_needs_overrun")
        return self

    @model_validator(mode="after")
    def check_objectives_do_not_repeat(self) -> Scenario:
        repeated = {o.value for o in self.objectives if self.objectives.count(o) > 1}
        if repeated:
            raise invalid("scenario.objective_repeated", objectives=tuple(sorted(repeated)))
        return self

    def floor_for(self, set_size: int) -> int:
        """The criteria floor for a set of ``set_size`` criteria."""
        if self.criteria_floor is not None:
            return min(self.criteria_floor, set_size)
        return default_floor(set_size)
