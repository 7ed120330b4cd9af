"""The history store: datasets, scenario versions with approvals, runs with their full plans.

Every public method is one database transaction: it either happens completely or not at all, so
a crash or an error halfway leaves nothing partial. Writers that collide (two people saving the
same scenario at once) are serialised — a row lock on PostgreSQL, the write lock on SQLite — and a
write that still meets a uniqueness conflict is retried, so nothing is lost. A ``Store`` holds only
an engine (a connection pool) and may be shared by threads.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, defer

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.methods import OPTIMIZER, UnknownMethod, plan_by
from optimizer.plan import Plan, PlanStatus
from store import audit
from store.accounts import (
    LOCK_OUT,
    MAX_FAILED_SIGN_INS,
    AccountError,
    Action,
    Identity,
    NotSignedIn,
    PermissionDenied,
    Role,
    SignInFailed,
    UserRecord,
    allowed,
    check_password,
    check_user_name,
    dummy_hash,
    hash_password,
    needed_roles,
    parse_roles,
    password_matches,
    roles_text,
)
from store.audit import AuditAction, AuditRecord, ChainBreak
from store.config import default_user, display_url, resolve_url
from store.content import (
    dataset_content,
    dataset_from_content,
    dataset_hash,
    scenario_content,
    scenario_hash,
    sha256,
)
from store.diff import FieldChange, RunDiff, diff_plans, diff_scenarios
from store.engine import make_engine, write_engine
from store.errors import (
    ApprovalError,
    CannotReproduce,
    NotFound,
    SchemaOutOfDate,
    StoreConflict,
    StoreError,
    TamperedRecord,
)
from store.policy import four_eyes_required
from store.records import (
    ApprovalEvent,
    DatasetRecord,
    Reproduction,
    RunRecord,
    RunSummary,
    ScenarioSummary,
    ScenarioVersionRecord,
)
from store.revision import at_head
from store.schema import (
    ApprovalEventRow,
    ApprovalState,
    AuditRow,
    DatasetRow,
    RunRow,
    ScenarioRow,
    ScenarioVersionRow,
    UserRow,
)

T = TypeVar("T")

WRITE_ATTEMPTS = 10
"""How often a write that collides with another writer is tried before StoreConflict."""
RETRY_PAUSE_SECONDS = 0.02
"""Base pause between attempts (grows with each attempt, with jitter)."""
MIN_HASH_PREFIX = 6
"""Shortest prefix of a dataset hash accepted as a reference."""
RETRYABLE_SQLSTATES = frozenset({"23505", "40001", "40P01"})
"""PostgreSQL: unique violation, serialisation failure, deadlock detected."""

TRANSITIONS: dict[tuple[ApprovalState, ApprovalState], str] = {
    (ApprovalState.DRAFT, ApprovalState.SUBMITTED): "submit",
    (ApprovalState.SUBMITTED, ApprovalState.APPROVED): "approve",
    (ApprovalState.SUBMITTED, ApprovalState.DRAFT): "reject",
}
"""The approval workflow: draft → submitted → approved, or submitted → draft (returned)."""

TRANSITION_ACTIONS: dict[ApprovalState, tuple[Action, AuditAction]] = {
    ApprovalState.SUBMITTED: (Action.SUBMIT, AuditAction.VERSION_SUBMITTED),
    ApprovalState.APPROVED: (Action.APPROVE, AuditAction.VERSION_APPROVED),
    ApprovalState.DRAFT: (Action.REJECT, AuditAction.VERSION_REJECTED),
}
REFUSALS = (ApprovalError, NotSignedIn, PermissionDenied)
"""Refused requests: each leaves an audit record of the attempt (in a transaction of its own)."""

User = Identity | str | None
"""Who acts: a signed-in Identity; a bare name (or None: $NTM_USER / the login name) is accepted
only while the store has no user account (single-user mode, see ``store.accounts``)."""
DatasetRef = Dataset | DatasetRecord | str | int
"""A dataset: the Dataset itself, its record, its content hash (or a unique prefix), or its id."""
VersionRef = ScenarioVersionRecord | int | tuple[str, int]
"""A scenario version: its record, its id, or (scenario name, version number)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _retryable(error: Exception) -> bool:
    """A collision with another writer (worth trying again), not a mistake in the request."""
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    text = str(original or error)
    return "UNIQUE constraint failed" in text or "database is locked" in text


