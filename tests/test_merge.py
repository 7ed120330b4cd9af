"""Re-aggregation across the 2025 merger (models.merge), the Sơn La mapping and the 2026 package.

Hand-made cases use a 3-criterion set so every merged figure can be checked by eye: communes A, B
and C (codes 00001-00003) merge into new commune 90001; D (00004) alone becomes 90002.
"""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest

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
    Mapping,
    MappingError,
    MappingRow,
    MergeError,
    load_mapping,
    merge_dataset,
)
from models.commune import NtmLevel, Region, UnitType
from models.io import load_package, save_csv
from models.merge import empty_new_units

REPO = Path(__file__).resolve().parents[1]
SON_LA_2021 = REPO / "data" / "son_la_2021"
SON_LA_2026 = REPO / "data" / "son_la_2026"
SON_LA_MAPPING = REPO / "data" / "mappings" / "son_la_2025.csv"
SON_LA_TRANSITION = REPO / "data" / "transitions" / "son_la_2021_2026"
TOLERANCE = 1e-9

CRITERIA = CriteriaSet(
    code="tiny_3",
    criteria=tuple(
        Criterion(code=code, number=n, name_vi=code, name_en=code, group="g", kind=kind, unit="u")
        for n, (code, kind) in enumerate(
            (("transport", "infrastructure"), ("income", "livelihood"), ("culture", "social")),
            start=1,
        )
    ),
)
A, B, C, D = "00001", "00002", "00003", "00004"
ABC, DD = "90001", "90002"


def commune(code: str, **changes) -> Commune:
    values = {
        "code": code,
        "name": f"Xã {code}",
        "district": "Huyện X",
        "region": Region.II,
        "population": 1_000,
        "households": 250,
        "poverty_rate": 0.1,
        "income_per_capita": 40.0,
    }
    return Commune(**(values | changes))


def status(code: str, gaps: dict[str, float], at_risk: tuple[str, ...] = ()) -> list:
    return [
        CriterionStatus(
            commune_code=code,
            criterion_code=k,
            met=gaps.get(k, 0) == 0,
            gap=gaps.get(k, 0),
            at_risk=k in at_risk,
        )
        for k in CRITERIA.codes
    ]


def dataset(communes: list[Commune], gaps: dict[str, dict[str, float]], **extra) -> Dataset:
    rows = [
        s for c in communes for s in status(c.code, gaps.get(c.code, {}), extra.get(c.code, ()))
    ]
    return Dataset(
        info=DatasetInfo(name="t", province="Sơn La", base_year=2025, criteria_set="tiny_3"),
        criteria=CRITERIA,
        communes=tuple(communes),
        status=tuple(rows),
        investments=extra.get("investments", ()),
        effects=extra.get("effects", ()),
        sources=(FundingSource(code="central", name_vi="TW", name_en="Central"),),
        budgets=(Budget(source_code="central", year=2026, amount=1_000),),
    )


def row(old: str, new: str, **changes) -> MappingRow:
    values = {
        "old_code": old,
        "old_name": f"Xã {old}",
        "new_code": new,
        "new_name": f"Xã {new}",
        "new_unit_type": "commune",
    }
    return MappingRow(**(values | changes))


MAPPING = Mapping(rows=(row(A, ABC), row(B, ABC), row(C, ABC), row(D, DD)))


def merged(old: Dataset, mapping: Mapping = MAPPING, **options) -> Dataset:
    return merge_dataset(old, mapping, name="merged", base_year=2026, **options)


# -- aggregation rules ---------------------------------------------------------------------------
def test_two_standard_communes_merged_with_one_far_below_are_not_at_standard() -> None:
    """A and B are at standard; C misses two criteria by far: the merged commune is not at
    standard, has C's gaps and the level 'none' (worst case)."""
    old = dataset(
        [
            commune(A, ntm_level="standard"),
            commune(B, ntm_level="advanced"),
            commune(C, income_per_capita=20.0),
            commune(D),
        ],
        {C: {"transport": 12.0, "income": 19.0}},
    )
    new = merged(old)
    unit = new.commune_by_code[ABC]
    assert unit.ntm_level == NtmLevel.NONE
    assert not new.at_standard(ABC)
    assert new.status_by_key[(ABC, "transport")].gap == 12.0
    assert new.status_by_key[(ABC, "culture")].met


