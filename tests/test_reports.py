"""Reports of a plan: tidy tables, the Excel workbook, CSV/JSON, charts and all-or-nothing output.

Every test solves the hand-checkable example package (data/example, 6 communes, budgets 2026-2027)
once and checks that each report says exactly what the Plan says: totals, communes at standard,
money per source and year. Money in million VND.
"""

from __future__ import annotations

import gc
import json
import string
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from application.workflow import baseline_rules, run_baselines
from models.scenario import Scenario, Targets
from optimizer.plan import Plan
from optimizer.solve import solve
from reports import PLAN_REPORT_FILES, staged_output, write_plan_report
from reports.excel import MONEY_FORMAT
from reports.labels import LABELS, label
from reports.output import check_destination
from reports.report import (
    collector_paused,
    write_comparison_report,
    write_frontier_report,
)
from reports.tables import (
    PAID_PREFIX,
    baseline_table,
    communes_table,
    items_table,
    plan_tables,
    sources_years_table,
)

MONEY = 1e-6
"""Tolerance for money (million VND) computed in different orders."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def example_scenario(**overrides) -> Scenario:
    base = {"name": "Ví dụ 2026-2027", "horizon": {"start": 2026, "end": 2027}}
    return Scenario.model_validate(base | overrides)


@pytest.fixture(scope="module")
def solved_example(example):
    """data/example (conftest's ``example``), its scenario and its plan."""
    dataset = example
    scenario = example_scenario()
    return dataset, scenario, solve(dataset, scenario)


@pytest.fixture(scope="module")
def baselines(solved_example):
    dataset, scenario, _ = solved_example
    return run_baselines(dataset, scenario, list(baseline_rules()))


def header_index(ws, row: int = 1) -> dict[str, int]:
    """Header text → 1-based column of a sheet's header row."""
    return {cell.value: cell.column for cell in ws[row] if cell.value is not None}


def data_rows(ws, total_label: str) -> list[tuple]:
    """The rows below the header, without the totals row."""
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    return [r for r in rows if r[0] != total_label]


def totals_row(ws, total_label: str) -> tuple:
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == total_label]
    assert len(rows) == 1, f"{ws.title}: one totals row expected"
    return rows[0]


# -- tables ------------------------------------------------------------------------------------------
def test_communes_table_carries_the_plan_outcomes(solved_example) -> None:
    dataset, _, plan = solved_example
    table = communes_table(plan, dataset)
    assert len(table) == len(dataset.communes)
    counted = table[table["counted"]]
    assert counted["at_standard_after"].sum() == plan.kpis.at_standard_after
    assert counted["at_standard_before"].sum() == plan.kpis.at_standard_before
    assert table["money"].sum() == pytest.approx(plan.kpis.money_total, abs=MONEY)
    missing = table.set_index("code")["missing_after"]
    for outcome in plan.communes:
        assert (missing[outcome.commune] == "") == outcome.at_standard_after


def test_items_table_pays_each_item_in_full_and_splits_by_source(solved_example) -> None:
    dataset, _, plan = solved_example
    table = items_table(plan, dataset)
    assert set(table["code"]) == plan.funded_codes()
    paid = table[[c for c in table.columns if c.startswith(PAID_PREFIX)]]
    assert paid.sum(axis=1).to_numpy() == pytest.approx(table["cost"].to_numpy(), abs=MONEY)
    for source, amount in plan.kpis.money_by_source.items():
        assert paid[PAID_PREFIX + source].sum() == pytest.approx(amount, abs=MONEY)


def test_sources_years_spent_matches_payments_and_left_carries_over(solved_example) -> None:
    """With carry-over, what a source leaves at the end of 2026 is carried into 2027, so its 2027
    'left' is its two-year budget minus all it spent."""
    dataset, scenario, plan = solved_example
    table = sources_years_table(plan, dataset, scenario)
    assert table["budget"].sum() == pytest.approx(plan.kpis.budget_total, abs=MONEY)
    by_year = table.groupby("year")["spent"].sum()
    for year, amount in plan.kpis.money_by_year.items():
        assert by_year[year] == pytest.approx(amount, abs=MONEY)
    last = table[table["year"] == 2027].set_index("source")
    budget = table.groupby("source")["budget"].sum()
    spent = table.groupby("source")["spent"].sum()
    for source in budget.index:
        assert last.loc[source, "left"] == pytest.approx(budget[source] - spent[source], abs=MONEY)
        assert last.loc[source, "left"] >= -MONEY


