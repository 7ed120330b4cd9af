"""The history store, on SQLite and on a real PostgreSQL server (a throwaway cluster).

Every backend test runs twice: ``[sqlite]`` on a file in tmp_path and ``[postgresql]`` on a fresh
database of a cluster started for the session (see ``tests/pg_server.py``; missing server binaries
fail the tests with the fix, ``NTM_SKIP_POSTGRES=1`` skips them on purpose). Solves use the 6-commune
example package and a two-year scenario (well under a second each).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pg_server
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pg_server import Cluster, PostgresUnavailable, running_cluster, skip_requested
from sqlalchemy import event, text
from store_worker import CRASH_EXIT_CODE, versioned_scenario

from models.dataset import Dataset
from models.funding import Budget
from models.io import load_package, save_csv, save_excel
from models.scenario import Budgets, CommuneGroup, Horizon, MinShare, Policies, Scenario
from optimizer.baselines import BASELINES
from optimizer.plan import (
    CommuneOutcome,
    FundedItem,
    Payment,
    Plan,
    PlanStatus,
)
from optimizer.solve import solve
from store import (
    MONEY_TOLERANCE,
    ApprovalError,
    ApprovalState,
    CannotReproduce,
    ChangeKind,
    NotFound,
    SchemaOutOfDate,
    Store,
    StoreError,
    dataset_hash,
    diff_plans,
    diff_scenarios,
    migrate,
    resolve_url,
)
from store.__main__ import main as store_command
from store.engine import make_engine
from store.revision import HEAD_REVISION, at_head
from store.schema import Base, DatasetRow, RunRow, ScenarioRow, ScenarioVersionRow

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
WORKER = Path(__file__).resolve().parent / "store_worker.py"
HORIZON = Horizon(start=2026, end=2027)
BACKENDS = ("sqlite", "postgresql")
THREADS = 6
SAVES_PER_THREAD = 5
PROCESSES = 2
SAVES_PER_PROCESS = 5


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """One PostgreSQL cluster for the session; a clear failure if the server is not installed."""
    if skip_requested():
        pytest.skip("NTM_SKIP_POSTGRES=1: PostgreSQL tests skipped on request")
    try:
        with running_cluster() as cluster:
            yield cluster
    except PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'history.db'}"
        return
    cluster: Cluster = request.getfixturevalue("postgres")
    name = cluster.create_database()
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def history(url: str) -> Iterator[Store]:
    with Store.open(url) as store:
        yield store


def tiny(name: str = "tiny", **fields: object) -> Scenario:
    """Two years on the example package; the engine's default objectives."""
    return Scenario.model_validate({"name": name, "horizon": HORIZON} | fields)


def more_money(dataset: Dataset, extra: int) -> Dataset:
    """The same package with ``extra`` million VND more for every source and year: new data."""
    budgets = tuple(
        Budget(source_code=b.source_code, year=b.year, amount=b.amount + extra)
        for b in dataset.budgets
    )
    fields = {name: getattr(dataset, name) for name in Dataset.model_fields}
    return Dataset.model_validate(fields | {"budgets": budgets})


def count(store: Store, table: type[Base]) -> int:
    with store.engine.connect() as connection:
        return int(
            connection.execute(text(f"SELECT count(*) FROM {table.__tablename__}")).scalar_one()
        )


# -- migrations ----------------------------------------------------------------------------------
def test_migrations_build_the_schema_from_an_empty_database_and_match_the_models(url: str) -> None:
    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) is None
        with Store.open(url):
            pass
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


@pytest.mark.slow
def test_upgrade_head_is_idempotent_and_keeps_history(url: str, example: Dataset) -> None:
    """`alembic upgrade head` again — in code and from the alembic command line — changes nothing."""
    with Store.open(url) as history:
        history.save_scenario(tiny(), user="lan")
        history.add_dataset(example)
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ROOT / "store" / "alembic.ini"),
         "-x", f"url={url}", "upgrade", "head"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Store.open(url) as history:
        assert [v.version for v in history.scenario_versions("tiny")] == [1]
        assert len(history.list_datasets()) == 1


