"""``ntm user``, ``ntm audit`` and signing in on the command line (in this process, through
``cli.main.main``; one subprocess checks the installed script). Every output is grepped for
the passwords."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_cli import BASE, ntm

from cli import main as cli
from store import Store

ADMIN_PASSWORD = "Admin-Secret-2026"
USER_PASSWORD = "Staff-Secret-2026"
SECRETS = (ADMIN_PASSWORD, USER_PASSWORD, "wrong-password-1")
NAME = "Ví dụ 2026-2027"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    monkeypatch.setenv("NTM_DATABASE_URL", url)
    for variable in ("NTM_USER", "NTM_PASSWORD", "NTM_NEW_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    return url


class Ntm:
    """``ntm`` in this process; every output kept so that the test can grep them all."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys, self.monkeypatch = capsys, monkeypatch
        self.outputs: list[str] = []

    def __call__(
        self, *args: str, user: str | None = None, password: str | None = None, stdin: str = ""
    ) -> tuple[int, str, str]:
        for variable, value in (("NTM_USER", user), ("NTM_PASSWORD", password)):
            if value is None:
                self.monkeypatch.delenv(variable, raising=False)
            else:
                self.monkeypatch.setenv(variable, value)
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main(list(args))
        out, err = self.capsys.readouterr()
        self.outputs += [out, err]
        return code, out, err


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Ntm:
    return Ntm(capsys, monkeypatch)


def admin(run: Ntm, *args: str, stdin: str = "") -> tuple[int, str, str]:
    return run(*args, user="an", password=ADMIN_PASSWORD, stdin=stdin)


