"""``ntm merge``: Sơn La's 2021 communes carried across the July 2025 merger."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from models.io import load_package

ROOT = Path(__file__).resolve().parents[1]
NTM = [str(Path(sys.executable).with_name("ntm"))]
OLD = ROOT / "data" / "son_la_2021"
MAPPING = ROOT / "data" / "mappings" / "son_la_2025.csv"
pytestmark = pytest.mark.slow
"""Every test here runs the console script (a new process that imports the whole program: some
seconds of CPU each), so the quick loop leaves them out: it runs the console script in
tests/test_cli.py, and merging in tests/test_merge.py."""


def ntm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*NTM, *args], capture_output=True, text=True, timeout=300)


def test_merge_lists_new_units_without_parts_and_writes_nothing(tmp_path: Path) -> None:
    done = ntm("merge", str(OLD), str(MAPPING), "--out", str(tmp_path / "merged"))
    assert done.returncode == 1
    assert "Phường Tô Hiệu" in done.stderr and "Phường Thảo Nguyên" in done.stderr
    assert not (tmp_path / "merged").exists()


def test_merge_breaks_the_standard_where_parts_differ(tmp_path: Path) -> None:
    """Merging keeps a criterion only where every part met it: of 54 standard communes in 2021,
    only merged units made entirely of standard communes stay at standard."""
    done = ntm("merge", str(OLD), str(MAPPING), "--out", str(tmp_path / "m"), "--omit-empty")
    assert done.returncode == 0, done.stderr
    merged = load_package(tmp_path / "m")
    assert len(merged.communes) == 73
    old = load_package(OLD)
    mapping = pd.read_csv(MAPPING, dtype=str)
    parts = mapping[mapping["old_code"].isin({c.code for c in old.communes})]
    for new_code, group in parts.groupby("new_code"):
        all_standard = all(old.at_standard(code) for code in group["old_code"])
        assert merged.at_standard(new_code) == all_standard, new_code
    assert sum(merged.at_standard(c.code) for c in merged.communes) < 54


def test_unmapped_unit_is_an_error_naming_it(tmp_path: Path) -> None:
    mapping = pd.read_csv(MAPPING, dtype=str, keep_default_na=False)
    dropped = next(
        code for code in mapping["old_code"] if code in {c.code for c in load_package(OLD).communes}
    )
    partial = tmp_path / "mapping.csv"
    mapping[mapping["old_code"] != dropped].to_csv(partial, index=False)
    done = ntm("merge", str(OLD), str(partial), "--out", str(tmp_path / "m"), "--omit-empty")
    assert done.returncode == 1
    assert dropped in done.stderr
    assert not (tmp_path / "m").exists()


# -- --transition: the 2026 package from 2021, the mapping and the transition folder ---------------
TRANSITION = ROOT / "data" / "transitions" / "son_la_2021_2026"
SON_LA_2026 = ROOT / "data" / "son_la_2026"


def test_merge_with_the_transition_rebuilds_son_la_2026_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "son_la_2026"
    done = ntm("merge", str(OLD), str(MAPPING), "--transition", str(TRANSITION), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "→ 75 (8 wards) on ntm_2026_2030: 0 of 67 communes at standard" in done.stdout
    expected = sorted(p.name for p in SON_LA_2026.glob("*.csv"))
    assert sorted(p.name for p in out.iterdir()) == expected  # no criteria.csv: the set is built in
    for name in expected:
        assert (out / name).read_bytes() == (SON_LA_2026 / name).read_bytes(), name


def broken_transition(tmp_path: Path) -> Path:
    folder = tmp_path / "transition"
    shutil.copytree(TRANSITION, folder)
    return folder


def test_a_malformed_transition_file_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    folder = broken_transition(tmp_path)
    path = folder / "assessment.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = "03688,digital_transformation,many,false"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = ntm("merge", str(OLD), str(MAPPING), "--transition", str(folder), "--out", str(out))
    assert done.returncode == 1
    assert "assessment.csv row 5, column gap: 'many' is not valid" in done.stderr
    assert not out.exists()


def test_unknown_units_and_criteria_in_the_transition_are_each_listed(tmp_path: Path) -> None:
    folder = broken_transition(tmp_path)
    with (folder / "assessment.csv").open("a", encoding="utf-8") as fh:
        fh.write("99999,planning,1,false\n03688,roads,1,false\n")
    out = tmp_path / "out"
    done = ntm("merge", str(OLD), str(MAPPING), "--transition", str(folder), "--out", str(out))
    assert done.returncode == 1
    rows = len((folder / "assessment.csv").read_text(encoding="utf-8").splitlines())
    assert f"assessment.csv row {rows - 1}: unit 99999 is not a new unit of the mapping" in (
        done.stderr
    )
    assert f"assessment.csv row {rows}: criterion roads is not in the new set" in done.stderr
    assert not out.exists()


def test_name_and_base_year_do_not_go_with_a_transition(tmp_path: Path) -> None:
    done = ntm(
        "merge", str(OLD), str(MAPPING), "--transition", str(TRANSITION),
        "--out", str(tmp_path / "m"), "--name", "x",
    )  # fmt: skip
    assert done.returncode == 2
    assert "do not go with --transition" in done.stderr
    assert not (tmp_path / "m").exists()
