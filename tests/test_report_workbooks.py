"""Workbooks finance can sign: every table re-added, no formula from data, Vietnamese throughout,
a pooled plan's money by period, and where each workbook came from.

Every workbook the reports write (plan, comparison, frontier; Vietnamese and English; annual and
pooled; recorded and not) is opened twice with openpyxl: once as written (formulas) and once as a
reader that does not recalculate sees it (``data_only=True``, the values stored with the
formulas). Each SUM is re-added from the cells it covers; each table's money is whole million VND;
an item's sources add up to its cost; the sheets agree with one another.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from application.workflow import baseline_rules, run_baselines
from models.io import load_package
from models.scenario import Scenario
from optimizer.frontier import budget_frontier
from optimizer.solve import solve
from reports import write_plan_report
from reports.formulas import FORMULA_TRIGGERS
from reports.labels import label
from reports.provenance import Provenance
from reports.report import write_comparison_report, write_frontier_report
from reports.rounding import _bounds, _round_table, whole_payments
from store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
SUM = re.compile(r"=SUM\(([A-Z]+[0-9]+:[A-Z]+[0-9]+)\)")
EVIL_COMMUNE = '=HYPERLINK("https://evil.example/","Xã Nà Pát")'
EVIL_ITEM = "+SUM(1,2) Cứng hóa đường"
EVIL_DISTRICT = "@Huyện Mẫu"
POLICIES = {
    "budgets": {
        "scale_by_source": {"central": 0.9},
        "overrides": [{"source": "poverty_programme", "year": 2026, "amount": 2500}],
    },
    "policies": {
        "min_shares": [{"name": "uu_tien_dbkk", "share": 0.1, "group": "extremely_difficult"}],
        "commune_cap": 20000,
        "maintain_standard": True,
    },
}


def scenario(**overrides) -> Scenario:
    base = {"name": "Ví dụ 2026-2027", "horizon": {"start": 2026, "end": 2027}}
    return Scenario.model_validate(base | overrides)


@pytest.fixture(scope="module")
def written(example, tmp_path_factory) -> dict[str, Path]:
    """Every kind of workbook, by name → path."""
    root = tmp_path_factory.mktemp("workbooks")
    annual = scenario(**POLICIES)
    pooled = scenario(name="Ví dụ gộp", horizon={"start": 2026, "end": 2027, "single_period": True})
    plans = {"annual": solve(example, annual), "pooled": solve(example, pooled)}
    baselines = run_baselines(example, annual, list(baseline_rules()))
    paths = {}
    for lang in ("vi", "en"):
        folder = folder_in(root, f"plan_{lang}")
        write_plan_report(folder, plans["annual"], example, annual, baselines, lang)
        paths[f"plan_{lang}"] = folder / "plan.xlsx"
        folder = folder_in(root, f"pooled_{lang}")
        write_plan_report(folder, plans["pooled"], example, pooled, None, lang)
        paths[f"pooled_{lang}"] = folder / "plan.xlsx"
        for method, plan in baselines.items():
            folder = folder_in(root, f"{method.replace(':', '_')}_{lang}")
            write_plan_report(folder, plan, example, annual, None, lang)
            paths[folder.name] = folder / "plan.xlsx"
        folder = folder_in(root, f"compare_{lang}")
        compared = {"A": plans["annual"], **{m: p for m, p in baselines.items()}}
        write_comparison_report(folder, compared, example, {}, lang)
        paths[f"compare_{lang}"] = folder / "comparison.xlsx"
    frontier = budget_frontier(example, annual, 2, 0.5, 1.0)
    write_frontier_report(folder_in(root, "frontier"), frontier, example, "vi")
    paths["frontier_vi"] = root / "frontier" / "frontier.xlsx"
    return paths


def folder_in(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    return folder


def number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# -- amounts add up ------------------------------------------------------------------------------
def test_every_total_is_a_sum_of_the_cells_above_with_its_value_stored(written) -> None:
    """Re-add every table of every workbook: each totals row holds SUM formulas over the cells
    above it, and the value a reader without recalculation sees is that sum, exactly."""
    for name, path in written.items():
        formulas, values = load_workbook(path), load_workbook(path, data_only=True)
        totals_rows = 0
        for ws in formulas:
            shown = values[ws.title]
            total_words = {label("total", "vi"), label("total", "en")}
            for row in ws.iter_rows():
                if row[0].value not in total_words:
                    continue
                totals_rows += 1
                cells = [c for c in row[1:] if c.value is not None]
                assert cells, f"{name} {ws.title}!{row[0].coordinate}: a totals row with nothing"
                for cell in cells:
                    found = SUM.fullmatch(str(cell.value))
                    assert found, f"{name} {ws.title}!{cell.coordinate} is {cell.value!r}"
                    min_col, min_row, max_col, max_row = range_boundaries(found.group(1))
                    assert (min_col, max_col, max_row) == (cell.column, cell.column, cell.row - 1)
                    above = [shown.cell(r, cell.column).value for r in range(min_row, max_row + 1)]
                    assert all(v is None or number(v) for v in above), (name, ws.title, above)
                    assert shown[cell.coordinate].value == sum(v for v in above if number(v)), (
                        f"{name} {ws.title}!{cell.coordinate}"
                    )
        if not name.startswith("frontier"):  # points on a curve: nothing to add up
            assert totals_rows, f"{name}: no totals row at all"


def _table(ws, total: str) -> tuple[list[str], list[tuple]]:
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), [r for r in rows[1:] if r[0] != total]


def test_money_is_whole_and_every_sheet_agrees(written, example) -> None:
    """Money in whole million VND; an item's sources add up to its cost; communes, items,
    payments, districts, sources by year and the summary all show the same total."""
    for lang in ("vi", "en"):
        wb = load_workbook(written[f"plan_{lang}"], data_only=True)
        total = label("total", lang)

        def sheet(key: str, wb=wb, lang=lang):
            return wb[label(f"sheet.{key}", lang)[:31]]

        header, items = _table(sheet("items"), total)
        cost = header.index(label("col.cost", lang))
        names = {s.name_vi if lang == "vi" else s.name_en for s in example.sources}
        paid = [j for j, h in enumerate(header) if h in names]
        assert len(paid) == len(example.sources)
        for row in items:
            assert all(isinstance(row[j], int) for j in [cost, *paid]), row
            assert sum(row[j] for j in paid) == row[cost], row[0]
        money = sum(r[cost] for r in items)

        header, communes = _table(sheet("communes"), total)
        column = header.index(label("col.money", lang))
        assert all(isinstance(r[column], int) for r in communes)
        assert sum(r[column] for r in communes) == money

        header, payments = _table(sheet("payments"), total)
        column = header.index(label("col.amount", lang))
        assert all(isinstance(r[column], int) for r in payments)
        assert sum(r[column] for r in payments) == money

        header, districts = _table(sheet("districts"), total)
        assert sum(r[header.index(label("col.money", lang))] for r in districts) == money

        header, years = _table(sheet("sources_years"), total)
        at = {key: header.index(label(f"col.{key}", lang)) for key in ("budget", "spent")}
        at |= {key: header.index(label(f"col.{key}", lang)) for key in ("carried_in", "left")}
        for row in years:
            assert row[at["left"]] == row[at["budget"]] + row[at["carried_in"]] - row[at["spent"]]
        assert sum(r[at["spent"]] for r in years) == money

        summary = {r[0]: r for r in wb.worksheets[0].iter_rows(values_only=True) if r[0]}
        assert summary[label("kpi.money_total", lang)][2] == money


def test_the_whole_payments_keep_each_item_and_each_source_year(example) -> None:
    """The integer table: each row the plan's amount rounded down or up, each item its cost,
    each source and year its money rounded, the plan its total."""
    plan = solve(example, scenario(**POLICIES))
    exact, whole = plan.payments_table(), whole_payments(plan)
    assert whole["amount"].dtype == np.int64
    assert ((whole["amount"] - exact["amount"]).abs() < 1).all()
    cost = {i.investment: i.cost for i in plan.items}
    for item, amount in whole.groupby("item")["amount"].sum().items():
        assert amount == round(cost[item])
    got = whole.groupby(["source", "year"])["amount"].sum()
    for key, amount in exact.groupby(["source", "year"])["amount"].sum().items():
        assert abs(got[key] - amount) < 1
    assert whole["amount"].sum() == round(exact["amount"].sum())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),  # item
            st.integers(0, 3),  # commune
            st.integers(0, 3),  # source and year
            st.floats(0, 5000, allow_nan=False).map(lambda v: round(v, 4)),
        ),
        min_size=1,
        max_size=40,
        unique_by=lambda row: row[:3],
    )
)
def test_rounding_keeps_every_sum_within_a_unit(rows) -> None:
    """Any table: whole numbers within one of each value, every sum of every family rounded
    down or up, the total rounded — the largest remainder method over rows and sums."""
    frame = pd.DataFrame(rows, columns=["item", "commune", "source_year", "amount"])
    groups = {
        "total": np.zeros(len(frame), dtype=np.int64),
        "item": frame.groupby("item").ngroup().to_numpy(),
        "item_commune": frame.groupby(["item", "commune"]).ngroup().to_numpy(),
        "source_year": frame.groupby("source_year").ngroup().to_numpy(),
    }
    amounts = frame["amount"].to_numpy(dtype=float)
    whole = _round_table(amounts, groups)
    assert (np.abs(whole - amounts) < 1).all()
    for labels in groups.values():
        for exact, got in zip(
            np.bincount(labels, weights=amounts), np.bincount(labels, weights=whole), strict=True
        ):
            low, high = _bounds(exact)
            assert low <= got <= high
    assert whole.sum() == round(amounts.sum())


# -- no formula from data --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """The example package with a commune, an item and a district named like formulas."""
    folder = tmp_path_factory.mktemp("evil") / "package"
    shutil.copytree(EXAMPLE, folder)
    communes = pd.read_csv(folder / "communes.csv", dtype=str, keep_default_na=False)
    communes.loc[communes["code"] == "90001", "name"] = EVIL_COMMUNE
    communes["district"] = EVIL_DISTRICT
    communes.to_csv(folder / "communes.csv", index=False)
    items = pd.read_csv(folder / "investments.csv", dtype=str, keep_default_na=False)
    items["name"] = EVIL_ITEM + " " + items["code"]
    items.to_csv(folder / "investments.csv", index=False)
    dataset = load_package(folder)
    assert dataset.commune_by_code["90001"].name == EVIL_COMMUNE
    chosen = scenario(name="-1+1 Ví dụ")
    plan = solve(dataset, chosen)
    assert plan.feasible and plan.items
    out = folder_in(folder.parent, "report")
    write_plan_report(out, plan, dataset, chosen, None, "vi")
    cut = solve(dataset, scenario(name="=cắt", budgets={"scale": 0.5}))
    write_comparison_report(out, {"=A": plan, "B": cut}, dataset, {"=A": "=a.yaml"}, "vi")
    write_frontier_report(out, budget_frontier(dataset, chosen, 2, 0.5, 1.0), dataset, "vi")
    return out


def test_text_from_data_is_never_a_formula_in_any_workbook(evil) -> None:
    """The only formulas are the reports' own SUMs; the names stay text, shown as written."""
    for path in sorted(evil.glob("*.xlsx")):
        wb = load_workbook(path)
        for ws in wb:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        assert SUM.fullmatch(str(cell.value)), f"{path.name} {ws.title}!{cell}"
    plan = load_workbook(evil / "plan.xlsx")
    for sheet in ("Xã", "Danh mục đầu tư", "Chi tiết chi"):
        texts = [c for row in plan[sheet].iter_rows() for c in row if isinstance(c.value, str)]
        evil_cells = [c for c in texts if EVIL_COMMUNE in c.value]
        assert evil_cells, sheet
        assert all(c.data_type == "s" for c in evil_cells)
        exact = [c for c in evil_cells if c.value == EVIL_COMMUNE]
        assert all(c.quotePrefix for c in exact), sheet
    items = [c for row in plan["Danh mục đầu tư"].iter_rows() for c in row]
    assert any(isinstance(c.value, str) and c.value.startswith(EVIL_ITEM) for c in items)
    values = load_workbook(evil / "plan.xlsx", data_only=True)
    names = [r[1] for r in values["Xã"].iter_rows(min_row=2, values_only=True)]
    assert EVIL_COMMUNE in names