@pytest.mark.slow
def test_first_admin_then_users_and_roles_are_managed_by_admins_only(
    run: Ntm, database: str, tmp_path: Path
) -> None:
    code, out, _ = run("user", "list")
    assert code == 0 and "no user yet" in out
    code, _, err = run("user", "add", "lan", "--role", "planner", "--password-stdin",
                       stdin=USER_PASSWORD + "\n")  # fmt: skip
    assert code == 1 and "first user of a store must be an admin" in err
    code, _, err = run("user", "add", "an", "--role", "admin", "--password-stdin", stdin="short\n")
    assert code == 1 and "at least 10 characters" in err and "short" not in err.split(":")[-1]
    code, out, _ = run("user", "add", "an", "--role", "admin", "--password-stdin",
                       stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
    assert code == 0 and "first admin an added (admin)" in out
    # from now on, signing in is needed
    code, _, err = run("user", "add", "lan", "--role", "planner", "--password-stdin",
                       stdin=USER_PASSWORD + "\n")  # fmt: skip
    assert code == 1 and "sign in" in err and "NTM_PASSWORD" in err
    code, _, err = run("user", "list", user="an", password="wrong-password-1")
    assert code == 1 and "sign-in refused: wrong user name or password" in err
    code, out, _ = admin(run, "user", "add", "lan", "--role", "planner", "--role", "finance",
                         "--password-stdin", stdin=USER_PASSWORD + "\n")  # fmt: skip
    assert code == 0 and "user lan added (finance, planner)" in out
    assert (
        admin(run, "user", "grant", "lan", "approver")[1]
        .strip()
        .endswith("approver, finance, planner")
    )
    assert admin(run, "user", "revoke", "lan", "finance")[0] == 0
    code, _, err = admin(run, "user", "grant", "lan", "wizard")
    assert code == 1 and "unknown role 'wizard'" in err
    assert "lan is disabled" in admin(run, "user", "disable", "lan")[1]
    code, _, err = run("user", "list", user="lan", password=USER_PASSWORD)
    assert code == 1 and "disabled" in err
    assert "lan is enabled" in admin(run, "user", "enable", "lan")[1]
    code, _, err = run("user", "list", user="lan", password=USER_PASSWORD)
    assert code == 1 and "needs the role admin" in err
    code, out, _ = admin(run, "user", "list")
    assert code == 0 and "lan" in out and "approver planner" in out
    code, out, _ = admin(run, "user", "reset-password", "lan", "--password-stdin",
                         stdin="Brand-New-Secret-9\n")  # fmt: skip
    assert code == 0 and "new password set" in out
    code, out, _ = admin(run, "audit", "--action", "user.")
    assert code == 0
    for action in ("user.added", "user.role_granted", "user.role_revoked", "user.disabled",
                   "user.enabled", "user.password_reset"):  # fmt: skip
        assert action in out
    code, out, _ = admin(run, "audit", "--action", "sign_in.failed")
    assert "wrong password" in out
    assert admin(run, "audit", "--by", "lan", "--action", "refused")[1].count("refused") == 1
    for output in run.outputs:
        for secret in (*SECRETS, "Brand-New-Secret-9"):
            assert secret not in output


@pytest.mark.slow
def test_approval_steps_sign_in_and_follow_the_roles(
    run: Ntm, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with Store.open(database) as history:
        from store.accounts import Role

        history.add_user("an", ADMIN_PASSWORD, {Role.ADMIN})
        a = history.authenticate("an", ADMIN_PASSWORD)
        for name, role in (("lan", Role.PLANNER), ("minh", Role.APPROVER),
                           ("hoa", Role.APPROVER), ("vy", Role.VIEWER)):  # fmt: skip
            history.add_user(name, USER_PASSWORD, {role}, by=a)

    def as_(name: str, *args: str) -> tuple[int, str, str]:
        return run(*args, "--lang", "en", user=name, password=USER_PASSWORD)

    code, _, err = as_("vy", "scenario", "save", "base.yaml")
    assert code == 1 and "vy may not save scenarios" in err
    code, out, _ = as_("lan", "scenario", "save", "base.yaml")
    assert code == 0
    code, _, err = run("scenario", "submit", NAME, "1")  # no sign-in at all
    assert code == 1 and "sign in" in err
    code, _, err = as_("lan", "scenario", "submit", NAME, "1")
    assert code == 1 and "needs the role approver" in err
    assert as_("minh", "scenario", "submit", NAME, "1")[0] == 0
    code, _, err = as_("minh", "scenario", "approve", NAME, "1")
    assert code == 1 and "four-eyes" in err
    code, out, _ = as_("hoa", "scenario", "approve", NAME, "1")
    assert code == 0 and "(hoa)" in out
    # a run is recorded under the signed-in user, not a name typed on the command line
    code, out, _ = as_("lan", "baseline", "base.yaml", "--rule", "cheapest_first",
                       "--out", "b", "--user", "lan")  # fmt: skip
    assert code == 0, out
    code, _, err = as_("vy", "baseline", "base.yaml", "--rule", "cheapest_first", "--out", "c")
    assert code == 1 and "may not run and record plans" in err
    with Store.open(database) as history:
        assert [r.run_by for r in history.list_runs()] == ["lan"]
    code, out, _ = admin(run, "audit", "--target", NAME)
    assert code == 0
    for action in ("version.saved", "version.submitted", "version.approved", "refused"):
        assert action in out
    code, out, _ = admin(run, "audit", "--verify")
    assert code == 0 and "intact" in out
    for output in run.outputs:
        for secret in SECRETS:
            assert secret not in output


def test_audit_verify_names_the_changed_record_and_fails(run: Ntm, database: str) -> None:
    with Store.open(database) as history:
        from sqlalchemy import text

        history.save_scenario(
            __import__("models.scenario", fromlist=["Scenario"]).Scenario(
                name="x", horizon={"start": 2026, "end": 2027}
            ),
            user="lan",
        )
        with history.engine.begin() as connection:
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
            connection.execute(text("UPDATE audit_events SET actor = 'mallory'"))
    code, out, err = run("audit", "--verify")
    assert code == 1
    assert "audit record 1 (version.saved, x v1) was changed after it was written" in out
    assert "1 change(s) made outside ntm-budget" in err


def test_the_installed_script_refuses_a_step_without_a_terminal_or_password(
    database: str, tmp_path: Path
) -> None:
    with Store.open(database) as history:
        from store.accounts import Role

        history.add_user("an", ADMIN_PASSWORD, {Role.ADMIN})
    result = ntm("scenario", "approve", NAME, "1", cwd=tmp_path)
    assert result.returncode == 1
    assert "sign in with --user NAME" in result.stderr


# -- the role matrix on the command line -------------------------------------------------------
CLI_EXPECTED = {
    "save": {"planner", "finance"},
    "record run": {"planner", "finance"},
    "submit": {"approver"},
    "approve": {"approver"},
    "reject": {"approver"},
    "add user": {"admin"},
    "audit": {"admin"},
}
"""Who may do what (by hand, from the issue), each action tried by every role."""


@pytest.mark.slow
def test_every_command_for_every_role(
    run: Ntm, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.accounts import Role

    monkeypatch.chdir(tmp_path)
    with Store.open(database) as history:
        history.add_user("an", ADMIN_PASSWORD, {Role.ADMIN})
        admin_id = history.authenticate("an", ADMIN_PASSWORD)
        for role in ("viewer", "planner", "finance", "approver", "approver2"):
            history.add_user(role, USER_PASSWORD, {Role(role.rstrip("2"))}, by=admin_id)
    counter = iter(range(100))

    def as_role(role: str, *args: str, stdin: str = "") -> int:
        name, password = ("an", ADMIN_PASSWORD) if role == "admin" else (role, USER_PASSWORD)
        return run(*args, user=name, password=password, stdin=stdin)[0]

    def submitted() -> str:
        """A new version, saved by the planner and submitted by the second approver."""
        number = next(counter)
        (tmp_path / f"s{number}.yaml").write_text(
            BASE.replace(NAME, f"{NAME} {number}"), encoding="utf-8"
        )
        assert as_role("planner", "scenario", "save", f"s{number}.yaml") == 0
        assert as_role("approver2", "scenario", "submit", f"{NAME} {number}", "1") == 0
        return f"{NAME} {number}"

    def draft() -> str:
        number = next(counter)
        (tmp_path / f"d{number}.yaml").write_text(
            BASE.replace(NAME, f"{NAME} d{number}"), encoding="utf-8"
        )
        assert as_role("planner", "scenario", "save", f"d{number}.yaml") == 0
        return f"{NAME} d{number}"

    actions = {
        "save": lambda r: as_role(r, "scenario", "save", "base.yaml"),
        "record run": lambda r: as_role(
            r, "baseline", "base.yaml", "--rule", "cheapest_first", "--out", f"o{next(counter)}"
        ),
        "submit": lambda r: as_role(r, "scenario", "submit", draft(), "1"),
        "approve": lambda r: as_role(r, "scenario", "approve", submitted(), "1"),
        "reject": lambda r: as_role(r, "scenario", "reject", submitted(), "1"),
        "add user": lambda r: as_role(
            r,
            "user",
            "add",
            f"new{next(counter)}",
            "--role",
            "viewer",
            "--password-stdin",
            stdin=USER_PASSWORD + "\n",
        ),
        "audit": lambda r: as_role(r, "audit"),
    }
    for action, call in actions.items():
        for role in ("viewer", "planner", "finance", "approver", "admin"):
            code = call(role)
            assert code == (0 if role in CLI_EXPECTED[action] else 1), (action, role)
