"""``ntm merge``: Sơn La's 2021 communes carried across the July 2025 merger."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from models.io import load_package

ROOT = Path(__file__).resolve().parents[1]
NTM = [str(Path(sys.executable).with_name("ntm"))]
OLD = ROOT / "data" / "son_la_2021"
MAPPING = ROOT / "data" / "mappings" / "son_la_2025.csv"


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
