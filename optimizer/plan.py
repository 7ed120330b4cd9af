"""The Plan: what to fund, when, from which source, and what it achieves — for optimizer and baselines.

A Plan carries tidy long-format tables (one row per item × source × year, per commune, per commune ×
criterion) and summary KPIs; reports, pages and the store derive from it and never recompute.
"""

from __future__ import annotations

from enum import StrEnum

import pandas as pd
from pydantic import Field, model_validator

from models.base import FrozenModel
from models.messages import ENGLISH, Message, msg, render
from models.scenario import Objective


class PlanStatus(StrEnum):
    """How far the plan can be trusted."""

    OPTIMAL = "optimal"
    """Every objective level proven optimal with a zero gap (within solver.OPTIMALITY_GAP)."""
    FEASIBLE = "feasible"
    """A valid plan, but a level was not proven with a zero gap (a time limit or an accepted
    relative gap); see each level's gap."""
    INFEASIBLE = "infeasible"
    """The scenario's hard constraints cannot all hold; see the diagnosis."""
    HEURISTIC = "heuristic"
    """Produced by a baseline rule, not by optimisation."""


class FundedItem(FrozenModel):
    """An item the plan funds."""

    investment: str
    start_year: int
    completion_year: int
    cost: float = Field(description="Million VND.")


class Payment(FrozenModel):
    """Money from one source for one item in one year (million VND)."""

    investment: str
    source: str
    year: int
    amount: float


class CriterionOutcome(FrozenModel):
    """One commune × criterion: met before, met at the horizon end, and the year it is met."""

    commune: str
    criterion: str
    met_before: bool
    met_after: bool
    year_met: int | None


class CommuneOutcome(FrozenModel):
    """One commune's result."""

    commune: str
    counted: bool = Field(description="Counts in commune targets (not a ward).")
    criteria_before: int
    criteria_after: int
    at_standard_before: bool
    at_standard_after: bool
    year_at_standard: int | None
    money: float = Field(description="Million VND attributed to it (shared items split equally).")


class LevelResult(FrozenModel):
    """One level of the lexicographic solve."""

    objective: Objective
    value: float
    bound: float | None = Field(description="Best bound the solver proved; None if unknown.")
    gap: float | None = Field(description="Relative gap; 0 when proven optimal; None if unknown.")
    proven_optimal: bool
    seconds: float


class Kpis(FrozenModel):
    """Headline numbers, before → after."""

    communes: int
    floor: int
    criteria_in_set: int
    at_standard_before: int
    at_standard_after: int
    at_floor_before: int
    at_floor_after: int
    mean_criteria_before: float
    mean_criteria_after: float
    criteria_met_before: int
    criteria_met_after: int
    money_total: float
    money_by_source: dict[str, float]
    money_by_year: dict[int, float]
    budget_total: float
    items_funded: int


class Timings(FrozenModel):
    prepare_seconds: float = 0.0
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    total_seconds: float = 0.0


OPTIMIZER = "optimizer"
"""``Plan.method`` of the optimizer's plans."""
BASELINE_PREFIX = "baseline:"
"""``Plan.method`` of a baseline rule's plan: this prefix and the rule's name."""