def test_a_criterion_passes_only_if_it_passes_in_every_part_and_gaps_add_up() -> None:
    old = dataset(
        [commune(A), commune(B), commune(C), commune(D)],
        {A: {"transport": 1.5}, B: {"transport": 2.25, "culture": 1}, C: {}},
    )
    new = merged(old)
    assert new.status_by_key[(ABC, "transport")].gap == pytest.approx(3.75, abs=TOLERANCE)
    assert not new.status_by_key[(ABC, "transport")].met
    assert new.status_by_key[(ABC, "culture")].gap == 1
    assert new.status_by_key[(ABC, "income")].met
    assert new.status_by_key[(ABC, "income")].gap == 0


def test_rates_are_population_weighted() -> None:
    """(1,000·0.05 + 3,000·0.25 + 0·…) / 4,000 = 0.2; income (1,000·60 + 3,000·40) / 4,000 = 45;
    a part without income is left out of the income mean."""
    old = dataset(
        [
            commune(A, population=1_000, poverty_rate=0.05, income_per_capita=60.0),
            commune(B, population=3_000, poverty_rate=0.25, income_per_capita=40.0),
            commune(C, population=0, poverty_rate=0.9, income_per_capita=None),
            commune(D),
        ],
        {},
    )
    unit = merged(old).commune_by_code[ABC]
    assert unit.poverty_rate == pytest.approx(0.2, abs=TOLERANCE)
    assert unit.income_per_capita == pytest.approx(45.0, abs=TOLERANCE)


def test_counts_add_up_region_is_the_most_disadvantaged_and_flags_are_any() -> None:
    old = dataset(
        [
            commune(A, population=100, households=20, difficult_villages=1, region="I"),
            commune(B, population=200, households=50, difficult_villages=4, border=True),
            commune(C, population=300, households=70, region="III", atk=True),
            commune(D, extremely_difficult=True),
        ],
        {},
    )
    unit = merged(old).commune_by_code[ABC]
    assert (unit.population, unit.households, unit.difficult_villages) == (600, 140, 5)
    assert unit.region == Region.III
    assert unit.border and unit.atk and not unit.extremely_difficult
    assert unit.district is None and unit.name == f"Xã {ABC}"


def test_level_is_the_lowest_among_parts_when_every_criterion_is_met() -> None:
    old = dataset(
        [
            commune(A, ntm_level="model"),
            commune(B, ntm_level="advanced"),
            commune(C, ntm_level="standard"),
            commune(D, ntm_level="advanced"),
        ],
        {},
    )
    new = merged(old)
    assert new.commune_by_code[ABC].ntm_level == NtmLevel.STANDARD
    assert new.commune_by_code[DD].ntm_level == NtmLevel.ADVANCED


def test_a_part_not_at_standard_makes_the_level_none_even_if_criteria_are_met() -> None:
    old = dataset([commune(A, ntm_level="standard"), commune(B), commune(C), commune(D)], {})
    assert merged(old).commune_by_code[ABC].ntm_level == NtmLevel.NONE


def test_at_risk_is_kept_only_where_every_part_meets_the_criterion() -> None:
    old = dataset(
        [commune(A), commune(B), commune(C), commune(D)],
        {B: {"income": 2.0}},
        **{A: ("transport", "income"), D: ("culture",)},
    )
    new = merged(old)
    assert new.status_by_key[(ABC, "transport")].at_risk
    assert not new.status_by_key[(ABC, "income")].at_risk  # B does not meet it
    assert new.status_by_key[(DD, "culture")].at_risk


def test_effects_are_remapped_and_add_up_on_the_same_new_commune_and_criterion() -> None:
    """A shared road serving A (1 km) and B (2 km) closes 3 km of the merged commune; its effect
    on D stays separate; other items, sources and budgets are unchanged."""
    road = Investment(
        code="R1", name="Đường liên xã", kind="infrastructure", category="road", cost=9
    )
    house = Investment(
        code="H1", name="Nhà văn hóa", kind="infrastructure", category="culture", cost=5
    )
    effects = (
        Effect(investment_code="R1", commune_code=A, criterion_code="transport", amount=1.0),
        Effect(investment_code="R1", commune_code=B, criterion_code="transport", amount=2.0),
        Effect(investment_code="R1", commune_code=D, criterion_code="transport", amount=0.5),
        Effect(investment_code="H1", commune_code=C, criterion_code="culture", amount=1.0),
    )
    old = dataset(
        [commune(A), commune(B), commune(C), commune(D)],
        {A: {"transport": 1.0}, B: {"transport": 2.0}, C: {"culture": 1}, D: {"transport": 0.5}},
        investments=(road, house),
        effects=effects,
    )
    new = merged(old)
    assert [
        (e.investment_code, e.commune_code, e.criterion_code, e.amount) for e in new.effects
    ] == [
        ("R1", ABC, "transport", 3.0),
        ("R1", DD, "transport", 0.5),
        ("H1", ABC, "culture", 1.0),
    ]
    assert new.investments == old.investments
    assert (new.sources, new.budgets) == (old.sources, old.budgets)
    assert new.info.criteria_set == "tiny_3" and new.info.base_year == 2026


