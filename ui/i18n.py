"""Every text the app shows, keyed, in Vietnamese (the default) and English.

Pages never write a label inline: they call ``t("kpi.communes")``. The language is the one chosen in
the sidebar (``st.session_state["lang"]``); pure code and tests may pass ``lang`` explicitly.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from models.commune import CommuneFlag
from models.criteria import Criterion

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
"""Language code → its name in that language, in the order the switch shows them."""
DEFAULT_LANGUAGE = "vi"
LANGUAGE_KEY = "lang"
"""Session-state key of the chosen language."""

STRINGS: dict[str, dict[str, str]] = {
    # -- app and navigation -----------------------------------------------------------------------
    "app.title": {
        "vi": "Phân bổ vốn nông thôn mới",
        "en": "New Rural Development budget",
    },
    "sidebar.language": {"vi": "Ngôn ngữ / Language", "en": "Ngôn ngữ / Language"},
    "sidebar.data_source": {"vi": "Dữ liệu đang dùng: `{path}`", "en": "Data in use: `{path}`"},
    "page.data": {"vi": "Dữ liệu", "en": "Data"},
    # -- loading ----------------------------------------------------------------------------------
    "load.error": {
        "vi": "Không đọc được gói dữ liệu `{path}` — chưa có dữ liệu nào được nạp.",
        "en": "Could not load the data package `{path}` — nothing was loaded.",
    },
    "load.hint": {
        "vi": "Sửa các lỗi dưới đây trong tệp dữ liệu rồi tải lại trang (định dạng: docs/data-format.md).",
        "en": "Fix the problems below in the data files, then reload the page (format: docs/data-format.md).",
    },
    "load.spinner": {"vi": "Đang đọc dữ liệu…", "en": "Loading data…"},
    # -- data page: header ------------------------------------------------------------------------
    "data.title": {
        "vi": "Hiện trạng tiêu chí nông thôn mới",
        "en": "Where communes stand on the NTM criteria",
    },
    "data.info": {
        "vi": "**Bộ dữ liệu:** {name} · **Tỉnh:** {province} · **Năm cơ sở:** {year} · "
        "**Bộ tiêu chí:** {criteria_set} ({size} tiêu chí)",
        "en": "**Data package:** {name} · **Province:** {province} · **Base year:** {year} · "
        "**Criteria set:** {criteria_set} ({size} criteria)",
    },
    "data.about": {"vi": "Nguồn và mô tả dữ liệu", "en": "Source and description of the data"},
    "data.source": {"vi": "**Nguồn:** {source}", "en": "**Source:** {source}"},
    # -- data page: filters -----------------------------------------------------------------------
    "filter.district": {"vi": "Huyện", "en": "District"},
    "filter.district_all": {"vi": "Tất cả các huyện", "en": "All districts"},
    "filter.group": {"vi": "Nhóm xã", "en": "Commune group"},
    "filter.group_all": {"vi": "Tất cả các nhóm", "en": "All groups"},
    "filter.floor": {"vi": "Ngưỡng tối thiểu (số tiêu chí)", "en": "Floor (criteria met)"},
    "filter.floor_help": {
        "vi": "Đếm các xã đạt ít hơn số tiêu chí này. Mặc định {default}/{size}: mục tiêu "
        "“không còn xã dưới {default} tiêu chí” của tỉnh.",
        "en": "Counts communes meeting fewer criteria than this. Default {default}/{size}: the "
        "province's target of no commune below {default} criteria.",
    },
    "filter.include_wards": {"vi": "Tính cả phường", "en": "Include wards"},
    "filter.wards_left_out": {
        "vi": "{count} phường không được tính (không thuộc mục tiêu xã nông thôn mới).",
        "en": "{count} wards are left out (they do not count towards commune targets).",
    },
    "filter.empty": {
        "vi": "Không có xã nào phù hợp với bộ lọc.",
        "en": "No commune matches the filters.",
    },
    # -- data page: KPIs --------------------------------------------------------------------------
    "kpi.communes": {"vi": "Số xã", "en": "Communes"},
    "kpi.communes_help": {
        "vi": "Số xã trong phạm vi đang lọc.",
        "en": "Communes in the current selection.",
    },
    "kpi.at_standard": {"vi": "Đạt chuẩn nông thôn mới", "en": "At NTM standard"},
    "kpi.at_standard_help": {
        "vi": "Xã đạt đủ {size}/{size} tiêu chí: {share} số xã.",
        "en": "Communes meeting all {size} criteria: {share} of communes.",
    },
    "kpi.mean_met": {"vi": "Bình quân tiêu chí đạt/xã", "en": "Mean criteria met"},
    "kpi.mean_met_help": {
        "vi": "Trung bình số tiêu chí đạt của một xã, trên tổng số {size} tiêu chí.",
        "en": "Mean number of criteria a commune meets, out of {size}.",
    },
    "kpi.below_floor": {"vi": "Xã dưới {floor} tiêu chí", "en": "Communes below {floor} criteria"},
    "kpi.below_floor_help": {
        "vi": "Xã đạt ít hơn {floor} trong {size} tiêu chí: nhóm ưu tiên vốn.",
        "en": "Communes meeting fewer than {floor} of {size} criteria: a funding priority.",
    },
    # -- data page: charts ------------------------------------------------------------------------
    "chart.distribution": {"vi": "Phân bố số tiêu chí đạt", "en": "Communes by criteria met"},
    "chart.distribution_x": {"vi": "Số tiêu chí đạt", "en": "Criteria met"},
    "chart.communes": {"vi": "Số xã", "en": "Communes"},
    "chart.band": {"vi": "Nhóm", "en": "Band"},
    "band.below": {"vi": "Dưới ngưỡng", "en": "Below floor"},
    "band.between": {"vi": "Chưa đạt chuẩn", "en": "Not yet at standard"},
    "band.standard": {"vi": "Đạt chuẩn", "en": "At standard"},
    "chart.unmet": {
        "vi": "Số xã chưa đạt từng tiêu chí",
        "en": "Communes not meeting each criterion",
    },
    "chart.unmet_x": {"vi": "Số xã chưa đạt", "en": "Communes not meeting it"},
    "chart.criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "chart.kind": {"vi": "Loại tiêu chí", "en": "Kind"},
    "heatmap.title": {"vi": "Bảng tiêu chí theo xã", "en": "Criteria by commune"},
    "heatmap.caption": {
        "vi": "Mỗi hàng là một xã (xã đạt ít tiêu chí nhất ở trên), mỗi cột là một tiêu chí. "
        "Rê chuột lên ô để xem phần còn thiếu.",
        "en": "One row per commune (fewest criteria met on top), one column per criterion. "
        "Hover over a cell to see the gap.",
    },
    "heatmap.commune": {"vi": "Xã", "en": "Commune"},
    "heatmap.status": {"vi": "Tình trạng", "en": "Status"},
    "heatmap.gap": {"vi": "Còn thiếu", "en": "Gap"},
    "status.met": {"vi": "Đạt", "en": "Met"},
    "status.unmet": {"vi": "Chưa đạt", "en": "Not met"},
    # -- data page: below-floor table -------------------------------------------------------------
    "below.title": {"vi": "Các xã dưới {floor} tiêu chí", "en": "Communes below {floor} criteria"},
    "below.count": {
        "vi": "{count} xã, xếp từ xã đạt ít tiêu chí nhất.",
        "en": "{count} communes, fewest criteria met first.",
    },
    "below.none": {
        "vi": "Không có xã nào dưới {floor} tiêu chí trong phạm vi đang lọc.",
        "en": "No commune in the selection meets fewer than {floor} criteria.",
    },
    "col.commune": {"vi": "Xã", "en": "Commune"},
    "col.district": {"vi": "Huyện", "en": "District"},
    "col.region": {"vi": "Khu vực", "en": "Region"},
    "col.criteria_met": {"vi": "Tiêu chí đạt", "en": "Criteria met"},
    "col.poverty_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poverty rate"},
    "col.population": {"vi": "Dân số", "en": "Population"},
    "col.flags": {"vi": "Nhóm", "en": "Groups"},
    "col.unmet": {"vi": "Tiêu chí chưa đạt", "en": "Criteria not met"},
    # -- domain words -----------------------------------------------------------------------------
    "region": {"vi": "Khu vực {region}", "en": "Region {region}"},
    "group.extremely_difficult": {"vi": "Xã đặc biệt khó khăn", "en": "Extremely difficult"},
    "group.border": {"vi": "Xã biên giới", "en": "Border"},
    "group.atk": {"vi": "Xã an toàn khu (ATK)", "en": "Safe zone (ATK)"},
    "flag.extremely_difficult": {"vi": "ĐBKK", "en": "Extremely difficult"},
    "flag.border": {"vi": "Biên giới", "en": "Border"},
    "flag.atk": {"vi": "ATK", "en": "ATK"},
    "kind.infrastructure": {"vi": "Hạ tầng", "en": "Infrastructure"},
    "kind.livelihood": {"vi": "Sinh kế", "en": "Livelihood"},
    "kind.social": {"vi": "Xã hội", "en": "Social"},
    "kind.governance": {"vi": "Quản lý", "en": "Governance"},
    "criteria_set.ntm_2021_2025": {
        "vi": "Bộ tiêu chí quốc gia về xã nông thôn mới 2021–2025",
        "en": "National NTM commune criteria 2021–2025",
    },
    "criteria_set.ntm_2026_2030": {
        "vi": "Bộ tiêu chí quốc gia về xã nông thôn mới 2026–2030",
        "en": "National NTM commune criteria 2026–2030",
    },
}

UNITS_VI = {
    "%": "%",
    "km": "km",
    "percentage point": "điểm phần trăm",
    "percentage points": "điểm phần trăm",
    "works": "công trình",
    "million VND/person": "triệu đồng/người",
    "plan": "quy hoạch",
    "school": "trường",
    "facility": "công trình",
    "market": "chợ",
    "point": "điểm",
    "house": "nhà",
    "cooperative": "hợp tác xã",
    "village": "bản",
}
"""Vietnamese names of the gap units the built-in criteria sets use; other units show as written."""


def current_language() -> str:
    """The language chosen in the sidebar (Vietnamese until the user switches)."""
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text for ``key`` in ``lang`` (default: the chosen language), with ``{values}`` filled."""
    text = STRINGS[key][lang or current_language()]
    return text.format(**values) if values else text


