"""Shared pydantic configuration and value types for the domain models.

Every value that comes from a spreadsheet cell passes through these types, so a planner's file is
read the same way whether it is CSV or Excel: empty cells become ``None``, booleans may be written
``true``/``false``, ``1``/``0``, ``yes``/``no`` or ``có``/``không``, lists are ``;``-separated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, Self, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from models.messages import invalid

CODE_PATTERN = re.compile(r"^[a-z0-9_]+$")
TRUE_WORDS = {"true", "1", "yes", "y", "có", "co", "x"}
FALSE_WORDS = {"false", "0", "no", "n", "không", "khong", ""}


class FrozenModel(BaseModel):
    """Immutable, strict-about-fields base for every domain type (numbers must be finite)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False
    )

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update`` the result is validated like a new object, so a changed copy
        never skips a rule nor keeps lookups computed for the original."""
        if not update:
            return super().model_copy(deep=deep)
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return self.model_validate({**fields, **update})


def _empty_to_none(value: Any) -> Any:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    return value


def _parse_bool(value: Any) -> Any:
    if value is None:
        return False
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise invalid("value.not_yes_no", value=repr(value))
    return value


def _split_list(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


def _check_code(value: str) -> str:
    if not CODE_PATTERN.match(value):
        raise invalid("value.not_code", value=repr(value))
    return value


def _show(value: float) -> str:
    """A number as a planner wrote it: whole amounts in full (``:g`` would show 1.25e+07)."""
    return str(value) if isinstance(value, int) else f"{value:g}"


def _check_fraction(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise invalid("value.not_fraction", value=_show(value))
    return value


def _check_non_negative(value: float) -> float:
    if value < 0:
        raise invalid("value.negative", value=_show(value))
    return value


MAX_MONEY = 10**12
"""Most million VND an amount may be: the solvers refuse coefficients from about 10^15 and lose
whole-number precision far below that, so larger amounts are refused where they are read."""


def _check_money(value: int) -> int:
    _check_non_negative(value)
    if value > MAX_MONEY:
        raise invalid("value.money_too_large", value=_show(value), most=f"{MAX_MONEY:,}")
    return value


def _check_positive_money(value: int) -> int:
    _check_positive(value)
    return _check_money(value)


def _check_positive(value: float) -> float:
    if value <= 0:
        raise invalid("value.not_positive", value=_show(value))
    return value


def _pad_admin_code(value: Any) -> Any:
    """Official administrative codes have five digits; Excel drops leading zeros, so pad them."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
        if value.isdigit() and len(value) < 5:
            return value.zfill(5)
    return value


def _nfc(value: Any) -> Any:
    """Vietnamese text in one Unicode form (NFC): "Mẫu" typed with combining marks (Unikey's
    "Unicode tổ hợp", macOS) must equal the precomposed "Mẫu" of another file."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _non_empty(value: str) -> str:
    if not value:
        raise invalid("value.empty")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise invalid("value.control_character")
    return value


Code = Annotated[str, AfterValidator(_check_code)]
"""An identifier such as a criterion or source code: ``[a-z0-9_]+``."""
Text = Annotated[str, BeforeValidator(_nfc), AfterValidator(_non_empty)]
"""Non-empty free text (names keep their Vietnamese diacritics)."""
AdminCode = Annotated[str, BeforeValidator(_pad_admin_code), AfterValidator(_non_empty)]
"""An official administrative code, zero-padded to five digits when numeric."""
Flag = Annotated[bool, BeforeValidator(_parse_bool)]
Fraction = Annotated[float, AfterValidator(_check_fraction)]
OptionalFraction = Annotated[Fraction | None, BeforeValidator(_empty_to_none)]
Money = Annotated[int, AfterValidator(_check_money)]
"""An amount in million VND (triệu đồng), whole, not negative and at most MAX_MONEY."""
PositiveMoney = Annotated[int, AfterValidator(_check_positive_money)]
NonNegativeInt = Annotated[int, AfterValidator(_check_non_negative)]
NonNegativeFloat = Annotated[float, AfterValidator(_check_non_negative)]
PositiveFloat = Annotated[float, AfterValidator(_check_positive)]
OptionalInt = Annotated[int | None, BeforeValidator(_empty_to_none)]
OptionalText = Annotated[str | None, BeforeValidator(_empty_to_none), BeforeValidator(_nfc)]
OptionalNonNegativeFloat = Annotated[NonNegativeFloat | None, BeforeValidator(_empty_to_none)]


_Item = TypeVar("_Item")
CodeList = Annotated[tuple[_Item, ...], BeforeValidator(_split_list)]
"""``CodeList[T]``: a ``;``-separated list in a cell, as a tuple of T (empty cell: empty tuple)."""


def code_list(item_type: Any) -> Any:
    """``CodeList[item_type]`` (kept for callers that build the type at run time)."""
    return CodeList[item_type]
