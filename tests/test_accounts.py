"""Accounts, roles, the audit trail and tamper evidence in the history store (SQLite and a real
PostgreSQL server), including the upgrade of a store written by the previous version of the
program (the last commit before accounts, run from a ``git archive`` in a separate process)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pg_server import Cluster, PostgresUnavailable, running_cluster, skip_requested
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.dataset import Dataset
from models.scenario import Budgets, Horizon, Scenario
from optimizer.baselines import BASELINES
from store import ApprovalError, Store, migrate, scenario_hash
from store.accounts import (
    LOCK_OUT,
    AccountError,
    Identity,
    NotSignedIn,
    PermissionDenied,
    Role,
    SignInFailed,
    password_problems,
)
from store.audit import GENESIS, AuditAction, chain_hash
from store.errors import TamperedRecord

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
HORIZON = Horizon(start=2026, end=2027)
PASSWORD = "Correct-Horse-42"
"""Every test user's password (long enough, without the user name); grepped for in outputs."""
ADMIN = "an"


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def postgres() -> Iterator[Cluster]:
    if skip_requested():
        pytest.skip("NTM_SKIP_POSTGRES=1: PostgreSQL tests skipped on request")
    try:
        with running_cluster() as cluster:
            yield cluster
    except PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(params=("sqlite", pytest.param("postgresql", marks=pytest.mark.slow)))
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'history.db'}"
        return
    cluster: Cluster = request.getfixturevalue("postgres")
    name = cluster.create_database()
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def pg_url(postgres: Cluster) -> Iterator[str]:
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


def tiny(name: str = "tiny", scale: float = 1.0) -> Scenario:
    return Scenario(name=name, horizon=HORIZON, budgets=Budgets(scale=scale))


def people(history: Store) -> dict[str, Identity]:
    """A first admin and one user per role (names unlike the password), all signed in."""
    history.add_user(ADMIN, PASSWORD, {Role.ADMIN})
    admin = history.authenticate(ADMIN, PASSWORD)
    for role in (Role.VIEWER, Role.PLANNER, Role.FINANCE, Role.APPROVER):
        history.add_user(role.value, PASSWORD, {role}, by=admin)
    history.add_user("approver2", PASSWORD, {Role.APPROVER}, by=admin)
    signed = {r.value: history.authenticate(r.value, PASSWORD) for r in Role if r != Role.ADMIN}
    return signed | {"admin": admin, "approver2": history.authenticate("approver2", PASSWORD)}


# -- passwords and accounts -----------------------------------------------------------------------
def test_password_policy_wants_length_and_not_the_name() -> None:
    assert password_problems("lan", PASSWORD) == []
    assert password_problems("lan", "short") == ["a password needs at least 10 characters"]
    assert password_problems("lan", "my-LAN-password-1") == [
        "a password cannot contain the user name"
    ]
    assert "4 different characters" in password_problems("lan", "aaaaaaaaaaaa")[0]


