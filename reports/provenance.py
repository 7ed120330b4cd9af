"""Where a report came from: scenario and version, approval, run, data package, solver, date, user.

Every workbook's first sheet opens with these lines, so a printed or forwarded report can be
traced to the run that made it. A plan written from the history store (``ntm run``/``compare``
after recording, ``ntm show``, the app's history page) knows its run id, scenario version and
approval state (:meth:`Provenance.of_run`); a plan written without the history
(``--no-record``, a fresh solve in the app) says so, and still names its data package by hash,
its solver and versions, the date and the user (:meth:`Provenance.unrecorded`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from models.dataset import Dataset
from optimizer.plan import Plan
from reports.labels import label
from store.config import default_user
from store.content import dataset_hash

if TYPE_CHECKING:
    from store.records import RunSummary

SHORT_HASH = 12
"""Characters of the data package's hash shown (as the history store shows them)."""


def _installed(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def solver_versions(solver: str | None) -> tuple[str | None, str | None]:
    """(solver with its version, PuLP version) installed here; (None, None) for a rule that
    solves nothing (a baseline)."""
    if solver is None:
        return None, None
    pulp = _installed("pulp")
    if solver == "highs":
        return f"highspy {_installed('highspy')}", pulp
    if solver == "cbc":
        return f"cbc (bundled with pulp {pulp})", pulp
    return solver, pulp


def _user() -> str | None:
    try:
        return default_user()
    except Exception:  # no login name is not an error for a report
        return None


def _moment(moment: datetime) -> str:
    if moment.tzinfo is None:  # the store keeps UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Provenance:
    """What the first sheet of a workbook says about where its plan came from."""

    scenario: str
    method: str
    solver: str | None
    pulp: str | None
    dataset_name: str
    dataset_hash: str | None
    written_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    user: str | None = None
    run_id: int | None = None
    version: int | None = None
    approval: str | None = None
    """Approval state code (draft, submitted, approved) of the scenario version; None if
    the plan was not recorded."""
    run_at: datetime | None = None
    """When the recorded run finished."""

    @property
    def recorded(self) -> bool:
        return self.run_id is not None

    @property
    def short_hash(self) -> str | None:
        return self.dataset_hash[:SHORT_HASH] if self.dataset_hash else None

    @staticmethod
    def unrecorded_hash(dataset: Dataset) -> str | None:
        """The data package's content hash, as the history store would record it."""
        return dataset_hash(dataset)

    @staticmethod
    def current_user() -> str | None:
        """Who is writing: ``$NTM_USER``, else the login name (as the history store names)."""
        return _user()

    @classmethod
    def unrecorded(cls, plan: Plan, dataset: Dataset, user: str | None = None) -> Provenance:
        """A plan not recorded in the history: its data package hashed here."""
        solver, pulp = solver_versions(plan.solver)
        return cls(
            scenario=plan.scenario,
            method=plan.method,
            solver=solver,
            pulp=pulp,
            dataset_name=dataset.info.name,
            dataset_hash=cls.unrecorded_hash(dataset),
            user=user or _user(),
        )

    @classmethod
    def of_run(cls, run: RunSummary) -> Provenance:
        """A run of the history store, as it was recorded."""
        return cls(
            scenario=run.scenario_name,
            method=run.method,
            solver=run.solver_version or run.solver,
            pulp=run.pulp_version,
            dataset_name=run.dataset_name,
            dataset_hash=run.dataset_hash,
            written_at=datetime.now(UTC),
            user=run.run_by,
            run_id=run.id,
            run_at=run.finished_at,
            version=run.scenario_version,
            approval=str(getattr(run.approval_state, "value", run.approval_state)),
        )

    def rows(self, lang: str) -> list[tuple[str, str]]:
        """(label key, value) per line of the first sheet, values already in words."""
        none = label("value.not_recorded", lang)
        scenario = self.scenario
        if self.version is not None:
            scenario += f" v{self.version}"
        return [
            ("origin.scenario", scenario),
            (
                "origin.approval",
                label(f"approval.{self.approval}", lang) if self.approval else none,
            ),
            ("origin.run", str(self.run_id) if self.run_id is not None else none),
            ("origin.run_at", _moment(self.run_at) if self.run_at else none),
            (
                "origin.dataset",
                f"{self.dataset_name} ({self.short_hash})"
                if self.short_hash
                else self.dataset_name,
            ),
            (
                "origin.solver",
                ", ".join(v for v in (self.solver, f"PuLP {self.pulp}" if self.pulp else None) if v)
                or "–",
            ),
            ("origin.written", _moment(self.written_at)),
            ("origin.user", self.user or "–"),
        ]
