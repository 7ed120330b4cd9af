"""models.summary: the status tables behind the Data page, checked by hand and against raw counts.

The small cases use the ``dataset`` fixture of conftest.py: Xã Chiềng Mai misses transport,
irrigation and income (16 of 19 met, extremely difficult, Huyện Mai Sơn); Xã Mường Bú misses
transport and housing (17 met, ATK, Huyện Mường La); Phường Chiềng Sinh is a ward meeting all 19.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from models import CommuneFlag, CriteriaSet, Criterion, Dataset, builtin_criteria_set
from models import summary as s
from models.io import load_package

SON_LA = Path(__file__).resolve().parents[1] / "data" / "son_la_2021"
CHIENG_MAI, MUONG_BU, CHIENG_SINH = "03994", "04000", "03646"
MEAN_TOLERANCE = 1e-12


def criteria_of_size(size: int) -> CriteriaSet:
    return CriteriaSet(
        code="test_set",
        criteria=tuple(
            Criterion(
                code=f"c{n}",
                number=n,
                name_vi=f"Tiêu chí {n}",
                name_en=f"Criterion {n}",
                group="I",
                kind="social",
                unit="point",
            )
            for n in range(1, size + 1)
        ),
    )


def test_default_floor_is_15_of_19_scaled_to_the_set() -> None:
    """15 of 19 for the 2021-2025 set; other sizes follow the same margin, never below 0."""
    assert s.default_floor(builtin_criteria_set("ntm_2021_2025")) == 15
    assert s.default_floor(criteria_of_size(10)) == 8  # 15/19 of 10 = 7.9
    assert s.default_floor(criteria_of_size(4)) == 3
    assert s.default_floor(criteria_of_size(1)) == 1


def test_commune_table_counts_criteria_met(dataset: Dataset) -> None:
    table = s.commune_table(dataset)
    assert list(table.columns) == list(s.COMMUNE_COLUMNS)
    assert table["criteria_met"].to_dict() == {CHIENG_MAI: 16, MUONG_BU: 17, CHIENG_SINH: 19}
    assert table["criteria_unmet"].to_dict() == {CHIENG_MAI: 3, MUONG_BU: 2, CHIENG_SINH: 0}
    assert table["at_standard"].to_dict() == {CHIENG_MAI: False, MUONG_BU: False, CHIENG_SINH: True}
    assert table.loc[CHIENG_MAI, "unmet_codes"] == ("transport", "irrigation", "income")
    assert table.loc[MUONG_BU, "unmet_codes"] == ("transport", "housing")
    assert table.loc[CHIENG_MAI, "label"] == "Xã Chiềng Mai"


def test_labels_name_the_district_when_two_communes_share_a_name(dataset: Dataset) -> None:
    renamed = tuple(
        c.model_copy(update={"name": "Xã Chiềng Mai"}) if c.code == MUONG_BU else c
        for c in dataset.communes
    )
    twin = Dataset(**{**dict(dataset), "communes": renamed})
    labels = s.commune_table(twin)["label"]
    assert labels[CHIENG_MAI] == "Xã Chiềng Mai (Huyện Mai Sơn)"
    assert labels[MUONG_BU] == "Xã Chiềng Mai (Huyện Mường La)"
    assert labels.is_unique


def test_select_communes_leaves_wards_out_by_default(dataset: Dataset) -> None:
    table = s.commune_table(dataset)
    assert s.ward_count(table) == 1
    assert list(s.select_communes(table).index) == [CHIENG_MAI, MUONG_BU]
    assert len(s.select_communes(table, include_wards=True)) == 3


@pytest.mark.parametrize(
    ("districts", "flags", "expected"),
    [
        (["Huyện Mai Sơn"], [], [CHIENG_MAI]),
        (["Huyện Mai Sơn", "Huyện Mường La"], [], [CHIENG_MAI, MUONG_BU]),
        ([], [CommuneFlag.EXTREMELY_DIFFICULT], [CHIENG_MAI]),
        ([], ["atk"], [MUONG_BU]),
        ([], ["border"], []),
        ([], ["border", "atk"], [MUONG_BU]),
        (["Huyện Mai Sơn"], ["atk"], []),
    ],
)
def test_select_communes_by_district_and_group(
    dataset: Dataset, districts: list[str], flags: list[str], expected: list[str]
) -> None:
    """Districts and groups each match any of the chosen values; the two combine with 'and'."""
    table = s.commune_table(dataset)
    assert list(s.select_communes(table, districts, flags).index) == expected


def test_district_names(dataset: Dataset) -> None:
    assert s.district_names(s.commune_table(dataset)) == [
        "Huyện Mai Sơn",
        "Huyện Mường La",
        "Thành phố Sơn La",
    ]


def test_status_kpis_by_hand(dataset: Dataset) -> None:
    """Two communes (16 and 17 met): none at standard, mean 16.5, one below a floor of 17."""
    kpis = s.status_kpis(s.select_communes(s.commune_table(dataset)), floor=17)
    assert (kpis.communes, kpis.at_standard, kpis.floor, kpis.below_floor) == (2, 0, 17, 1)
    assert kpis.mean_criteria_met == pytest.approx(16.5, abs=MEAN_TOLERANCE)
    assert kpis.at_standard_share == 0
    with_ward = s.status_kpis(s.commune_table(dataset), floor=15)
    assert (with_ward.at_standard, with_ward.below_floor) == (1, 0)


def test_status_kpis_of_nothing_are_zero_and_undefined(dataset: Dataset) -> None:
    nothing = s.select_communes(s.commune_table(dataset), flags=["border"])
    kpis = s.status_kpis(nothing, floor=15)
    assert (kpis.communes, kpis.at_standard, kpis.below_floor) == (0, 0, 0)
    assert pd.isna(kpis.mean_criteria_met) and pd.isna(kpis.at_standard_share)


def test_met_distribution_covers_every_count_up_to_the_set_size(dataset: Dataset) -> None:
    distribution = s.met_distribution(s.commune_table(dataset), dataset.criteria)
    assert distribution.to_dict("list") == {
        "criteria_met": [16, 17, 18, 19],
        "communes": [1, 1, 0, 1],
    }
    empty = s.met_distribution(s.commune_table(dataset).iloc[:0], dataset.criteria)
    assert list(empty.columns) == ["criteria_met", "communes"] and empty.empty


def test_unmet_by_criterion(dataset: Dataset) -> None:
    unmet = s.unmet_by_criterion(s.commune_table(dataset), dataset.criteria)
    assert list(unmet["criterion_code"]) == list(dataset.criteria.codes)
    counts = dict(zip(unmet["criterion_code"], unmet["communes_unmet"], strict=True))
    assert {k: v for k, v in counts.items() if v} == {
        "transport": 2,
        "irrigation": 1,
        "housing": 1,
        "income": 1,
    }
    assert unmet.set_index("criterion_code").loc["transport", "name_vi"] == "Giao thông"


def test_below_floor_lists_fewest_met_first(dataset: Dataset) -> None:
    table = s.commune_table(dataset)
    assert list(s.below_floor(table, 17).index) == [CHIENG_MAI]
    assert list(s.below_floor(table, 18).index) == [CHIENG_MAI, MUONG_BU]
    assert s.below_floor(table, 16).empty


def test_status_matrix_and_long_form_agree_with_the_status_rows(dataset: Dataset) -> None:
    matrix = s.status_matrix(dataset)
    assert matrix.shape == (3, dataset.criteria.size)
    assert list(matrix.columns) == list(dataset.criteria.codes)
    assert not matrix.loc[CHIENG_MAI, "transport"] and matrix.loc[CHIENG_MAI, "planning"]
    assert int((~matrix).to_numpy().sum()) == 5
    assert list(s.status_matrix(dataset, [MUONG_BU]).index) == [MUONG_BU]

    long = s.status_long(dataset, [MUONG_BU, CHIENG_MAI])
    assert len(long) == 2 * dataset.criteria.size
    assert list(long["commune_code"].unique()) == [MUONG_BU, CHIENG_MAI]
    row = long[(long["commune_code"] == MUONG_BU) & (long["criterion_code"] == "housing")]
    assert row[["met", "gap", "unit"]].to_numpy().tolist() == [[False, 35.0, "house"]]
    at_risk = long[long["at_risk"]]
    assert list(zip(at_risk["commune_code"], at_risk["criterion_code"], strict=True)) == [
        (CHIENG_MAI, "electricity")
    ]


@pytest.mark.skipif(not SON_LA.exists(), reason="data/son_la_2021 is not built")
def test_son_la_figures_agree_with_raw_status_counts() -> None:
    """On the real package, the summary's figures equal counts made from the status rows alone."""
    dataset = load_package(SON_LA)
    met = Counter(row.commune_code for row in dataset.status if row.met)
    communes = [c.code for c in dataset.communes if c.unit_type == "commune"]
    size = dataset.criteria.size
    floor = s.default_floor(dataset.criteria)

    kpis = s.status_kpis(s.select_communes(s.commune_table(dataset)), floor)
    assert kpis.communes == len(communes)
    assert kpis.at_standard == sum(met[c] == size for c in communes)
    assert kpis.below_floor == sum(met[c] < floor for c in communes)
    assert kpis.mean_criteria_met == pytest.approx(
        sum(met[c] for c in communes) / len(communes), abs=MEAN_TOLERANCE
    )
    distribution = s.met_distribution(s.select_communes(s.commune_table(dataset)), dataset.criteria)
    assert distribution["communes"].sum() == len(communes)