def test_without_carry_over_left_is_the_year_alone(solved_example) -> None:
    dataset, _, _ = solved_example
    scenario = example_scenario(budgets={"carry_over": False})
    plan = solve(dataset, scenario)
    table = sources_years_table(plan, dataset, scenario)
    assert (table["carried_in"] == 0).all()
    assert table["left"].to_numpy() == pytest.approx(
        (table["budget"] - table["spent"]).to_numpy(), abs=MONEY
    )
    assert (table["left"] >= -MONEY).all()


def test_baseline_table_puts_the_optimizer_first_with_differences(
    solved_example, baselines
) -> None:
    _, _, plan = solved_example
    table = baseline_table({**baselines, "optimizer": plan})
    assert table["method"].iloc[0] == "optimizer"
    assert table["vs_optimizer_at_standard"].iloc[0] == 0
    for _, row in table.iloc[1:].iterrows():
        assert row["vs_optimizer_at_standard"] <= 0  # the optimizer is never beaten
        assert (
            row["at_standard_after"] - plan.kpis.at_standard_after
            == (row["vs_optimizer_at_standard"])
        )


# -- the workbook -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbook_en(solved_example, baselines, tmp_path_factory):
    dataset, scenario, plan = solved_example
    folder = tmp_path_factory.mktemp("report_en")
    write_plan_report(folder, plan, dataset, scenario, baselines, lang="en")
    return folder, load_workbook(folder / "plan.xlsx", data_only=True)


def test_workbook_has_every_sheet_in_english(workbook_en) -> None:
    _, wb = workbook_en
    assert wb.sheetnames == [
        "Summary",
        "Communes",
        "Investments funded",
        "Sources by year",
        "By district",
        "Baseline comparison",
        "Payments",
    ]


