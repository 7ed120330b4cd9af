"""Build Sơn La's 2025 merger tables in ``data/mappings/`` from published packages.

Run from the repository root (needs network access to PyPI the first time)::

    python data/build_mapping_son_la_2025.py [--cache DIR]

Inputs, all pinned by version and SHA-256 and read from their wheels without installing them:

- ``vietnam-address-converter`` 1.0.5: its ``admin_mapping_old_to_new_10_25`` table (10,358 rows,
  names only) has Sơn La's 200 units of February 2025 and the 75 units they became on 1 July 2025
  (Nghị quyết 1681/NQ-UBTVQH15). Its unit ids are its own, not official codes.
- ``vietnam-provinces`` 2025.10.1: the official codes of the 75 new units (GSO list of July 2025).
- ``vietnam-provinces`` 0.6.0 (installed in the project's dev environment): the 204 units of
  2021 with their official codes, the codes ``data/son_la_2021`` uses.

Between 2021 and July 2025 Sơn La changed once more: Nghị quyết 1280/NQ-UBTVQH15 (in force
1 February 2025) made Mộc Châu district a town (thị xã) with new wards and communes and merged a
few communes in Phù Yên, Thuận Châu and Yên Châu (204 → 200 units). That step is not in any
package; ``BRIDGE_2024`` below states it unit by unit, with the basis of every row.

Outputs (both rewritten byte-identically on every run):

- ``son_la_2025_official.csv``: the extracted 200 → 75 table, one row per (unit of February 2025,
  new unit) pair, with the corrections listed in ``CORRECTIONS``;
- ``son_la_2025.csv``: the table ``models.merge.load_mapping`` reads: each of the 204 units of
  2021 (official codes) → its new unit of July 2025, with provenance columns.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd
import vietnam_provinces

OUT_DIR = Path(__file__).resolve().parent / "mappings"
PROVINCE_CODE = 14  # Sơn La in the GSO lists (2021 and 2025)
CONVERTER_PROVINCE = "Tỉnh Sơn La"
WHEELS = {
    "vietnam-address-converter": (
        "1.0.5",
        "vietnam_address_converter-1.0.5-py3-none-any.whl",
        "c4d18728b0441e41b34967dfd32a11f6b28dde062592a89bd28eaf2a2a822db4",
    ),
    "vietnam-provinces": (
        "2025.10.1",
        "vietnam_provinces-2025.10.1-py3-none-any.whl",
        "1693dece496b1e04e2b637a3dd79a87a22666e13c91c51cf06dc27e482987f57",
    ),
}
OLD_PROVINCES_VERSION = "0.6.0"
N_OLD_2021, N_OLD_2025, N_NEW, N_NEW_COMMUNES, N_NEW_WARDS, N_UNCHANGED = 204, 200, 75, 67, 8, 7
UNCHANGED = (
    "Mường Lạn",
    "Phiêng Khoài",
    "Suối Tọ",
    "Ngọc Chiến",
    "Tân Yên",
    "Mường Bám",
    "Mường Lèo",
)
"""Communes not rearranged in 2025 (Nghị quyết 1681/NQ-UBTVQH15, as published)."""

RESOLUTION_2025 = "Nghị quyết 1681/NQ-UBTVQH15 (16/6/2025)"
RESOLUTION_2024 = "Nghị quyết 1280/NQ-UBTVQH15 (14/11/2024, in force 1/2/2025)"
SOURCE_CONVERTER = "vietnam-address-converter 1.0.5, table admin_mapping_old_to_new_10_25"
SOURCE_CODES = "new codes: vietnam-provinces 2025.10.1; old codes: vietnam-provinces 0.6.0"

# Corrections to the converter's Sơn La rows: (district, unit of Feb 2025) → (field, value, why).
CORRECTIONS = {
    ("Huyện Phù Yên", "Xã Suối Tọ"): (
        "new_name",
        "Xã Suối Tọ",
        f"converter maps it to Xã Phù Yên; {RESOLUTION_2025} lists Suối Tọ among the 7 communes "
        "not rearranged, and the official code of Xã Suối Tọ (03901) is the old commune's",
    ),
    ("Thị Xã Mộc Châu", "Xã Mường Sang"): (
        "unit_2025_name",
        "Phường Mường Sang",
        "converter types it Xã; Mộc Châu town had 8 wards and 7 communes from 1/2/2025 and the "
        "province 177 communes, 15 wards, 8 towns (converter: 179, 13, 8)",
    ),
    ("Thị Xã Mộc Châu", "Xã Đông Sang"): (
        "unit_2025_name",
        "Phường Đông Sang",
        "as Mường Sang: a ward from 1/2/2025, typed Xã in the converter",
    ),
}
# Units of Feb 2025 that the converter splits between two new units: the new unit that takes the
# whole unit in a merge (the other stays in also_to), and why.
SPLIT_PRIMARY = {  # keyed by the corrected name of the unit of Feb 2025
    "Phường Vân Sơn": (
        "Phường Vân Sơn",
        "the new ward keeps this unit's code (04033)",
    ),
    "Phường Thảo Nguyên": (
        "Phường Thảo Nguyên",
        "the new ward keeps this unit's code (03982)",
    ),
    "Phường Mường Sang": (
        "Phường Mộc Châu",
        f"{RESOLUTION_2025} as published forms Xã Lóng Sập from Chiềng Khừa and Lóng Sập only",
    ),
}


@dataclass(frozen=True)
class Bridge:
    """Where a unit of 2021 went on 1 February 2025 (Nghị quyết 1280/NQ-UBTVQH15)."""

    unit_2025: str
    basis: str
    also: tuple[str, ...] = ()  # other units of Feb 2025 that received part of it
    note: str = ""


# 2021 code → the unit of February 2025 it became part of. Units of 2021 not listed here kept
# their name (and, as the 2025 codes show, their code) until the July 2025 merger.
BRIDGE_2024 = {
    # Mộc Châu district → Mộc Châu town: 15 units → 8 wards + 7 communes.
    "03979": Bridge("Phường Mộc Sơn", "inferred: Phường Mộc Sơn (2025) has this town's code 03979"),
    "03982": Bridge(
        "Phường Thảo Nguyên",
        "official (1280): Phường Thảo Nguyên formed from part of this town",
        ("Phường Cờ Đỏ", "Phường Bình Minh"),
        "Cờ Đỏ and Thảo Nguyên are quarters of this town; Bình Minh is an assumption",
    ),
    "04033": Bridge("Phường Vân Sơn", "inferred: Phường Vân Sơn (2025) has this commune's code"),
    "03997": Bridge("Xã Tân Yên", "inferred: Xã Tân Yên (2025) has this commune's code 03997"),
    "04000": Bridge("Xã Đoàn Kết", "inferred: Xã Đoàn Kết (2025) has this commune's code 04000"),
    "04015": Bridge(
        "Xã Chiềng Chung",
        "inferred: Hua Păng was named Chiềng Chung until 1978 (Quyết định 130-BT)",
    ),
    "03991": Bridge(
        "Xã Đoàn Kết",
        "assumption: one of Chiềng Chung, Đoàn Kết, Tân Yên; all but Tân Yên became Xã Đoàn Kết",
    ),
    "04003": Bridge(
        "Xã Chiềng Chung",
        "assumption: one of Chiềng Chung, Đoàn Kết, Tân Yên; all but Tân Yên became Xã Đoàn Kết",
    ),
    "03988": Bridge(
        "Xã Tân Yên",
        "assumption: Tân Yên has Tân Lập's code and needs a second commune; Tân Hợp by name",
        note="open question: if Tân Hợp went to Chiềng Chung or Đoàn Kết it belongs to Xã Đoàn Kết",
    ),
    # Phù Yên: Thị trấn Quang Huy from Thị trấn Phù Yên and parts of Huy Bắc, Quang Huy, Huy Hạ.
    "03898": Bridge("Thị Trấn Quang Huy", "official (1280): whole town into Thị trấn Quang Huy"),
    "03913": Bridge(
        "Thị Trấn Quang Huy",
        "official (1280): part into Thị trấn Quang Huy; the rest into a neighbouring Huy commune",
        note="every candidate for the rest is now part of Xã Phù Yên",
    ),
    "03910": Bridge(
        "Thị Trấn Quang Huy",
        "official (1280): part into Thị trấn Quang Huy; Xã Phù Yên (2025) has its code 03910",
    ),
    # Thuận Châu: Xã Phổng Ly from Chiềng Ly, Phổng Lăng and part of Chiềng Bôm.
    "03751": Bridge(
        "Xã Phổng Ly",
        "official (1280): into Xã Phổng Ly, a part into Thị trấn Thuận Châu",
        ("Thị Trấn Thuận Châu",),
    ),
    "03748": Bridge(
        "Xã Phổng Ly",
        "official (1280): into Xã Phổng Ly, a part into Thị trấn Thuận Châu",
        ("Thị Trấn Thuận Châu",),
    ),
    "03766": Bridge("Xã Chiềng Bôm", "official (1280): a part into Xã Phổng Ly", ("Xã Phổng Ly",)),
    # Yên Châu: the town merged with Viêng Lán.
    "04075": Bridge(
        "Thị Trấn Yên Châu",
        "inferred: Xã Yên Châu (2025) has Viêng Lán's code 04075; the town had to be rearranged",
    ),
    # Quỳnh Nhai and Vân Hồ: same unit, new type or spelling.
    "03703": Bridge("Thị Trấn Mường Giàng", "official (1280): the commune became a town"),
    "04009": Bridge("Xã Liên Hòa", "spelling (Liên Hoà → Liên Hòa)"),
}


# =============================================================================================
def wheel(name: str, cache: Path) -> Path:
    """The pinned wheel of ``name`` in ``cache``, downloaded with pip if absent; hash checked."""
    version, filename, sha256 = WHEELS[name]
    path = cache / filename
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip", "download", f"{name}=={version}", "--no-deps"]
        subprocess.run([*pip, "--only-binary=:all:", "--dest", str(cache), "--quiet"], check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{path}: SHA-256 {digest}, expected {sha256}")
    return path


def converter_rows(path: Path) -> list[dict]:
    """Sơn La's rows of the converter's table (parsed from data.py without importing it)."""
    with zipfile.ZipFile(path) as archive:
        source = archive.read("vietnam_address_converter/data.py").decode("utf-8")
    literal = next(
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 1e6
    )
    table = json.loads(literal)["mapping"]
    assert table["meta"]["source"] == "admin_mapping_old_to_new_10_25.xlsx", table["meta"]
    rows = [r for r in table["rows"] if r["old"]["province_name"] == CONVERTER_PROVINCE]
    assert all(r["new"]["province_name"] == CONVERTER_PROVINCE for r in rows)
    return rows


def new_codes(path: Path) -> dict[str, str]:
    """Name → official 5-digit code of Sơn La's 75 units of July 2025."""
    with zipfile.ZipFile(path) as archive:
        provinces = json.loads(archive.read("vietnam_provinces/data/nested-divisions.json"))
    province = next(p for p in provinces if p["code"] == PROVINCE_CODE)
    return {w["name"]: f"{w['code']:05d}" for w in province["wards"]}