def _installed(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def solver_versions(solver: str | None) -> tuple[str | None, str | None]:
    """(solver with version, PuLP version) of this machine, as recorded with a run."""
    pulp_version = _installed("pulp")
    if solver == "highs":
        return f"highspy {_installed('highspy')}", pulp_version
    if solver == "cbc":
        return f"cbc (bundled with pulp {pulp_version})", pulp_version
    return solver, pulp_version


def _largest_gap(plan: Plan) -> float | None:
    if not plan.levels or any(level.gap is None for level in plan.levels):
        return None
    return max(level.gap or 0.0 for level in plan.levels)


Solver = Callable[[str, Dataset, Scenario], Plan]
"""How a plan is made from (method, dataset, scenario): ``optimizer.methods.plan_by`` here; the
app passes one that solves in a worker process (``ui.runs.plan_in_worker``)."""


def solve_with(method: str, dataset: Dataset, scenario: Scenario, solver: Solver = plan_by) -> Plan:
    """Produce a plan by ``method`` (see ``optimizer.methods``); CannotReproduce if unknown."""
    try:
        return solver(method, dataset, scenario)
    except UnknownMethod as error:
        raise CannotReproduce(str(error)) from error


class Store:
    """Scenario and run history in a database (see ``docs/store.md``)."""

    def __init__(self, engine: Engine, url: str, *, four_eyes: bool | None = None) -> None:
        """Use ``Store.open``: it resolves the URL and brings the schema up to date.

        ``four_eyes``: an approver may not approve a version they submitted themselves (default:
        the ``[security] four_eyes`` setting, on unless turned off).
        """
        self._engine = engine
        self._writer = write_engine(engine)
        self.url = url
        self.four_eyes = four_eyes_required() if four_eyes is None else four_eyes

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def open(
        cls, url: str | Path | None = None, *, upgrade: bool = True, four_eyes: bool | None = None
    ) -> Store:
        """Open the store at ``url`` (default: ``store.config.resolve_url``) and migrate it.

        ``upgrade=False`` opens without changing the schema and raises SchemaOutOfDate if the
        database is not at this program's newest revision.
        """
        resolved = resolve_url(url)
        engine = make_engine(resolved)
        if at_head(engine):  # the usual case: no Alembic needed
            return cls(engine, resolved, four_eyes=four_eyes)
        try:
            import store.migrate as migrate

            current = migrate.current_revision(engine)
            head = migrate.head_revision()
            if current is not None and not migrate.knows_revision(current):
                raise SchemaOutOfDate(
                    f"{display_url(resolved)} has schema revision {current}, newer than this "
                    f"program knows ({head}); upgrade ntm-budget"
                )
            if current != head:
                if not upgrade:
                    raise SchemaOutOfDate(
                        f"{display_url(resolved)} is at schema revision {current or 'none'}, "
                        f"not {head}; open it with upgrade=True (or run: python -m store upgrade)"
                    )
                migrate.upgrade(engine)
        except OperationalError as error:
            engine.dispose()
            raise StoreError(f"cannot open {display_url(resolved)}: {error.orig}") from error
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, resolved, four_eyes=four_eyes)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self._engine.dialect.name

    @property
    def engine(self) -> Engine:
        return self._engine

    # -- transactions ----------------------------------------------------------------------------
    def _read(self, operation: Callable[[Session], T]) -> T:
        with Session(self._engine) as session, session.begin():
            return operation(session)

    def _write(self, operation: Callable[[Session], T]) -> T:
        """Run ``operation`` in one write transaction, retrying when it collides with another."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with Session(self._writer, expire_on_commit=False) as session, session.begin():
                    return operation(session)
            except (IntegrityError, OperationalError) as error:
                if not _retryable(error):
                    raise
                if attempt == WRITE_ATTEMPTS:
                    raise StoreConflict(
                        f"gave up after {attempt} attempts: other writers kept colliding ({error.orig})"
                    ) from error
                time.sleep(RETRY_PAUSE_SECONDS * attempt * random.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    def _guarded(
        self, user: User, action: Action, target: str, operation: Callable[[Session], T]
    ) -> T:
        """``_write(operation)``; a refusal (role, sign-in, workflow) is audited, then raised."""
        try:
            return self._write(operation)
        except REFUSALS as error:
            name = user.name if isinstance(user, Identity) else (user or default_user())
            reason = audit.bounded(str(error))
            self._write(
                lambda s: audit.append(
                    s,
                    name,
                    AuditAction.REFUSED,
                    target,
                    action=action.value,
                    reason=reason,
                )
            )
            raise

    def _require(self, user: User, action: Action, target: str) -> str:
        """``check``, but a refusal is audited (for reads that need a role: users, the audit)."""
        return self._guarded(user, action, target, lambda s: _authorize(s, user, action))

    def check(self, user: User, action: Action, target: str = "") -> str:
        """The name to record for ``user`` doing ``action``; raises (and audits the refusal) if
        they may not. Interfaces call it before long work, such as a solve, that would be refused."""
        return self._require(user, action, target)

    # -- datasets --------------------------------------------------------------------------------
    def add_dataset(
        self, dataset: Dataset, *, user: User = None, label: str | None = None
    ) -> DatasetRecord:
        """Store a dataset once per distinct content; returns the (new or existing) record."""
        content = dataset_content(dataset)
        content_hash = sha256(content)

        def operation(s: Session) -> DatasetRecord:
            who = _authorize(s, user, Action.IMPORT_DATA)
            return _dataset_record(_ensure_dataset(s, dataset, content, content_hash, who, label))

        return self._guarded(user, Action.IMPORT_DATA, dataset.info.name, operation)

    def dataset_record(self, ref: DatasetRef) -> DatasetRecord:
        return self._read(lambda s: _dataset_record(_dataset_row(s, ref)))

    def load_dataset(self, ref: DatasetRef) -> Dataset:
        """The stored dataset, rebuilt and validated; its hash is checked against the content."""

        def operation(s: Session) -> tuple[str, str]:
            row = _dataset_row(s, ref)
            return row.content_hash, row.content

        row_hash, content = self._read(operation)
        if sha256(content) != row_hash:
            raise TamperedRecord(
                f"dataset {row_hash[:12]}: its stored content does not match its hash; it was "
                "changed outside ntm-budget and is refused"
            )
        return dataset_from_content(content, source=f"history store dataset {row_hash[:12]}")

    def list_datasets(self) -> list[DatasetRecord]:
        """Every stored dataset, newest first."""
        query = (
            select(DatasetRow)
            .options(defer(DatasetRow.content))
            .order_by(DatasetRow.added_at.desc(), DatasetRow.id.desc())
        )
        return self._read(lambda s: [_dataset_record(r) for r in s.scalars(query)])

    # -- scenarios -------------------------------------------------------------------------------
    def save_scenario(
        self,
        scenario: Scenario,
        *,
        user: User = None,
        note: str = "",
        based_on: int | None = None,
    ) -> ScenarioVersionRecord:
        """Save ``scenario`` (keyed by its name) as its next version, a draft.

        If it equals the newest version, nothing is written and that version is returned. Versions
        never change once saved (runs point at them), so saving after an approval — or after
        anyone's save — always makes a new version; ``changes`` lists what differs from the
        previous one. ``based_on`` records the version the author started from.
        """
        content = scenario_content(scenario)
        content_hash = scenario_hash(scenario)

        def operation(s: Session) -> ScenarioVersionRecord:
            who = _authorize(s, user, Action.SAVE_SCENARIO)
            now = _now()
            owner = s.scalars(
                select(ScenarioRow).where(ScenarioRow.name == scenario.name).with_for_update()
            ).one_or_none()
            if owner is None:
                owner = ScenarioRow(name=scenario.name, created_by=who, created_at=now)
                s.add(owner)
                s.flush()
            latest = s.scalars(
                select(ScenarioVersionRow)
                .where(ScenarioVersionRow.scenario_id == owner.id)
                .order_by(ScenarioVersionRow.version.desc())
                .limit(1)
            ).one_or_none()
            if latest is not None and latest.content_hash == content_hash:
                return _version_record(owner.name, latest)
            if based_on is not None and (latest is None or not 1 <= based_on <= latest.version):
                raise NotFound(f"scenario {scenario.name!r} has no version {based_on}")
            previous = None if latest is None else Scenario.model_validate_json(latest.content)
            changes = diff_scenarios(previous, scenario)
            row = ScenarioVersionRow(
                scenario_id=owner.id,
                version=1 if latest is None else latest.version + 1,
                content=content,
                content_hash=content_hash,
                based_on=based_on,
                note=note,
                changes=json.dumps([c.model_dump(mode="json") for c in changes]),
                saved_by=who,
                saved_at=now,
                state=ApprovalState.DRAFT.value,
                state_by=who,
                state_at=now,
            )
            s.add(row)
            s.flush()
            audit.append(
                s,
                who,
                AuditAction.VERSION_SAVED,
                f"{owner.name} v{row.version}",
                scenario=owner.name,
                version=row.version,
                content_hash=content_hash,
                note=audit.bounded(note),
            )
            return _version_record(owner.name, row)

        return self._guarded(user, Action.SAVE_SCENARIO, scenario.name, operation)

    def scenario_version(self, name: str, version: int | None = None) -> ScenarioVersionRecord:
        """A version of the scenario called ``name`` (the newest when ``version`` is None)."""
        return self._read(lambda s: _version_record(name, _version_row(s, name, version)))

    def scenario_version_by_id(self, version_id: int) -> ScenarioVersionRecord:
        def operation(s: Session) -> ScenarioVersionRecord:
            found = s.execute(
                select(ScenarioVersionRow, ScenarioRow.name)
                .join(ScenarioRow, ScenarioRow.id == ScenarioVersionRow.scenario_id)
                .where(ScenarioVersionRow.id == version_id)
            ).one_or_none()
            if found is None:
                raise NotFound(f"no scenario version with id {version_id}")
            return _version_record(found[1], found[0])

        return self._read(operation)

    def scenario_versions(self, name: str) -> list[ScenarioVersionRecord]:
        """Every version of a scenario, oldest first."""

        def operation(s: Session) -> list[ScenarioVersionRecord]:
            owner = _scenario_row(s, name)
            rows = s.scalars(
                select(ScenarioVersionRow)
                .where(ScenarioVersionRow.scenario_id == owner.id)
                .order_by(ScenarioVersionRow.version)
            )
            return [_version_record(owner.name, r) for r in rows]

        return self._read(operation)

    def list_scenarios(self) -> list[ScenarioSummary]:
        """Every scenario with its newest version and approval state, by name."""

        def operation(s: Session) -> list[ScenarioSummary]:
            versions: dict[int, list[ScenarioVersionRow]] = {}
            query = (
                select(ScenarioVersionRow)
                .options(defer(ScenarioVersionRow.content), defer(ScenarioVersionRow.changes))
                .order_by(ScenarioVersionRow.version)
            )
            for row in s.scalars(query):
                versions.setdefault(row.scenario_id, []).append(row)
            summaries = []
            for owner in s.scalars(select(ScenarioRow).order_by(ScenarioRow.name)):
                rows = versions.get(owner.id, [])
                if not rows:
                    continue
                latest = rows[-1]
                summaries.append(
                    ScenarioSummary(
                        name=owner.name,
                        versions=len(rows),
                        latest_version=latest.version,
                        latest_state=ApprovalState(latest.state),
                        approved_versions=tuple(
                            r.version for r in rows if r.state == ApprovalState.APPROVED
                        ),
                        created_by=owner.created_by,
                        created_at=owner.created_at,
                        updated_at=max(max(r.saved_at, r.state_at) for r in rows),
                    )
                )
            return summaries

        return self._read(operation)

    # -- approval --------------------------------------------------------------------------------
    def submit(
        self, name: str, version: int, *, user: User = None, note: str = ""
    ) -> ScenarioVersionRecord:
        """draft → submitted: put a version forward for approval."""
        return self._transition(name, version, ApprovalState.SUBMITTED, user, note)

    def approve(
        self, name: str, version: int, *, user: User = None, note: str = ""
    ) -> ScenarioVersionRecord:
        """submitted → approved: the version is frozen from now on."""
        return self._transition(name, version, ApprovalState.APPROVED, user, note)

    def reject(
        self, name: str, version: int, *, user: User = None, note: str = ""
    ) -> ScenarioVersionRecord:
        """submitted → draft: return a version to its author (say why in ``note``)."""
        return self._transition(name, version, ApprovalState.DRAFT, user, note)

    def _transition(
        self, name: str, version: int, to: ApprovalState, user: User, note: str
    ) -> ScenarioVersionRecord:
        action, event = TRANSITION_ACTIONS[to]

        def operation(s: Session) -> ScenarioVersionRecord:
            who = _authorize(s, user, action)
            row = _version_row(s, name, version, lock=True)
            _check_content(name, row)
            current = ApprovalState(row.state)
            if (current, to) not in TRANSITIONS:
                raise ApprovalError(_illegal_transition(name, version, current, to, row.state_by))
            # four eyes between signed-in people; bare names (single-user mode) prove nothing
            if (
                to == ApprovalState.APPROVED
                and self.four_eyes
                and row.state_by == who
                and _has_users(s)
            ):
                raise ApprovalError(
                    f"scenario {name!r} version {version} was submitted by {who}; under the "
                    "four-eyes rule another approver must approve it"
                )
            now = _now()
            row.state, row.state_by, row.state_at = to.value, who, now
            s.add(
                ApprovalEventRow(
                    scenario_version_id=row.id,
                    from_state=current.value,
                    to_state=to.value,
                    done_by=who,
                    done_at=now,
                    note=note,
                )
            )
            s.flush()
            audit.append(
                s,
                who,
                event,
                f"{name} v{version}",
                scenario=name,
                version=version,
                content_hash=row.content_hash,
                note=audit.bounded(note),
            )
            return _version_record(name, row)

        return self._guarded(user, action, f"{name} v{version}", operation)

    def approval_history(self, name: str, version: int | None = None) -> list[ApprovalEvent]:
        """Approval transitions of one version (or of every version), oldest first."""

        def operation(s: Session) -> list[ApprovalEvent]:
            owner = _scenario_row(s, name)
            query = (
                select(ApprovalEventRow, ScenarioVersionRow.version)
                .join(
                    ScenarioVersionRow,
                    ScenarioVersionRow.id == ApprovalEventRow.scenario_version_id,
                )
                .where(ScenarioVersionRow.scenario_id == owner.id)
                .order_by(ApprovalEventRow.done_at, ApprovalEventRow.id)
            )
            if version is not None:
                query = query.where(ScenarioVersionRow.version == version)
            return [
                ApprovalEvent(
                    scenario_name=owner.name,
                    version=number,
                    from_state=ApprovalState(event.from_state),
                    to_state=ApprovalState(event.to_state),
                    done_by=event.done_by,
                    done_at=event.done_at,
                    note=event.note,
                )
                for event, number in s.execute(query)
            ]

        return self._read(operation)

    # -- runs ------------------------------------------------------------------------------------
    def record_run(
        self,
        version: VersionRef,
        dataset: DatasetRef,
        plan: Plan,
        *,
        user: User = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        note: str = "",
        rerun_of: int | None = None,
    ) -> RunRecord:
        """Store a plan produced elsewhere (by the optimizer or a baseline) as a run.

        A Dataset not yet stored is stored in the same transaction. Without timestamps, the run
        finished now and started ``plan.timings.total_seconds`` earlier.
        """
        finished = finished_at or _now()
        started = started_at or finished - timedelta(seconds=plan.timings.total_seconds)
        prepared = None
        if isinstance(dataset, Dataset):
            content = dataset_content(dataset)
            prepared = (dataset, content, sha256(content))
        solver_version, pulp_version = solver_versions(plan.solver)
        plan_json = plan.model_dump_json()

        def operation(s: Session) -> RunRecord:
            who = _authorize(s, user, Action.RECORD_RUN)
            version_row, scenario_name = _version_row_by_ref(s, version)
            if plan.scenario != scenario_name:
                raise StoreError(
                    f"the plan answers scenario {plan.scenario!r}, not {scenario_name!r}"
                )
            if prepared is not None:
                data_row = _ensure_dataset(s, *prepared, who, None)
            else:
                data_row = _dataset_row(s, dataset)
            kpis = plan.kpis
            row = RunRow(
                scenario_version_id=version_row.id,
                dataset_id=data_row.id,
                method=plan.method,
                solver=plan.solver,
                solver_version=solver_version,
                pulp_version=pulp_version,
                status=plan.status.value,
                gap=_largest_gap(plan),
                prepare_seconds=plan.timings.prepare_seconds,
                build_seconds=plan.timings.build_seconds,
                solve_seconds=plan.timings.solve_seconds,
                total_seconds=plan.timings.total_seconds,
                at_standard_before=kpis.at_standard_before if kpis else None,
                at_standard_after=kpis.at_standard_after if kpis else None,
                money_total=kpis.money_total if kpis else None,
                items_funded=kpis.items_funded if kpis else None,
                plan=plan_json,
                run_by=who,
                started_at=started,
                finished_at=finished,
                rerun_of=rerun_of,
                note=note,
                plan_hash=sha256(plan_json),
            )
            s.add(row)
            s.flush()
            audit.append(
                s,
                who,
                AuditAction.RUN_RECORDED,
                f"run {row.id}",
                run=row.id,
                scenario=scenario_name,
                version=version_row.version,
                dataset_hash=data_row.content_hash,
                plan_hash=row.plan_hash,
                status=row.status,
            )
            return RunRecord(
                **_summary_fields(row, version_row, scenario_name, data_row),
                plan=plan,
                scenario=Scenario.model_validate_json(version_row.content),
            )

        return self._guarded(user, Action.RECORD_RUN, plan.scenario, operation)

    def run_on_dataset(
        self,
        version: VersionRef,
        dataset: DatasetRef,
        *,
        user: User = None,
        note: str = "",
        method: str = OPTIMIZER,
        rerun_of: int | None = None,
        solver: Solver = plan_by,
    ) -> RunRecord:
        """Solve a stored scenario version on a dataset (new data, or a stored one) and record it.

        The solve happens outside any transaction, by ``solver``; if it fails (a time limit with
        no plan, a missing solver) nothing is recorded and the error propagates.
        """
        self.check(user, Action.RECORD_RUN)  # before the solve, not only when recording
        record = self._version_by_ref(version)
        data = dataset if isinstance(dataset, Dataset) else self.load_dataset(dataset)
        started = _now()
        plan = solve_with(method, data, record.scenario, solver)
        finished = _now()
        return self.record_run(
            record.id,
            data,
            plan,
            user=user,
            started_at=started,
            finished_at=finished,
            note=note,
            rerun_of=rerun_of,
        )

    def solve_and_record(
        self,
        scenario: Scenario,
        dataset: Dataset,
        *,
        user: User = None,
        note: str = "",
        method: str = OPTIMIZER,
    ) -> RunRecord:
        """Save the scenario (a new version only if it changed), solve it on ``dataset``, record."""
        version = self.save_scenario(scenario, user=user, note=note)
        return self.run_on_dataset(version, dataset, user=user, note=note, method=method)

    def rerun(self, run_id: int, *, user: User = None) -> Reproduction:
        """Solve a stored run again — same scenario version, same stored dataset, same method —
        record the new run (``rerun_of`` = ``run_id``) and compare their decisions."""
        original = self.get_run(run_id)
        new = self.run_on_dataset(
            original.scenario_version_id,
            original.dataset_hash,
            user=user,
            note=f"re-run of run {run_id}",
            method=original.method,
            rerun_of=run_id,
        )
        changed = tuple(
            f"{what}: {before} → {after}"
            for what, before, after in (
                ("solver", original.solver_version, new.solver_version),
                ("pulp", original.pulp_version, new.pulp_version),
            )
            if before != after
        )
        return Reproduction(
            original=RunSummary(**original.model_dump(exclude={"plan", "scenario"})),
            new=new,
            diff=diff_plans(original.plan, new.plan, run_a=original.id, run_b=new.id),
            environment_changed=changed,
        )

    def get_run(self, run_id: int) -> RunRecord:
        """A stored run with its full plan and the scenario that was solved."""

        def operation(s: Session) -> RunRecord:
            found = s.execute(_run_query().where(RunRow.id == run_id)).one_or_none()
            if found is None:
                raise NotFound(f"no run {run_id}")
            run, version_row, scenario_name, data_row = found
            if run.plan_hash is not None and sha256(run.plan) != run.plan_hash:
                raise TamperedRecord(
                    f"run {run_id}: its stored plan does not match its hash; it was changed "
                    "outside ntm-budget and is not shown (ntm audit --verify)"
                )
            _check_content(scenario_name, version_row)
            return RunRecord(
                **_summary_fields(run, version_row, scenario_name, data_row),
                plan=Plan.model_validate_json(run.plan),
                scenario=Scenario.model_validate_json(version_row.content),
            )

        return self._read(operation)

    def list_runs(
        self,
        *,
        scenario: str | None = None,
        version: int | None = None,
        dataset: DatasetRef | None = None,
        user: str | None = None,
        status: PlanStatus | str | None = None,
        limit: int | None = 100,
    ) -> list[RunSummary]:
        """Runs, most recently finished first, optionally only of one scenario (and version), dataset, user."""

        def operation(s: Session) -> list[RunSummary]:
            query = _run_query(with_plan=False)
            if scenario is not None:
                query = query.where(ScenarioRow.name == scenario)
            if version is not None:
                query = query.where(ScenarioVersionRow.version == version)
            if dataset is not None:
                query = query.where(RunRow.dataset_id == _dataset_row(s, dataset).id)
            if user is not None:
                query = query.where(RunRow.run_by == user)
            if status is not None:
                query = query.where(RunRow.status == PlanStatus(status).value)
            query = query.order_by(RunRow.finished_at.desc(), RunRow.id.desc()).limit(limit)
            return [RunSummary(**_summary_fields(*found)) for found in s.execute(query)]

        return self._read(operation)

    def count_runs(self) -> int:
        return self._read(lambda s: s.scalar(select(func.count(RunRow.id))) or 0)

    def diff_runs(self, a: int, b: int) -> RunDiff:
        """What run ``b`` decides differently from run ``a`` (items, communes, money)."""
        return diff_plans(self.get_run(a).plan, self.get_run(b).plan, run_a=a, run_b=b)

    # -- accounts --------------------------------------------------------------------------------
    def has_users(self) -> bool:
        """Whether any account exists (none: single-user mode, and the app asks for a first admin)."""
        return self._read(_has_users)

    def add_user(
        self, name: str, password: str, roles: set[Role] | frozenset[Role], *, by: User = None
    ) -> UserRecord:
        """Create an account. The first account of a store must hold the admin role and needs no
        sign-in; every later one is created by a signed-in admin."""
        name = check_user_name(name)
        check_password(name, password)
        if not roles:
            raise AccountError("give the user at least one role")
        hashed = hash_password(password)

        def operation(s: Session) -> UserRecord:
            _serialise(s)
            if _has_users(s):
                who = _authorize(s, by, Action.MANAGE_USERS)
            elif Role.ADMIN not in roles:
                raise AccountError(
                    "the first user of a store must be an admin (ntm user add NAME --role admin)"
                )
            else:
                who = name
            if _user_row(s, name) is not None:
                raise AccountError(f"a user named {name!r} already exists")
            now = _now()
            row = UserRow(
                name=name,
                password_hash=hashed,
                roles=roles_text(roles),
                disabled=False,
                failed_sign_ins=0,
                locked_until=None,
                created_by=who,
                created_at=now,
                password_changed_at=now,
            )
            s.add(row)
            s.flush()
            audit.append(s, who, AuditAction.USER_ADDED, name, roles=roles_text(roles))
            return _user_record(row)

        return self._guarded(by, Action.MANAGE_USERS, name, operation)

    def list_users(self, *, by: User = None) -> list[UserRecord]:
        """Every account, by name (admins only once accounts exist)."""

        self._require(by, Action.MANAGE_USERS, "users")

        def operation(s: Session) -> list[UserRecord]:
            _authorize(s, by, Action.MANAGE_USERS)
            return [_user_record(r) for r in s.scalars(select(UserRow).order_by(UserRow.name))]

        return self._read(operation)

    def set_disabled(self, name: str, disabled: bool, *, by: User = None) -> UserRecord:
        """Disable an account (it can no longer sign in; its history stays) or enable it again."""
        event = AuditAction.USER_DISABLED if disabled else AuditAction.USER_ENABLED

        def change(row: UserRow) -> dict[str, Any]:
            row.disabled = disabled
            if not disabled:
                row.failed_sign_ins, row.locked_until = 0, None
            return {}

        return self._change_user(name, by, event, change, removes_admin=disabled)

    def grant(self, name: str, role: Role, *, by: User = None) -> UserRecord:
        def change(row: UserRow) -> dict[str, Any]:
            row.roles = roles_text(parse_roles(row.roles) | {role})
            return {"role": role.value}

        return self._change_user(name, by, AuditAction.ROLE_GRANTED, change)

    def revoke(self, name: str, role: Role, *, by: User = None) -> UserRecord:
        def change(row: UserRow) -> dict[str, Any]:
            remaining = parse_roles(row.roles) - {role}
            if not remaining:
                raise AccountError(f"{name} would have no role left; disable the account instead")
            row.roles = roles_text(remaining)
            return {"role": role.value}

        return self._change_user(
            name, by, AuditAction.ROLE_REVOKED, change, removes_admin=role == Role.ADMIN
        )

    def reset_password(self, name: str, password: str, *, by: User = None) -> UserRecord:
        """Set a new password (and lift a lock-out)."""
        check_password(name, password)
        hashed = hash_password(password)

        def change(row: UserRow) -> dict[str, Any]:
            row.password_hash = hashed
            row.password_changed_at = _now()
            row.failed_sign_ins, row.locked_until = 0, None
            return {}

        return self._change_user(name, by, AuditAction.PASSWORD_RESET, change)

    def _change_user(
        self,
        name: str,
        by: User,
        event: AuditAction,
        change: Callable[[UserRow], dict[str, Any]],
        *,
        removes_admin: bool = False,
    ) -> UserRecord:
        def operation(s: Session) -> UserRecord:
            _serialise(s)
            if not _has_users(s):
                raise AccountError(
                    "this store has no user yet: create the first admin (ntm user add NAME "
                    "--role admin)"
                )
            who = _authorize(s, by, Action.MANAGE_USERS)
            row = _user_row(s, name)
            if row is None:
                raise AccountError(f"no user named {name[:100]!r}")
            was_admin = Role.ADMIN in parse_roles(row.roles) and not row.disabled
            detail = change(row)
            if removes_admin and was_admin and _active_admins(s) <= 1:
                raise AccountError(f"{name} is the last active admin; make another admin first")
            s.flush()
            audit.append(s, who, event, name, **detail)
            return _user_record(row)

        return self._guarded(by, Action.MANAGE_USERS, name, operation)

    def authenticate(self, name: str, password: str) -> Identity:
        """Sign in: the Identity of ``name`` if the password is right and the account is enabled
        and not locked. Every attempt is audited; 5 failures in a row lock the account for 15
        minutes. The message never says whether the name exists."""
        failure = "wrong user name or password"

        def operation(s: Session) -> Identity | str:
            now = _now()
            row = _user_row(s, name.strip()) if name.strip() else None
            if row is None:
                password_matches(dummy_hash(), password)  # as slow as a real check
                audit.append(s, name, AuditAction.SIGN_IN_FAILED, name, reason="unknown user")
                return failure
            if row.locked_until is not None and row.locked_until > now:
                audit.append(s, row.name, AuditAction.SIGN_IN_FAILED, row.name, reason="locked")
                minutes = max(1, round((row.locked_until - now).total_seconds() / 60))
                return (
                    f"too many failed sign-ins: the account is locked for {minutes} more "
                    "minute(s); try later or ask an admin to reset the password"
                )
            if not password_matches(row.password_hash, password):
                row.failed_sign_ins += 1
                reason = "wrong password"
                if row.failed_sign_ins >= MAX_FAILED_SIGN_INS:
                    row.failed_sign_ins, row.locked_until = 0, now + LOCK_OUT
                    reason = "wrong password; account locked"
                audit.append(s, row.name, AuditAction.SIGN_IN_FAILED, row.name, reason=reason)
                if row.locked_until is not None and row.locked_until > now:
                    return (
                        f"wrong user name or password; after {MAX_FAILED_SIGN_INS} failures "
                        f"the account is locked for {int(LOCK_OUT.total_seconds() // 60)} minutes"
                    )
                return failure
            if row.disabled:
                audit.append(s, row.name, AuditAction.SIGN_IN_FAILED, row.name, reason="disabled")
                return "this account is disabled; ask an admin"
            row.failed_sign_ins, row.locked_until = 0, None
            audit.append(s, row.name, AuditAction.SIGNED_IN, row.name)
            return Identity(name=row.name, roles=parse_roles(row.roles))

        outcome = self._write(operation)
        if isinstance(outcome, str):
            raise SignInFailed(outcome)
        return outcome

    def identity(self, name: str) -> Identity:
        """The current roles of a signed-in user (an app session checks this on every page)."""

        def operation(s: Session) -> Identity:
            row = _user_row(s, name)
            if row is None or row.disabled:
                raise SignInFailed(f"the account {name[:100]!r} is unknown or disabled")
            return Identity(name=row.name, roles=parse_roles(row.roles))

        return self._read(operation)

    def sign_out(self, user: Identity) -> None:
        self._write(lambda s: audit.append(s, user.name, AuditAction.SIGNED_OUT, user.name))

    # -- audit -----------------------------------------------------------------------------------
    def audit_trail(
        self,
        *,
        by: User = None,
        actor: str | None = None,
        action: str | None = None,
        target: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = 200,
    ) -> list[AuditRecord]:
        """Audit records, newest first, optionally filtered (``action``: a prefix such as
        ``version.`` or ``sign_in``; ``target``: a substring). Admins only once accounts exist."""

        self._require(by, Action.READ_AUDIT, "audit trail")

        def operation(s: Session) -> list[AuditRecord]:
            _authorize(s, by, Action.READ_AUDIT)
            query = select(AuditRow)
            if actor is not None:
                query = query.where(AuditRow.actor == actor)
            if action is not None:
                query = query.where(AuditRow.action.startswith(action, autoescape=True))
            if target is not None:
                query = query.where(AuditRow.target.contains(target, autoescape=True))
            if since is not None:
                query = query.where(AuditRow.at >= since)
            if until is not None:
                query = query.where(AuditRow.at <= until)
            query = query.order_by(AuditRow.id.desc()).limit(limit)
            return [audit.record(r) for r in s.scalars(query)]

        return self._read(operation)

    def verify_audit(self, *, by: User = None) -> list[ChainBreak]:
        """Where the audit chain or an approved version was changed outside the product."""

        self._require(by, Action.READ_AUDIT, "audit trail")

        def operation(s: Session) -> list[ChainBreak]:
            _authorize(s, by, Action.READ_AUDIT)
            return audit.verify(s)

        return self._read(operation)

    # -- helpers ---------------------------------------------------------------------------------
    def _version_by_ref(self, ref: VersionRef) -> ScenarioVersionRecord:
        if isinstance(ref, ScenarioVersionRecord):
            return self.scenario_version_by_id(ref.id)
        if isinstance(ref, tuple):
            return self.scenario_version(*ref)
        return self.scenario_version_by_id(ref)


# -- row helpers (inside a session) --------------------------------------------------------------
ACCOUNTS_LOCK_KEY = 0x6E746D_7573  # "ntm us"


def _serialise(s: Session) -> None:
    """Account changes one at a time (PostgreSQL advisory lock; SQLite holds its write lock)."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ACCOUNTS_LOCK_KEY})


