"""Data-package I/O: CSV folders, Excel workbooks and zips, located errors, round trips, template.

Row numbers in messages are the ones a spreadsheet shows: the header is row 1, the first data row is
row 2. In the fixture package, ``communes.csv`` rows 2-4 are 03994, 04000, 03646; in
``criteria_status.csv`` each commune has 19 rows in criteria order (03994 transport is row 3);
``investment_effects.csv`` rows 2-6 are INV0001×03994, INV0001×04000, INV0002, INV0003, INV0004;
``budgets.csv`` rows 2-7 are central 2022-2024, province 2022-2023, vbsp 2022; ``dataset.csv`` rows
2-6 are name, province, base_year, criteria_set, description.
"""

from __future__ import annotations

import csv
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from models import (
    Budget,
    Commune,
    CriteriaSet,
    Criterion,
    CriterionStatus,
    Dataset,
    DatasetInfo,
    Effect,
    FundingSource,
    Investment,
)
from models.criteria import builtin_set_codes
from models.io import DataPackageError, load_package, save_csv, save_excel, write_template
from models.io.excel_files import GUIDE_SHEET
from models.io.tables import ALL_TABLE_NAMES, PROGRESS_TABLE_NAMES, ROW_TABLES
from models.io.writer import UNWRITTEN_WHEN_EMPTY

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "data" / "template.xlsx"
ALL_CSV = ", ".join(f"{t}.csv" for t in ALL_TABLE_NAMES)


# -- helpers -------------------------------------------------------------------------------------
def problems(path: Path) -> list[str]:
    """Load ``path`` expecting failure; every problem as the planner reads it."""
    with pytest.raises(DataPackageError) as caught:
        load_package(path)
    return [str(p) for p in caught.value.problems]