def old_units() -> pd.DataFrame:
    """The 204 units of 2021 (vietnam-provinces 0.6.0, installed)."""
    installed = metadata.version("vietnam-provinces")
    assert installed == OLD_PROVINCES_VERSION, f"need vietnam-provinces {OLD_PROVINCES_VERSION}"
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        province = next(p for p in json.load(fh) if p["code"] == PROVINCE_CODE)
    rows = [
        {"code": f"{w['code']:05d}", "name": w["name"], "district": d["name"]}
        for d in province["districts"]
        for w in d["wards"]
    ]
    return pd.DataFrame(rows).sort_values("code", ignore_index=True)


def unit_type(name: str) -> str:
    """commune / ward / town from the name's prefix."""
    lowered = name.lower()
    if lowered.startswith("phường"):
        return "ward"
    if lowered.startswith("thị trấn"):
        return "town"
    assert lowered.startswith("xã"), name
    return "commune"


def district_key(district: str) -> str:
    """District name without its type, lower case (Huyện Mộc Châu ≡ Thị Xã Mộc Châu)."""
    lowered = district.lower()
    for prefix in ("thành phố ", "thị xã ", "huyện "):
        lowered = lowered.removeprefix(prefix)
    return lowered


# =============================================================================================
def official_table(rows: list[dict], codes: dict[str, str]) -> pd.DataFrame:
    """The 200 → 75 table, one row per (unit of Feb 2025, new unit), corrections applied."""
    records = []
    for r in rows:
        old, new = r["old"], r["new"]
        record = {
            "unit_2025_district": old["district_name"],
            "unit_2025_name": old["ward_name"],
            "new_name": new["ward_name"],
            "converter_old_id": old["ward_code"],
            "converter_new_id": new["ward_code"],
            "correction": "",
        }
        fix = CORRECTIONS.get((old["district_name"], old["ward_name"]))
        if fix is not None:
            field, value, why = fix
            record["correction"] = f"{field}: {record[field]} → {value} ({why})"
            record[field] = value
        records.append(record)
    table = pd.DataFrame(records)
    table["unit_2025_type"] = table["unit_2025_name"].map(unit_type)
    table["new_code"] = table["new_name"].map(codes)
    table["new_unit_type"] = table["new_name"].map(unit_type)
    assert table["new_code"].notna().all(), table[table["new_code"].isna()]
    key = ["unit_2025_district", "unit_2025_name"]
    table["part"] = table.duplicated(key, keep=False)
    columns = [
        "unit_2025_district",
        "unit_2025_name",
        "unit_2025_type",
        "part",
        "new_code",
        "new_name",
        "new_unit_type",
        "converter_old_id",
        "converter_new_id",
        "correction",
    ]
    return table[columns].sort_values([*key, "new_code"], ignore_index=True)