def test_first_user_must_be_an_admin_and_later_ones_need_an_admin(url: str) -> None:
    with Store.open(url) as history:
        assert not history.has_users()
        with pytest.raises(AccountError, match="first user of a store must be an admin"):
            history.add_user("lan", PASSWORD, {Role.PLANNER})
        with pytest.raises(AccountError, match="at least 10"):
            history.add_user(ADMIN, "short", {Role.ADMIN})
        history.add_user(ADMIN, PASSWORD, {Role.ADMIN})
        assert history.has_users()
        with pytest.raises(NotSignedIn):
            history.add_user("lan", PASSWORD, {Role.PLANNER})
        admin = history.authenticate(ADMIN, PASSWORD)
        history.add_user("lan", PASSWORD, {Role.PLANNER, Role.FINANCE}, by=admin)
        lan = history.authenticate("lan", PASSWORD)
        assert lan.roles == {Role.PLANNER, Role.FINANCE}
        with pytest.raises(PermissionDenied, match="needs the role admin"):
            history.add_user("mai", PASSWORD, {Role.VIEWER}, by=lan)
        with pytest.raises(AccountError, match="already exists"):
            history.add_user("lan", PASSWORD, {Role.VIEWER}, by=admin)
        with pytest.raises(AccountError, match="no role left"):
            history.revoke(ADMIN, Role.ADMIN, by=admin)
        history.grant(ADMIN, Role.VIEWER, by=admin)
        with pytest.raises(AccountError, match="last active admin"):
            history.revoke(ADMIN, Role.ADMIN, by=admin)
        with pytest.raises(AccountError, match="last active admin"):
            history.set_disabled(ADMIN, True, by=admin)
        history.grant("lan", Role.APPROVER, by=admin)
        history.revoke("lan", Role.FINANCE, by=admin)
        assert history.identity("lan").roles == {Role.PLANNER, Role.APPROVER}
        history.set_disabled("lan", True, by=admin)
        with pytest.raises(SignInFailed, match="disabled"):
            history.authenticate("lan", PASSWORD)
        with pytest.raises(PermissionDenied, match="unknown or disabled"):
            history.save_scenario(tiny(), user=lan)  # an old session of a disabled user
        history.set_disabled("lan", False, by=admin)
        listed = {u.name: u for u in history.list_users(by=admin)}
        assert listed["lan"].roles == (Role.APPROVER, Role.PLANNER)
        assert not listed["lan"].disabled


@pytest.mark.slow
def test_five_failed_sign_ins_lock_the_account_for_fifteen_minutes(url: str) -> None:
    with Store.open(url) as history:
        history.add_user(ADMIN, PASSWORD, {Role.ADMIN})
        for _ in range(4):
            with pytest.raises(SignInFailed, match=r"^wrong user name or password$"):
                history.authenticate(ADMIN, "not-the-password")
        history.authenticate(ADMIN, PASSWORD)  # a success resets the count
        for _ in range(4):
            with pytest.raises(SignInFailed):
                history.authenticate(ADMIN, "not-the-password")
        with pytest.raises(SignInFailed, match="locked for 15 minutes"):
            history.authenticate(ADMIN, "not-the-password")
        with pytest.raises(SignInFailed, match="locked"):
            history.authenticate(ADMIN, PASSWORD)  # even the right password, while locked
        with pytest.raises(SignInFailed, match=r"^wrong user name or password$"):
            history.authenticate("nobody", PASSWORD)  # an unknown name reads the same
        # 15 minutes later (moved back in the database rather than waited for)
        earlier = datetime.now(UTC) - LOCK_OUT - timedelta(seconds=1)
        with history.engine.begin() as connection:
            connection.execute(
                text("UPDATE users SET locked_until = :t"),
                {"t": earlier if history.backend == "postgresql" else earlier.replace(tzinfo=None)},
            )
        assert history.authenticate(ADMIN, PASSWORD).name == ADMIN
        failed = history.audit_trail(by=history.identity(ADMIN), action="sign_in.failed")
        assert [r.detail["reason"] for r in failed].count("wrong password") == 8
        assert any(r.detail["reason"] == "locked" for r in failed)


# -- the role matrix in the core functions ------------------------------------------------------
EXPECTED: dict[str, set[str]] = {
    "import data": {"planner"},
    "save scenario": {"planner", "finance"},
    "record run": {"planner", "finance"},
    "submit": {"approver"},
    "approve": {"approver"},
    "reject": {"approver"},
    "manage users": {"admin"},
    "read audit": {"admin"},
}
"""Who may do what, written out by hand from the issue (not derived from PERMISSIONS)."""