def test_new_units_are_in_code_order_with_the_mapping_names_and_types() -> None:
    mapping = Mapping(
        rows=(
            row(A, ABC),
            row(B, ABC),
            row(C, ABC),
            row(D, "00005", new_name="Phường Mới", new_unit_type="ward"),
        )
    )
    old = dataset([commune(D), commune(C), commune(B), commune(A)], {})
    new = merged(old, mapping)
    assert [(c.code, c.name, c.unit_type) for c in new.communes] == [
        ("00005", "Phường Mới", UnitType.WARD),
        (ABC, f"Xã {ABC}", UnitType.COMMUNE),
    ]


# -- nothing silently dropped --------------------------------------------------------------------
def test_unmapped_units_and_unknown_rows_are_all_listed_in_one_error() -> None:
    mapping = Mapping(rows=(row(A, ABC), row(B, ABC), row("00077", DD), row("00078", DD)))
    old = dataset([commune(A), commune(B), commune(C), commune(D)], {})
    with pytest.raises(MergeError) as caught:
        merged(old, mapping)
    problems = caught.value.problems
    assert problems == [
        "commune 00003 (Xã 00003) is in the dataset but not in the mapping",
        "commune 00004 (Xã 00004) is in the dataset but not in the mapping",
        "mapping row for 00077 (Xã 00077) names a unit that is not in the dataset; flag the "
        "row may_be_absent if the dataset leaves it out on purpose",
        "mapping row for 00078 (Xã 00078) names a unit that is not in the dataset; flag the "
        "row may_be_absent if the dataset leaves it out on purpose",
        "new unit 90002 (Xã 90002) has no part in the dataset (formed from 00077, 00078); pass "
        "omit_empty=True and add it separately",
    ]
    assert "5 problem(s)" in str(caught.value)


def test_rows_flagged_may_be_absent_are_skipped_and_their_unit_still_formed() -> None:
    """The town 00009 is not in the dataset: its row is allowed because it is flagged, and the new
    commune is formed from the parts that are present."""
    town = row("00009", ABC, old_name="Thị trấn X", old_unit_type="town", may_be_absent=True)
    mapping = Mapping(rows=(row(A, ABC), town, row(D, DD)))
    new = merged(dataset([commune(A, population=700), commune(D)], {}), mapping)
    assert new.commune_by_code[ABC].population == 700


def test_a_new_unit_formed_only_from_absent_units_is_an_error_unless_omitted() -> None:
    ward = row("00008", "90003", new_name="Phường P", new_unit_type="ward", may_be_absent=True)
    mapping = Mapping(rows=(row(A, ABC), row(D, DD), ward))
    old = dataset([commune(A), commune(D)], {})
    with pytest.raises(MergeError, match="90003 \\(Phường P\\) has no part"):
        merged(old, mapping)
    assert [u.code for u in empty_new_units(old, mapping)] == ["90003"]
    assert [c.code for c in merged(old, mapping, omit_empty=True).communes] == [ABC, DD]


# -- the mapping file ----------------------------------------------------------------------------
def write_mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_mapping_reads_provenance_columns(tmp_path: Path) -> None:
    path = write_mapping(
        tmp_path,
        "old_code,old_name,new_code,new_name,new_unit_type,may_be_absent,also_to,basis\n"
        "1,Xã A,90001,Xã Một,commune,,,official\n"
        "2,Thị trấn B,90001,Xã Một,commune,true,90002,official\n"
        "3,Xã C,90002,Phường Hai,ward,false,,assumption\n",
    )
    mapping = load_mapping(path)
    assert [r.old_code for r in mapping.rows] == ["00001", "00002", "00003"]
    assert mapping.by_old_code["00002"].may_be_absent
    assert mapping.by_old_code["00002"].also_to == ("90002",)
    assert [(u.code, u.old_codes) for u in mapping.new_units] == [
        ("90001", ("00001", "00002")),
        ("90002", ("00003",)),
    ]