def test_downgrade_to_empty_and_upgrade_again(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_the_revision_read_without_alembic_is_alembics_head(url: str) -> None:
    """store/revision.py's constant is the newest shipped migration, and ``at_head`` says so
    only for a database at it: empty, older and newer databases take Alembic's path."""
    assert migrate.head_revision() == HEAD_REVISION
    engine = make_engine(url)
    try:
        assert not at_head(engine)  # empty: no alembic_version table
        with Store.open(url):
            pass
        assert at_head(engine)
        migrate.downgrade(engine, "0001")
        assert not at_head(engine)
        with Store.open(url):  # upgraded again through Alembic
            pass
        assert at_head(engine) and migrate.current_revision(engine) == HEAD_REVISION
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
        assert not at_head(engine)
        with pytest.raises(SchemaOutOfDate, match="newer than this program knows"):
            Store.open(url)
    finally:
        engine.dispose()


def test_open_refuses_a_schema_it_does_not_know_or_may_not_upgrade(url: str) -> None:
    with pytest.raises(SchemaOutOfDate, match="upgrade=True"):
        Store.open(url, upgrade=False)
    Store.open(url).close()
    Store.open(url, upgrade=False).close()
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    finally:
        engine.dispose()
    with pytest.raises(SchemaOutOfDate, match="newer than this program knows"):
        Store.open(url)


# -- datasets ------------------------------------------------------------------------------------
def test_a_dataset_is_stored_once_and_comes_back_equal(history: Store, example: Dataset) -> None:
    first = history.add_dataset(example, user="lan", label="2026 draft")
    again = history.add_dataset(example, user="minh")
    assert again.id == first.id and again.added_by == "lan" and again.label == "2026 draft"
    assert count(history, DatasetRow) == 1
    assert first.content_hash == dataset_hash(example)
    assert (first.communes, first.investments, first.criteria_set) == (6, 14, "example_4")
    loaded = history.load_dataset(first.content_hash[:8])
    assert loaded.model_dump() == example.model_dump()
    other = history.add_dataset(more_money(example, 1))
    assert other.content_hash != first.content_hash
    assert [d.id for d in history.list_datasets()] == [other.id, first.id]


def test_the_dataset_hash_is_the_same_from_csv_excel_or_code(
    example: Dataset, tmp_path: Path
) -> None:
    save_csv(example, tmp_path / "csv")
    save_excel(example, tmp_path / "book.xlsx")
    assert dataset_hash(load_package(tmp_path / "csv")) == dataset_hash(example)
    assert dataset_hash(load_package(tmp_path / "book.xlsx")) == dataset_hash(example)
    assert dataset_hash(more_money(example, 1)) != dataset_hash(example)


def test_dataset_references_that_match_nothing_or_too_much_are_refused(
    history: Store, example: Dataset
) -> None:
    history.add_dataset(example)
    with pytest.raises(NotFound, match="at least 6 characters"):
        history.load_dataset("abc")
    with pytest.raises(NotFound, match="no stored dataset"):
        history.load_dataset("0" * 64)
    with pytest.raises(NotFound, match="no stored dataset"):
        history.dataset_record(9999)


# -- scenario versions ---------------------------------------------------------------------------
def test_versions_number_up_and_record_what_changed(history: Store) -> None:
    v1 = history.save_scenario(tiny(), user="lan", note="first draft")
    assert (v1.version, v1.saved_by, v1.note, v1.state) == (1, "lan", "first draft", "draft")
    assert v1.changes == () and v1.change_summary() == "first version"
    assert history.save_scenario(tiny(), user="minh").id == v1.id  # unchanged: no new version
    share = MinShare(name="difficult", group=CommuneGroup.EXTREMELY_DIFFICULT, share=0.3)
    changed = tiny(budgets=Budgets(scale=0.8), policies=Policies(min_shares=(share,)))
    v2 = history.save_scenario(changed, user="minh", note="20% cut", based_on=1)
    assert (v2.version, v2.saved_by, v2.based_on) == (2, "minh", 1)
    assert [(c.path, c.kind, c.before, c.after) for c in v2.changes] == [
        ("budgets.scale", ChangeKind.CHANGED, 1.0, 0.8),
        ("policies.min_shares[difficult]", ChangeKind.ADDED, None, share.model_dump(mode="json")),
    ]
    assert history.scenario_version("tiny").version == 2
    assert history.scenario_version("tiny", 1).scenario == tiny()
    assert [v.version for v in history.scenario_versions("tiny")] == [1, 2]
    [summary] = history.list_scenarios()
    assert (summary.name, summary.versions, summary.latest_state) == ("tiny", 2, "draft")
    with pytest.raises(NotFound, match="no version 7"):
        history.save_scenario(tiny(budgets=Budgets(scale=0.5)), based_on=7)
    with pytest.raises(NotFound, match="no scenario named"):
        history.scenario_versions("absent")


def test_scenario_diff_names_fields_and_named_entries() -> None:
    share = MinShare(name="difficult", group=CommuneGroup.EXTREMELY_DIFFICULT, share=0.3)
    before = tiny(policies=Policies(min_shares=(share,)), budgets=Budgets(scale_by_source={"a": 1}))
    after = tiny(
        policies=Policies(min_shares=(share.model_copy(update={"share": 0.4}),)),
        budgets=Budgets(scale_by_source={"b": 2}),
        criteria_floor=3,
    )
    changes = {c.path: c for c in diff_scenarios(before, after)}
    assert set(changes) == {
        "budgets.scale_by_source.a",
        "budgets.scale_by_source.b",
        "criteria_floor",
        "policies.min_shares[difficult].share",
    }
    assert changes["budgets.scale_by_source.a"].kind == ChangeKind.REMOVED
    assert changes["budgets.scale_by_source.b"].kind == ChangeKind.ADDED
    assert changes["policies.min_shares[difficult].share"].describe() == (
        "policies.min_shares[difficult].share: 0.3 → 0.4"
    )
    assert diff_scenarios(None, after) == () and diff_scenarios(after, after) == ()


# -- approvals -----------------------------------------------------------------------------------
def test_approval_goes_draft_submitted_approved_and_then_freezes(history: Store) -> None:
    history.save_scenario(tiny(), user="lan")
    submitted = history.submit("tiny", 1, user="lan", note="for the May meeting")
    assert (submitted.state, submitted.state_by) == (ApprovalState.SUBMITTED, "lan")
    approved = history.approve("tiny", 1, user="director")
    assert (approved.state, approved.state_by, approved.frozen) == ("approved", "director", True)

    for move in (history.submit, history.approve, history.reject):
        with pytest.raises(ApprovalError, match="approved and frozen"):
            move("tiny", 1, user="lan")
    assert history.save_scenario(tiny(), user="lan").version == 1  # same content: still v1
    v2 = history.save_scenario(tiny(budgets=Budgets(scale=0.9)), user="lan")
    assert (v2.version, v2.state) == (2, ApprovalState.DRAFT)
    v1 = history.scenario_version("tiny", 1)
    assert (v1.state, v1.scenario) == (ApprovalState.APPROVED, tiny())

    events = history.approval_history("tiny", 1)
    assert [(e.from_state, e.to_state, e.done_by) for e in events] == [
        ("draft", "submitted", "lan"),
        ("submitted", "approved", "director"),
    ]
    assert events[0].note == "for the May meeting"
    assert history.list_scenarios()[0].approved_versions == (1,)


def test_illegal_transitions_say_what_to_do(history: Store) -> None:
    history.save_scenario(tiny(), user="lan")
    with pytest.raises(ApprovalError, match="is a draft; submit it before it can be approved"):
        history.approve("tiny", 1)
    with pytest.raises(ApprovalError, match="only a submitted version can be returned"):
        history.reject("tiny", 1)
    history.submit("tiny", 1)
    with pytest.raises(ApprovalError, match="already submitted"):
        history.submit("tiny", 1)
    returned = history.reject("tiny", 1, user="director", note="add the border communes")
    assert returned.state == ApprovalState.DRAFT
    assert [e.to_state for e in history.approval_history("tiny")] == ["submitted", "draft"]
    with pytest.raises(NotFound):
        history.submit("tiny", 2)


# -- runs ----------------------------------------------------------------------------------------
def test_a_run_keeps_everything_needed_to_trust_and_reproduce_it(
    history: Store, example: Dataset
) -> None:
    run = history.solve_and_record(tiny(), example, user="lan", note="baseline budget")
    assert (run.scenario_name, run.scenario_version, run.approval_state) == ("tiny", 1, "draft")
    assert run.dataset_hash == dataset_hash(example) and run.dataset_name == example.info.name
    assert run.method == "optimizer" and run.solver == "highs"
    assert run.solver_version and run.solver_version.startswith("highspy ")
    assert run.pulp_version and run.status == PlanStatus.OPTIMAL and run.gap == 0.0
    assert run.started_at <= run.finished_at and run.started_at.tzinfo is not None
    assert run.total_seconds > 0 and run.run_by == "lan" and run.note == "baseline budget"
    assert run.at_standard_after == run.plan.kpis.at_standard_after  # type: ignore[union-attr]

    stored = history.get_run(run.id)
    assert stored.plan == run.plan  # the full Plan, exactly
    assert stored.scenario == tiny()
    assert stored.started_at == run.started_at
    [listed] = history.list_runs()
    assert listed.id == run.id and not hasattr(listed, "plan")
    with pytest.raises(NotFound, match="no run 999"):
        history.get_run(999)


def test_runs_are_listed_newest_first_and_filtered(history: Store, example: Dataset) -> None:
    plan = solve(example, tiny())
    other_plan = solve(example, tiny("other"))
    first = history.record_run(history.save_scenario(tiny(), user="lan"), example, plan, user="lan")
    second = history.record_run(
        history.save_scenario(tiny("other")), example, other_plan, user="minh"
    )
    third = history.record_run(("tiny", 1), dataset_hash(example)[:10], plan, user="minh")
    assert [r.id for r in history.list_runs()] == [third.id, second.id, first.id]
    assert [r.id for r in history.list_runs(scenario="tiny")] == [third.id, first.id]
    assert [r.id for r in history.list_runs(user="minh", limit=1)] == [third.id]
    assert [r.id for r in history.list_runs(dataset=example, version=1)] == [
        third.id,
        second.id,
        first.id,
    ]
    assert history.list_runs(status="infeasible") == []
    assert history.count_runs() == 3
    with pytest.raises(StoreError, match="answers scenario 'other', not 'tiny'"):
        history.record_run(("tiny", 1), example, other_plan)


def test_rerun_reproduces_a_stored_run_exactly_from_the_stored_dataset(
    history: Store, example: Dataset
) -> None:
    original = history.solve_and_record(tiny(), example, user="lan")
    reproduction = history.rerun(original.id, user="minh")
    assert reproduction.reproduced, reproduction.diff.lines()
    assert reproduction.diff.same_decisions and reproduction.environment_changed == ()
    new = reproduction.new
    assert (new.rerun_of, new.run_by, new.scenario_version_id) == (
        original.id,
        "minh",
        original.scenario_version_id,
    )
    assert new.dataset_hash == original.dataset_hash
    assert {(i.investment, i.start_year) for i in new.plan.items} == {
        (i.investment, i.start_year) for i in original.plan.items
    }
    assert count(history, DatasetRow) == 1


def test_an_old_scenario_version_runs_on_new_data(history: Store, example: Dataset) -> None:
    """v1 solved on the package, then on a package with 5,000 more per source and year."""
    version = history.save_scenario(tiny(), user="lan")
    old = history.run_on_dataset(version, example, user="lan")
    richer = more_money(example, 5000)
    new = history.run_on_dataset(version.id, richer, user="lan")
    assert new.scenario_version_id == old.scenario_version_id
    assert new.dataset_hash == dataset_hash(richer) != old.dataset_hash
    assert len(history.list_datasets()) == 2
    assert diff_plans(new.plan, solve(richer, tiny())).same_decisions
    assert new.plan.kpis.at_standard_after >= old.plan.kpis.at_standard_after  # type: ignore[union-attr]


def test_a_baseline_run_is_reproduced_by_its_rule(history: Store, example: Dataset) -> None:
    plan = BASELINES["cheapest_first"](example, tiny())
    run = history.record_run(history.save_scenario(tiny()), example, plan)
    reproduction = history.rerun(run.id)
    assert reproduction.new.method == "baseline:cheapest_first" == run.method
    assert reproduction.reproduced and run.status == PlanStatus.HEURISTIC and run.gap is None


def test_a_run_stored_before_notes_had_codes_reads_with_its_note_as_written(
    history: Store, example: Dataset
) -> None:
    """Plans were stored with one English ``message``; they read back (hash intact), the note
    shown as written in every language, and still reproduce."""
    import json

    from sqlalchemy import update

    from store.content import sha256

    plan = BASELINES["closest_first"](example, tiny(policies={"commune_cap": 5000}))
    run = history.record_run(history.save_scenario(tiny()), example, plan)
    old = json.loads(plan.model_dump_json())
    del old["notes"]
    old["message"] = "Closest to standard first; ignores: commune_cap"
    written = json.dumps(old)
    with history.engine.begin() as connection:
        connection.execute(
            update(RunRow)
            .where(RunRow.id == run.id)
            .values(plan=written, plan_hash=sha256(written))
        )
    stored = history.get_run(run.id).plan
    assert stored.message == "Closest to standard first; ignores: commune_cap"
    assert stored.note_text("vi") == "Closest to standard first; ignores: commune_cap"
    assert stored.funded_codes() == plan.funded_codes()
    reproduction = history.rerun(run.id)
    assert reproduction.reproduced
    assert reproduction.new.plan.note_text("vi").startswith("Ưu tiên xã gần đạt chuẩn nhất")


def test_a_method_that_is_not_available_cannot_be_reproduced(
    history: Store, example: Dataset
) -> None:
    plan = Plan(scenario="tiny", method="baseline:no_such_rule", status=PlanStatus.HEURISTIC)
    run = history.record_run(history.save_scenario(tiny()), example, plan)
    with pytest.raises(CannotReproduce, match="no_such_rule"):
        history.rerun(run.id)
    assert history.count_runs() == 1


# -- decision diff -------------------------------------------------------------------------------
def outcome(commune: str, at_standard: bool, year: int | None, money: float) -> CommuneOutcome:
    return CommuneOutcome(
        commune=commune,
        counted=True,
        criteria_before=3,
        criteria_after=4 if at_standard else 3,
        at_standard_before=False,
        at_standard_after=at_standard,
        year_at_standard=year,
        money=money,
    )


def hand_plan(
    items: dict[str, int], payments: list[tuple[str, str, int, float]], communes: list
) -> Plan:
    return Plan(
        scenario="tiny",
        method="optimizer",
        status=PlanStatus.OPTIMAL,
        items=tuple(
            FundedItem(investment=i, start_year=y, completion_year=y, cost=100) for i, y in items.items()
        ),
        payments=tuple(Payment(investment=i, source=s, year=y, amount=a) for i, s, y, a in payments),
        communes=tuple(communes),
    )  # fmt: skip


def test_diff_reports_items_communes_and_money_decision_by_decision() -> None:
    """Plan a: items A (2026) and B (2026); plan b: B moved to 2027, C added, A dropped.
    Commune X loses the standard (A was its item), Y gains it (C), Z reaches it a year later (B)."""
    a = hand_plan(
        {"A": 2026, "B": 2026},
        [("A", "central", 2026, 100), ("B", "central", 2026, 60), ("B", "people", 2026, 40)],
        [
            outcome("X", True, 2026, 100),
            outcome("Y", False, None, 0),
            outcome("Z", True, 2026, 100),
        ],
    )
    b = hand_plan(
        {"B": 2027, "C": 2026},
        [("B", "central", 2027, 60), ("B", "people", 2027, 40), ("C", "central", 2026, 100)],
        [
            outcome("X", False, None, 0),
            outcome("Y", True, 2026, 100),
            outcome("Z", True, 2027, 100),
        ],
    )
    diff = diff_plans(a, b, run_a=1, run_b=2)
    assert [(i.investment, i.start_a, i.start_b) for i in diff.items_added] == [("C", None, 2026)]
    assert [(i.investment, i.start_a, i.start_b) for i in diff.items_removed] == [("A", 2026, None)]
    assert [(i.investment, i.start_a, i.start_b) for i in diff.items_moved] == [("B", 2026, 2027)]
    assert diff.communes_gained == ("Y",) and diff.communes_lost == ("X",)
    assert [(c.commune, c.kind, c.year_a, c.year_b) for c in diff.communes] == [
        ("X", "lost", 2026, None),
        ("Y", "gained", None, 2026),
        ("Z", "later", 2026, 2027),
    ]
    # central 2026: 160 → 100; central 2027: 0 → 60; people 2026: 40 → 0; people 2027: 0 → 40
    assert {(m.source, m.year, m.a, m.b) for m in diff.money_by_source_year} == {
        ("central", 2026, 160, 100),
        ("central", 2027, 0, 60),
        ("people", 2026, 40, 0),
        ("people", 2027, 0, 40),
    }
    assert {(m.commune, m.change) for m in diff.money_by_commune} == {("X", -100), ("Y", 100)}
    assert len(diff.payments) == 6 and not diff.same_decisions
    assert "  item B: moved 2026 → 2027" in diff.lines()
    assert diff_plans(a, a).same_decisions


def test_payment_noise_below_the_tolerance_is_not_a_change() -> None:
    a = hand_plan({"A": 2026}, [("A", "central", 2026, 100.0)], [])
    b = hand_plan({"A": 2026}, [("A", "central", 2026, 100.0 + MONEY_TOLERANCE / 2)], [])
    c = hand_plan({"A": 2026}, [("A", "central", 2026, 100.0 + MONEY_TOLERANCE * 2)], [])
    assert diff_plans(a, b).same_decisions
    assert not diff_plans(a, c).same_decisions


def test_diff_of_stored_runs_agrees_with_the_plans(history: Store, example: Dataset) -> None:
    """Halving the budget: every difference the diff reports is recomputed from the two plans."""
    full = history.solve_and_record(tiny(), example, user="lan")
    half = history.solve_and_record(tiny(budgets=Budgets(scale=0.5)), example, user="lan")
    diff = history.diff_runs(full.id, half.id)
    items_a = {i.investment: i.start_year for i in full.plan.items}
    items_b = {i.investment: i.start_year for i in half.plan.items}
    assert {i.investment for i in diff.items_added} == set(items_b) - set(items_a)
    assert {i.investment for i in diff.items_removed} == set(items_a) - set(items_b)
    assert {i.investment for i in diff.items_moved} == {
        i for i in set(items_a) & set(items_b) if items_a[i] != items_b[i]
    }
    at_a = {c.commune for c in full.plan.communes if c.at_standard_after}
    at_b = {c.commune for c in half.plan.communes if c.at_standard_after}
    assert set(diff.communes_lost) == at_a - at_b and set(diff.communes_gained) == at_b - at_a
    money_change = sum(m.change for m in diff.money_by_source_year)
    kpis_a, kpis_b = full.plan.kpis, half.plan.kpis
    assert kpis_a and kpis_b
    assert money_change == pytest.approx(kpis_b.money_total - kpis_a.money_total, abs=1e-6)
    assert kpis_b.money_total <= 0.5 * kpis_a.budget_total + 1e-6
    assert diff.items and not diff.same_decisions


# -- concurrency ---------------------------------------------------------------------------------
def run_in_threads(work: Callable[[int], None], threads: int) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def body(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as error:  # collected and re-raised in the main thread
            errors.append(error)

    workers = [threading.Thread(target=body, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]


def assert_every_save_kept(history: Store, name: str, workers: int, saves: int) -> None:
    versions = history.scenario_versions(name)
    assert [v.version for v in versions] == list(range(1, workers * saves + 1))
    assert {v.note for v in versions} == {f"{w}/{i}" for w in range(workers) for i in range(saves)}
    for v in versions:  # each version holds exactly what its author saved
        worker, index = (int(part) for part in v.note.split("/"))
        assert v.scenario == versioned_scenario(name, worker, index)
        assert v.saved_by == f"worker-{worker}"


@pytest.mark.parametrize("shared", [False, True], ids=["own_pools", "one_store"])
def test_people_saving_at_the_same_time_lose_nothing_threads(url: str, shared: bool) -> None:
    """Six users save a new scenario five times at once — each with their own connection pool
    (separate programs), or through one Store (the app's server shares one)."""
    common = Store.open(url)  # migrates first, as the server's installer would

    def work(worker: int) -> None:
        mine = common if shared else Store.open(url)
        for index in range(SAVES_PER_THREAD):
            mine.save_scenario(
                versioned_scenario("shared", worker, index),
                user=f"worker-{worker}",
                note=f"{worker}/{index}",
            )
        if not shared:
            mine.close()

    try:
        run_in_threads(work, THREADS)
        assert_every_save_kept(common, "shared", THREADS, SAVES_PER_THREAD)
        assert count(common, ScenarioRow) == 1
    finally:
        common.close()


@pytest.mark.slow
def test_people_saving_at_the_same_time_lose_nothing_processes(url: str) -> None:
    """Separate processes (as separate app sessions or command lines) racing on one scenario."""
    Store.open(url).close()
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "save", url, "shared", str(w), str(SAVES_PER_PROCESS)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(PROCESSES)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=180)
        assert worker.returncode == 0, errors
    with Store.open(url) as history:
        assert_every_save_kept(history, "shared", PROCESSES, SAVES_PER_PROCESS)


def test_the_same_dataset_added_at_once_is_stored_once(url: str, example: Dataset) -> None:
    Store.open(url).close()

    def work(_: int) -> None:
        with Store.open(url) as mine:
            mine.add_dataset(example)

    run_in_threads(work, 4)
    with Store.open(url) as history:
        assert len(history.list_datasets()) == 1


# -- failures halfway ----------------------------------------------------------------------------
class Boom(RuntimeError):
    pass


@pytest.fixture
def explode_after_insert() -> Iterator[Callable[[type[Base]], Callable[[], None]]]:
    """Make inserts of the given table raise once the row is written; returns the disarm call."""
    armed: list[Callable[[], None]] = []

    def arm(table: type[Base]) -> Callable[[], None]:
        def boom(*_args: object) -> None:
            raise Boom(f"injected failure after writing a {table.__tablename__} row")

        event.listen(table, "after_insert", boom)

        def disarm() -> None:
            if event.contains(table, "after_insert", boom):
                event.remove(table, "after_insert", boom)

        armed.append(disarm)
        return disarm

    yield arm
    for disarm in armed:
        disarm()


def test_a_run_that_fails_halfway_leaves_nothing(
    history: Store,
    example: Dataset,
    explode_after_insert: Callable[[type[Base]], Callable[[], None]],
) -> None:
    """The dataset row and the run row were written in the transaction; neither survives."""
    version = history.save_scenario(tiny(), user="lan")
    plan = solve(example, tiny())
    explode_after_insert(RunRow)
    with pytest.raises(Boom):
        history.record_run(version, example, plan)
    assert count(history, RunRow) == 0 and count(history, DatasetRow) == 0
    assert history.list_runs() == [] and history.list_datasets() == []


def test_a_save_that_fails_halfway_leaves_nothing(
    history: Store, explode_after_insert: Callable[[type[Base]], Callable[[], None]]
) -> None:
    """A new scenario's row is written, then its first version fails: no scenario appears."""
    explode_after_insert(ScenarioVersionRow)
    with pytest.raises(Boom):
        history.save_scenario(tiny(), user="lan")
    assert count(history, ScenarioRow) == 0 and history.list_scenarios() == []


def test_the_store_works_on_after_a_failed_write(
    history: Store, explode_after_insert: Callable[[type[Base]], Callable[[], None]]
) -> None:
    history.save_scenario(tiny(), user="lan")
    disarm = explode_after_insert(ScenarioVersionRow)
    with pytest.raises(Boom):
        history.save_scenario(tiny(budgets=Budgets(scale=0.5)), user="lan")
    disarm()
    assert [v.version for v in history.scenario_versions("tiny")] == [1]
    again = history.save_scenario(tiny(budgets=Budgets(scale=0.5)), user="lan")
    assert again.version == 2 and again.changes[0].path == "budgets.scale"


@pytest.mark.slow
def test_a_process_killed_mid_write_leaves_the_store_consistent(url: str) -> None:
    """The writer dies after writing a dataset and a run but before committing: no trace."""
    Store.open(url).close()
    done = subprocess.run(
        [sys.executable, str(WORKER), "crash", url, str(EXAMPLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == CRASH_EXIT_CODE, done.stderr
    with Store.open(url) as history:
        assert history.count_runs() == 0 and history.list_datasets() == []
        assert [v.version for v in history.scenario_versions("crash")] == [1]  # committed before
        version = history.save_scenario(tiny("crash", budgets=Budgets(scale=0.5)))
        assert version.version == 2


# -- configuration -------------------------------------------------------------------------------
def test_the_database_url_comes_from_argument_environment_settings_then_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NTM_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("NTM_SETTINGS", str(tmp_path / "settings.toml"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'data' / 'ntm-budget' / 'history.db'}"
    (tmp_path / "settings.toml").write_text(
        '[store]\ndatabase_url = "postgresql://ntm:secret@db.example/ntm"\n', encoding="utf-8"
    )
    assert resolve_url() == "postgresql+psycopg://ntm:secret@db.example/ntm"
    monkeypatch.setenv("NTM_DATABASE_URL", "postgres://other@db2/ntm")
    assert resolve_url() == "postgresql+psycopg://other@db2/ntm"
    assert resolve_url(tmp_path / "mine.db") == f"sqlite:///{tmp_path / 'mine.db'}"
    (tmp_path / "settings.toml").write_text("[store\n", encoding="utf-8")
    monkeypatch.delenv("NTM_DATABASE_URL")
    with pytest.raises(StoreError, match="not a valid TOML"):
        resolve_url()


def test_an_unreachable_server_is_a_clear_error(postgres: Cluster) -> None:
    with pytest.raises(StoreError, match=r"cannot open postgresql\+psycopg://postgres@127"):
        Store.open(postgres.url("no_such_database"))


def test_missing_postgres_binaries_fail_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pg_server.BIN_VARIABLE, raising=False)
    monkeypatch.setattr(pg_server.glob, "glob", lambda _pattern: [])
    monkeypatch.setattr(pg_server.shutil, "which", lambda _name: None)
    with pytest.raises(PostgresUnavailable, match=r"Run `bash scripts/test\.sh`"):
        pg_server.find_bin_dir()


def test_python_m_store_reports_the_schema(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert store_command(["upgrade", url]) == 0
    assert store_command(["current", url]) == 0
    assert f"schema {migrate.head_revision()}" in capsys.readouterr().out


def test_timestamps_are_utc_on_every_backend(history: Store) -> None:
    before = datetime.now(UTC)
    version = history.save_scenario(tiny(), user="lan")
    stored = history.scenario_version("tiny", 1)
    assert stored.saved_at == version.saved_at and stored.saved_at.tzinfo == UTC
    assert before <= stored.saved_at <= datetime.now(UTC)