class Plan(FrozenModel):
    """The answer to one scenario by one method."""

    scenario: str
    method: str = Field(description="'optimizer' or 'baseline:<rule>'.")
    status: PlanStatus
    solver: str | None = None
    solver_versions: dict[str, str] = Field(
        default_factory=dict, description="Solver packages and their versions, e.g. highspy."
    )
    notes: tuple[Message, ...] = Field(
        default=(),
        description="How the plan was made, as catalogue messages (a baseline's rule and what it "
        "ignores, a pooled solve, a level stopped early); a plan stored before notes had codes "
        "has its English note as written.",
    )
    levels: tuple[LevelResult, ...] = ()
    items: tuple[FundedItem, ...] = ()
    payments: tuple[Payment, ...] = ()
    communes: tuple[CommuneOutcome, ...] = ()
    criteria: tuple[CriterionOutcome, ...] = ()
    kpis: Kpis | None = None
    timings: Timings = Timings()
    diagnosis: Diagnosis | None = None
    verification: Verification | None = None
    """With the audit switch: every level solved again with the other solver."""
    item_targets: tuple[ItemTarget, ...] = ()
    """Each funded item's communes, the criteria it closes there and their cost shares."""

    @model_validator(mode="before")
    @classmethod
    def read_a_note_written_as_text(cls, data: object) -> object:
        """A plan stored before notes had codes (plan.json, the history) has one English
        ``message``: it becomes one note shown as written, in every language."""
        if isinstance(data, dict) and "message" in data:
            data = dict(data)
            message = data.pop("message")
            if message and not data.get("notes"):
                data["notes"] = (msg(AS_WRITTEN, text=str(message)),)
        return data

    @property
    def message(self) -> str:
        """The plan's notes in English, "; "-joined (empty when there are none)."""
        return self.note_text(ENGLISH)

    def note_text(self, lang: str, floor: int | None = None) -> str:
        """The plan's notes in ``lang``, "; "-joined; ``floor`` names the criteria-floor objective
        of a note that names it (the app's choice of floor)."""
        notes = self.notes if floor is None else tuple(_with_floor(n, floor) for n in self.notes)
        return "; ".join(render(note, lang) for note in notes)

    @property
    def feasible(self) -> bool:
        return self.status != PlanStatus.INFEASIBLE

    def payments_table(self) -> pd.DataFrame:
        """Tidy: scenario, year, commune, criterion, item, source, amount — money split by commune.

        Shared items' money is split equally among the communes they serve; ``criterion`` is the
        criteria the item closes there, joined with ';'.
        """
        columns = ["scenario", "year", "commune", "criterion", "item", "source", "amount"]
        if not self.payments:
            return pd.DataFrame(columns=columns)
        payments = pd.DataFrame([p.model_dump() for p in self.payments])
        targets = pd.DataFrame([t.model_dump() for t in self.item_targets])
        merged = payments.merge(targets, on="investment")
        merged["amount"] = merged["amount"] * merged["share"]
        merged["scenario"] = self.scenario
        merged = merged.rename(columns={"investment": "item"})
        return merged[columns].sort_values(["year", "commune", "item", "source"], ignore_index=True)

    def items_table(self) -> pd.DataFrame:
        return pd.DataFrame([i.model_dump() for i in self.items])

    def communes_table(self) -> pd.DataFrame:
        return pd.DataFrame([c.model_dump() for c in self.communes])

    def criteria_table(self) -> pd.DataFrame:
        return pd.DataFrame([c.model_dump() for c in self.criteria])

    def funded_codes(self) -> frozenset[str]:
        return frozenset(i.investment for i in self.items)

    def at_standard_codes(self) -> frozenset[str]:
        return frozenset(c.commune for c in self.communes if c.at_standard_after and c.counted)


class ItemTarget(FrozenModel):
    """A funded item's commune and the criteria it closes there, with the commune's cost share."""

    investment: str
    commune: str
    criterion: str
    share: float


def _value(value: float | None) -> str:
    return "no plan" if value is None else f"{value:,.6g}"


# -- the audit (optimizer/verify.py) ----------------------------------------------------------
class Agreement(StrEnum):
    """What the audit found."""

    AGREE = "agree"
    """Every level has the same value with both solvers."""
    DISAGREE = "disagree"
    """A level proven by both solvers has different values: one solver is wrong."""
    UNCONFIRMED = "unconfirmed"
    """Values differ on a level one solver did not prove (a time limit or a gap)."""


class LevelCheck(FrozenModel):
    """One level's value in the plan and with the other solver."""

    objective: Objective
    value: float | None
    other_value: float | None
    other_proven: bool
    agrees: bool


class Verification(FrozenModel):
    """The plan's levels solved again with the other solver."""

    solver: str
    """The other solver, which solved every level again."""
    agreement: Agreement
    levels: tuple[LevelCheck, ...] = ()
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people (the command line; the app translates the agreement)."""
        if self.agreement == Agreement.AGREE:
            return f"{self.solver} agrees on every level"
        wrong = [
            f"{c.objective.value}: {_value(c.value)} here, {_value(c.other_value)} with "
            f"{self.solver}{'' if c.other_proven else ' (not proven)'}"
            for c in self.levels
            if not c.agrees
        ]
        verb = "DISAGREES" if self.agreement == Agreement.DISAGREE else "does not confirm"
        return f"{self.solver} {verb}: " + "; ".join(wrong)


class Relaxation(FrozenModel):
    """One way to restore feasibility, in the user's words."""

    policy: str
    message: str
    amount: float | None = None


class Diagnosis(FrozenModel):
    """Why a scenario is infeasible and the smallest relaxations that restore feasibility."""

    conflicting: tuple[str, ...] = Field(description="Policies that cannot hold together.")
    relaxations: tuple[Relaxation, ...] = ()
    extra_budget: dict[str, float] = Field(
        default_factory=dict, description="'source year' → extra million VND that restores it."
    )

    def summary(self) -> str:
        lines = [f"Conflicting: {', '.join(self.conflicting) or 'none identified'}"]
        lines += [f"- {r.message}" for r in self.relaxations]
        return "\n".join(lines)


AS_WRITTEN = "text.as_written"
"""The code of a text shown as written (a note stored before notes had codes)."""


def _with_floor(note: Message, floor: int) -> Message:
    """``note`` with every objective it names given ``floor``."""
    if note.code.startswith("objective."):
        return note.model_copy(update={"params": {**note.params, "floor": floor}})
    params = {
        k: _with_floor(v, floor) if isinstance(v, Message) else v for k, v in note.params.items()
    }
    return note.model_copy(update={"params": params})


Plan.model_rebuild()