def _has_users(s: Session) -> bool:
    return s.scalars(select(UserRow.id).limit(1)).first() is not None


def _user_row(s: Session, name: str) -> UserRow | None:
    return s.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()


def _active_admins(s: Session) -> int:
    rows = s.scalars(select(UserRow).where(UserRow.disabled.is_(False)))
    return sum(1 for r in rows if Role.ADMIN in parse_roles(r.roles))


def _user_record(row: UserRow) -> UserRecord:
    locked = row.locked_until if row.locked_until and row.locked_until > _now() else None
    return UserRecord(
        name=row.name,
        roles=tuple(sorted(parse_roles(row.roles))),
        disabled=row.disabled,
        locked_until=locked,
        created_by=row.created_by,
        created_at=row.created_at,
        password_changed_at=row.password_changed_at,
    )


def _authorize(s: Session, user: User, action: Action) -> str:
    """The name to record for ``user`` doing ``action``, or NotSignedIn / PermissionDenied.

    Single-user mode (no account yet): anyone, under the name given. Otherwise a signed-in
    Identity whose account is enabled and whose *current* roles (read now, not at sign-in) allow it.
    """
    if not _has_users(s):
        if isinstance(user, Identity):
            return user.name
        return user or default_user()
    if not isinstance(user, Identity):
        raise NotSignedIn(f"this history store has user accounts: sign in to {action.value}")
    row = _user_row(s, user.name)
    if row is None or row.disabled:
        raise PermissionDenied(f"the account {user.name!r} is unknown or disabled")
    roles = parse_roles(row.roles)
    if not allowed(action, roles):
        raise PermissionDenied(
            f"{row.name} may not {action.value}: that needs the role {needed_roles(action)} "
            f"(has: {roles_text(roles) or 'none'})"
        )
    return row.name