def read_rows(folder: Path, table: str) -> list[list[str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def write_rows(folder: Path, table: str, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with (folder / f"{table}.csv").open("w", encoding=encoding, newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)


def set_cells(folder: Path, table: str, changes: dict[tuple[int, str], str]) -> None:
    """Change cells addressed as a spreadsheet does: (row number with header = 1, column name)."""
    rows = read_rows(folder, table)
    for (row, column), value in changes.items():
        rows[row - 1][rows[0].index(column)] = value
    write_rows(folder, table, rows)


def sheet_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return {s.title: list(s.iter_rows(values_only=True)) for s in workbook.worksheets}
    finally:
        workbook.close()


# -- reading -------------------------------------------------------------------------------------
HAND_WRITTEN = {
    "dataset": "key,value\nname,Gói nhỏ viết tay\nprovince,Sơn La\nbase_year,2021\ncriteria_set,son_la_thu\nsource,\n",
    "criteria": (
        "set_code,code,number,name_vi,name_en,group,kind,unit\n"
        "son_la_thu,transport,1,Giao thông,Transport,II. Hạ tầng kinh tế - xã hội,infrastructure,km\n"
        "son_la_thu,income,2,Thu nhập,Income,III. Kinh tế và tổ chức sản xuất,livelihood,triệu đồng/người\n"
    ),
    "communes": (
        "code,name,region,population,households,poverty_rate,border\n"
        '3994,"Xã Chiềng Mai, huyện Mai Sơn",III,5300,1180,0.2166,có\n'
        "04000,Xã Mường Bú,II,12450,2710,0.0875,không\n"
    ),
    "criteria_status": (
        "commune_code,criterion_code,met,gap,at_risk\n"
        "03994,transport,false,4.5,\n"
        "03994,income,true,0,yes\n"
        "4000,transport,TRUE,,\n"
        "04000,income,false,6.25,no\n"
    ),
    "investments": (
        "code,name,kind,category,cost\n"
        "INV0001,Đường liên xã Chiềng Mai – Mường Bú,infrastructure,road,9000\n"
    ),
    "investment_effects": (
        "investment_code,commune_code,criterion_code,amount\nINV0001,03994,transport,4.5\n"
    ),
    "funding_sources": "code,name_vi,name_en,eligible_regions\ncentral,Ngân sách trung ương,Central budget,II; III\n",
    "budgets": "source_code,year,amount\ncentral,2022,6000\ncentral,2023,6500\n",
}  # fmt: skip
"""A small package typed by hand: custom criteria set, optional columns left out, lenient cells."""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_hand_written_package_loads_with_or_without_bom(tmp_path, encoding):
    for table, text in HAND_WRITTEN.items():
        (tmp_path / f"{table}.csv").write_text(text, encoding=encoding, newline="")
    dataset = load_package(tmp_path)

    assert dataset.info.name == "Gói nhỏ viết tay"
    assert dataset.info.source is None
    assert dataset.criteria.code == "son_la_thu"
    assert dataset.criteria.codes == ("transport", "income")
    assert dataset.criteria.by_code["income"].unit == "triệu đồng/người"
    chieng_mai, muong_bu = dataset.communes
    assert (chieng_mai.code, chieng_mai.name) == ("03994", "Xã Chiềng Mai, huyện Mai Sơn")
    assert (chieng_mai.border, muong_bu.border) == (True, False)
    assert muong_bu.district is None
    assert muong_bu.difficult_villages == 0
    assert [(s.commune_code, s.met, s.gap, s.at_risk) for s in dataset.status] == [
        ("03994", False, 4.5, False),
        ("03994", True, 0.0, True),
        ("04000", True, 0.0, False),
        ("04000", False, 6.25, False),
    ]
    assert dataset.investments[0].name == "Đường liên xã Chiềng Mai – Mường Bú"
    assert [r.value for r in dataset.sources[0].eligible_regions] == ["II", "III"]
    assert [(b.year, b.amount) for b in dataset.budgets] == [(2022, 6000), (2023, 6500)]


def test_fixture_package_loads_equal_to_the_dataset(csv_package, dataset):
    assert sorted(p.name for p in csv_package.iterdir()) == sorted(
        f"{t}.csv" for t in ALL_TABLE_NAMES
    )
    assert load_package(csv_package) == dataset
    assert load_package(str(csv_package)) == dataset


def test_built_in_criteria_set_is_used_when_criteria_table_is_absent_or_empty(csv_package, dataset):
    (csv_package / "criteria.csv").unlink()
    assert load_package(csv_package) == dataset
    (csv_package / "criteria.csv").write_text("")
    assert load_package(csv_package) == dataset
    write_rows(csv_package, "criteria", [["set_code", "code", "number", "name_vi", "name_en"]])
    assert load_package(csv_package) == dataset


def test_blank_rows_are_skipped_and_keep_row_numbers(csv_package, dataset):
    rows = read_rows(csv_package, "communes")
    write_rows(csv_package, "communes", [rows[0], rows[1], [], ["", "", ""], *rows[2:]])
    assert load_package(csv_package) == dataset

    set_cells(csv_package, "communes", {(6, "poverty_rate"): "1.4"})  # 04000, after 2 blank rows
    assert problems(csv_package) == [
        "communes.csv row 6, column poverty_rate: 1.4 is not a fraction between 0 and 1"
    ]


def test_quoted_cells_keep_commas_quotes_and_line_breaks(csv_package, dataset):
    name = 'Xã Chiềng Mai, "bản Phiêng Ngùa";\nhuyện Mai Sơn'
    set_cells(csv_package, "communes", {(2, "name"): name})
    set_cells(csv_package, "communes", {(3, "households"): "-1"})
    assert problems(csv_package) == [
        "communes.csv row 3, column households: -1 is negative; it must be 0 or more"
    ]
    set_cells(csv_package, "communes", {(3, "households"): "2710"})
    assert load_package(csv_package).communes[0].name == name


def test_zip_of_a_csv_folder_loads(csv_package, dataset, tmp_path):
    flat, nested = tmp_path / "flat.zip", tmp_path / "nested.zip"
    with zipfile.ZipFile(flat, "w") as archive:
        for path in csv_package.iterdir():
            archive.write(path, path.name)
    with zipfile.ZipFile(nested, "w") as archive:
        for path in csv_package.iterdir():
            archive.write(path, f"son_la/{path.name}")
    assert load_package(flat) == dataset
    assert load_package(nested) == dataset


def test_zip_errors_name_the_zip_and_the_file(csv_package, tmp_path):
    set_cells(csv_package, "budgets", {(3, "amount"): "-500"})
    bad_row = tmp_path / "bad_row.zip"
    with zipfile.ZipFile(bad_row, "w") as archive:
        for path in csv_package.iterdir():
            archive.write(path, path.name)
    with pytest.raises(DataPackageError) as caught:
        load_package(bad_row)
    assert caught.value.source == str(bad_row)
    assert [str(p) for p in caught.value.problems] == [
        "budgets.csv row 3, column amount: -500 is negative; it must be 0 or more"
    ]

    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as archive:
        archive.writestr("a/dataset.csv", "key,value\n")
        archive.writestr("b/dataset.csv", "key,value\n")
    assert problems(two) == ["two.zip: must hold exactly one package (one dataset.csv)"]

    fake = tmp_path / "fake.zip"
    fake.write_text("not a zip")
    assert problems(fake) == ["fake.zip: is not a zip file (File is not a zip file)"]


def test_path_that_is_not_a_package(tmp_path):
    missing = tmp_path / "nowhere"
    assert problems(missing) == [f"{missing}: does not exist"]
    text = tmp_path / "package.txt"
    text.write_text("")
    assert problems(text) == ["package.txt: give a folder of CSV files, an .xlsx or a .zip"]


# -- errors: every problem located, all at once, nothing loaded ----------------------------------
def test_error_names_the_package_and_loads_nothing(csv_package):
    set_cells(csv_package, "communes", {(3, "poverty_rate"): "1.4"})
    with pytest.raises(DataPackageError) as caught:
        load_package(csv_package)
    assert str(caught.value) == (
        f"{csv_package}: 1 problem(s), nothing loaded:\n"
        "  communes.csv row 3, column poverty_rate: 1.4 is not a fraction between 0 and 1"
    )


def test_three_mistakes_in_one_file_are_three_problems(csv_package):
    set_cells(
        csv_package,
        "communes",
        {(2, "region"): "IV", (3, "border"): "maybe", (4, "population"): "-12"},
    )
    assert problems(csv_package) == [
        "communes.csv row 2, column region: 'IV' is not valid: Input should be 'I', 'II' or 'III'",
        "communes.csv row 3, column border: 'maybe' is not a yes/no value (write true or false)",
        "communes.csv row 4, column population: -12 is negative; it must be 0 or more",
    ]


def test_mistakes_in_several_files_are_reported_together(csv_package):
    set_cells(csv_package, "investments", {(3, "cost"): "0", (4, "kind"): "social"})
    set_cells(csv_package, "funding_sources", {(4, "max_share"): "70%"})
    set_cells(csv_package, "budgets", {(4, "amount"): "-500", (5, "year"): "1800"})
    assert problems(csv_package) == [
        "investments.csv row 3, column cost: 0 must be greater than 0",
        "investments.csv row 4, column kind: 'social' is not valid: Input should be 'infrastructure' or 'livelihood'",
        "funding_sources.csv row 4, column max_share: '70%' is not valid: Input should be a valid number, unable to parse string as a number",
        "budgets.csv row 4, column amount: -500 is negative; it must be 0 or more",
        "budgets.csv row 5, column year: '1800' is not valid: Input should be greater than or equal to 1900",
    ]


def test_missing_tables(csv_package):
    (csv_package / "budgets.csv").unlink()
    (csv_package / "investment_effects.csv").unlink()
    assert problems(csv_package) == [
        "investment_effects.csv: table is missing",
        "budgets.csv: table is missing",
    ]
    (csv_package / "dataset.csv").unlink()
    assert problems(csv_package)[0] == "dataset.csv: table is missing"


def test_unknown_table(csv_package):
    (csv_package / "communes_old.csv").write_text("code\n03994\n", encoding="utf-8")
    assert problems(csv_package) == [f"communes_old.csv: unknown table; the tables are: {ALL_CSV}"]


def test_unknown_column_is_not_silently_ignored(csv_package):
    rows = read_rows(csv_package, "communes")
    rows[0][rows[0].index("income_per_capita")] = "income"
    write_rows(csv_package, "communes", rows)
    columns = ", ".join(Commune.model_fields)
    assert problems(csv_package) == [
        f"communes.csv column income: unknown column; the columns are: {columns}"
    ]


def test_missing_required_column_and_repeated_column(csv_package):
    rows = read_rows(csv_package, "budgets")
    write_rows(csv_package, "budgets", [[r[0], r[1], r[1]] for r in rows])
    assert problems(csv_package) == [
        "budgets.csv column year: column given twice",
        "budgets.csv column amount: required column missing",
    ]


def test_optional_columns_may_be_left_out(csv_package, dataset):
    rows = read_rows(csv_package, "investments")
    keep = [rows[0].index(c) for c in ("code", "name", "kind", "category", "cost")]
    write_rows(csv_package, "investments", [[r[i] for i in keep] for r in rows])
    loaded = load_package(csv_package)
    assert [i.duration_years for i in loaded.investments] == [1, 1, 1, 1]
    assert [i.earliest_year for i in loaded.investments] == [None, None, None, None]
    assert loaded.communes == dataset.communes


def test_row_longer_than_the_header_is_malformed(csv_package):
    rows = read_rows(csv_package, "budgets")
    write_rows(csv_package, "budgets", [rows[0], *[[*r, ""] for r in rows[1:]]])
    assert problems(csv_package) == [
        "budgets.csv: malformed CSV: row 2 has 4 cells; the header has 3"
    ]


def test_csv_saved_by_excel_with_vietnamese_regional_settings_loads(csv_package, dataset):
    """Excel with Vietnamese regional settings separates with ';' and writes 1.234,5: every file
    of the package saved that way loads to the same dataset."""

    def vietnamese(cell: str, money: bool) -> str:
        if money and cell.isdigit():
            return f"{int(cell):,}".replace(",", ".")
        try:
            float(cell)
        except ValueError:
            return cell
        return cell.replace(".", ",")

    for path in csv_package.glob("*.csv"):
        rows = read_rows(csv_package, path.stem)
        money = {rows[0].index(c) for c in ("cost", "amount") if c in rows[0]}
        with path.open("w", encoding="utf-8", newline="") as file:  # quotes cells holding ';'
            csv.writer(file, delimiter=";", lineterminator="\n").writerows(
                [vietnamese(c, j in money) for j, c in enumerate(row)] for row in rows
            )
    communes = (csv_package / "communes.csv").read_text(encoding="utf-8")
    assert "Thành phố Sơn La;ward;I;9800;2600;0,012;72,25" in communes
    assert ".000" in (csv_package / "investments.csv").read_text(encoding="utf-8")
    assert load_package(csv_package) == dataset


def test_short_rows_are_padded_with_empty_cells(csv_package):
    rows = read_rows(csv_package, "budgets")
    write_rows(csv_package, "budgets", [rows[0], rows[1][:2], *rows[2:]])
    assert problems(csv_package) == ["budgets.csv row 2, column amount: is empty"]


def test_unclosed_quote_is_malformed(csv_package):
    text = (csv_package / "investments.csv").read_text(encoding="utf-8")
    (csv_package / "investments.csv").write_text(text + 'INV0009,"Cầu treo,infra\n')
    (found,) = problems(csv_package)
    assert found.startswith("investments.csv: malformed CSV: Error tokenizing data.")
    assert "EOF inside string" in found


def test_file_that_is_not_utf8_is_reported_once(csv_package):
    (csv_package / "communes.csv").write_bytes(b"code,name\n03994,X\xe3 Chi\xe8ng Mai\n")
    assert problems(csv_package) == ["communes.csv: is not UTF-8 text; save it as 'CSV UTF-8'"]


def test_empty_file_is_reported_once(csv_package):
    (csv_package / "funding_sources.csv").write_text("")
    (csv_package / "dataset.csv").write_text("\n\n")
    assert problems(csv_package) == [
        "dataset.csv: is empty (no header)",
        "funding_sources.csv: is empty (no header)",
    ]


def test_dataset_table_problems(csv_package):
    write_rows(
        csv_package,
        "dataset",
        [
            ["key", "value"],
            ["name", ""],
            ["province", "Sơn La"],
            ["base_year", "2021.5"],
            ["criteria_set", "ntm_2021_2025"],
            ["tỉnh", "Sơn La"],
            ["province", "Lai Châu"],
        ],
    )
    assert problems(csv_package) == [
        "dataset.csv row 6, column key: unknown key 'tỉnh'; keys are: name, province, base_year, criteria_set, description, source",
        "dataset.csv row 7, column key: 'province' given twice",
        "dataset.csv row 2, column value: key 'name' is missing",
        "dataset.csv row 4, column value: '2021.5' is not valid: Input should be a valid integer, unable to parse string as an integer",
    ]


def test_dataset_table_needs_key_and_value_columns(csv_package):
    write_rows(csv_package, "dataset", [["key", "value", "value"], ["name", "a", "b"]])
    assert problems(csv_package) == ["dataset.csv: the columns must be exactly: key, value"]


def test_unknown_criteria_set_without_a_criteria_table(csv_package):
    (csv_package / "criteria.csv").unlink()
    set_cells(csv_package, "dataset", {(5, "value"): "ntm_2031_2035"})
    assert problems(csv_package) == [
        "dataset.csv row 5, column value: criteria set 'ntm_2031_2035' is not built in "
        f"({', '.join(builtin_set_codes())}) and the package has no criteria table"
    ]


def test_criteria_table_must_name_the_dataset_set(csv_package):
    rows = read_rows(csv_package, "criteria")
    write_rows(csv_package, "criteria", [rows[0], *[["son_la_2024", *r[1:]] for r in rows[1:]]])
    assert problems(csv_package) == [
        "dataset.csv row 5, column value: names set 'ntm_2021_2025' but the criteria given are set 'son_la_2024'"
    ]
    rows[3][0] = "other"
    write_rows(csv_package, "criteria", rows)
    assert problems(csv_package) == [
        "criteria.csv column set_code: every row must name the same set"
    ]


def test_criteria_table_row_errors(csv_package):
    set_cells(csv_package, "criteria", {(3, "kind"): "roads", (4, "number"): "0"})
    assert problems(csv_package) == [
        "criteria.csv row 3, column kind: 'roads' is not valid: Input should be 'infrastructure', 'livelihood', 'social' or 'governance'",
        "criteria.csv row 4, column number: '0' is not valid: Input should be greater than or equal to 1",
    ]


def test_criteria_table_header_and_set_code_problems(csv_package):
    rows = read_rows(csv_package, "criteria")
    rows[0][1] = "kode"
    write_rows(csv_package, "criteria", rows)
    columns = ", ".join(Criterion.model_fields)
    assert problems(csv_package) == [
        f"criteria.csv column kode: unknown column; the columns are: {columns}",
        "criteria.csv column code: required column missing",
    ]
    rows[0][1] = "code"
    write_rows(csv_package, "criteria", [rows[0], *[["NTM 2021", *r[1:]] for r in rows[1:]]])
    assert problems(csv_package) == [
        "criteria.csv column set_code: 'NTM 2021' is not a code: use lower-case letters, digits and _ only"
    ]


def test_repeated_criterion_code_in_criteria_table(csv_package):
    set_cells(csv_package, "criteria", {(4, "code"): "transport"})
    assert problems(csv_package) == ["criteria.csv: criterion code repeated: transport"]


def test_status_row_rules_name_the_row(csv_package):
    changes = {(3, "gap"): "0", (5, "met"): "no", (5, "gap"): "3"}  # transport; electricity at risk
    set_cells(csv_package, "criteria_status", changes)
    assert problems(csv_package) == [
        "criteria_status.csv row 3: gap is 0 but met is false: give the remaining gap (> 0)",
        "criteria_status.csv row 5: at_risk is true but met is false: only a met criterion can be at risk",
    ]


def test_repeated_codes_point_at_the_earlier_row(csv_package):
    rows = read_rows(csv_package, "communes")
    write_rows(csv_package, "communes", [*rows, rows[2]])
    rows = read_rows(csv_package, "funding_sources")
    write_rows(csv_package, "funding_sources", [*rows, rows[1]])
    set_cells(csv_package, "investments", {(5, "code"): "INV0002"})
    set_cells(csv_package, "budgets", {(3, "year"): "2022"})
    assert problems(csv_package) == [
        "communes.csv row 5, column code: commune code 04000 repeats row 3",
        "investments.csv row 5, column code: investment code INV0002 repeats row 3",
        "funding_sources.csv row 5, column code: source code central repeats row 2",
        "budgets.csv row 3, column year: source central year 2022 repeats row 2",
        "investment_effects.csv row 6, column investment_code: unknown investment 'INV0004'",
    ]


def test_repeated_status_and_effect_rows(csv_package):
    rows = read_rows(csv_package, "criteria_status")
    write_rows(csv_package, "criteria_status", [*rows, rows[2]])
    rows = read_rows(csv_package, "investment_effects")
    write_rows(csv_package, "investment_effects", [*rows, rows[1]])
    assert problems(csv_package) == [
        "criteria_status.csv row 59, column criterion_code: commune 03994 criterion transport repeats row 3",
        "investment_effects.csv row 7, column criterion_code: investment INV0001 commune 03994 criterion transport repeats row 2",
    ]


def test_unknown_references(csv_package):
    set_cells(csv_package, "investment_effects", {(3, "commune_code"): "09999"})
    set_cells(csv_package, "investment_effects", {(5, "investment_code"): "INV0099"})
    set_cells(csv_package, "budgets", {(7, "source_code"): "oda"})
    assert problems(csv_package) == [
        "investment_effects.csv row 5, column investment_code: unknown investment 'INV0099'",
        "investment_effects.csv row 3, column commune_code: unknown commune '09999'",
        "investments.csv row 4, column code: investment INV0003 has no effect: it closes no gap",
        "budgets.csv row 7, column source_code: unknown funding source 'oda'",
    ]


def test_missing_status_rows_and_unmet_standard(csv_package):
    rows = read_rows(csv_package, "criteria_status")
    write_rows(csv_package, "criteria_status", [r for r in rows if r[:2] != ["04000", "health"]])
    set_cells(csv_package, "communes", {(2, "ntm_level"): "standard"})
    assert problems(csv_package) == [
        "communes.csv row 3, column code: commune 04000 has no criteria_status row for: health",
        "communes.csv row 2, column ntm_level: standard but criteria not met: transport, irrigation, income",
    ]


def test_problems_after_a_rejected_row_are_still_found(csv_package):
    """A row that fails validation is left out; rows after it keep their own numbers."""
    set_cells(csv_package, "communes", {(2, "households"): "many", (4, "region"): ""})
    assert problems(csv_package) == [
        "communes.csv row 2, column households: 'many' is not valid: Input should be a valid integer, unable to parse string as an integer",
        "communes.csv row 4, column region: is empty",
    ]


def test_row_and_cross_table_problems_are_listed_in_one_pass(csv_package):
    """An effect amount of 0 and an investment with no effect at all: both at once (the second
    showed only once the first was fixed). INV0002, whose one effect row cannot be read, is not
    said to have no effect: that may be only the unread row."""
    rows = read_rows(csv_package, "investments")
    write_rows(
        csv_package,
        "investments",
        [
            *rows,
            ["INV0009", "Cầu treo bản Mòn", "infrastructure", "bridge", "700", "1", "false", ""],
        ],
    )
    set_cells(csv_package, "investment_effects", {(4, "amount"): "0"})
    assert problems(csv_package) == [
        "investment_effects.csv row 4, column amount: 0 must be greater than 0",
        "investments.csv row 6, column code: investment INV0009 has no effect: it closes no gap",
    ]


def test_required_text_left_empty(csv_package):
    set_cells(csv_package, "funding_sources", {(3, "name_vi"): " "})
    assert problems(csv_package) == ["funding_sources.csv row 3, column name_vi: is empty"]


# -- Excel ---------------------------------------------------------------------------------------
def test_excel_workbook_round_trip_and_layout(dataset, tmp_path):
    path = save_excel(dataset, tmp_path / "Sơn La.xlsx")
    assert load_package(path) == dataset
    sheets = sheet_values(path)
    assert list(sheets) == list(ALL_TABLE_NAMES)
    for spec in ROW_TABLES:  # coordinates only when some commune has them (none here)
        assert sheets[spec.name][0] == tuple(
            c for c in spec.columns if c not in UNWRITTEN_WHEN_EMPTY
        )
    communes = sheets["communes"]
    assert communes[1][:2] == ("03994", "Xã Chiềng Mai")  # code kept as text, zero kept
    assert communes[1][5:8] == (5300, 1180, 0.2166)  # numbers as numbers
    assert sheets["budgets"][1] == ("central", 2022, 6000)


def test_excel_errors_name_sheet_row_and_column(dataset, tmp_path):
    path = save_excel(dataset, tmp_path / "package.xlsx")
    workbook = load_workbook(path)
    workbook["communes"]["H3"] = 1.4  # poverty_rate of 04000
    workbook["budgets"]["C7"] = -500  # vbsp 2022
    workbook["investment_effects"]["B4"] = "09999"
    workbook.create_sheet("ghi chú")
    workbook.save(path)
    assert problems(path) == [
        f"package.xlsx sheet ghi chú: unknown sheet; the sheets are: {', '.join(ALL_TABLE_NAMES)}",
        "package.xlsx sheet communes row 3, column poverty_rate: 1.4 is not a fraction between 0 and 1",
        "package.xlsx sheet budgets row 7, column amount: -500 is negative; it must be 0 or more",
    ]


def test_excel_blank_rows_numbers_as_numbers_and_missing_sheets(dataset, tmp_path):
    path = save_excel(dataset, tmp_path / "package.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["communes"]
    sheet.insert_rows(3, amount=2)  # two blank rows between 03994 and 04000
    sheet["A2"] = 3994  # a code typed as a number loses its leading zero in Excel
    sheet["L5"] = True  # atk of 04000, now on row 5, as an Excel boolean
    workbook.save(path)
    assert load_package(path) == dataset

    sheet["F5"] = -3  # population of 04000
    del workbook["budgets"]
    workbook.create_sheet("investments_extra")
    workbook["funding_sources"].delete_rows(1, 10)
    workbook.save(path)
    assert problems(path) == [
        "package.xlsx sheet funding_sources: is empty (no header)",
        f"package.xlsx sheet investments_extra: unknown sheet; the sheets are: {', '.join(ALL_TABLE_NAMES)}",
        "package.xlsx sheet communes row 5, column population: -3 is negative; it must be 0 or more",
        "package.xlsx sheet budgets: table is missing",
    ]


def test_excel_sheet_names_in_any_case_and_values_right_of_the_header(dataset, tmp_path):
    """ "Communes" is the communes sheet; a value typed right of the last header column was
    silently dropped (a CSV row longer than its header is an error), so it is an error too."""
    path = save_excel(dataset, tmp_path / "package.xlsx")
    workbook = load_workbook(path)
    workbook["communes"].title = "renamed"  # openpyxl refuses a rename to the same name in
    workbook["renamed"].title = "Communes"  # another case (it would write "Communes1")
    workbook.save(path)
    assert load_package(path) == dataset
    budgets = workbook["budgets"]
    budgets.cell(row=3, column=budgets.max_column + 2, value=500)
    workbook.save(path)
    assert problems(path) == [
        "package.xlsx sheet budgets row 3: a value in column E, right of the header's last "
        "column (C)"
    ]


def test_excel_repeated_header_is_not_silently_merged(dataset, tmp_path):
    path = save_excel(dataset, tmp_path / "package.xlsx")
    workbook = load_workbook(path)
    workbook["budgets"]["D1"] = "amount"
    workbook["budgets"]["D2"] = 999
    workbook.save(path)
    assert problems(path) == ["package.xlsx sheet budgets column amount: column given twice"]


def test_excel_keeps_text_that_looks_like_a_formula(dataset, tmp_path):
    info = dataset.info.model_copy(update={"description": "=Ba xã giả lập (không phải công thức)"})
    investment = dataset.investments[0].model_copy(update={"name": "=SUM(A1:A3) – đường"})
    changed = dataset.model_copy(
        update={"info": info, "investments": (investment, *dataset.investments[1:])}
    )
    loaded = load_package(save_excel(changed, tmp_path / "package.xlsx"))
    assert loaded.info.description == "=Ba xã giả lập (không phải công thức)"
    assert loaded.investments[0].name == "=SUM(A1:A3) – đường"


def test_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "package.xlsx"
    path.write_text("code,name\n")
    assert problems(path) == [
        "package.xlsx: is not a readable Excel workbook (File is not a zip file)"
    ]


# -- writing -------------------------------------------------------------------------------------
def test_round_trip_csv_excel_csv(csv_package, dataset, tmp_path):
    from_csv = load_package(csv_package)
    from_excel = load_package(save_excel(from_csv, tmp_path / "package.xlsx"))
    again = load_package(save_csv(from_excel, tmp_path / "again"))
    assert from_csv == dataset
    assert from_excel == dataset
    assert again == dataset
    assert [c.name for c in again.communes] == [
        "Xã Chiềng Mai",
        "Xã Mường Bú",
        "Phường Chiềng Sinh",
    ]
    assert again.sources[1].name_vi == "Ngân sách tỉnh Sơn La"


def test_csv_files_are_plain_utf8_with_documented_cells(csv_package):
    text = (csv_package / "communes.csv").read_bytes().decode("utf-8")
    assert text.splitlines()[:2] == [
        "code,name,district,unit_type,region,population,households,poverty_rate,income_per_capita,ntm_level,border,atk,extremely_difficult,difficult_villages",
        "03994,Xã Chiềng Mai,Huyện Mai Sơn,commune,III,5300,1180,0.2166,38.5,none,false,false,true,4",
    ]
    assert read_rows(csv_package, "funding_sources")[3] == [
        "vbsp",
        "Ngân hàng Chính sách xã hội",
        "Vietnam Bank for Social Policies",
        "credit",
        "livelihood",
        "livestock;value_chain",
        "",
        "extremely_difficult;border",
        "0.7",
        "0.3",
    ]
    assert read_rows(csv_package, "dataset")[1:] == [
        ["name", "Sơn La thử nghiệm"],
        ["province", "Sơn La"],
        ["base_year", "2021"],
        ["criteria_set", "ntm_2021_2025"],
        ["description", "Ba xã giả lập cho kiểm thử; tiền: triệu đồng."],
    ]


def test_rewriting_a_package_keeps_other_files_and_drops_stale_tables(csv_package, dataset):
    (csv_package / "README.md").write_text("Nguồn: Sở Nông nghiệp", encoding="utf-8")
    smaller = dataset.model_copy(update={"budgets": dataset.budgets[:2]})
    save_csv(smaller, csv_package)
    assert load_package(csv_package).budgets == dataset.budgets[:2]
    assert (csv_package / "README.md").read_text(encoding="utf-8") == "Nguồn: Sở Nông nghiệp"
    assert sorted(p.name for p in csv_package.parent.iterdir()) == ["package"]


def test_csv_writing_is_atomic(csv_package, dataset, monkeypatch):
    """A failure in the middle of writing leaves the previous package whole."""
    original = pd.DataFrame.to_csv
    written = []

    def fail_on_third_table(self, path, *args, **kwargs):
        written.append(Path(path).name)
        if len(written) == 3:
            raise OSError("disk full")
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_on_third_table)
    changed = dataset.model_copy(update={"budgets": dataset.budgets[:1]})
    with pytest.raises(OSError, match="disk full"):
        save_csv(changed, csv_package)
    monkeypatch.undo()

    assert written == ["dataset.csv", "criteria.csv", "communes.csv"]
    assert load_package(csv_package) == dataset
    assert sorted(p.name for p in csv_package.parent.iterdir()) == ["package"]


def test_excel_writing_is_atomic(dataset, tmp_path, monkeypatch):
    path = save_excel(dataset, tmp_path / "package.xlsx")
    before = path.read_bytes()

    def fail_midway(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", fail_midway)
    with pytest.raises(OSError, match="disk full"):
        save_excel(dataset.model_copy(update={"budgets": ()}), path)
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert load_package(path) == dataset
    assert [p.name for p in tmp_path.iterdir()] == ["package.xlsx"]


def test_written_files_are_readable_by_others_as_the_umask_allows(dataset, tmp_path):
    previous = os.umask(0o022)
    try:
        folder = save_csv(dataset, tmp_path / "package")
        workbook = save_excel(dataset, tmp_path / "package.xlsx")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "communes.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE(workbook.stat().st_mode) == 0o644


# -- the Excel template --------------------------------------------------------------------------
def test_template_command_writes_the_template(tmp_path):
    path = tmp_path / "mẫu.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "models.io.template", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str(path)
    sheets = sheet_values(path)
    assert list(sheets) == [GUIDE_SHEET, *ALL_TABLE_NAMES, *PROGRESS_TABLE_NAMES]
    assert sheets["dataset"] == [
        ("key", "value"),
        ("name", None),
        ("province", None),
        ("base_year", None),
        ("criteria_set", "ntm_2021_2025"),
        ("description", None),
    ]
    assert len(sheets["criteria"]) == 20
    assert sheets["criteria"][2][:4] == ("ntm_2021_2025", "transport", 2, "Giao thông")
    for spec in ROW_TABLES:
        assert sheets[spec.name] == [spec.columns]


def test_committed_template_is_current(tmp_path):
    fresh = write_template(tmp_path / "template.xlsx")
    assert sheet_values(TEMPLATE) == sheet_values(fresh)


def test_empty_template_reports_the_missing_dataset_keys():
    assert problems(TEMPLATE) == [
        "template.xlsx sheet dataset row 2, column value: key 'name' is missing",
        "template.xlsx sheet dataset row 3, column value: key 'province' is missing",
        "template.xlsx sheet dataset row 4, column value: key 'base_year' is missing",
    ]


def _cell(value: object) -> object:
    """A model value as a planner types it into Excel (enums as words, lists joined by ;)."""
    if isinstance(value, tuple):
        return ";".join(str(getattr(v, "value", v)) for v in value)
    return getattr(value, "value", value)


def test_template_filled_with_the_fixture_rows_loads(dataset, tmp_path):
    path = tmp_path / "filled.xlsx"
    shutil.copy(TEMPLATE, path)
    workbook = load_workbook(path)
    info = workbook["dataset"]
    for row in range(2, info.max_row + 1):
        info.cell(row, 2).value = getattr(dataset.info, info.cell(row, 1).value)
    for spec in ROW_TABLES:
        sheet = workbook[spec.name]
        for model in getattr(dataset, spec.field):
            sheet.append([_cell(getattr(model, column)) for column in spec.columns])
    for row in range(2, workbook["communes"].max_row + 1):  # codes typed as numbers
        workbook["communes"].cell(row, 1).value = int(workbook["communes"].cell(row, 1).value)
    workbook.save(path)
    assert load_package(path) == dataset


# -- property: random valid datasets survive every format exactly --------------------------------
VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐÂƯƠ "
)
names = (
    st.text(alphabet=VIETNAMESE + ",;\"'–()=0123456789", min_size=1, max_size=24)
    .map(str.strip)
    .filter(bool)
)
codes = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=8)
fractions = st.integers(0, 10_000).map(lambda n: n / 10_000)
amounts = st.integers(1, 10**7).map(lambda n: n / 100)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    criterion_codes = draw(st.lists(codes, min_size=1, max_size=3, unique=True))
    criteria = CriteriaSet(
        code=draw(codes),
        criteria=tuple(
            Criterion(
                code=code,
                number=number,
                name_vi=draw(names),
                name_en=draw(names),
                group=draw(names),
                kind=draw(st.sampled_from(["infrastructure", "livelihood", "social"])),
                unit=draw(names),
            )
            for number, code in enumerate(criterion_codes, start=1)
        ),
    )
    commune_codes = draw(
        st.lists(
            st.integers(1, 99_999).map(lambda n: f"{n:05d}"), min_size=1, max_size=3, unique=True
        )
    )
    communes = tuple(
        Commune(
            code=code,
            name=draw(names),
            district=draw(st.none() | names),
            unit_type=draw(st.sampled_from(["commune", "ward"])),
            region=draw(st.sampled_from(["I", "II", "III"])),
            population=draw(st.integers(0, 100_000)),
            households=draw(st.integers(0, 30_000)),
            poverty_rate=draw(fractions),
            income_per_capita=draw(st.none() | amounts),
            border=draw(st.booleans()),
            atk=draw(st.booleans()),
            extremely_difficult=draw(st.booleans()),
            difficult_villages=draw(st.integers(0, 20)),
        )
        for code in commune_codes
    )
    status = []
    for commune in commune_codes:
        for criterion in criterion_codes:
            gap = draw(st.none() | amounts)
            status.append(
                CriterionStatus(
                    commune_code=commune,
                    criterion_code=criterion,
                    met=gap is None,
                    gap=gap or 0.0,
                    at_risk=gap is None and draw(st.booleans()),
                )
            )
    investments, effects = [], []
    for number in range(draw(st.integers(0, 3))):
        code = f"INV{number:04d}"
        investments.append(
            Investment(
                code=code,
                name=draw(names),
                kind=draw(st.sampled_from(["infrastructure", "livelihood"])),
                category=draw(codes),
                cost=draw(st.integers(1, 10**6)),
                duration_years=draw(st.integers(1, 5)),
                maintenance=draw(st.booleans()),
                earliest_year=draw(st.none() | st.integers(2021, 2030)),
            )
        )
        served = draw(st.lists(st.sampled_from(commune_codes), min_size=1, unique=True))
        for commune in served:
            effects.append(
                Effect(
                    investment_code=code,
                    commune_code=commune,
                    criterion_code=draw(st.sampled_from(criterion_codes)),
                    amount=draw(amounts),
                )
            )
    source_codes = draw(st.lists(codes, min_size=1, max_size=3, unique=True))
    sources = tuple(
        FundingSource(
            code=code,
            name_vi=draw(names),
            name_en=draw(names),
            kind=draw(st.sampled_from(["grant", "credit", "contribution"])),
            eligible_kinds=draw(st.lists(st.sampled_from(["infrastructure", "livelihood"]), unique=True)),
            eligible_categories=draw(st.lists(codes, max_size=2, unique=True)),
            eligible_regions=draw(st.lists(st.sampled_from(["I", "II", "III"]), unique=True)),
            eligible_flags=draw(st.lists(st.sampled_from(["border", "atk", "extremely_difficult"]), unique=True)),
            max_share=draw(fractions),
            max_poverty_rate=draw(st.none() | fractions),
        )
        for code in source_codes
    )  # fmt: skip
    budget_keys = draw(
        st.lists(st.tuples(st.sampled_from(source_codes), st.integers(2021, 2030)), unique=True)
    )
    budgets = tuple(
        Budget(source_code=source, year=year, amount=draw(st.integers(0, 10**9)))
        for source, year in budget_keys
    )
    return Dataset(
        info=DatasetInfo(
            name=draw(names),
            province=draw(names),
            base_year=draw(st.integers(2000, 2030)),
            criteria_set=criteria.code,
            description=draw(st.none() | names),
            source=draw(st.none() | names),
        ),
        criteria=criteria,
        communes=communes,
        status=tuple(status),
        investments=tuple(investments),
        effects=tuple(effects),
        sources=sources,
        budgets=budgets,
    )


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset=datasets())
def test_random_datasets_round_trip_csv_and_excel_exactly(dataset, tmp_path_factory):
    folder = tmp_path_factory.mktemp("round_trip")
    assert load_package(save_csv(dataset, folder / "package")) == dataset
    assert load_package(save_excel(dataset, folder / "package.xlsx")) == dataset


# -- coordinates ---------------------------------------------------------------------------------
def test_coordinates_round_trip_and_are_checked(dataset, tmp_path):
    """Latitude and longitude are optional, written when some commune has them, read back, and
    refused out of range or one without the other, with the row and column."""
    first = dataset.communes[0].model_copy(update={"latitude": 21.3256, "longitude": 103.9188})
    placed = dataset.model_copy(update={"communes": (first, *dataset.communes[1:])})
    folder = save_csv(placed, tmp_path / "placed")
    assert load_package(folder) == placed
    header = (folder / "communes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith("latitude,longitude")

    set_cells(folder, "communes", {(2, "latitude"): "95"})
    assert any("latitude" in p and "90" in p for p in problems(folder))
    set_cells(folder, "communes", {(2, "latitude"): ""})
    assert any("longitude is given without the other" in p for p in problems(folder))
