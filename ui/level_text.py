"""An objective level in words: its value as the planner reads it, and one line per settled level
while a scenario is being solved."""

from __future__ import annotations

from models.scenario import Objective
from optimizer.plan import LevelResult
from ui.format import money, number, percent
from ui.i18n import objective_name, t


def level_value(level: LevelResult, value: float | None, lang: str) -> str:
    """A level's value or bound: money for the least-cost level, a count otherwise."""
    if level.objective == Objective.LEAST_COST:
        return money(value, lang)
    return number(value, 0, lang)


def settled_line(level: LevelResult, order: int, total: int, floor: int | None, lang: str) -> str:
    """``Mức 1/4 — Nhiều xã đạt chuẩn nông thôn mới nhất: 111 (đã chứng minh tối ưu)``."""
    proof = (
        t("run.level_proven", lang)
        if level.proven_optimal
        else t("run.level_gap", lang, gap=percent(level.gap, 2, lang))
    )
    return t(
        "run.level_settled",
        lang,
        order=order,
        total=total,
        objective=objective_name(level.objective, lang, floor=floor),
        value=level_value(level, level.value, lang),
        proof=proof,
    )