def _ensure_dataset(
    s: Session, dataset: Dataset, content: str, content_hash: str, user: str, label: str | None
) -> DatasetRow:
    row = s.scalars(select(DatasetRow).where(DatasetRow.content_hash == content_hash)).one_or_none()
    if row is not None:
        return row
    info = dataset.info
    row = DatasetRow(
        content_hash=content_hash,
        name=info.name,
        province=info.province,
        base_year=info.base_year,
        criteria_set=info.criteria_set,
        communes=len(dataset.communes),
        investments=len(dataset.investments),
        label=label,
        content=content,
        added_by=user,
        added_at=_now(),
    )
    s.add(row)
    s.flush()
    audit.append(
        s,
        user,
        AuditAction.PACKAGE_IMPORTED,
        info.name,
        content_hash=content_hash,
        communes=row.communes,
        investments=row.investments,
        label=label,
    )
    return row


def _dataset_row(s: Session, ref: DatasetRef) -> DatasetRow:
    query = select(DatasetRow)
    if isinstance(ref, Dataset):
        query = query.where(DatasetRow.content_hash == dataset_hash(ref))
    elif isinstance(ref, DatasetRecord):
        query = query.where(DatasetRow.id == ref.id)
    elif isinstance(ref, int):
        query = query.where(DatasetRow.id == ref)
    else:
        if len(ref) < MIN_HASH_PREFIX:
            raise NotFound(
                f"dataset {ref!r}: give at least {MIN_HASH_PREFIX} characters of its hash"
            )
        query = query.where(DatasetRow.content_hash.startswith(ref.lower(), autoescape=True))
    rows = list(s.scalars(query.limit(2)))
    if not rows:
        raise NotFound(f"no stored dataset {_describe(ref)}")
    if len(rows) > 1:
        raise NotFound(f"dataset hash prefix {ref!r} is ambiguous; give more characters")
    return rows[0]


