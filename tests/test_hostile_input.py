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
