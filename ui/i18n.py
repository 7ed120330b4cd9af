"""Every text the app shows, keyed, in Vietnamese (the default) and English.

Pages never write a label inline: they call ``t("kpi.communes")``. The texts live in the
catalogues the command line and the reports share (``models/messages/vi.yaml`` and ``en.yaml``).
The language is the one chosen in the sidebar (``st.session_state["lang"]``); pure code and tests
may pass ``lang`` explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import streamlit as st

from models.commune import CommuneFlag
from models.criteria import Criterion
from models.funding import FundingSource
from models.messages import catalogue, entries, has_text, text
from models.scenario import CommuneGroup, Objective
from optimizer.plan import Plan

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
"""Language code → its name in that language, in the order the switch shows them."""
DEFAULT_LANGUAGE = "vi"
LANGUAGE_KEY = "lang"
"""Session-state key of the chosen language."""

STRINGS: Mapping[str, Mapping[str, str]] = entries()
"""Every text by key and language, as the catalogues (models/messages/<lang>.yaml) hold them."""

# -- The worker process a solve runs in (issue 19): why it was stopped
STRINGS.update(
    {
        "worker.memory": {
            "vi": "phép tính dùng quá {mb} MB bộ nhớ và đã bị dừng",
            "en": "the solve used more than {mb} MB of memory and was stopped",
        },
        "worker.time": {
            "vi": "phép tính chạy quá {seconds} giây và đã bị dừng",
            "en": "the solve took longer than {seconds} s and was stopped",
        },
        "worker.crashed": {
            "vi": "tiến trình tính toán dừng bất thường (mã thoát {code}); có thể nó cần quá "
            "{mb} MB bộ nhớ được phép dùng",
            "en": "the solve process stopped unexpectedly (exit code {code}); it may have needed "
            "more than the {mb} MB of memory it may use",
        },
    }
)

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


ONE_OF_MANY = re.compile(
    r"(?<![\d.,])([+\-−]?1 (?:other )?)(communes|problems|runs|points|items|investments|sources"
    r"|versions|plans|levels|households|criteria)\b"
)
"""English "1 communes", "+1 communes": the count of one with a plural noun."""
SINGULAR = {"criteria": "criterion", "households": "household"}


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text for ``key`` in ``lang`` (default: the chosen language), with ``{values}`` filled;
    in English a count of one takes the singular ("1 commune", not "1 communes")."""
    language = lang or current_language()
    if not values:
        return catalogue(language)[key]
    filled = text(key, language, **values)
    if language == "en":
        filled = ONE_OF_MANY.sub(
            lambda m: f"{m[1]}{SINGULAR.get(m[2], m[2].removesuffix('s'))}", filled
        )
    return filled


def plan_note(plan: Plan, lang: str | None = None, floor: int | None = None) -> str:
    """A plan's notes in the language (``floor`` names the criteria-floor objective)."""
    return plan.note_text(lang or current_language(), floor)


def criterion_name(criterion: Criterion, lang: str | None = None) -> str:
    """The criterion's name in the language: ``Giao thông`` / ``Transport``."""
    return criterion.name_en if (lang or current_language()) == "en" else criterion.name_vi


def criterion_label(criterion: Criterion, lang: str | None = None) -> str:
    """Number and name, as the official list writes them: ``2. Giao thông``."""
    return f"{criterion.number}. {criterion_name(criterion, lang)}"


def criteria_set_name(code: str, lang: str | None = None) -> str:
    """A known criteria set's full name; an unknown set shows its code."""
    key = f"criteria_set.{code}"
    return t(key, lang) if has_text(key) else code


def unit_name(unit: str, lang: str | None = None, amount: float | None = None) -> str:
    """A gap unit in the language (units are written in English in the data); in English a
    countable unit takes the plural for an ``amount`` other than one ("2 schools short")."""
    if (lang or current_language()) == "vi":
        return UNITS_VI.get(unit, unit)
    if amount is None or amount == 1:
        return unit
    if unit == "percentage point":
        return "percentage points"
    if not unit.isalpha() or unit in {"km", "works"} or unit.endswith("s"):
        return unit
    return unit[:-1] + "ies" if unit.endswith("y") and unit[-2] not in "aeiou" else unit + "s"


def group_name(flag: CommuneFlag | str, lang: str | None = None) -> str:
    """A commune group (policy flag) as a filter shows it: ``Xã biên giới``."""
    return t(f"group.{CommuneFlag(flag).value}", lang)


def flag_short(flag: CommuneFlag | str, lang: str | None = None) -> str:
    """A policy flag as a table cell shows it: ``ĐBKK``, ``Biên giới``, ``ATK``."""
    return t(f"flag.{CommuneFlag(flag).value}", lang)


def region_name(region: str, lang: str | None = None) -> str:
    """``Khu vực III`` / ``Region III``."""
    return t("region", lang, region=region)


def source_name(source: FundingSource, lang: str | None = None) -> str:
    """A funding source's name in the language (from the dataset)."""
    return source.name_en if (lang or current_language()) == "en" else source.name_vi


def objective_name(
    objective: Objective | str, lang: str | None = None, floor: int | None = None
) -> str:
    """An objective as a planner says it: ``Nhiều xã đạt chuẩn nông thôn mới nhất``."""
    return t(f"objective.{Objective(objective).value}", lang, floor=floor if floor else "…")


def policy_group_name(group: CommuneGroup | str, lang: str | None = None) -> str:
    """A group a policy can name: ``Xã đặc biệt khó khăn``, ``Xã khu vực III``."""
    return t(f"policy_group.{CommuneGroup(group).value}", lang)
