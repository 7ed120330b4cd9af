"""Vietnamese number formatting and the translation table."""

from __future__ import annotations

import string

import pytest

from models import CommuneFlag, builtin_criteria_set
from ui import format as fmt
from ui.i18n import (
    LANGUAGES,
    STRINGS,
    criteria_set_name,
    criterion_label,
    flag_short,
    group_name,
    region_name,
    t,
    unit_name,
)


@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [
        (0, 0, "0", "0"),
        (188, 0, "188", "188"),
        (1234.5, 1, "1.234,5", "1,234.5"),
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (12.8989, 1, "12,9", "12.9"),
        (-2500, 0, "-2.500", "-2,500"),
        (-0.01, 1, "0,0", "0.0"),
    ],
)
def test_number(value: float, decimals: int, vi: str, en: str) -> None:
    assert fmt.number(value, decimals) == vi
    assert fmt.number(value, decimals, lang="en") == en


def test_missing_values_show_a_dash() -> None:
    assert fmt.number(None) == fmt.number(float("nan")) == fmt.MISSING
    assert fmt.percent(float("nan")) == fmt.money(None) == fmt.MISSING


def test_percent() -> None:
    assert fmt.percent(0.2166) == "21,7%"
    assert fmt.percent(0.2166, 2, "en") == "21.66%"
    assert fmt.percent(1) == "100,0%"


@pytest.mark.parametrize(
    ("million_vnd", "vi", "en"),
    [
        (850, "850 triệu đồng", "850 million VND"),
        (999.6, "1,0 tỷ đồng", "1.0 billion VND"),
        (4500, "4,5 tỷ đồng", "4.5 billion VND"),
        (1_234_500, "1.234,5 tỷ đồng", "1,234.5 billion VND"),
    ],
)
def test_money_switches_to_ty_dong_from_a_thousand_million(
    million_vnd: float, vi: str, en: str
) -> None:
    assert fmt.money(million_vnd) == vi
    assert fmt.money(million_vnd, lang="en") == en


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_every_language_with_the_same_placeholders(key: str) -> None:
    texts = STRINGS[key]
    assert set(texts) == set(LANGUAGES)
    assert all(texts.values())
    assert len({frozenset(_fields(text)) for text in texts.values()}) == 1


def test_domain_words_in_both_languages() -> None:
    transport = builtin_criteria_set("ntm_2021_2025").by_code["transport"]
    assert criterion_label(transport, "vi") == "2. Giao thông"
    assert criterion_label(transport, "en") == "2. Transport"
    assert criteria_set_name("ntm_2021_2025", "vi").startswith("Bộ tiêu chí quốc gia")
    assert criteria_set_name("my_province_set", "vi") == "my_province_set"
    assert region_name("III", "vi") == "Khu vực III"
    assert region_name("III", "en") == "Region III"
    assert group_name(CommuneFlag.BORDER, "vi") == "Xã biên giới"
    assert flag_short("extremely_difficult", "vi") == "ĐBKK"
    assert unit_name("percentage point", "vi") == "điểm phần trăm"
    assert unit_name("percentage point", "en") == "percentage point"
    assert unit_name("ha", "vi") == "ha"
    assert t("kpi.below_floor", "vi", floor=15) == "Xã dưới 15 tiêu chí"


def test_every_builtin_unit_has_a_vietnamese_name() -> None:
    criteria = builtin_criteria_set("ntm_2021_2025")
    assert all(
        unit_name(c.unit, "vi") != c.unit or c.unit in {"%", "km"} for c in criteria.criteria
    )


def test_moments_are_shown_in_vietnam_time() -> None:
    from datetime import UTC, datetime

    late_evening_utc = datetime(2026, 11, 23, 20, 5, tzinfo=UTC)
    assert fmt.moment(late_evening_utc) == "24/11/2026 03:05"  # UTC+7: already the next day
    assert fmt.moment(late_evening_utc, "en") == "2026-11-24 03:05"
    assert fmt.moment(late_evening_utc.replace(tzinfo=None)) == "24/11/2026 03:05"  # naive: UTC
    assert fmt.moment(None) == "–"


def test_the_engine_s_known_plan_notes_read_in_vietnamese_and_others_pass_through() -> None:
    from models.messages import render
    from optimizer.phasing import PHASED_NOTE
    from optimizer.solve import TIME_LIMIT_NOTE

    assert render(PHASED_NOTE, "vi").startswith("Giải qua bài toán gộp")
    assert render(PHASED_NOTE, "en").startswith("Solved through the pooled relaxation")
    assert render(TIME_LIMIT_NOTE, "vi").startswith("Có mục tiêu dừng")
    assert render("something else", "vi") == "something else"