def actions(
    history: Store, example: Dataset, signed: dict[str, Identity]
) -> dict[str, Callable[[Identity], object]]:
    """Each action as a call; a fresh submitted version per call where the workflow needs one."""
    planner = signed["planner"]
    counter = iter(range(1, 1000))

    def submitted(by_approver: Identity) -> tuple[str, int]:
        name = f"matrix-{next(counter)}"
        version = history.save_scenario(tiny(name), user=planner)
        history.submit(name, version.version, user=signed["approver2"])
        return name, version.version

    plan = BASELINES["cheapest_first"](example, tiny("matrix-run"))
    run_version = history.save_scenario(tiny("matrix-run"), user=planner)
    return {
        "import data": lambda who: history.add_dataset(example, user=who),
        "save scenario": lambda who: history.save_scenario(
            tiny(f"saved-{next(counter)}"), user=who
        ),
        "record run": lambda who: history.record_run(run_version, example, plan, user=who),
        "submit": lambda who: history.submit(
            *(lambda v: (v.scenario_name, v.version))(
                history.save_scenario(tiny(f"sub-{next(counter)}"), user=planner)
            ),
            user=who,
        ),
        "approve": lambda who: history.approve(*submitted(who), user=who),
        "reject": lambda who: history.reject(*submitted(who), user=who),
        "manage users": lambda who: history.add_user(
            f"new-user-{next(counter)}", PASSWORD, {Role.VIEWER}, by=who
        ),
        "read audit": lambda who: history.audit_trail(by=who),
    }


@pytest.mark.slow
def test_every_action_for_every_role_is_allowed_or_refused_by_the_store(
    tmp_path: Path, example: Dataset
) -> None:
    with Store.open(tmp_path / "history.db") as history:
        signed = people(history)
        calls = actions(history, example, signed)
        for action, call in calls.items():
            for role in Role:
                who = signed["admin" if role == Role.ADMIN else role.value]
                if role.value in EXPECTED[action]:
                    call(who)
                else:
                    with pytest.raises(PermissionDenied, match="needs the role"):
                        call(who)
        refused = history.audit_trail(by=signed["admin"], action="refused", limit=None)
        expected_refusals = sum(len(Role) - len(allowed) for allowed in EXPECTED.values())
        assert len(refused) == expected_refusals
        assert not history.verify_audit(by=signed["admin"])


def test_single_user_mode_until_the_first_account_then_a_bare_name_is_refused(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "history.db") as history:
        version = history.save_scenario(tiny(), user="lan")  # no account yet: as before
        history.submit("tiny", version.version, user="lan")
        history.add_user(ADMIN, PASSWORD, {Role.ADMIN})
        with pytest.raises(NotSignedIn, match="sign in"):
            history.approve("tiny", version.version, user="lan")
        assert history.scenario_version("tiny").state == "submitted"


# -- four eyes ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_an_approver_cannot_approve_their_own_submission_unless_the_rule_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.db"
    with Store.open(path) as history:
        assert history.four_eyes
        signed = people(history)
        v = history.save_scenario(tiny(), user=signed["planner"])
        history.submit("tiny", v.version, user=signed["approver"])
        with pytest.raises(ApprovalError, match="four-eyes"):
            history.approve("tiny", v.version, user=signed["approver"])
        assert history.approve("tiny", v.version, user=signed["approver2"]).state == "approved"
    monkeypatch.setenv("NTM_FOUR_EYES", "false")
    with Store.open(path) as history:
        assert not history.four_eyes
        approver = history.authenticate("approver", PASSWORD)
        v2 = history.save_scenario(tiny(scale=2), user=history.authenticate("planner", PASSWORD))
        history.submit("tiny", v2.version, user=approver)
        assert history.approve("tiny", v2.version, user=approver).state == "approved"


