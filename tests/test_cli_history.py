"""The ``ntm`` commands that use the history store, through the installed console script.

Each test has its own SQLite history file (``NTM_DATABASE_URL``) and the example package; what the
commands print is checked against the store read in this process: runs recorded with their full
plan, the dataset stored once, decisions that differ between two runs, a re-run that reproduces
its plan, the approval workflow (and a step it refuses), and a database that cannot be opened.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_cli import BASE, CUT, EXAMPLE, files_in, ntm, read_plan

from cli import main as cli
from store import ApprovalState, ItemChangeKind, Store

NAME = "Ví dụ 2026-2027"
"""The base scenario's name: the store keys its versions by it."""
CUT_NAME = "Ví dụ, cắt 30% ngân sách"


@pytest.fixture
def database(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh history store for this test, named by NTM_DATABASE_URL (outside the work folder)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.db'}"
    monkeypatch.setenv("NTM_DATABASE_URL", url)
    monkeypatch.setenv("NTM_USER", "tester")
    return url


@pytest.fixture
def scenarios(tmp_path: Path, database: str) -> Path:
    """base.yaml and cut.yaml (the same scenario with 70% of the money) on the example package."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "cut.yaml").write_text(CUT, encoding="utf-8")
    return tmp_path


def ok(*args: str, cwd: Path) -> str:
    """Run ``ntm``; it must succeed; its stdout."""
    result = ntm(*args, cwd=cwd)
    assert result.returncode == cli.EXIT_OK, result.stderr
    return result.stdout


def table_rows(stdout: str) -> list[str]:
    """The body of a printed table: the lines after the ``---`` rule."""
    lines = stdout.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    return [line for line in lines[rule + 1 :] if line.strip() and not line.startswith("(")]


# -- recording, history, show, compare --runs ----------------------------------------------------
@pytest.mark.slow
def test_runs_are_recorded_listed_shown_and_compared(scenarios: Path, database: str) -> None:
    first = ok(
        "run", "base.yaml", "--no-baselines", "--out", "r1", "--lang", "en",
        "--user", "lan", "--note", "first look", cwd=scenarios,
    )  # fmt: skip
    assert f"Recorded in the history: run 1 — {NAME} v1 (new version)" in first
    second = ok("run", "base.yaml", "--no-baselines", "--out", "r2", "--lang", "en", cwd=scenarios)
    assert f"Recorded in the history: run 2 — {NAME} v1" in second
    assert "new version" not in second  # same content: the same version
    third = ok("run", "cut.yaml", "--no-baselines", "--out", "r3", "--lang", "en", cwd=scenarios)
    assert f"run 3 — {CUT_NAME} v1 (new version)" in third

    with Store.open(database) as history:
        runs = {r.id: r for r in history.list_runs()}
        assert sorted(runs) == [1, 2, 3]
        assert len(history.list_datasets()) == 1  # the package is stored once, by its hash
        stored = history.get_run(1)
        base_v1 = history.scenario_version(NAME, 1)
        diff = history.diff_runs(1, 3)
    assert (runs[1].run_by, runs[1].note, runs[2].run_by) == ("lan", "first look", "tester")
    assert base_v1.note == "first look"
    assert base_v1.scenario.dataset is None  # the path is the machine's; the run keeps the data
    assert runs[1].scenario_version_id == runs[2].scenario_version_id
    assert stored.plan == read_plan(scenarios / "r1")  # the full plan, as the report wrote it
    assert runs[1].started_at <= runs[1].finished_at

    listed = ok("history", "--lang", "en", cwd=scenarios)
    rows = table_rows(listed)
    assert [row.split()[0] for row in rows] == ["3", "2", "1"]  # newest first
    assert f"{CUT_NAME} v1" in rows[0] and f"{NAME} v1" in rows[2]
    for row in rows:
        assert "draft" in row and "optimizer" in row and "optimal" in row
        assert runs[1].dataset_hash[:12] in row
    assert "2 → 5" in rows[2] and "25.1 billion VND" in rows[2] and rows[2].endswith("lan")
    only_lan = table_rows(ok("history", "--user", "lan", "--scenario", NAME, cwd=scenarios))
    assert [row.split()[0] for row in only_lan] == ["1"]

    shown = ntm("show", "3", "--out", "shown", "--lang", "en", cwd=scenarios)
    assert shown.returncode == 0, shown.stderr
    assert f"Run 3 — {CUT_NAME} v1 (draft)" in shown.stdout
    assert f"hash {runs[3].dataset_hash[:12]}" in shown.stdout
    assert f"solver {runs[3].solver_version}" in shown.stdout
    assert "Timings (s): prepare" in shown.stdout
    assert "Communes at standard: 2 → 4 of 6" in shown.stdout  # the plan summary
    assert "solving" not in shown.stderr  # written from the stored plan
    assert files_in(scenarios / "shown") >= {"plan.xlsx", "plan.json", "payments.csv"}
    assert read_plan(scenarios / "shown") == read_plan(scenarios / "r3")

    compared = ok("compare", "--runs", "1", "3", "--lang", "en", cwd=scenarios)
    assert diff.items, "a 30% cut should change the funded items"
    assert {ItemChangeKind.REMOVED, ItemChangeKind.MOVED} & {i.kind for i in diff.items}
    for item in diff.items:
        assert f"item {item.investment}: {item.kind.value}" in compared
    for commune in diff.communes_lost:
        assert f"commune {commune}: lost" in compared
    kpis = {line.split("  ")[0]: line.split() for line in compared.splitlines()}
    assert kpis["Communes at NTM standard"][-3:] == ["5", "4", "-1"]
    assert "money central 2027:" in compared


@pytest.mark.slow
def test_compare_and_baseline_record_each_run_and_no_record_skips(scenarios: Path, database: str):
    ok("compare", "base.yaml", "cut.yaml", "--out", "cmp", "-q", cwd=scenarios)
    ok("baseline", "base.yaml", "--rule", "formula", "--out", "bl", "-q", cwd=scenarios)
    ok("run", "base.yaml", "--no-baselines", "--no-record", "--out", "nr", "-q", cwd=scenarios)
    with Store.open(database) as history:
        runs = sorted(history.list_runs(), key=lambda r: r.id)
    assert [(r.scenario_name, r.method) for r in runs] == [
        (NAME, "optimizer"),
        (CUT_NAME, "optimizer"),
        (NAME, "baseline:formula"),
    ]
    assert runs[2].status.value == "heuristic"
    assert runs[0].scenario_version_id == runs[2].scenario_version_id


# -- rerun ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_rerun_reproduces_from_stored_data_and_compares_on_new_data(
    tmp_path: Path, database: str
) -> None:
    package = tmp_path / "package"
    shutil.copytree(EXAMPLE, package)
    (tmp_path / "base.yaml").write_text(BASE.replace(str(EXAMPLE), "package"), encoding="utf-8")
    ok("run", "base.yaml", "--no-baselines", "-q", "--out", "r1", cwd=tmp_path)
    shutil.rmtree(package)  # the store keeps the data itself

    again = ok("rerun", "1", "--lang", "en", cwd=tmp_path)
    assert "Reproduced exactly: run 2 has the same items, start years and payments as run 1" in (
        again
    )

    richer = tmp_path / "richer"
    shutil.copytree(EXAMPLE, richer)
    budgets = richer / "budgets.csv"
    text = budgets.read_text(encoding="utf-8")
    assert "central,2026,10000" in text
    budgets.write_text(text.replace("central,2026,10000", "central,2026,16000"), encoding="utf-8")
    on_new = ok("rerun", "1", "--dataset", str(richer), "--lang", "en", cwd=tmp_path)
    with Store.open(database) as history:
        new = history.get_run(3)
        original = history.get_run(1)
        diff = history.diff_runs(1, 3)
        assert len(history.list_datasets()) == 2
    assert new.rerun_of == 1
    assert new.dataset_hash != original.dataset_hash
    assert new.scenario_version_id == original.scenario_version_id
    assert "Budget (million VND)" in on_new and "+6,000" in on_new
    assert not diff.same_decisions
    for line in diff.model_copy(update={"kpis": ()}).lines():
        assert line in on_new


# -- approval ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_approval_workflow_and_an_illegal_step(scenarios: Path, database: str) -> None:
    saved = ok("scenario", "save", "base.yaml", "--user", "lan", "--lang", "en", cwd=scenarios)
    assert f"Saved {NAME} v1 (draft)" in saved

    too_early = ntm("scenario", "approve", NAME, "1", cwd=scenarios)
    assert too_early.returncode == cli.EXIT_INVALID_INPUT
    assert "version 1 is a draft; submit it before it can be approved" in too_early.stderr
    assert too_early.stderr.count("ntm: error:") == 1 and "Traceback" not in too_early.stderr

    steps = [
        ("submit", "lan", "", "draft → submitted"),
        ("reject", "director", "check 2027", "submitted → draft"),
        ("submit", "lan", "", "draft → submitted"),
        ("approve", "director", "ok", "submitted → approved"),
    ]
    for action, user, note, moved in steps:
        out = ok(
            "scenario", action, NAME, "1", "--user", user, "--note", note, "--lang", "en",
            cwd=scenarios,
        )  # fmt: skip
        assert f"{NAME} v1: {moved} ({user})" in out

    frozen = ntm("scenario", "submit", NAME, "1", cwd=scenarios)
    assert frozen.returncode == cli.EXIT_INVALID_INPUT
    assert "is approved and frozen" in frozen.stderr
    assert "Save your changes as a new version" in frozen.stderr
    missing = ntm("scenario", "submit", NAME, "9", cwd=scenarios)
    assert missing.returncode == cli.EXIT_INVALID_INPUT
    assert "has no version 9" in missing.stderr

    versions = ok("scenario", "versions", NAME, "--lang", "en", cwd=scenarios)
    assert table_rows(versions)[0].split()[:2] == ["v1", "approved"]
    assert "v1: submitted → draft (director" in versions and "check 2027" in versions
    with Store.open(database) as history:
        record = history.scenario_version(NAME, 1)
        events = history.approval_history(NAME, 1)
    assert record.state == ApprovalState.APPROVED and record.state_by == "director"
    assert [e.to_state for e in events] == [
        ApprovalState.SUBMITTED,
        ApprovalState.DRAFT,
        ApprovalState.SUBMITTED,
        ApprovalState.APPROVED,
    ]


# -- errors --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_database_that_cannot_be_opened_stops_before_solving(scenarios: Path) -> None:
    before = files_in(scenarios)
    bad = ntm("run", "base.yaml", "--database", "nosuch://host/db", cwd=scenarios)
    assert bad.returncode == cli.EXIT_INVALID_INPUT
    assert "the history store cannot be opened: unsupported database 'nosuch'" in bad.stderr
    assert "database: nosuch://host/db (from --database)" in bad.stderr
    assert "--no-record" in bad.stderr
    assert "solving" not in bad.stderr and "Traceback" not in bad.stderr
    assert files_in(scenarios) == before

    skipped = ntm(
        "--database", "nosuch://host/db", "run", "base.yaml", "--no-record", "--no-baselines",
        "--out", "nr", "-q", cwd=scenarios,
    )  # fmt: skip
    assert skipped.returncode == cli.EXIT_OK, skipped.stderr
    assert "Recorded" not in skipped.stdout and "Đã lưu" not in skipped.stdout

    not_a_database = scenarios / "nr" / "plan.json"
    listed = ntm("history", "--database", str(not_a_database), cwd=scenarios)
    assert listed.returncode == cli.EXIT_INVALID_INPUT
    assert "the history store cannot be opened: file is not a database" in listed.stderr


@pytest.mark.slow
def test_unknown_runs_give_a_clear_message(scenarios: Path) -> None:
    shown = ntm("show", "42", cwd=scenarios)
    assert shown.returncode == cli.EXIT_INVALID_INPUT
    assert "no run 42 in the history store" in shown.stderr and "ntm history" in shown.stderr
    compared = ntm("compare", "--runs", "1", "2", cwd=scenarios)
    assert compared.returncode == cli.EXIT_INVALID_INPUT
    assert "no run 1 in the history store" in compared.stderr
    both = ntm("compare", "base.yaml", "--runs", "1", "2", cwd=scenarios)
    assert both.returncode == cli.EXIT_USAGE
    helped = ok("--help", cwd=scenarios)
    for command in ("history", "show", "rerun", "scenario", "--database"):
        assert command in helped
