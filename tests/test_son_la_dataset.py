"""The Sơn La 2021 reference dataset: real names and codes, calibrated figures, exact rebuild."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
import vietnam_provinces

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "data" / "son_la_2021"
SON_LA = 14


def official_communes() -> dict[str, tuple[str, str]]:
    """Code → (name, district) of the communes ("Xã …") of Sơn La in vietnam-provinces 0.6.0."""
    divisions = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text("utf-8"))
    province = next(p for p in divisions if p["code"] == SON_LA)
    return {
        f"{w['code']:05d}": (w["name"], d["name"])
        for d in province["districts"]
        for w in d["wards"]
        if w["name"].startswith("Xã ")
    }


def test_188_real_communes_in_12_districts(son_la) -> None:
    official = official_communes()
    assert len(son_la.communes) == 188 == len(official)
    assert {c.code: (c.name, c.district) for c in son_la.communes} == official
    assert len({c.district for c in son_la.communes}) == 12


def test_calibrated_to_the_provinces_figures(son_la) -> None:
    """54 communes at standard and 12.9 criteria on average (2022 resolution), a tail below 10."""
    met = son_la.criteria_met
    assert sum(son_la.at_standard(c) for c in met) == 54
    assert sum(met.values()) / len(met) == pytest.approx(12.9, abs=0.1)
    assert sum(1 for m in met.values() if m < 10) >= 15
    population = sum(c.population for c in son_la.communes)
    poverty = sum(c.poverty_rate * c.population for c in son_la.communes) / population
    assert poverty == pytest.approx(0.2166, abs=0.001)


@pytest.mark.slow
def test_generator_rebuilds_the_package_exactly(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "data" / "build_son_la_2021.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    tables = sorted(p.name for p in PACKAGE.glob("*.csv"))
    match, mismatch, errors = filecmp.cmpfiles(PACKAGE, tmp_path, tables, shallow=False)
    assert mismatch == [] and errors == [] and match == tables
