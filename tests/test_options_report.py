"""The options table, the options workbook and the one-page brief (read back with pypdf), and
``ntm options`` end to end on the example package."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from builders import dataset
from openpyxl import load_workbook
from pypdf import PdfReader

from models.scenario import Scenario
from optimizer.alternatives import generate_options
from reports.brief import Brief, recorded_version, version_line, write_brief
from reports.options import (
    differing_communes,
    money_by_group,
    options_table,
    trade_sentences,
)
from reports.options_report import write_options_report
from store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
NAMES = {
    "10001": "Xã Chiềng Mai",
    "10002": "Xã Mường Chiên",
    "10003": "Xã Nậm Lầu",
    "10004": "Xã Phiêng Khoài",
}
"""Names whose diacritics the PDF must keep (ề, ư, ậ, ầ, ê, ả …)."""


@pytest.fixture(scope="module")
def case():
    """Four communes, items of 10 tỷ each (10,000 million VND), a budget for two; Nậm Lầu is a
    border commune in another district."""
    communes = {c: {"name": n, "district": "Huyện Mai Sơn"} for c, n in NAMES.items()}
    communes["10003"] |= {"border": True, "district": "Huyện Sốp Cộp"}
    ds = dataset(
        {c: {"transport": 1} for c in NAMES},
        [
            {"code": f"I{c}", "cost": 10_000 + 1_000 * n, "effects": {(c, "transport"): 1}}
            for n, c in enumerate(NAMES)
        ],
        {("central", 2026): 25_000},
        communes=communes,
    )
    sc = Scenario.model_validate({"name": "Phương án thử", "horizon": {"start": 2026, "end": 2026}})
    return ds, sc, generate_options(ds, sc, k=2)


def test_options_table_has_the_figures_of_every_plan(case):
    ds, _sc, options = case
    plans = options.plans()
    table = options_table(ds, plans, {o.label: o.ask for o in options.options})
    assert list(table["option"]) == list(plans)
    for (_, row), plan in zip(table.iterrows(), plans.values(), strict=True):
        assert row["at_standard"] == plan.kpis.at_standard_after
        assert row["money_total"] == pytest.approx(plan.kpis.money_total)
        assert row["paid_central"] == pytest.approx(plan.kpis.money_by_source["central"])
        by_group = sum(v for k, v in row.items() if str(k).startswith("paid_in:"))
        assert by_group == pytest.approx(plan.kpis.money_total)
    optimum = options.optimum.plan.at_standard_codes()
    for (_, row), plan in zip(table.iterrows(), plans.values(), strict=True):
        assert row["gained_vs_optimum"] == len(plan.at_standard_codes() - optimum)
    money = money_by_group(ds, plans)
    assert set(money["group"]) == {"Huyện Mai Sơn", "Huyện Sốp Cộp"}


def test_communes_that_differ_are_exactly_those_not_common_to_all(case):
    ds, _sc, options = case
    plans = options.plans()
    table = differing_communes(ds, plans)
    sets = [p.at_standard_codes() for p in plans.values()]
    assert set(table["commune"]) == set().union(*sets) - set.intersection(*map(set, sets))
    for _, row in table.iterrows():
        for label, plan in plans.items():
            assert row[label] == (row["commune"] in plan.at_standard_codes())


def test_trade_sentences_name_the_swapped_communes_and_the_money(case):
    ds, _sc, options = case
    plans = options.plans()
    optimum = options.optimum.plan
    for lang in ("vi", "en"):
        texts = trade_sentences(ds, plans, lang)
        assert texts["optimum"] == ""
        for option in options.alternatives:
            text = texts[option.label]
            for code in option.plan.at_standard_codes() - optimum.at_standard_codes():
                assert NAMES[code] in text
            money = f"{option.plan.kpis.money_total / 1000:,.1f}"
            assert (
                money.replace(",", "X").replace(".", ",").replace("X", ".")
                if lang == "vi"
                else money
            ) in text
    assert "thay cho" in trade_sentences(ds, plans, "vi")["option_1"]
    assert "instead of" in trade_sentences(ds, plans, "en")["option_1"]


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_brief_is_one_page_with_the_figures_and_intact_vietnamese(case, tmp_path, lang):
    ds, sc, options = case
    plans = options.plans()
    brief = Brief(
        dataset=ds,
        plans=plans,
        scenario_lines=(version_line(sc, None, lang),),
        asks={o.label: o.ask for o in options.options},
        day=date(2026, 3, 9),
    )
    pages, text = _pdf_text(write_brief(tmp_path / "brief.pdf", brief, lang))
    assert pages == 1
    assert "Phương án thử" in text  # the scenario name, diacritics intact
    assert "09/03/2026" in text
    for plan in plans.values():
        money = f"{plan.kpis.money_total / 1000:,.1f}"
        assert (money.replace(".", ",") if lang == "vi" else money) in text
    differing = differing_communes(ds, plans)
    for name in differing["name"]:
        assert name in text
    if lang == "vi":
        for words in (
            "Các phương án phân bổ vốn nông thôn mới",
            "Xã đạt chuẩn nông thôn mới",
            "Tối ưu",
            "Phương án 1",
            "chưa lưu trong lịch sử",
            "Huyện Sốp Cộp",
        ):
            assert words in text
    else:
        for words in ("Options for the NTM budget allocation", "Option 1", "not recorded"):
            assert words in text


def test_brief_refuses_one_plan_or_five(case, tmp_path):
    ds, _sc, options = case
    plan = options.optimum.plan
    for plans in ({"a": plan}, {str(n): plan for n in range(5)}):
        with pytest.raises(ValueError, match="2 to 4"):
            write_brief(tmp_path / "x.pdf", Brief(ds, plans, ("x",)), "vi")


def test_the_version_and_approval_come_from_the_history(case, tmp_path):
    _ds, sc, _options = case
    with Store.open(tmp_path / "history.db") as history:
        assert recorded_version(history, sc) is None
        history.save_scenario(sc, user="lan")
        history.submit(sc.name, 1, user="lan")
        history.approve(sc.name, 1, user="minh")
        assert recorded_version(history, sc) == (1, "approved")
        changed = sc.model_copy(update={"description": "sửa"})
        assert recorded_version(history, changed) is None
    assert version_line(sc, (1, "approved"), "vi").endswith("phiên bản 1, đã phê duyệt")
    assert version_line(sc, (1, "approved"), "en").endswith("version 1, approved")


def test_options_report_writes_workbook_brief_and_json(case, tmp_path):
    ds, sc, options = case
    paths = write_options_report(tmp_path, options, ds, sc, (2, "submitted"), "vi")
    assert {p.name for p in paths} == {"options.xlsx", "options.pdf", "options.json"}
    wb = load_workbook(tmp_path / "options.xlsx")
    assert wb.sheetnames[0] == "Phương án"
    ws = wb["Phương án"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Phương án", "Định hướng", "Xã đạt chuẩn"]
    assert ws.cell(row=2, column=1).value == "Tối ưu"
    assert ws.cell(row=2, column=3).value == options.optimum.plan.kpis.at_standard_after
    document = json.loads((tmp_path / "options.json").read_text(encoding="utf-8"))
    assert list(document["plans"]) == [o.label for o in options.options]
    _pages, text = _pdf_text(tmp_path / "options.pdf")
    assert "phiên bản 2, đã trình duyệt" in text


@pytest.mark.slow
def test_ntm_options_end_to_end(tmp_path):
    scenario = tmp_path / "base.yaml"
    scenario.write_text(
        f"name: Ví dụ 2026-2027\ndataset: {EXAMPLE}\nhorizon: {{start: 2026, end: 2027}}\n"
        "solver: {time_limit: 60}\n",
        encoding="utf-8",
    )
    ntm = Path(sys.executable).with_name("ntm")
    out = tmp_path / "out"
    result = subprocess.run(
        [str(ntm), "options", str(scenario), "--k", "2", "--tolerance", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Tối ưu" in result.stdout
    assert {p.name for p in out.iterdir()} == {"options.xlsx", "options.pdf", "options.json"}
    bad = subprocess.run(
        [str(ntm), "options", str(scenario), "--k", "0"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "--k" in bad.stderr
    no_districts = subprocess.run(
        [
            str(ntm),
            "options",
            str(ROOT / "scenarios" / "son_la_2026_2030.yaml"),
            "--lean",
            "districts",
            "--out",
            str(tmp_path / "refused"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert no_districts.returncode == 1
    assert "has no districts" in no_districts.stderr
    assert not (tmp_path / "refused").exists()
    negative = subprocess.run(
        [str(ntm), "options", str(scenario), "--tolerance", "-1"], capture_output=True, text=True
    )
    assert negative.returncode == 2 and "--tolerance" in negative.stderr


@pytest.mark.slow
def test_ntm_compare_brief_holds_both_scenarios(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(
        f"name: Ví dụ 2026-2027\ndataset: {EXAMPLE}\nhorizon: {{start: 2026, end: 2027}}\n"
        "solver: {time_limit: 60}\n",
        encoding="utf-8",
    )
    cut = tmp_path / "cut.yaml"
    cut.write_text("extends: base.yaml\nname: Ví dụ, cắt 30% ngân sách\nbudgets: {scale: 0.7}\n")
    ntm = Path(sys.executable).with_name("ntm")
    out = tmp_path / "out"
    result = subprocess.run(
        [str(ntm), "compare", str(base), str(cut), "--brief", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    pages, text = _pdf_text(out / "brief.pdf")
    assert pages == 1
    assert "So sánh các phương án phân bổ vốn nông thôn mới" in text
    assert "Ví dụ 2026-2027" in text and "Ví dụ, cắt 30% ngân sách" in text
    assert "«base»" in text  # the trade sentences measure against the first scenario