def test_workbook_summary_shows_kpis_before_and_after(workbook_en, solved_example) -> None:
    _, wb = workbook_en
    plan = solved_example[2]
    rows = {r[0]: r for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert rows[label("kpi.at_standard", "en")][1:3] == (
        plan.kpis.at_standard_before,
        plan.kpis.at_standard_after,
    )
    floor_row = rows[label("kpi.at_floor", "en", floor=plan.kpis.floor)]
    assert floor_row[1:3] == (plan.kpis.at_floor_before, plan.kpis.at_floor_after)
    assert rows[label("kpi.money_total", "en")][2] == pytest.approx(plan.kpis.money_total)
    assert rows[label("setting.status", "en")][1] == "optimal"
    objectives = [r[0] for r in wb["Summary"].iter_rows(values_only=True)]
    assert label("objective.least_cost", "en") in objectives  # one row per solved level


def test_workbook_communes_agree_with_the_plan(workbook_en, solved_example) -> None:
    _, wb = workbook_en
    plan = solved_example[2]
    ws = wb["Communes"]
    column = header_index(ws)
    total = label("total", "en")
    rows = data_rows(ws, total)
    assert len(rows) == len(plan.communes)
    at_standard = column[label("col.at_standard_after", "en")] - 1
    counted = column[label("col.counted", "en")] - 1
    assert sum(1 for r in rows if r[at_standard] == "yes" and r[counted] == "yes") == (
        plan.kpis.at_standard_after
    )
    money = column[label("col.money", "en")]
    assert totals_row(ws, total)[money - 1] == pytest.approx(plan.kpis.money_total, abs=MONEY)
    by_code = {r[0]: r[money - 1] for r in rows}
    for outcome in plan.communes:
        assert by_code[outcome.commune] == pytest.approx(outcome.money, abs=MONEY)
    assert ws.freeze_panes == "C2"
    assert ws.cell(row=2, column=money).number_format == MONEY_FORMAT


def test_workbook_names_criteria_where_csv_keeps_their_codes(workbook_en, solved_example) -> None:
    """Leadership reads the workbook: "Transport, Health", not "transport;health"."""
    folder, wb = workbook_en
    dataset, _, plan = solved_example
    names = {c.code: c.name_en for c in dataset.criteria.criteria}
    missing: dict[str, list[str]] = {}
    for outcome in plan.criteria:
        if not outcome.met_after:
            missing.setdefault(outcome.commune, []).append(names[outcome.criterion])
    ws = wb["Communes"]
    column = header_index(ws)[label("col.missing_after", "en")] - 1
    shown = {r[0]: r[column] for r in data_rows(ws, label("total", "en"))}
    assert missing  # the example plan leaves some criteria unmet
    assert {c: v for c, v in shown.items() if v} == {c: ", ".join(v) for c, v in missing.items()}
    items = wb["Investments funded"]
    column = header_index(items)[label("col.criteria", "en")] - 1
    assert all(r[column] and ";" not in r[column] for r in data_rows(items, label("total", "en")))
    table = pd.read_csv(folder / "communes.csv", dtype=str).set_index("code")["missing_after"]
    assert set(table.dropna().str.split(";").explode()) <= set(names)


def test_workbook_investments_split_by_source_add_up(workbook_en, solved_example) -> None:
    _, wb = workbook_en
    dataset, _, plan = solved_example
    ws = wb["Investments funded"]
    column = header_index(ws)
    total = totals_row(ws, label("total", "en"))
    cost = column[label("col.cost", "en")] - 1
    assert total[cost] == pytest.approx(sum(i.cost for i in plan.items), abs=MONEY)
    for source in dataset.sources:
        amount = plan.kpis.money_by_source.get(source.code, 0.0)
        assert total[column[source.name_en] - 1] == pytest.approx(amount, abs=MONEY)
    codes = {r[0] for r in data_rows(ws, label("total", "en"))}
    assert codes == plan.funded_codes()


def test_workbook_sources_by_year_match_budget_and_payments(workbook_en, solved_example) -> None:
    _, wb = workbook_en
    dataset, _, plan = solved_example
    ws = wb["Sources by year"]
    column = header_index(ws)
    total = label("total", "en")
    spent = column[label("col.spent", "en")] - 1
    year = column[label("col.year", "en")] - 1
    source = column[label("col.source_name", "en")] - 1
    code = {s.name_en: s.code for s in dataset.sources}
    paid: dict[tuple[str, int], float] = {}
    for p in plan.payments:
        paid[(p.source, p.year)] = paid.get((p.source, p.year), 0.0) + p.amount
    rows = data_rows(ws, total)
    assert len(rows) == len(dataset.sources) * 2
    for row in rows:
        amount = paid.get((code[row[source]], row[year]), 0.0)
        assert abs(row[spent] - amount) < 1
    totals = totals_row(ws, total)
    assert totals[column[label("col.budget", "en")] - 1] == pytest.approx(plan.kpis.budget_total)
    assert totals[spent] == pytest.approx(plan.kpis.money_total, abs=MONEY)


def test_workbook_baseline_comparison_lists_every_rule(workbook_en, baselines) -> None:
    _, wb = workbook_en
    rows = data_rows(wb["Baseline comparison"], label("total", "en"))
    assert [r[0] for r in rows] == [
        label("method.optimizer", "en"),
        *(label(f"method.{p.method}", "en") for p in baselines.values()),
    ]


def test_csv_and_json_hold_the_same_tables(workbook_en, solved_example) -> None:
    folder, _ = workbook_en
    dataset, scenario, plan = solved_example
    document = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    assert Plan.model_validate(document["plan"]) == plan
    tables = plan_tables(plan, dataset, scenario)
    for name, table in tables.items():
        csv = pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig", dtype={"code": str})
        assert list(csv.columns) == list(table.columns), name
        assert len(csv) == len(table) == len(document["tables"][name]), name
    communes = pd.read_csv(folder / "communes.csv", encoding="utf-8-sig", dtype={"code": str})
    assert communes["money"].sum() == pytest.approx(plan.kpis.money_total, abs=MONEY)
    assert (folder / "money_by_district.png").read_bytes().startswith(PNG_SIGNATURE)


def test_vietnamese_is_the_default_language(solved_example, tmp_path: Path) -> None:
    dataset, scenario, plan = solved_example
    write_plan_report(tmp_path, plan, dataset, scenario)
    wb = load_workbook(tmp_path / "plan.xlsx")
    assert wb.sheetnames[:3] == ["Tổng hợp", "Xã", "Danh mục đầu tư"]
    assert wb["Xã"]["A1"].value == "Mã"
    assert totals_row(wb["Xã"], "Tổng cộng")


def test_a_report_leaves_the_cycle_collector_as_it_found_it(solved_example, tmp_path) -> None:
    """The collector is paused while a report is written (reports.report.collector_paused),
    then running again, after a failure too; paused by a caller, it stays paused."""
    dataset, scenario, plan = solved_example
    seen = []
    with collector_paused():
        seen.append(gc.isenabled())
    write_plan_report(tmp_path, plan, dataset, scenario)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(OSError):
        write_plan_report(tmp_path / "missing", plan, dataset, scenario)
    assert gc.isenabled()
    gc.disable()
    try:
        write_plan_report(tmp_path, plan, dataset, scenario)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_infeasible_plan_gets_a_diagnosis_sheet(solved_example, tmp_path: Path) -> None:
    """All six communes cost 35,660 but the two years hold 28,000: the target cannot hold."""
    dataset, _, _ = solved_example
    scenario = example_scenario(targets={"communes_at_standard": 6})
    plan = solve(dataset, scenario)
    assert not plan.feasible
    write_plan_report(tmp_path, plan, dataset, scenario, lang="en")
    wb = load_workbook(tmp_path / "plan.xlsx")
    assert wb.sheetnames[1] == "Diagnosis"
    rows = list(wb["Diagnosis"].iter_rows(min_row=2, values_only=True))
    assert ("Conflicting policy", "target_communes_at_standard") in [r[:2] for r in rows]
    assert any(r[0] == "Extra money needed" for r in rows)
    assert label("title.infeasible", "en") in [
        r[0] for r in wb["Summary"].iter_rows(values_only=True)
    ]


def test_comparison_report_has_kpis_side_by_side(solved_example, tmp_path: Path) -> None:
    dataset, _, plan = solved_example
    cut = solve(dataset, example_scenario(name="cut", budgets={"scale": 0.5}))
    paths, tables = write_comparison_report(
        tmp_path, {"base": plan, "cut": cut}, dataset, {"base": "a.yaml", "cut": "b.yaml"}, "en"
    )
    assert {p.name for p in paths} >= {"comparison.xlsx", "comparison_kpis.csv"}
    kpis = tables["compare_kpis"].set_index("indicator")
    assert kpis.loc["at_standard", "base"] == plan.kpis.at_standard_after
    assert kpis.loc["at_standard", "delta_cut"] == (
        cut.kpis.at_standard_after - plan.kpis.at_standard_after
    )
    assert kpis.loc["budget_total", "delta_cut"] == pytest.approx(-plan.kpis.budget_total / 2)
    wb = load_workbook(tmp_path / "comparison.xlsx")
    assert wb.sheetnames[:2] == ["Origin", "KPIs compared"]
    assert [c.value for c in wb["KPIs compared"][1]] == [
        "Indicator",
        "Before",
        "base",
        "cut",
        "cut − base",
    ]


def test_frontier_report_writes_table_chart_and_triage(solved_example, tmp_path: Path) -> None:
    from optimizer.frontier import budget_frontier

    dataset, scenario, _ = solved_example
    frontier = budget_frontier(dataset, scenario, 3, 0.0, 1.5)
    paths, table = write_frontier_report(tmp_path, frontier, dataset, "en")
    assert len(table) == 3
    assert (tmp_path / "frontier.png").read_bytes().startswith(PNG_SIGNATURE)
    csv = pd.read_csv(tmp_path / "frontier.csv")
    assert list(csv["communes_at_standard"]) == [p.communes_at_standard for p in frontier.points]
    triage = pd.read_csv(tmp_path / "frontier_triage.csv", dtype={"commune": str})
    assert "name" in triage.columns
    assert {p.name for p in paths} >= {"frontier.csv", "frontier.png", "frontier.xlsx"}


# -- labels ---------------------------------------------------------------------------------------------
def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = LABELS[key]
    assert set(entry) == {"vi", "en"}
    assert entry["vi"] and entry["en"]
    assert _placeholders(entry["vi"]) == _placeholders(entry["en"])


# -- all-or-nothing output -------------------------------------------------------------------------------
def test_staged_output_leaves_nothing_when_writing_fails(tmp_path: Path) -> None:
    destination = tmp_path / "out" / "run"
    with pytest.raises(RuntimeError), staged_output(destination) as folder:
        (folder / "plan.xlsx").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert not destination.exists()
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


def test_staged_output_replaces_files_and_keeps_others(tmp_path: Path) -> None:
    destination = tmp_path / "run"
    destination.mkdir()
    (destination / "notes.txt").write_text("mine", encoding="utf-8")
    (destination / "plan.json").write_text("old", encoding="utf-8")
    with staged_output(destination) as folder:
        (folder / "plan.json").write_text("new", encoding="utf-8")
        (folder / "sub").mkdir()
        (folder / "sub" / "a.csv").write_text("x", encoding="utf-8")
    assert (destination / "plan.json").read_text(encoding="utf-8") == "new"
    assert (destination / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (destination / "sub" / "a.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no staging folder left


def test_a_report_removes_the_report_files_of_an_earlier_run_it_does_not_write(
    tmp_path: Path, solved_example
) -> None:
    """An infeasible run left diagnosis.csv; the feasible rerun into the same folder must not leave
    it beside its plan (nor baselines.csv of a run with baselines). Other files stay."""
    dataset, scenario, plan = solved_example
    destination = tmp_path / "run"
    infeasible = solve(dataset, example_scenario(targets=Targets(communes_at_standard=6)))
    assert not infeasible.feasible
    with staged_output(destination, replaces=PLAN_REPORT_FILES) as folder:
        write_plan_report(folder, infeasible, dataset, scenario)
    (destination / "notes.txt").write_text("mine", encoding="utf-8")
    (destination / "sub").mkdir()
    (destination / "sub" / "diagnosis.csv").write_text("not this run's folder", encoding="utf-8")
    assert (destination / "diagnosis.csv").exists()
    with staged_output(destination, replaces=PLAN_REPORT_FILES) as folder:
        written = write_plan_report(folder, plan, dataset, scenario)
    assert sorted(p.name for p in destination.iterdir() if p.is_file()) == sorted(
        [p.name for p in written] + ["notes.txt"]
    )
    assert (destination / "sub" / "diagnosis.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no backup folder left


def test_a_file_in_the_way_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        check_destination(tmp_path / "taken" / "run")


def test_workbook_gives_the_solver_note_in_its_language(
    solved_example, baselines, tmp_path
) -> None:
    """A baseline's note ('Closest to standard first') was English in the Vietnamese workbook."""
    dataset, scenario, _ = solved_example
    plan = baselines["closest_first"]
    assert plan.message.startswith("Closest to standard first")
    write_plan_report(tmp_path, plan, dataset, scenario, lang="vi")
    summary = load_workbook(tmp_path / "plan.xlsx").worksheets[0]
    rows = {r[0]: r for r in summary.iter_rows(values_only=True) if r[0]}
    assert rows[label("setting.message", "vi")][1].startswith("Ưu tiên xã gần đạt chuẩn nhất")
