"""What the store hands back: immutable records (pydantic), never live database rows."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from models.base import FrozenModel
from models.scenario import Scenario
from optimizer.plan import Plan, PlanStatus
from store.diff import FieldChange, RunDiff
from store.schema import ApprovalState

SHORT_HASH = 12
"""Characters of a content hash shown to people (and accepted as a reference)."""


class DatasetRecord(FrozenModel):
    """A stored dataset (its content is loaded separately: ``Store.load_dataset``)."""

    id: int
    content_hash: str = Field(description="SHA-256 of the canonical tables (hex).")
    name: str
    province: str
    base_year: int
    criteria_set: str
    communes: int
    investments: int
    label: str | None = Field(description="A version label given when the dataset was added.")
    added_by: str
    added_at: datetime

    @property
    def short_hash(self) -> str:
        return self.content_hash[:SHORT_HASH]


class ScenarioVersionRecord(FrozenModel):
    """One saved version of a scenario, with its approval state."""

    id: int = Field(description="Database id of the version (what runs refer to).")
    scenario_name: str
    version: int
    scenario: Scenario
    content_hash: str
    based_on: int | None = Field(description="The version the author started from, if given.")
    note: str = Field(description="The author's change note.")
    changes: tuple[FieldChange, ...] = Field(
        description="Field-level changes from the previous version (empty for version 1)."
    )
    saved_by: str
    saved_at: datetime
    state: ApprovalState
    state_by: str
    state_at: datetime

    @property
    def frozen(self) -> bool:
        """Approved versions never change again."""
        return self.state == ApprovalState.APPROVED

    @property
    def label(self) -> str:
        return f"{self.scenario_name} v{self.version}"

    def change_summary(self) -> str:
        if self.version == 1:
            return "first version"
        if not self.changes:
            return "no field changed"
        return "; ".join(c.describe() for c in self.changes)


class ScenarioSummary(FrozenModel):
    """A scenario and its newest version, for lists."""

    name: str
    versions: int
    latest_version: int
    latest_state: ApprovalState
    approved_versions: tuple[int, ...]
    created_by: str
    created_at: datetime
    updated_at: datetime


class ApprovalEvent(FrozenModel):
    """One approval transition of a scenario version."""

    scenario_name: str
    version: int
    from_state: ApprovalState
    to_state: ApprovalState
    done_by: str
    done_at: datetime
    note: str


class RunSummary(FrozenModel):
    """A stored run without its plan, for history lists."""

    id: int
    scenario_name: str
    scenario_version: int
    scenario_version_id: int
    approval_state: ApprovalState
    dataset_hash: str
    dataset_name: str
    method: str
    solver: str | None
    solver_version: str | None
    pulp_version: str | None
    status: PlanStatus
    gap: float | None = Field(description="Largest relative gap over the levels; None: unknown.")
    prepare_seconds: float
    build_seconds: float
    solve_seconds: float
    total_seconds: float
    at_standard_before: int | None
    at_standard_after: int | None
    money_total: float | None
    items_funded: int | None
    run_by: str
    started_at: datetime
    finished_at: datetime
    rerun_of: int | None
    note: str

    @property
    def wall_seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class RunRecord(RunSummary):
    """A stored run with the full Plan and the scenario that was solved."""

    plan: Plan
    scenario: Scenario


class Reproduction(FrozenModel):
    """The outcome of solving a stored run again on its stored scenario version and dataset."""

    original: RunSummary
    new: RunRecord
    diff: RunDiff
    environment_changed: tuple[str, ...] = Field(
        description="Differences of solver or PuLP version between the two runs."
    )

    @property
    def reproduced(self) -> bool:
        """Same items, start years and payments (within the diff's money tolerance)."""
        return self.diff.same_decisions