def _describe(ref: DatasetRef) -> str:
    if isinstance(ref, Dataset):
        return f"with the content of {ref.info.name!r}"
    if isinstance(ref, DatasetRecord):
        return f"id {ref.id}"
    return f"{ref!r}"


def _scenario_row(s: Session, name: str) -> ScenarioRow:
    row = s.scalars(select(ScenarioRow).where(ScenarioRow.name == name)).one_or_none()
    if row is None:
        raise NotFound(f"no scenario named {name!r}")
    return row


def _version_row(
    s: Session, name: str, version: int | None, *, lock: bool = False
) -> ScenarioVersionRow:
    owner = _scenario_row(s, name)
    query = select(ScenarioVersionRow).where(ScenarioVersionRow.scenario_id == owner.id)
    if version is None:
        query = query.order_by(ScenarioVersionRow.version.desc()).limit(1)
    else:
        query = query.where(ScenarioVersionRow.version == version)
    if lock:
        query = query.with_for_update()
    row = s.scalars(query).first()
    if row is None:
        raise NotFound(f"scenario {name!r} has no version {version}")
    return row


def _version_row_by_ref(s: Session, ref: VersionRef) -> tuple[ScenarioVersionRow, str]:
    if isinstance(ref, tuple):
        return _version_row(s, ref[0], ref[1]), ref[0]
    version_id = ref.id if isinstance(ref, ScenarioVersionRecord) else ref
    found = s.execute(
        select(ScenarioVersionRow, ScenarioRow.name)
        .join(ScenarioRow, ScenarioRow.id == ScenarioVersionRow.scenario_id)
        .where(ScenarioVersionRow.id == version_id)
    ).one_or_none()
    if found is None:
        raise NotFound(f"no scenario version with id {version_id}")
    return found[0], found[1]


