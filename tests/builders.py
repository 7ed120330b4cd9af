"""Compact builders for small hand-solved instances (engine tests)."""

from __future__ import annotations

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
)

KINDS = {"transport": "infrastructure", "irrigation": "infrastructure", "income": "livelihood"}


def criteria_set(codes: tuple[str, ...] = ("transport", "irrigation", "income")) -> CriteriaSet:
    return CriteriaSet(
        code="test_set",
        criteria=tuple(
            Criterion(
                code=code,
                number=n,
                name_vi=f"Tiêu chí {code}",
                name_en=code.title(),
                group="test",
                kind=KINDS.get(code, "infrastructure"),
                unit="unit",
            )
            for n, code in enumerate(codes, start=1)
        ),
    )


def dataset(
    gaps: dict[str, dict[str, float]],
    items: list[dict],
    budgets: dict[tuple[str, int], int],
    sources: list[dict] | None = None,
    criteria: tuple[str, ...] = ("transport", "irrigation", "income"),
    communes: dict[str, dict] | None = None,
    at_risk: set[tuple[str, str]] = frozenset(),
) -> Dataset:
    """``gaps``: commune → criterion → gap (only unmet ones); items: dicts with code, cost,
    effects {(commune, criterion): amount} and optional kind/category/duration/maintenance."""
    cset = criteria_set(criteria)
    extra = communes or {}
    commune_rows = [
        Commune(
            code=code,
            name=extra.get(code, {}).get("name", f"Xã {code}"),
            district=extra.get(code, {}).get("district", "Huyện A"),
            region=extra.get(code, {}).get("region", "II"),
            population=1000,
            households=250,
            poverty_rate=extra.get(code, {}).get("poverty_rate", 0.1),
            extremely_difficult=extra.get(code, {}).get("extremely_difficult", False),
            border=extra.get(code, {}).get("border", False),
            ntm_level="standard"
            if not gaps[code] and extra.get(code, {}).get("recognised")
            else "none",
        )
        for code in gaps
    ]
    status = [
        CriterionStatus(
            commune_code=c,
            criterion_code=k,
            met=k not in gaps[c],
            gap=gaps[c].get(k, 0.0),
            at_risk=(c, k) in at_risk,
        )
        for c in gaps
        for k in cset.codes
    ]
    investments, effects = [], []
    for item in items:
        investments.append(
            Investment(
                code=item["code"],
                name=f"Hạng mục {item['code']}",
                kind=item.get("kind", "infrastructure"),
                category=item.get("category", "road"),
                cost=item["cost"],
                duration_years=item.get("duration", 1),
                maintenance=item.get("maintenance", False),
                earliest_year=item.get("earliest_year"),
            )
        )
        for (c, k), amount in item["effects"].items():
            effects.append(
                Effect(
                    investment_code=item["code"], commune_code=c, criterion_code=k, amount=amount
                )
            )
    source_rows = [
        FundingSource(**({"name_vi": s["code"], "name_en": s["code"]} | s))
        for s in (sources or [{"code": "central"}])
    ]
    return Dataset(
        info=DatasetInfo(name="test", province="Test", base_year=2025, criteria_set="test_set"),
        criteria=cset,
        communes=tuple(commune_rows),
        status=tuple(status),
        investments=tuple(investments),
        effects=tuple(effects),
        sources=tuple(source_rows),
        budgets=tuple(
            Budget(source_code=s, year=y, amount=a) for (s, y), a in sorted(budgets.items())
        ),
    )