def test_load_mapping_lists_every_problem_with_its_row(tmp_path: Path) -> None:
    path = write_mapping(
        tmp_path,
        "old_code,old_name,new_code,new_name,new_unit_type,colour\n"
        "1,Xã A,90001,Xã Một,commune,red\n",
    )
    with pytest.raises(MappingError, match="column colour: unknown column"):
        load_mapping(path)
    path = write_mapping(
        tmp_path,
        "old_code,old_name,new_code,new_name,new_unit_type,also_to\n"
        "1,Xã A,90001,Xã Một,commune,\n"
        "1,Xã A bis,90001,Xã Một,commune,\n"
        "2,Xã B,90001,Xã Khác,hamlet,99999\n"
        "3,,90002,Xã Hai,commune,99999\n"
        "4,Xã D,90001,Xã Một,commune,99999\n",
    )
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    problems = caught.value.problems
    assert any(p.startswith("mapping.csv row 4, column new_unit_type:") for p in problems)
    assert any(p.startswith("mapping.csv row 5, column old_name:") for p in problems)
    assert (
        "mapping.csv row 3: old unit 00001 is mapped twice (also row 2); give one new unit and "
        "list the others in also_to"
    ) in problems
    assert "mapping.csv row 6: also_to names unknown new units: 99999" in problems


# -- Sơn La ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def son_la_mapping() -> Mapping:
    return load_mapping(SON_LA_MAPPING)


def test_son_la_mapping_has_the_204_units_of_2021_and_the_75_new_units(
    son_la_mapping: Mapping,
) -> None:
    rows = son_la_mapping.rows
    assert len(rows) == 204
    types = [u.unit_type for u in son_la_mapping.new_units]
    assert (len(types), types.count(UnitType.COMMUNE), types.count(UnitType.WARD)) == (75, 67, 8)
    assert {r.old_unit_type.value for r in rows if r.may_be_absent} == {"ward", "town"}
    assert sum(r.old_unit_type == "commune" for r in rows) == 188


def test_son_la_mapping_old_codes_and_names_are_those_of_vietnam_provinces_0_6_0(
    son_la_mapping: Mapping,
) -> None:
    vietnam_provinces = pytest.importorskip("vietnam_provinces")
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        province = next(p for p in json.load(fh) if p["code"] == 14)
    official = {
        f"{w['code']:05d}": (w["name"], d["name"])
        for d in province["districts"]
        for w in d["wards"]
    }
    assert {r.old_code: (r.old_name, r.old_district) for r in son_la_mapping.rows} == official


def test_son_la_2021_merges_into_73_units_and_the_two_urban_wards_are_listed(
    son_la_mapping: Mapping,
) -> None:
    old = load_package(SON_LA_2021)
    with pytest.raises(MergeError) as caught:
        merge_dataset(old, son_la_mapping, name="x", base_year=2025)
    assert [p.split(" (")[0] for p in caught.value.problems] == [
        "new unit 03646",
        "new unit 03982",
    ]
    new = merge_dataset(old, son_la_mapping, name="x", base_year=2025, omit_empty=True)
    assert len(new.communes) == 73
    assert sum(c.population for c in new.communes) == sum(c.population for c in old.communes)
    assert sum(s.gap for s in new.status) == pytest.approx(sum(s.gap for s in old.status))


@pytest.fixture(scope="module")
def son_la_2026() -> Dataset:
    return load_package(SON_LA_2026)


def test_son_la_2026_has_75_units_on_the_new_set(son_la_2026: Dataset, son_la_mapping) -> None:
    units = son_la_2026.communes
    assert son_la_2026.info.criteria_set == "ntm_2026_2030" and son_la_2026.criteria.size == 10
    assert len(units) == 75
    assert sum(c.unit_type == UnitType.COMMUNE for c in units) == 67
    assert sum(c.unit_type == UnitType.WARD for c in units) == 8
    official = {u.code: (u.name, u.unit_type) for u in son_la_mapping.new_units}
    assert {c.code: (c.name, c.unit_type) for c in units} == official
    assert all(c.district is None for c in units)


def test_son_la_2026_round_trips_through_load_package(son_la_2026: Dataset, tmp_path) -> None:
    save_csv(son_la_2026, tmp_path / "copy")
    assert load_package(tmp_path / "copy") == son_la_2026


@pytest.mark.slow
def test_build_son_la_2026_reproduces_the_transition_and_the_package_exactly(
    tmp_path: Path,
) -> None:
    out, transition = tmp_path / "son_la_2026", tmp_path / "transition"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "data" / "build_son_la_2026.py"),
            "--out",
            str(out),
            "--transition-out",
            str(transition),
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    for built, committed in ((out, SON_LA_2026), (transition, SON_LA_TRANSITION)):
        tables = sorted(p.name for p in committed.glob("*.csv"))
        assert sorted(p.name for p in built.glob("*.csv")) == tables
        _, mismatch, errors = filecmp.cmpfiles(committed, built, tables, shallow=False)
        assert (mismatch, errors) == ([], [])
