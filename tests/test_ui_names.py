"""Pure helpers behind the pages' safeguards: names from data made literal for markdown, edited
scenarios named apart, budget inputs refused with their reason."""

from __future__ import annotations

import pandas as pd
import pytest

from models.scenario import Budgets, Horizon, Scenario
from ui.format import WORD_JOINER, literal
from ui.scenario_form import MAX_AMOUNT_MILLION, budget_problems
from ui.scenario_names import edited_name, same_question, taken_by_another


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xã Chiềng Mai", "Xã Chiềng Mai"),
        ("Sơn La 2021-2025 (pooled)", "Sơn La 2021-2025 (pooled)"),
        ("**Xã** [a](b)", "\\*\\*Xã\\*\\* \\[a\\](b)"),
        ("1. Xã", "1\\. Xã"),
        ("- Xã", "\\- Xã"),
        ("# Xã", "\\# Xã"),
        (":red[x] $y$", "\\:red\\[x\\] \\$y\\$"),
        ("a\nb", "a b"),
        ("https://x.vn", f"https{WORD_JOINER}\\://x.vn"),
        ("www.x.vn", f"www{WORD_JOINER}.x.vn"),
        ("a@x.vn", f"a{WORD_JOINER}\\@x.vn"),
    ],
)
def test_literal_escapes_what_markdown_would_read(text: str, expected: str) -> None:
    assert literal(text) == expected


def scenario(name: str, scale: float = 1.0, description: str | None = None) -> Scenario:
    return Scenario(
        name=name,
        description=description,
        horizon=Horizon(start=2026, end=2027),
        budgets=Budgets(scale=scale),
    )


def test_an_edit_is_told_from_the_same_question() -> None:
    base = scenario("A")
    assert same_question(base, scenario("B", description="other words"))
    assert not same_question(base, scenario("A", scale=0.8))
    assert taken_by_another(scenario("A", scale=0.8), [base])
    assert not taken_by_another(scenario("A"), [base])
    assert not taken_by_another(scenario("C", scale=0.8), [base])


def test_edited_names_count_on() -> None:
    assert edited_name("A", {"A"}, "bản sửa") == "A (bản sửa)"
    assert edited_name("A", {"A", "A (bản sửa)"}, "bản sửa") == "A (bản sửa 2)"
    assert edited_name("A (bản sửa)", {"A", "A (bản sửa)"}, "bản sửa") == "A (bản sửa 2)"
    assert edited_name("A (bản sửa 2)", set(), "bản sửa") == "A (bản sửa 3)"


def budget_table(factor: float, amount: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"name": ["Trung ương"], "factor": [factor], "2026": [amount]}, index=["central"]
    )


def test_budget_inputs_that_can_be_run_have_no_problem() -> None:
    assert budget_problems(budget_table(80, 10.0), 100) == []
    assert budget_problems(budget_table(0, 0.0), 0) == []
    assert budget_problems(budget_table(100, MAX_AMOUNT_MILLION / 1000), 100) == []


def test_budget_inputs_that_cannot_be_run_say_why() -> None:
    (negative_factor,) = budget_problems(budget_table(-80, 10.0), 100)
    assert "«Trung ương» là -80%, số âm" in negative_factor
    (negative_amount,) = budget_problems(budget_table(100, -5), 100, "en")
    assert "«Trung ương» in 2026 is -5 billion VND, negative" in negative_amount
    (absurd,) = budget_problems(budget_table(100, 999_999_999_999_999.0), 100)
    assert "vượt mức tối đa 1.000.000.000 tỷ đồng" in absurd
    assert budget_problems(budget_table(100, 1.0), None) == [
        "Hệ số chung (%) đang trống: hãy nhập một số, ví dụ 100."
    ]