def _illegal_transition(
    name: str, version: int, current: ApprovalState, to: ApprovalState, by: str = ""
) -> str:
    label = f"scenario {name!r} version {version}"
    if current == to == ApprovalState.APPROVED and by:
        return f"{label} is already approved and frozen (approved by {by}); nothing was changed"
    if current == ApprovalState.APPROVED:
        return (
            f"{label} is approved and frozen; it cannot become {to.value}. Save your changes "
            "as a new version and submit that one"
        )
    if current == to == ApprovalState.DRAFT:
        return f"{label} is a draft, not submitted; only a submitted version can be returned"
    if current == to:
        return f"{label} is already {current.value}"
    if current == ApprovalState.DRAFT and to == ApprovalState.APPROVED:
        return f"{label} is a draft; submit it before it can be approved"
    return f"{label} cannot go from {current.value} to {to.value}"


def _run_query(*, with_plan: bool = True) -> Select[Any]:
    query = (
        select(RunRow, ScenarioVersionRow, ScenarioRow.name, DatasetRow)
        .join(ScenarioVersionRow, ScenarioVersionRow.id == RunRow.scenario_version_id)
        .join(ScenarioRow, ScenarioRow.id == ScenarioVersionRow.scenario_id)
        .join(DatasetRow, DatasetRow.id == RunRow.dataset_id)
        .options(defer(DatasetRow.content))
    )
    if not with_plan:
        query = query.options(
            defer(RunRow.plan),
            defer(ScenarioVersionRow.content),
            defer(ScenarioVersionRow.changes),
        )
    return query