def test_text_from_data_starts_with_an_apostrophe_in_every_csv(evil) -> None:
    """OWASP's rule: a CSV field a spreadsheet would read as a formula starts with ' — numbers,
    negative ones too, stay numbers."""
    seen = set()
    for path in sorted(evil.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                for field in row:
                    if field.startswith(FORMULA_TRIGGERS):
                        float(field)  # only a (negative) number may start so
                    seen.add(field)
    assert "'" + EVIL_COMMUNE in seen
    assert "'" + EVIL_DISTRICT in seen
    assert any(f.startswith("'" + EVIL_ITEM) for f in seen)
    assert any(f.startswith("-") for f in seen), "a negative number stays a number"


# -- laid out to read ------------------------------------------------------------------------------
HEADER_GREEN, HEADER_WHITE = "001F5C3A", "00FFFFFF"


def _is_header(cell) -> bool:
    font = cell.font
    return cell.fill.fgColor.rgb == HEADER_GREEN and font.color is not None and font.b


def _shown_length(value: object) -> int:
    """Characters of a value as a column is fitted to it: numbers as 1,234 (or 0.25)."""
    if number(value):
        return len(f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}")
    return len(str(value))


def test_every_column_is_as_wide_as_its_longest_value(written) -> None:
    """Each column of every sheet is as wide as its longest value plus 2, between 8 and 60
    (numbers counted as shown, 1,234; a header counts at most 30 characters, it wraps); a
    first sheet's labels are 40 wide and its values at least 18 (a plan's summary) or 30 (where
    plans came from); a comparison's first column at least 12."""
    for name, path in written.items():
        for index, ws in enumerate(load_workbook(path)):
            longest: dict[str, int] = {}
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    length = _shown_length(cell.value)
                    if _is_header(cell):
                        length = min(length, 30)
                    longest[cell.column_letter] = max(longest.get(cell.column_letter, 0), length)
            assert longest, f"{name} {ws.title}: an empty sheet"
            for letter, length in longest.items():
                expected = max(8, min(60, length + 2))
                if index == 0 and letter == "A":
                    expected = 40
                elif index == 0 and letter == "B":
                    expected = max(expected, 18 if name.startswith(("plan", "pooled")) else 30)
                elif name.startswith("compare") and letter == "A":
                    expected = max(expected, 12)
                width = ws.column_dimensions[letter].width
                assert width == expected, f"{name} {ws.title}!{letter}: {width} != {expected}"


def test_every_table_sheet_has_a_frozen_filtered_header_row(written) -> None:
    """Every sheet after the first holds one table: its first row is the header (bold white on
    green), frozen, with a filter over the header and the data rows (not the totals row)."""
    totals = {label("total", "vi"), label("total", "en")}
    for name, path in written.items():
        for ws in load_workbook(path).worksheets[1:]:
            where = f"{name} {ws.title}"
            header = list(ws[1])
            assert all(_is_header(c) and c.font.color.rgb == HEADER_WHITE for c in header), where
            assert all(c.alignment.wrap_text for c in header), where
            assert not any(_is_header(c) for row in ws.iter_rows(min_row=2) for c in row), where
            assert ws.freeze_panes in {"A2", "C2"}, where
            first = [c.value for c in ws["A"]]
            last = (
                first.index(next(v for v in first if v in totals)) if totals & set(first) else None
            )
            last_row = last if last is not None else ws.max_row
            assert ws.auto_filter.ref == f"A1:{header[-1].column_letter}{last_row}", where


# -- Vietnamese throughout ---------------------------------------------------------------------
ENGLISH = {
    *("yes", "no", "none", "pooled", "annual", "optimal", "feasible", "infeasible", "Total"),
    *("to", "by", "of", "min_share", "co_financing", "maintain_standard", "commune_cap"),
    *("communes_at_standard", "no_commune_below_floor", "infrastructure", "livelihood"),
    *("heuristic", "extremely_difficult", "border", "Scale", "Summary", "not", "recorded"),
}


def test_the_vietnamese_workbook_has_no_english_and_no_codes(written, example) -> None:
    """Every text the Vietnamese workbooks write (not names from the data) is Vietnamese: no
    English word, no source, criterion or category code, no 15.00 for an integer."""
    codes = {s.code for s in example.sources} | set(example.criteria.codes)
    codes |= {i.category for i in example.investments} | {"highs", "cbc"}
    data = {c.name for c in example.communes} | {i.name for i in example.investments}
    data |= {c.district for c in example.communes} | {c.code for c in example.communes}
    data |= {i.code for i in example.investments} | {example.info.name}
    for name in ("plan_vi", "pooled_vi", "compare_vi", "frontier_vi"):
        wb = load_workbook(written[name])
        for ws in wb:
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if number(value) and cell.number_format.endswith(".00"):
                        assert not float(value).is_integer(), f"{name} {ws.title}!{cell}"
                    if not isinstance(value, str) or value in data or value.startswith("="):
                        continue
                    words = set(re.findall(r"\w+", value))
                    assert not words & (ENGLISH | codes), f"{name} {ws.title}!{cell}: {value}"


def test_settings_name_sources_and_policies_in_the_language(written) -> None:
    summary = load_workbook(written["plan_vi"], data_only=True).worksheets[0]
    settings = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r[0]}
    assert settings[label("setting.scale_by_source", "vi")] == "Ngân sách trung ương × 0,9"
    assert (
        settings[label("setting.overrides", "vi")] == "Vốn CTMTQG giảm nghèo bền vững 2026: 2.500"
    )
    policies = settings[label("setting.policies", "vi")]
    assert "Tỷ lệ vốn tối thiểu «uu_tien_dbkk»: 10% cho xã đặc biệt khó khăn" in policies
    assert "Vốn tối đa mỗi xã: 20.000 triệu đồng" in policies


