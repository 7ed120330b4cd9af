"""Untrusted input cannot take the server down: hostile data packages are refused quickly, with a
clear message, without unpacking or reading what they claim (issue 19, item 8)."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

import models.io.package as package_module
from models.io import DataPackageError, load_package

ZEROS = b"0" * (1024 * 1024)


def package_zip(csv_package: Path, target: Path, extra: dict[str, int] | None = None) -> Path:
    """The test package as a zip, plus members of ``size`` MB of zeros each."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in sorted(csv_package.glob("*.csv")):
            if f"package/{table.name}" not in (extra or {}):
                archive.write(table, f"package/{table.name}")
        for name, megabytes in (extra or {}).items():
            with archive.open(name, "w") as member:
                for _ in range(megabytes):
                    member.write(ZEROS)
    return target


def refused(path: Path) -> tuple[str, int]:
    """The error message and the peak Python memory (bytes) of loading ``path``."""
    tracemalloc.start()
    try:
        with pytest.raises(DataPackageError) as error:
            load_package(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return str(error.value.problems[0]), peak


def test_a_zip_bomb_is_refused_by_its_compression_ratio_without_unpacking(
    csv_package: Path, tmp_path: Path
) -> None:
    bomb = package_zip(csv_package, tmp_path / "bomb.zip", {"package/budgets.csv": 64})
    assert bomb.stat().st_size < 2 * 1024 * 1024  # 64 MB of text in well under 2 MB
    message, peak = refused(bomb)
    assert "compressed" in message and "zip bomb" in message
    assert peak < 16 * 1024 * 1024  # nothing was unpacked into memory


def test_unpacked_size_and_member_count_are_capped(
    csv_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package_module, "MAX_UNPACKED_BYTES", 64 * 1024)
    big = package_zip(csv_package, tmp_path / "big.zip", {"package/budgets.csv": 1})
    message, _ = refused(big)
    assert "would unpack to" in message and "the limit is" in message
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(package_module.MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"junk/{index}.txt", "")
    message, _ = refused(many)
    assert f"holds {package_module.MAX_ZIP_MEMBERS + 1} entries" in message


def test_only_the_package_tables_are_unpacked(csv_package: Path, tmp_path: Path) -> None:
    """Other members (a huge log, a file outside the package folder) are never extracted."""
    archive_path = package_zip(csv_package, tmp_path / "extra.zip")
    with zipfile.ZipFile(archive_path, "a") as archive:
        archive.writestr("../../escape.csv", "x")
        archive.writestr("package/notes/readme.csv", "x")
    assert load_package(archive_path).info.name
    assert not (tmp_path.parent / "escape.csv").exists()


# -- scenario files ------------------------------------------------------------------------------
BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
name: *h
horizon: {start: 2026, end: 2027}
"""


def test_billion_laughs_are_refused_before_they_expand(tmp_path: Path) -> None:
    from models.scenario_io import MAX_ALIASES, ScenarioFileError, load_scenario

    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioFileError) as error:
            load_scenario(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert f"more than {MAX_ALIASES} aliases" in str(error.value)
    assert len(str(error.value)) < 400 and peak < 16 * 1024 * 1024


@pytest.mark.slow
def test_a_rejected_value_is_echoed_only_in_part(tmp_path: Path) -> None:
    from models.scenario_io import ECHO_LIMIT, ScenarioFileError, load_scenario

    path = tmp_path / "long.yaml"
    path.write_text(
        "name: x\nhorizon: {start: 2026, end: 2027}\nbudgets: {scale: [" + "1," * 50_000 + "1]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioFileError) as error:
        load_scenario(path)
    assert "budgets.scale" in str(error.value)
    assert len(str(error.value)) < len(str(path)) + 2 * ECHO_LIMIT + 200


def test_an_uploaded_scenario_cannot_extend_or_name_files_outside_the_app(tmp_path: Path) -> None:
    from models.scenario_io import ScenarioFileError, load_scenario

    secret = tmp_path / "server" / "secrets.yaml"
    secret.parent.mkdir()
    secret.write_text("name: 'postgresql://ntm:hunter2@db/ntm'\n", encoding="utf-8")
    uploads = tmp_path / "app" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "evil.yaml").write_text(
        "extends: ../../server/secrets.yaml\nhorizon: {start: 2026, end: 2027}\n", encoding="utf-8"
    )
    (uploads / "data.yaml").write_text(
        "name: x\ndataset: /etc\nhorizon: {start: 2026, end: 2027}\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioFileError) as error:
        load_scenario(uploads / "evil.yaml", allowed_roots=[tmp_path / "app"])
    assert "extends: must name" in str(error.value) and "hunter2" not in str(error.value)
    assert load_scenario(uploads / "data.yaml", allowed_roots=[tmp_path / "app"]).dataset is None
    # the command line reads the user's own files as before
    assert load_scenario(uploads / "evil.yaml").name == "postgresql://ntm:hunter2@db/ntm"


# -- workbooks -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_one_cell_at_the_last_excel_cell_is_refused_without_filling_the_memory(
    dataset, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from models.io import save_excel

    path = save_excel(dataset, tmp_path / "package.xlsx")
    workbook = load_workbook(path)
    workbook["budgets"]["XFD1048576"] = "x"
    workbook["communes"]["XFD1"] = "y"
    workbook.save(path)
    assert path.stat().st_size < 100_000
    with pytest.raises(DataPackageError) as error:
        tracemalloc.start()
        try:
            load_package(path)
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    messages = [str(p) for p in error.value.problems]
    assert "package.xlsx sheet budgets: has more than 100,000 rows" in messages[0] or any(
        "sheet budgets: has more than 100,000 rows" in m for m in messages
    )
    assert any("sheet communes: reaches column XFD" in m for m in messages)
    assert peak < 200 * 1024 * 1024


def test_sheets_named_alike_are_refused_not_merged(dataset, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from models.io import save_excel

    path = save_excel(dataset, tmp_path / "package.xlsx")
    workbook = load_workbook(path)
    copy = workbook.copy_worksheet(workbook["budgets"])
    copy.title = "Budgets "
    workbook.save(path)
    message, _ = refused(path)
    assert "sheet Budgets" in message and "same table as sheet 'budgets'" in message


# -- names ---------------------------------------------------------------------------------------
def test_nul_bytes_and_overlong_names_are_refused_at_validation_with_the_row(
    csv_package: Path, tmp_path: Path
) -> None:
    import pandas as pd
    from pydantic import ValidationError

    from models.scenario import Scenario

    communes = pd.read_csv(csv_package / "communes.csv", dtype=str, keep_default_na=False)
    communes.loc[0, "name"] = "Xã\x00Chiềng Mai"
    communes.loc[1, "name"] = "X" * 201
    communes.to_csv(csv_package / "communes.csv", index=False)
    with pytest.raises(DataPackageError) as error:
        load_package(csv_package)
    messages = [str(p) for p in error.value.problems]
    assert (
        messages.count("communes.csv row 2, column name: contains a control character (e.g. NUL)")
        == 1
    )
    assert (
        "communes.csv row 3, column name: is 201 characters long; a name or code has at most 200"
        in messages
    )
    horizon = {"start": 2026, "end": 2027}
    with pytest.raises(ValidationError, match="at most 200 characters"):
        Scenario(name="K" * 201, horizon=horizon)
    with pytest.raises(ValidationError, match="control character"):
        Scenario(name="Kế\x00hoạch", horizon=horizon)


# -- solver threads ------------------------------------------------------------------------------
def test_absurd_thread_counts_are_refused_and_large_ones_capped_at_the_cores(dataset) -> None:
    from pydantic import ValidationError

    from models.scenario import Scenario
    from optimizer.solve import solve
    from optimizer.threads import usable_threads

    horizon = {"start": 2022, "end": 2024}
    with pytest.raises(ValidationError, match="less than or equal to 256"):
        Scenario(name="x", horizon=horizon, solver={"threads": 100_000})
    cores = usable_threads(10**6)
    assert 1 <= cores <= (__import__("os").cpu_count() or 1)
    assert usable_threads(1) == 1
    plan = solve(dataset, Scenario(name="x", horizon=horizon, solver={"threads": 256}))
    assert plan.status.value in {"optimal", "infeasible"} and plan.kpis is not None