def _summary_fields(
    run: RunRow, version: ScenarioVersionRow, scenario_name: str, data: DatasetRow
) -> dict[str, Any]:
    return {
        "id": run.id,
        "scenario_name": scenario_name,
        "scenario_version": version.version,
        "scenario_version_id": version.id,
        "approval_state": ApprovalState(version.state),
        "dataset_hash": data.content_hash,
        "dataset_name": data.name,
        "method": run.method,
        "solver": run.solver,
        "solver_version": run.solver_version,
        "pulp_version": run.pulp_version,
        "status": PlanStatus(run.status),
        "gap": run.gap,
        "prepare_seconds": run.prepare_seconds,
        "build_seconds": run.build_seconds,
        "solve_seconds": run.solve_seconds,
        "total_seconds": run.total_seconds,
        "at_standard_before": run.at_standard_before,
        "at_standard_after": run.at_standard_after,
        "money_total": run.money_total,
        "items_funded": run.items_funded,
        "run_by": run.run_by,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "rerun_of": run.rerun_of,
        "note": run.note,
    }


def _dataset_record(row: DatasetRow) -> DatasetRecord:
    return DatasetRecord(
        id=row.id,
        content_hash=row.content_hash,
        name=row.name,
        province=row.province,
        base_year=row.base_year,
        criteria_set=row.criteria_set,
        communes=row.communes,
        investments=row.investments,
        label=row.label,
        added_by=row.added_by,
        added_at=row.added_at,
    )


def _check_content(name: str, row: ScenarioVersionRow) -> None:
    """Refuse a version whose stored content no longer matches its hash (changed outside)."""
    if audit.content_hash(row.content) != row.content_hash:
        raise TamperedRecord(
            f"scenario {name!r} version {row.version}: its stored content does not match its "
            "hash; it was changed outside ntm-budget and is refused (ntm audit --verify)"
        )


def _version_record(name: str, row: ScenarioVersionRow) -> ScenarioVersionRecord:
    _check_content(name, row)
    return ScenarioVersionRecord(
        id=row.id,
        scenario_name=name,
        version=row.version,
        scenario=Scenario.model_validate_json(row.content),
        content_hash=row.content_hash,
        based_on=row.based_on,
        note=row.note,
        changes=tuple(FieldChange.model_validate(c) for c in json.loads(row.changes)),
        saved_by=row.saved_by,
        saved_at=row.saved_at,
        state=ApprovalState(row.state),
        state_by=row.state_by,
        state_at=row.state_at,
    )


def open_store(url: str | Path | None = None) -> Store:
    """``Store.open(url)``: the configured store, migrated to the newest schema."""
    return Store.open(url)


__all__: Sequence[str] = ("Store", "open_store", "solve_with", "solver_versions")