# -- a pooled plan's money is the period's ------------------------------------------------------
def test_a_pooled_plan_shows_its_money_for_the_period(written) -> None:
    for lang, word in (("vi", "Giai đoạn"), ("en", "Period")):
        wb = load_workbook(written[f"pooled_{lang}"], data_only=True)
        for key in ("sources_years", "payments"):
            ws = wb[label(f"sheet.{key}", lang)[:31]]
            header = [c.value for c in ws[1]]
            assert word in header and label("col.year", lang) not in header
            column = header.index(word)
            rows = ws.iter_rows(min_row=2, values_only=True)
            periods = {r[column] for r in rows if r[0] != label("total", lang)}
            assert periods - {None} == {"2026-2027"}
    annual = load_workbook(written["plan_vi"], data_only=True)["Chi tiết chi"]
    assert annual["A1"].value == "Năm"


# -- where each workbook came from ------------------------------------------------------------
def _first_sheet(path: Path) -> dict[str, object]:
    ws = load_workbook(path, data_only=True).worksheets[0]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}


def test_a_workbook_written_without_the_history_says_so(written) -> None:
    for name in ("plan_vi", "compare_vi", "frontier_vi"):
        ws = load_workbook(written[name], data_only=True).worksheets[0]
        lines = [(r[0], r[1]) for r in ws.iter_rows(values_only=True) if r[0]]

        def values(key: str, lines=lines) -> list[object]:
            return [v for k, v in lines if k == label(key, "vi")]

        assert set(values("origin.run")) == {label("value.not_recorded", "vi")}, name
        assert label("origin.unrecorded", "vi") in dict(lines), name
        assert str(values("origin.solver")[0]).startswith("highspy "), name
        assert all(re.search(r"\([0-9a-f]{12}\)$", str(v)) for v in values("origin.dataset"))