# -- audit trail and tamper evidence ------------------------------------------------------------
@pytest.mark.slow
def test_every_state_change_is_audited_and_the_chain_verifies(url: str, example: Dataset) -> None:
    with Store.open(url) as history:
        signed = people(history)
        history.add_dataset(example, user=signed["planner"])
        run = history.run_on_dataset(
            history.save_scenario(tiny(), user=signed["planner"], note="first"),
            example,
            user=signed["finance"],
            method="baseline:cheapest_first",
        )
        history.submit("tiny", 1, user=signed["approver"])
        history.reject("tiny", 1, user=signed["approver2"], note="budgets too high")
        history.submit("tiny", 1, user=signed["approver"])
        history.approve("tiny", 1, user=signed["approver2"])
        history.sign_out(signed["planner"])
        trail = list(reversed(history.audit_trail(by=signed["admin"], limit=None)))
        actions = [r.action for r in trail]
        assert actions[0] == AuditAction.USER_ADDED and trail[0].actor == ADMIN
        for expected in AuditAction:
            if expected not in (AuditAction.SIGN_IN_FAILED, AuditAction.STEP_REFUSED):
                if expected in (AuditAction.REFUSED, AuditAction.USER_DISABLED):
                    continue
                if expected in (
                    AuditAction.USER_ENABLED,
                    AuditAction.ROLE_GRANTED,
                    AuditAction.ROLE_REVOKED,
                    AuditAction.PASSWORD_RESET,
                ):
                    continue  # covered by test_first_user_must_be_an_admin…
                assert expected.value in actions, expected
        approved = next(r for r in trail if r.action == AuditAction.VERSION_APPROVED)
        assert approved.actor == "approver2"
        assert approved.detail["content_hash"] == history.scenario_version("tiny", 1).content_hash
        recorded = next(r for r in trail if r.action == AuditAction.RUN_RECORDED)
        assert recorded.actor == "finance" and recorded.detail["run"] == run.id
        assert run.run_by == "finance"
        # the chain: each record carries the hash of the one before
        previous = GENESIS
        for record in trail:
            assert record.hash != previous
            previous = record.hash
        assert history.verify_audit(by=signed["admin"]) == []
        assert history.audit_trail(by=signed["admin"], actor="approver2", action="version.")
        assert history.audit_trail(by=signed["admin"], target="tiny v1", limit=None)


def _sqlite_tamper(history: Store, statement: str, **values: object) -> None:
    """What someone with the database file can do: drop the guard triggers, then edit."""
    with history.engine.begin() as connection:
        for (name,) in connection.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        ).all():
            connection.execute(text(f"DROP TRIGGER {name}"))
        connection.execute(text(statement), values)


@pytest.mark.slow
def test_an_edited_approved_version_run_or_audit_record_is_refused_and_located(
    tmp_path: Path, example: Dataset
) -> None:
    with Store.open(tmp_path / "history.db") as history:
        signed = people(history)
        v = history.save_scenario(tiny(), user=signed["planner"])
        run = history.run_on_dataset(
            v, example, user=signed["planner"], method="baseline:cheapest_first"
        )
        history.submit("tiny", 1, user=signed["approver"])
        history.approve("tiny", 1, user=signed["approver2"])
        admin = signed["admin"]
        assert history.verify_audit(by=admin) == []
        # the guards hold without tampering
        with pytest.raises(DBAPIError, match="refused"), history.engine.begin() as connection:
            connection.execute(text("UPDATE scenario_versions SET note = 'x'"))
        with pytest.raises(DBAPIError, match="refused"), history.engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_events"))

        richer = tiny(scale=9).model_dump_json()
        _sqlite_tamper(history, "UPDATE scenario_versions SET content = :c", c=richer)
        with pytest.raises(TamperedRecord, match="version 1: its stored content does not match"):
            history.scenario_version("tiny", 1)
        with pytest.raises(TamperedRecord):
            history.get_run(run.id)
        breaks = history.verify_audit(by=admin)
        assert any("content was changed" in b.message for b in breaks)
        # content and hash changed together: consistent to a read, but not what was approved
        _sqlite_tamper(
            history,
            "UPDATE scenario_versions SET content_hash = :h",
            h=scenario_hash(tiny(scale=9)),
        )
        breaks = history.verify_audit(by=admin)
        assert [b.message for b in breaks] == [
            "scenario 'tiny' version 1: its content is not the content that was approved"
        ]

        _sqlite_tamper(history, "UPDATE runs SET plan_hash = :h", h="0" * 64)
        with pytest.raises(TamperedRecord, match="run 1: its stored plan"):
            history.get_run(run.id)

        target = history.audit_trail(by=admin, action="version.approved")[0].id
        _sqlite_tamper(history, "UPDATE audit_events SET actor = 'an' WHERE id = :i", i=target)
        breaks = history.verify_audit(by=admin)
        assert any(b.record_id == target and "changed after" in b.message for b in breaks)
        _sqlite_tamper(history, "DELETE FROM audit_events WHERE id = :i", i=target - 1)
        breaks = history.verify_audit(by=admin)
        assert any(b.record_id == target and "removed or inserted" in b.message for b in breaks)