def check_official(table: pd.DataFrame) -> None:
    """The counts the resolutions publish."""
    units = table.drop_duplicates(["unit_2025_district", "unit_2025_name"])
    assert len(units) == N_OLD_2025, len(units)
    assert units["unit_2025_type"].value_counts().to_dict() == {
        "commune": 177,
        "ward": 15,
        "town": 8,
    }, units["unit_2025_type"].value_counts()
    new = table.drop_duplicates("new_code")
    assert len(new) == N_NEW and new["new_name"].is_unique
    assert (new["new_unit_type"] == "commune").sum() == N_NEW_COMMUNES
    assert (new["new_unit_type"] == "ward").sum() == N_NEW_WARDS
    sizes = table.groupby("new_name").size()
    singles = sorted(n.removeprefix("Xã ") for n in sizes[sizes == 1].index)
    assert singles == sorted(UNCHANGED), singles


def mapping_table(official: pd.DataFrame, olds: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Each unit of 2021 → its new unit, through the unit of Feb 2025 it became part of.

    Also returns the cross-check of the 200 units against vietnam-provinces 0.6.0 (lines).
    """
    targets: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}  # key → name of the unit of Feb 2025 (corrected)
    alias: dict[tuple[str, str], tuple[str, str]] = {}  # converter's own name → key
    for r in official.itertuples(index=False):
        key = (district_key(r.unit_2025_district), r.unit_2025_name.lower())
        targets[key].append((r.new_code, r.new_name, r.new_unit_type))
        names[key] = r.unit_2025_name
        alias[key] = key
    for (district, converter_name), (field, value, _) in CORRECTIONS.items():
        if field == "unit_2025_name":
            alias[(district_key(district), converter_name.lower())] = (
                district_key(district),
                value.lower(),
            )

    records, matched, used = [], 0, set()
    for u in olds.itertuples(index=False):
        district = district_key(u.district)
        bridge = BRIDGE_2024.get(u.code)
        if bridge is None:
            key = alias.get((district, u.name.lower()))
            assert key is not None, f"{u.code} {u.name} ({u.district}) not found in 2025 units"
            matched += 1
            via, basis, also_feb, note = None, "converter (same unit in 2025)", (), ""
        else:
            key = alias.get((district, bridge.unit_2025.lower()))
            assert key is not None, (u.code, bridge.unit_2025)
            via, basis, note = bridge.unit_2025, f"{bridge.basis}; then converter", bridge.note
            also_feb = bridge.also
        used.add(key)
        pairs = targets[key]
        if len(pairs) > 1:
            primary_name, why = SPLIT_PRIMARY[names[key]]
            primary = next(p for p in pairs if p[1] == primary_name)
            basis += f"; split in 2025, whole unit into {primary_name}: {why}"
        else:
            primary = pairs[0]
        also = {p for p in pairs if p != primary}
        for other in also_feb:
            also.update(p for p in targets[alias[(district, other.lower())]] if p != primary)
        records.append(
            {
                "old_code": u.code,
                "old_name": u.name,
                "old_district": u.district,
                "old_unit_type": unit_type(u.name),
                "new_code": primary[0],
                "new_name": primary[1],
                "new_unit_type": primary[2],
                "may_be_absent": unit_type(u.name) != "commune",
                "also_to": ";".join(sorted(p[0] for p in also)),
                "via": via,
                "basis": basis,
                "source": _sources(bridge is not None),
                "note": note,
            }
        )
    table = pd.DataFrame(records)
    unused = sorted(names[k] + f" ({k[0].title()})" for k in set(targets) - used)
    lines = [
        f"  cross-check with vietnam-provinces {OLD_PROVINCES_VERSION}: {matched} of the "
        f"{N_OLD_2025} units of Feb 2025 are a 2021 unit of the same district and name; "
        f"{len(BRIDGE_2024)} units of 2021 are placed through the 2024 bridge",
        "  units of Feb 2025 that no 2021 unit became whole (created by Nghị quyết 1280): "
        + ", ".join(unused),
    ]
    return table, lines


def _sources(bridged: bool) -> str:
    parts = [SOURCE_CONVERTER, RESOLUTION_2025, SOURCE_CODES]
    if bridged:
        parts.insert(1, RESOLUTION_2024)
    return "; ".join(parts)


def check_mapping(table: pd.DataFrame, codes: dict[str, str]) -> None:
    """204 old units, 75 new units, every new commune with a commune of 2021 in it."""
    assert len(table) == N_OLD_2021 and table["old_code"].is_unique
    assert set(table["new_code"]) == set(codes.values()), "every new unit gets an old unit"
    communes = table[table["old_unit_type"] == "commune"]
    new_communes = table.loc[table["new_unit_type"] == "commune", "new_code"]
    assert set(new_communes) <= set(communes["new_code"])


def write(table: pd.DataFrame, path: Path) -> None:
    """UTF-8, LF, booleans true/false, empty cells for missing values."""
    text = table.astype(object).where(table.notna(), "")
    for column in text.columns:
        if table[column].dtype == bool:
            text[column] = table[column].map({True: "true", False: "false"})
    path.parent.mkdir(parents=True, exist_ok=True)
    text.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def main() -> None:
    """Fetch the pinned inputs, build both tables, check the published counts, write them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder for the downloaded wheels")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        cache = args.cache or Path(scratch)
        rows = converter_rows(wheel("vietnam-address-converter", cache))
        codes = new_codes(wheel("vietnam-provinces", cache))
    assert len(codes) == N_NEW
    official = official_table(rows, codes)
    check_official(official)
    olds = old_units()
    assert len(olds) == N_OLD_2021
    mapping, cross_check = mapping_table(official, olds)
    check_mapping(mapping, codes)
    write(official, args.out / "son_la_2025_official.csv")
    write(mapping, args.out / "son_la_2025.csv")
    print(f"Sơn La 2025 merger: {N_OLD_2025} units (Feb 2025) → {N_NEW} units (July 2025)")
    print(f"  converter rows {len(rows)}; corrections {len(CORRECTIONS)}")
    print("\n".join(cross_check))
    types = mapping["old_unit_type"].value_counts().to_dict()
    print(
        f"  2021 units: {len(mapping)} ({types}); flagged may_be_absent: "
        f"{int(mapping['may_be_absent'].sum())}; with also_to: {int((mapping['also_to'] != '').sum())}"
    )
    print(f"Wrote {args.out}/son_la_2025_official.csv and son_la_2025.csv")


if __name__ == "__main__":
    main()
