"""The engine's plan notes in the reader's language (the app, the command line, reports).

The engine writes its notes in English, as fixed sentences or patterns with values, several
joined by "; " (a baseline's rule and the policies it ignores). Each known part is translated;
anything else is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from models.scenario import Objective
from optimizer.baselines import CHEAPEST_NOTE, CLOSEST_NOTE, FORMULA_NOTE
from optimizer.phasing import PHASED_NOTE
from optimizer.solve import NOT_PROVEN_NOTE, TIME_LIMIT_NOTE
from reports.labels import label

NOTE_TEXTS: dict[str, dict[str, str]] = {
    "note.phased": {
        "vi": "Giải qua bài toán gộp cả giai đoạn: phương án tối ưu khi gộp vốn cả giai đoạn xếp "
        "được vào ngân sách từng năm, nên đạt đúng giá trị tối ưu (cận trên) ở mọi mục tiêu.",
        "en": "Solved through the pooled relaxation: the pooled optimum fits the annual budgets, "
        "so its values bound and are reached on every level.",
    },
    "note.baseline_formula": {
        "vi": "Phân bổ theo định mức, hệ số xã giai đoạn 2026-2030",
        "en": "Formula allocation by 2026-2030 commune weights",
    },
    "note.baseline_closest_first": {
        "vi": "Ưu tiên xã gần đạt chuẩn nhất",
        "en": "Closest to standard first",
    },
    "note.baseline_cheapest_first": {
        "vi": "Ưu tiên xã hoàn thành rẻ nhất",
        "en": "Cheapest completion first",
    },
    "note.ignores": {"vi": "không xét: {policies}", "en": "ignores: {policies}"},
    "note.committed_unfunded": {
        "vi": "không bố trí được hạng mục đã cam kết {item}",
        "en": "committed item {item} could not be funded",
    },
    "note.at_risk_unkept": {
        "vi": "không giữ được tiêu chí {criterion} có nguy cơ của xã {commune}",
        "en": "at-risk {criterion} of commune {commune} could not be kept",
    },
    "note.level_stopped": {
        "vi": "Mục tiêu «{objective}» không tìm được phương án trong giới hạn thời gian; "
        "giữ phương án của mục tiêu trước.",
        "en": "The level «{objective}» found no plan within the time limit; "
        "the plan of the previous level is kept.",
    },
    "ignored.min_shares": {"vi": "tỷ lệ vốn tối thiểu", "en": "minimum shares"},
    "ignored.must_reach": {"vi": "xã phải đạt chuẩn", "en": "communes that must reach standard"},
    "ignored.commune_cap": {"vi": "mức vốn tối đa mỗi xã", "en": "the cap per commune"},
    "ignored.co_financing": {"vi": "vốn đối ứng", "en": "co-financing"},
    "ignored.district_equity": {"vi": "cân đối giữa các huyện", "en": "district equity"},
    "ignored.targets": {"vi": "các mục tiêu", "en": "the targets"},
    "note.time_limit": {
        "vi": "Có mục tiêu dừng ở giới hạn thời gian; xem sai số ở chi tiết từng mục tiêu.",
        "en": "A level stopped at its time limit; see the gaps.",
    },
    "note.not_proven": {
        "vi": "Có mục tiêu chưa được chứng minh tối ưu với sai số bằng 0 (giới hạn thời gian hoặc "
        "sai số cho phép); xem sai số ở chi tiết từng mục tiêu.",
        "en": "A level is not proven with a zero gap (a time limit or an accepted gap); "
        "see the gaps.",
    },
}


def _text(key: str, lang: str, **values: str) -> str:
    text = NOTE_TEXTS[key].get(lang) or NOTE_TEXTS[key]["vi"]
    return text.format(**values) if values else text


PLAN_NOTES = {
    PHASED_NOTE: "note.phased",
    TIME_LIMIT_NOTE: "note.time_limit",
    NOT_PROVEN_NOTE: "note.not_proven",
    FORMULA_NOTE: "note.baseline_formula",
    CLOSEST_NOTE: "note.baseline_closest_first",
    CHEAPEST_NOTE: "note.baseline_cheapest_first",
}
"""The engine's fixed plan notes (English) → their keys here."""
NOTE_PATTERNS = (
    (re.compile(r"ignores: (?P<policies>.+)"), "note.ignores"),
    (re.compile(r"committed item (?P<item>\S+) could not be funded"), "note.committed_unfunded"),
    (
        re.compile(r"at-risk (?P<criterion>\S+) of commune (?P<commune>\S+) could not be kept"),
        "note.at_risk_unkept",
    ),
    (
        re.compile(
            r"Level (?P<objective>\w+) found no plan within the time limit; "
            r"the plan of the previous level is kept\."
        ),
        "note.level_stopped",
    ),
)
"""The engine's notes with values in them → their keys; the values are translated too."""


def plan_note(message: str, lang: str, objective_name: Callable[[str], str] | None = None) -> str:
    """A plan's note in ``lang``: each "; "-separated part the engine writes is translated,
    anything else is shown as written. ``objective_name`` names an objective code (the app names
    the floor objective with its floor); by default the report labels do."""
    name = objective_name or (lambda code: label(f"objective.{code}", lang))
    whole = _note_part(message, lang, name)
    if whole is not None:
        return whole
    parts = message.split("; ")
    return "; ".join(_note_part(part, lang, name) or part for part in parts)


def _note_part(part: str, lang: str, name: Callable[[str], str]) -> str | None:
    """One note the engine writes, in the language; None if it is not one of them."""
    if part in PLAN_NOTES:
        return _text(PLAN_NOTES[part], lang)
    for pattern, key in NOTE_PATTERNS:
        found = pattern.fullmatch(part)
        if found is None:
            continue
        values = found.groupdict()
        if "policies" in values:
            names = [n.strip() for n in values["policies"].split(",")]
            values["policies"] = ", ".join(
                _text(f"ignored.{n}", lang) if f"ignored.{n}" in NOTE_TEXTS else n for n in names
            )
        if "objective" in values and values["objective"] in Objective.__members__.values():
            values["objective"] = name(values["objective"])
        return _text(key, lang, **values)
    return None