def test_the_migration_hashes_the_audit_chain_as_the_live_code_does() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "migration_0002", migrate.MIGRATIONS / "versions" / "0002_accounts.py"
    )
    assert spec is not None and spec.loader is not None
    migration_0002 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration_0002)
    moment = datetime(2026, 12, 4, 10, 30, 0, 123456, tzinfo=UTC)
    fields = ("0" * 64, moment, "lan", "version.approved", "x v1", '{"a":1}')
    assert migration_0002.chain_hash(*fields) == chain_hash(*fields)


# -- PostgreSQL: triggers and two approvers at once ----------------------------------------------
@pytest.mark.slow
def test_postgres_refuses_update_and_delete_of_approved_versions_and_audit_records(
    pg_url: str,
) -> None:
    with Store.open(pg_url) as history:
        signed = people(history)
        history.save_scenario(tiny(), user=signed["planner"])
        history.save_scenario(tiny(scale=2), user=signed["planner"])
        history.submit("tiny", 1, user=signed["approver"])
        history.approve("tiny", 1, user=signed["approver2"])
        refused = (
            "UPDATE scenario_versions SET content = '{}' WHERE version = 1",
            "DELETE FROM scenario_versions WHERE version = 1",
            "UPDATE audit_events SET actor = 'someone'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "UPDATE approval_events SET done_by = 'someone'",
            "DELETE FROM approval_events",
        )
        for statement in refused:
            with pytest.raises(DBAPIError, match="refused"), history.engine.begin() as c:
                c.execute(text(statement))
        with history.engine.begin() as connection:  # a draft may still change (no product path)
            connection.execute(text("UPDATE scenario_versions SET note = 'n' WHERE version = 2"))
        assert history.verify_audit(by=signed["admin"]) == []


