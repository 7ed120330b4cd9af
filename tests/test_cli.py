"""The ``ntm`` console script end to end: every command through the installed script, on the
hand-checkable example package with scenarios written into tmp_path, and one slow run on Sơn La.

Each written workbook is opened with openpyxl and its numbers checked against the Plan the run
wrote to plan.json (and, for KPIs, against a solve in this process). Every bad input must give a
clear message on stderr, a non-zero exit and no output files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli import loading as cli_loading
from cli import main as cli
from models.io import load_package
from models.scenario_io import load_scenario
from optimizer.plan import Plan, PlanStatus
from optimizer.solve import SolveTimeout, solve

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
NTM = Path(sys.executable).with_name("ntm")
MONEY = 1e-6
TIMEOUT = 300
"""Seconds any one command may take (the Sơn La run takes about half a minute)."""

BASE = f"""\
# Question: which items bring the most example communes to the standard in 2026-2027?
name: Ví dụ 2026-2027
dataset: {EXAMPLE}
horizon: {{start: 2026, end: 2027}}
solver: {{time_limit: 60}}
"""
CUT = """\
extends: base.yaml
name: Ví dụ, cắt 30% ngân sách
budgets: {scale: 0.7}
"""
ALL_SIX = """\
extends: base.yaml
name: Ví dụ, cả 6 xã đạt chuẩn
targets: {communes_at_standard: 6}
"""


def ntm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script; output captured as text."""
    executable = NTM if NTM.exists() else shutil.which("ntm")
    assert executable, "the ntm console script is not installed (pip install -e .)"
    return subprocess.run(
        [str(executable), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture(autouse=True)
def history_database(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Runs are recorded by default: each test records into its own history store (outside the
    scenario folder, whose files some tests count), never into the user's."""
    path = tmp_path_factory.mktemp("history") / "history.db"
    monkeypatch.setenv("NTM_DATABASE_URL", f"sqlite:///{path}")
    return path


@pytest.fixture
def scenarios(tmp_path: Path) -> Path:
    """base.yaml, cut.yaml (extends base, 70% of the money), all_six.yaml (infeasible target)."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "cut.yaml").write_text(CUT, encoding="utf-8")
    (tmp_path / "all_six.yaml").write_text(ALL_SIX, encoding="utf-8")
    return tmp_path


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def read_plan(folder: Path) -> Plan:
    document = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    return Plan.model_validate(document["plan"])


def sheet_rows(ws) -> list[dict[str, object]]:
    """A table sheet as records keyed by header, without its totals row."""
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:] if r[0] not in {"Total"}]


def totals(ws) -> dict[str, object]:
    rows = list(ws.iter_rows(values_only=True))
    found = [dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[0] == "Total"]
    assert len(found) == 1
    return found[0]


def check_workbook_against_plan(path: Path, plan: Plan, package: Path = EXAMPLE) -> None:
    """Totals, communes at standard and sources × years of an English plan workbook = the Plan
    (money in whole million VND: each figure within one of the plan's, totals exact)."""
    wb = load_workbook(path, data_only=True)
    summary = {r[0]: r for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    k = plan.kpis
    assert summary["Communes at NTM standard"][1:3] == (k.at_standard_before, k.at_standard_after)
    assert summary["Money allocated (million VND)"][2] == pytest.approx(k.money_total, abs=MONEY)

    communes = wb["Communes"]
    rows = sheet_rows(communes)
    standard = [r for r in rows if r["Counted"] == "yes" and r["At standard (after)"] == "yes"]
    assert len(standard) == k.at_standard_after
    assert {r["Code"] for r in standard} == plan.at_standard_codes()
    assert totals(communes)["Money (million VND)"] == pytest.approx(k.money_total, abs=MONEY)

    items = wb["Investments funded"]
    assert {r["Code"] for r in sheet_rows(items)} == plan.funded_codes()
    assert totals(items)["Cost (million VND)"] == pytest.approx(k.money_total, abs=MONEY)

    paid: dict[tuple[str, int], float] = {}
    for p in plan.payments:
        paid[(p.source, p.year)] = paid.get((p.source, p.year), 0.0) + p.amount
    sources = wb["Sources by year"]
    code = {s.name_en: s.code for s in load_package(package).sources}
    for row in sheet_rows(sources):
        # a pooled plan's money is shown for its period ("2021-2025"), paid in its last year
        year = row["Year"] if "Year" in row else int(row["Period"].split("-")[1])
        expected = paid.get((code.get(row["Funding source"], ""), year), 0.0)
        assert abs(row["Allocated"] - expected) < 1
    assert totals(sources)["Budget"] == pytest.approx(k.budget_total, abs=MONEY)
    assert totals(sources)["Allocated"] == pytest.approx(k.money_total, abs=MONEY)


# -- help and usage ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_help_names_every_command_and_the_exit_codes(tmp_path: Path) -> None:
    result = ntm("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("validate", "run", "compare", "frontier", "baseline"):
        assert command in result.stdout
    assert "3 infeasible scenario" in result.stdout
    assert ntm("run", "--help", cwd=tmp_path).returncode == 0


@pytest.mark.slow
def test_usage_errors_exit_2(scenarios: Path) -> None:
    assert ntm(cwd=scenarios).returncode == cli.EXIT_USAGE
    wrong_language = ntm("run", "base.yaml", "--lang", "fr", cwd=scenarios)
    assert wrong_language.returncode == cli.EXIT_USAGE
    assert "invalid choice: 'fr'" in wrong_language.stderr
    assert ntm("baseline", "base.yaml", "--rule", "dearest_first", cwd=scenarios).returncode == 2
    assert not (scenarios / "out").exists()


# -- validate ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_validate_summarises_a_valid_package(tmp_path: Path) -> None:
    result = ntm("validate", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "OK:" in result.stdout
    assert "6 commune-level units (0 wards), 2 at standard" in result.stdout
    assert "budgets 2026-2027: 28,000 million VND" in result.stdout


def broken_package(tmp_path: Path) -> Path:
    """The example with three bad cells: a yes/no that is neither, a negative gap, text money."""
    package = tmp_path / "broken"
    shutil.copytree(EXAMPLE, package)
    status = package / "criteria_status.csv"
    text = status.read_text(encoding="utf-8")
    text = text.replace("90002,transport,false,3,false", "90002,transport,maybe,3,false")
    text = text.replace("90003,irrigation,false,1,false", "90003,irrigation,false,-1,false")
    status.write_text(text, encoding="utf-8")
    budgets = package / "budgets.csv"
    budgets.write_text(
        budgets.read_text(encoding="utf-8").replace("central,2026,10000", "central,2026,lots"),
        encoding="utf-8",
    )
    return package


@pytest.mark.slow
def test_validate_lists_every_problem_with_its_location(tmp_path: Path) -> None:
    result = ntm("validate", str(broken_package(tmp_path)), cwd=tmp_path)
    assert result.returncode == cli.EXIT_INVALID_INPUT
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert "3 problem(s), nothing loaded" in lines[0]
    assert any(line.strip().startswith("criteria_status.csv row 6, column met:") for line in lines)
    assert any(line.strip().startswith("criteria_status.csv row 11, column gap:") for line in lines)
    assert any(line.strip().startswith("budgets.csv row 2, column amount:") for line in lines)
    assert "Traceback" not in result.stderr


# -- run ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_quiet_run_prints_only_the_summary(scenarios: Path) -> None:
    """``-q``: no progress on stderr, and no HiGHS banner on stdout (HiGHS prints one when the
    first solver of a process starts)."""
    result = ntm("-q", "run", "base.yaml", "--out", "quiet", "--no-record", cwd=scenarios)
    assert result.returncode == 0, result.stderr
    assert "HiGHS" not in result.stdout
    assert result.stderr == ""
    assert result.stdout.startswith("Ví dụ 2026-2027")


def test_run_writes_a_workbook_csv_and_json_that_match_the_plan(scenarios: Path) -> None:
    result = ntm("run", "base.yaml", "--out", "report", "--lang", "en", cwd=scenarios)
    assert result.returncode == 0, result.stderr
    folder = scenarios / "report"
    assert files_in(folder) >= {
        "plan.xlsx",
        "plan.json",
        "summary.csv",
        "communes.csv",
        "items.csv",
        "sources_years.csv",
        "payments.csv",
        "baselines.csv",
        "money_by_district.png",
    }
    plan = read_plan(folder)
    assert plan.status == PlanStatus.OPTIMAL
    check_workbook_against_plan(folder / "plan.xlsx", plan)

    in_process = solve(load_package(EXAMPLE), load_scenario(scenarios / "base.yaml"))
    assert plan.kpis.at_standard_after == in_process.kpis.at_standard_after
    assert plan.kpis.money_total == pytest.approx(in_process.kpis.money_total, abs=MONEY)

    out = result.stdout
    k = plan.kpis
    assert f"Communes at standard: {k.at_standard_before} → {k.at_standard_after} of 6" in out
    assert "Status: optimal (highs)" in out
    assert "by source:" in out and "by year:" in out
    assert "level Most communes at standard:" in out
    assert "Formula allocation:" in out  # the baselines, side by side
    assert "solving" in result.stderr  # progress goes to stderr


@pytest.mark.slow
def test_run_defaults_to_vietnamese_and_out_scenario_name(scenarios: Path) -> None:
    result = ntm("run", "base.yaml", "--no-baselines", "-q", cwd=scenarios)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    folder = scenarios / "out" / "base"
    wb = load_workbook(folder / "plan.xlsx")
    assert wb.sheetnames[:4] == ["Tổng hợp", "Xã", "Danh mục đầu tư", "Nguồn vốn theo năm"]
    assert "baselines.csv" not in files_in(folder)
    assert "Xã đạt chuẩn:" in result.stdout
    assert "tỷ đồng" in result.stdout


@pytest.mark.slow
def test_infeasible_scenario_exits_3_with_its_diagnosis(scenarios: Path) -> None:
    """All six communes need 35,660; the two years hold 28,000."""
    result = ntm("run", "all_six.yaml", "--out", "report", "--lang", "en", cwd=scenarios)
    assert result.returncode == cli.EXIT_INFEASIBLE
    assert "Status: infeasible" in result.stdout
    assert "Conflicting: target_communes_at_standard" in result.stdout
    assert "infeasible" in result.stderr
    wb = load_workbook(scenarios / "report" / "plan.xlsx")
    assert "Diagnosis" in wb.sheetnames


# -- compare, frontier, baseline -----------------------------------------------------------------------
@pytest.mark.slow
def test_compare_shows_kpis_side_by_side_and_writes_a_workbook(scenarios: Path) -> None:
    result = ntm("compare", "base.yaml", "cut.yaml", "--out", "cmp", "--lang", "en", cwd=scenarios)
    assert result.returncode == 0, result.stderr
    dataset = load_package(EXAMPLE)
    base = solve(dataset, load_scenario(scenarios / "base.yaml"))
    cut = solve(dataset, load_scenario(scenarios / "cut.yaml"))
    wb = load_workbook(scenarios / "cmp" / "comparison.xlsx")
    kpis = {r["Indicator"]: r for r in sheet_rows(wb["KPIs compared"])}
    row = kpis["Communes at NTM standard"]
    assert (row["base"], row["cut"]) == (base.kpis.at_standard_after, cut.kpis.at_standard_after)
    assert row["cut − base"] == cut.kpis.at_standard_after - base.kpis.at_standard_after
    money = kpis["Money allocated (million VND)"]
    assert money["cut"] == pytest.approx(cut.kpis.money_total, abs=MONEY)
    lost = base.at_standard_codes() - cut.at_standard_codes()
    for code in lost:
        assert code in result.stdout
    assert "Communes at NTM standard" in result.stdout
    assert "[1/2] base" in result.stderr and "[2/2] cut" in result.stderr


@pytest.mark.slow
def test_frontier_writes_table_chart_and_csv(scenarios: Path) -> None:
    result = ntm(
        "frontier", "base.yaml", "--points", "3", "--out", "fr", "--lang", "en", cwd=scenarios
    )
    assert result.returncode == 0, result.stderr
    folder = scenarios / "fr"
    assert files_in(folder) >= {"frontier.csv", "frontier.png", "frontier_triage.csv"}
    assert (folder / "frontier.png").read_bytes()[:4] == b"\x89PNG"
    lines = (folder / "frontier.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 3
    assert "frontier points [" in result.stderr and "] 3/3" in result.stderr  # a progress bar
    assert "Communes at standard" in result.stdout


@pytest.mark.slow
def test_baseline_rules_with_the_optimizer_compared(scenarios: Path) -> None:
    result = ntm(
        "baseline", "base.yaml", "--rule", "all", "--compare", "--out", "bl", "--lang", "en",
        cwd=scenarios,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    folder = scenarios / "bl"
    rules = ("formula", "closest_first", "cheapest_first")
    for rule in rules:
        plan = read_plan(folder / rule)
        assert plan.method == f"baseline:{rule}"
        check_workbook_against_plan(folder / rule / "plan.xlsx", plan)
    wb = load_workbook(folder / "comparison.xlsx")
    at_standard = {r["Indicator"]: r for r in sheet_rows(wb["KPIs compared"])}[
        "Communes at NTM standard"
    ]
    assert all(at_standard["optimizer"] >= at_standard[rule] for rule in rules)


# -- bad input: a clear message, a non-zero exit, no files ---------------------------------------------
BAD_SCENARIOS = {
    "malformed_yaml": ("name: x\nhorizon: [2026\n", "line 3, column 1: malformed YAML"),
    "unknown_commune": (
        "extends: base.yaml\nname: x\npolicies:\n  must_reach: [{name: m, communes: ['99999']}]\n",
        "policies.must_reach[0].communes[0]: unknown commune '99999'",
    ),
    "unknown_source": (
        "extends: base.yaml\nname: x\nbudgets:\n"
        "  overrides: [{source: centrl, year: 2026, amount: 5}]\n",
        "budgets.overrides[0].source: unknown funding source 'centrl'",
    ),
    "unknown_co_financing_source": (
        "extends: base.yaml\nname: x\npolicies:\n"
        "  co_financing: [{name: c, source: province, of_source: central, ratio: 0.1}]\n",
        "policies.co_financing[0].source: unknown funding source 'province'",
    ),
    "unknown_item": (
        "extends: base.yaml\nname: x\npolicies:\n  forced_out: [INV99]\n",
        "policies.forced_out[0]: unknown investment 'INV99'",
    ),
    "negative_budget": (
        "extends: base.yaml\nname: x\nbudgets:\n"
        "  overrides: [{source: central, year: 2026, amount: -5}]\n",
        "budgets.overrides.0.amount: -5 is negative",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BAD_SCENARIOS))
def test_bad_scenario_gives_one_clear_message_and_no_files(scenarios: Path, case: str) -> None:
    text, expected = BAD_SCENARIOS[case]
    (scenarios / "bad.yaml").write_text(text, encoding="utf-8")
    before = files_in(scenarios)
    result = ntm("run", "bad.yaml", cwd=scenarios)
    assert result.returncode == cli.EXIT_INVALID_INPUT
    assert expected in result.stderr
    assert result.stderr.count("ntm: error:") == 1
    assert "Traceback" not in result.stderr
    assert files_in(scenarios) == before  # no out/ folder, no staging folder


@pytest.mark.slow
def test_missing_files_give_a_clear_message(scenarios: Path) -> None:
    missing = ntm("run", "nowhere.yaml", cwd=scenarios)
    assert missing.returncode == cli.EXIT_INVALID_INPUT
    assert "nowhere.yaml: file not found" in missing.stderr
    no_package = ntm("validate", "no_such_package", cwd=scenarios)
    assert no_package.returncode == cli.EXIT_INVALID_INPUT
    assert "does not exist" in no_package.stderr
    assert not (scenarios / "out").exists()


@pytest.mark.slow
def test_malformed_data_package_stops_a_run_before_any_file(scenarios: Path) -> None:
    package = broken_package(scenarios)
    before = files_in(scenarios)
    result = ntm("compare", "base.yaml", "cut.yaml", "--dataset", str(package), cwd=scenarios)
    assert result.returncode == cli.EXIT_INVALID_INPUT
    assert "3 problem(s), nothing loaded" in result.stderr
    assert "budgets.csv row 2, column amount" in result.stderr
    assert files_in(scenarios) == before


def test_a_solve_without_a_plan_in_time_exits_4(
    scenarios: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In process: a time limit that yields no plan is a solver problem, reported in one line."""

    def no_plan(loaded, on_level=None):
        raise SolveTimeout("no plan found within the time limit of 1 s")

    monkeypatch.setattr(cli_loading, "solve_loaded", no_plan)
    monkeypatch.chdir(scenarios)
    code = cli.main(["run", "base.yaml", "-q"])
    assert code == cli.EXIT_SOLVER
    assert "no plan found within the time limit" in capsys.readouterr().err
    assert not (scenarios / "out").exists()


# -- Sơn La ----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_run_the_son_la_base_scenario(tmp_path: Path) -> None:
    """The shipped pooled 2021-2025 scenario on the 188 Sơn La communes, end to end."""
    scenario = ROOT / "scenarios" / "son_la_2021_2025.yaml"
    result = ntm("run", str(scenario), "--out", "son_la", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "son_la"
    plan = read_plan(folder)
    assert plan.status == PlanStatus.OPTIMAL
    assert plan.kpis.communes == 188
    assert plan.kpis.at_standard_after > plan.kpis.at_standard_before
    check_workbook_against_plan(folder / "plan.xlsx", plan, ROOT / "data" / "son_la_2021")
    wb = load_workbook(folder / "plan.xlsx", data_only=True)
    districts = sheet_rows(wb["By district"])
    assert len(districts) == 12
    assert sum(r["Money (million VND)"] for r in districts) == pytest.approx(
        plan.kpis.money_total, abs=1e-3
    )
    assert "Communes at standard:" in result.stdout