def test_a_recorded_run_is_named_on_the_first_sheet(example, tmp_path: Path) -> None:
    chosen = scenario()
    plan = solve(example, chosen)
    with Store.open(tmp_path / "history.sqlite") as history:
        version = history.save_scenario(chosen, user="lan")
        run = history.record_run(version.id, example, plan, user="lan")
    write_plan_report(
        folder_in(tmp_path, "out"), plan, example, chosen, provenance=Provenance.of_run(run)
    )
    first = _first_sheet(tmp_path / "out" / "plan.xlsx")
    assert first[label("origin.scenario", "vi")] == f"{chosen.name} v1"
    assert first[label("origin.approval", "vi")] == label("approval.draft", "vi")
    assert first[label("origin.run", "vi")] == str(run.id)
    assert first[label("origin.dataset", "vi")].endswith(f"({run.dataset_hash[:12]})")
    assert first[label("origin.user", "vi")] == "lan"
    assert label("origin.unrecorded", "vi") not in first


def test_a_comparison_of_pooled_plans_shows_money_by_period(example, tmp_path: Path) -> None:
    from reports.report import pooled_period

    horizon = {"start": 2026, "end": 2027, "single_period": True}
    pooled = [
        scenario(name=n, horizon=horizon, budgets={"scale": s}) for n, s in (("a", 1), ("b", 0.5))
    ]
    assert pooled_period(pooled) == "2026-2027"
    assert pooled_period([scenario(), *pooled]) is None  # one annual plan: years stay years
    plans = {s.name: solve(example, s) for s in pooled}
    write_comparison_report(tmp_path, plans, example, {}, "vi", period=pooled_period(pooled))
    ws = load_workbook(tmp_path / "comparison.xlsx", data_only=True)["Vốn theo năm"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Giai đoạn"
    assert [r[0] for r in rows[1:]] == ["2026-2027", "Tổng cộng"]
    assert rows[-1][1:3] == tuple(round(p.kpis.money_total) for p in plans.values())