@pytest.mark.slow
def test_postgres_two_approvers_at_once_exactly_one_wins_and_both_are_audited(
    pg_url: str,
) -> None:
    with Store.open(pg_url) as history:
        signed = people(history)
        history.add_user("approver3", PASSWORD, {Role.APPROVER}, by=signed["admin"])
        third = history.authenticate("approver3", PASSWORD)
        history.save_scenario(tiny(), user=signed["planner"])
        history.submit("tiny", 1, user=signed["approver"])
        barrier = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def approve(who: Identity) -> None:
            barrier.wait()
            try:
                outcomes[who.name] = history.approve("tiny", 1, user=who)
            except ApprovalError as error:
                outcomes[who.name] = error

        threads = [
            threading.Thread(target=approve, args=(w,)) for w in (signed["approver2"], third)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        errors = [o for o in outcomes.values() if isinstance(o, ApprovalError)]
        wins = [o for o in outcomes.values() if not isinstance(o, ApprovalError)]
        assert len(wins) == 1 and len(errors) == 1
        assert "already approved" in str(errors[0])
        trail = history.audit_trail(by=signed["admin"], target="tiny v1", limit=None)
        assert [r.action for r in trail].count("version.approved") == 1
        refusals = [r for r in trail if r.action == "refused"]
        assert len(refusals) == 1 and refusals[0].detail["action"] == "approve versions"
        assert {
            refusals[0].actor,
            next(r.actor for r in trail if r.action == "version.approved"),
        } == {
            "approver2",
            "approver3",
        }


# -- passwords never leak -----------------------------------------------------------------------
@pytest.mark.slow
def test_the_password_is_in_no_table_and_no_message(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with Store.open(path) as history:
        signed = people(history)
        for _ in range(6):
            with pytest.raises(SignInFailed) as failure:
                history.authenticate("planner", PASSWORD + "x")
            assert PASSWORD not in str(failure.value)
        history.reset_password("planner", "Another-Secret-77", by=signed["admin"])
        with pytest.raises(AccountError) as weak:
            history.reset_password("planner", "planner-is-me-1", by=signed["admin"])
        assert "planner-is-me-1" not in str(weak.value)
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("history.db*")).decode("latin-1")
    for secret in (PASSWORD, PASSWORD + "x", "Another-Secret-77"):
        assert secret not in stored
    assert "$argon2id$" in stored


# -- upgrading a store written by the previous version ------------------------------------------
WRITE_OLD_STORE = """
import sys
from models.io import load_package
from models.scenario import Budgets, Horizon, Scenario
from store import Store
url, example = sys.argv[1], sys.argv[2]
data = load_package(example)
with Store.open(url) as h:
    for scale in (1.0, 1.5):
        s = Scenario(name="old", horizon=Horizon(start=2026, end=2027), budgets=Budgets(scale=scale))
        v = h.save_scenario(s, user="lan", note=f"scale {scale}")
        h.run_on_dataset(v, data, user="lan", method="baseline:cheapest_first")
        h.run_on_dataset(v, data, user="minh", method="baseline:closest_first")
    h.submit("old", 1, user="lan")
    h.approve("old", 1, user="minh", note="ok")
    h.submit("old", 2, user="lan")
    h.reject("old", 2, user="minh", note="no")
print(h.count_runs())
"""
TABLES = ("datasets", "scenarios", "scenario_versions", "approval_events", "runs")
PREVIOUS_VERSION = "595d3fe"
"""The last commit before user accounts (store schema 0001): the program whose store upgrades.
A fixed commit of main's history, so the test means the same on every clone and branch."""


@pytest.mark.slow
def test_a_store_written_by_the_previous_version_upgrades_without_losing_a_record(
    url: str, tmp_path: Path
) -> None:
    commit = PREVIOUS_VERSION
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "archive", commit], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    assert not (old / "store" / "accounts.py").exists(), "the archive is the old program"
    written = subprocess.run(
        [sys.executable, "-c", WRITE_OLD_STORE, url, str(EXAMPLE)],
        cwd=old,
        env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert written.returncode == 0, written.stderr
    from store.engine import make_engine

    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) == "0001"
        with engine.connect() as connection:
            before = {
                t: connection.execute(text(f"SELECT * FROM {t} ORDER BY id")).all() for t in TABLES
            }
    finally:
        engine.dispose()
    with Store.open(url) as history:
        with history.engine.connect() as connection:
            after = {
                t: connection.execute(text(f"SELECT * FROM {t} ORDER BY id")).all() for t in TABLES
            }
        for table in TABLES:
            width = len(before[table][0])
            assert [row[:width] for row in after[table]] == before[table], table
        assert sum(len(rows) for rows in before.values()) == 1 + 1 + 2 + 4 + 4
        for run in history.list_runs(limit=None):
            assert history.get_run(run.id).plan.scenario == "old"  # plan hashes were filled
        assert history.scenario_version("old", 1).state == "approved"
        copied = list(reversed(history.audit_trail(limit=None)))
        assert [r.action for r in copied] == [
            "version.submitted",
            "version.approved",
            "version.submitted",
            "version.rejected",
        ]
        assert [r.actor for r in copied] == ["lan", "minh", "lan", "minh"]
        assert history.verify_audit() == []
        history.save_scenario(tiny("after-upgrade"), user="lan")
        assert history.verify_audit() == []