def criterion_name(criterion: Criterion, lang: str | None = None) -> str:
    """The criterion's name in the language: ``Giao thông`` / ``Transport``."""
    return criterion.name_en if (lang or current_language()) == "en" else criterion.name_vi


def criterion_label(criterion: Criterion, lang: str | None = None) -> str:
    """Number and name, as the official list writes them: ``2. Giao thông``."""
    return f"{criterion.number}. {criterion_name(criterion, lang)}"


def criteria_set_name(code: str, lang: str | None = None) -> str:
    """A known criteria set's full name; an unknown set shows its code."""
    key = f"criteria_set.{code}"
    return t(key, lang) if key in STRINGS else code


def unit_name(unit: str, lang: str | None = None) -> str:
    """A gap unit in the language (units are written in English in the data)."""
    return UNITS_VI.get(unit, unit) if (lang or current_language()) == "vi" else unit


def group_name(flag: CommuneFlag | str, lang: str | None = None) -> str:
    """A commune group (policy flag) as a filter shows it: ``Xã biên giới``."""
    return t(f"group.{CommuneFlag(flag).value}", lang)


def flag_short(flag: CommuneFlag | str, lang: str | None = None) -> str:
    """A policy flag as a table cell shows it: ``ĐBKK``, ``Biên giới``, ``ATK``."""
    return t(f"flag.{CommuneFlag(flag).value}", lang)


def region_name(region: str, lang: str | None = None) -> str:
    """``Khu vực III`` / ``Region III``."""
    return t("region", lang, region=region)
