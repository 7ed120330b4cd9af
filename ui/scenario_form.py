"""The Scenario page's form, both ways: a Scenario → the tables the editors show, edited → Scenario.

Pure (pandas and pydantic only, no Streamlit), so the round trip is tested without a browser. Money in
the editors is in tỷ đồng (billion VND); scenarios keep million VND, exact integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from pydantic import ValidationError

from models.base import MAX_MONEY
from models.dataset import Dataset
from models.scenario import (
    Budgets,
    CoFinancing,
    MinShare,
    MustReach,
    Scenario,
)
from ui import format as fmt
from ui.format import MILLION_PER_BILLION
from ui.i18n import t

NAME_COLUMN = "name"
FACTOR_COLUMN = "factor"
"""Budget editor: the source's own multiplier, in percent (``scale_by_source``)."""
MUST_REACH_COMMUNES = "must_reach_communes"
MUST_REACH_DISTRICTS = "must_reach_districts"
ALL_SOURCES = ""
"""The min-share editor's source value meaning "money of every source"."""
EDIT_TOLERANCE = 1e-9
"""An edited cell differs from what the editor showed by more than this (tỷ đồng)."""
RATE_ROW = "rate"
"""The disbursement editor's one row: a year's own disbursement rate, in percent."""


def year_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in (NAME_COLUMN, FACTOR_COLUMN)]


# -- budgets -------------------------------------------------------------------------------------
def budget_table(
    dataset: Dataset, scenario: Scenario, source_names: dict[str, str]
) -> pd.DataFrame:
    """Index: source code; columns: name, factor (%), then one column per year (tỷ đồng).

    A cell is the scenario's money for the source and year: the dataset's budget × the scenario's
    scale × the source's factor, or the scenario's exact override.
    """
    b = scenario.budgets
    base = {(x.source_code, x.year): float(x.amount) for x in dataset.budgets}
    overrides = {(o.source, o.year): float(o.amount) for o in b.overrides}
    years = sorted({x.year for x in dataset.budgets} | {o.year for o in b.overrides})
    rows = []
    for source in dataset.sources:
        factor = b.scale_by_source.get(source.code, 1.0)
        row: dict[str, object] = {
            NAME_COLUMN: source_names.get(source.code, source.code),
            FACTOR_COLUMN: factor * 100,
        }
        for year in years:
            key = (source.code, year)
            amount = overrides[key] if key in overrides else base.get(key, 0.0) * b.scale * factor
            row[str(year)] = amount / MILLION_PER_BILLION
        rows.append(row)
    return pd.DataFrame(
        rows,
        index=pd.Index([s.code for s in dataset.sources], name="source"),
        columns=[NAME_COLUMN, FACTOR_COLUMN, *(str(y) for y in years)],
    )


MAX_AMOUNT_MILLION = MAX_MONEY
"""The largest budget the form accepts, in million VND (10^12 million = 10^9 tỷ đồng): the cap
the data models apply for the solver (models.base.MAX_MONEY); a larger amount is a typing slip."""


def budget_problems(
    edited: pd.DataFrame, scale_percent: float | None, lang: str = "vi"
) -> list[str]:
    """Why the budget inputs cannot be run, in the user's words: a negative or missing overall
    factor, a negative factor or amount (naming the source and year), an amount, or a factor
    times the budget, above :data:`MAX_AMOUNT_MILLION`."""
    problems = []
    cap = t("form.problem.cap", lang, cap=_billions(MAX_AMOUNT_MILLION, lang))
    if scale_percent is None or _missing(scale_percent):
        problems.append(t("form.problem.scale_missing", lang))
    elif scale_percent < 0:
        problems.append(t("form.problem.scale_negative", lang, value=_plain(scale_percent, lang)))
    for source in edited.index:
        name = edited.at[source, NAME_COLUMN]
        factor = edited.at[source, FACTOR_COLUMN]
        if factor is not None and not _missing(factor) and float(factor) < 0:
            problems.append(
                t(
                    "form.problem.factor_negative",
                    lang,
                    source=fmt.literal(name),
                    value=_plain(factor, lang),
                )
            )
        for year in year_columns(edited):
            amount = edited.at[source, year]
            if amount is None or _missing(amount):
                continue
            if float(amount) < 0:
                problems.append(
                    t(
                        "form.problem.amount_negative",
                        lang,
                        source=fmt.literal(name),
                        year=year,
                        value=_plain(amount, lang),
                    )
                )
            elif float(amount) * MILLION_PER_BILLION > MAX_AMOUNT_MILLION:
                problems.append(
                    t(
                        "form.problem.amount_too_large",
                        lang,
                        source=fmt.literal(name),
                        year=year,
                        value=_plain(amount, lang),
                        cap=cap,
                    )
                )
    return problems


def _plain(value: object, lang: str) -> str:
    amount = float(value)  # type: ignore[arg-type]
    return fmt.number(amount, 0 if amount.is_integer() else 2, lang)


def _billions(million_vnd: float, lang: str) -> str:
    return fmt.in_billions(million_vnd, lang, 0)


def budgets_from_table(
    scenario: Scenario,
    shown: pd.DataFrame,
    edited: pd.DataFrame,
    scale_percent: float,
    carry_over: bool,
    disbursement: Disbursement | None = None,
) -> Budgets:
    """The scenario's budgets after the editor: new scale and factors, edited cells as overrides,
    and the disbursement rates (kept from ``scenario`` when ``disbursement`` is None).

    A cell the user changed becomes an exact amount (it is not multiplied by any scale); earlier
    overrides stay unless their cell was changed; an emptied cell counts as unchanged.
    """
    old = scenario.budgets
    factors = {}
    for source, factor in edited[FACTOR_COLUMN].items():
        value = 100.0 if factor is None or _missing(factor) else float(factor)
        if not math.isclose(value, 100.0):
            factors[str(source)] = value / 100
    overrides = {(o.source, o.year): o.amount for o in old.overrides}
    for column in year_columns(shown):
        for source in shown.index:
            before, after = shown.at[source, column], edited.at[source, column]
            if after is None or _missing(after):
                continue
            if abs(float(after) - float(before)) > EDIT_TOLERANCE:
                overrides[(str(source), int(column))] = round(float(after) * MILLION_PER_BILLION)
    content = old.model_dump(mode="json")  # fields the form does not show are kept
    content.update(
        {
            "scale": scale_percent / 100,
            "scale_by_source": factors,
            "overrides": [
                {"source": s, "year": y, "amount": a} for (s, y), a in sorted(overrides.items())
            ],
            "carry_over": carry_over,
        }
    )
    if disbursement is not None:
        content.update(disbursement_from_form(disbursement))
    return Budgets.model_validate(content)


# -- disbursement --------------------------------------------------------------------------------
@dataclass
class Disbursement:
    """The disbursement rates as the form collected them, in percent."""

    overall_percent: float | None
    """Share of the money on hand that can be paid out in a year; None: no limit."""
    by_year: pd.DataFrame
    """The per-year editor: one row, a column per year, a percentage or empty (the overall rate)."""


def disbursement_table(scenario: Scenario, years: list[int]) -> pd.DataFrame:
    """Index: ``rate``; one column per year (``years`` and any year the scenario names): the
    year's own disbursement rate in percent, or empty where the overall rate applies."""
    by_year = scenario.budgets.disbursement_by_year
    columns = [str(y) for y in sorted(set(years) | set(by_year))]
    row = {str(y): rate * 100 for y, rate in by_year.items()}
    return pd.DataFrame(
        [[row.get(c) for c in columns]],
        index=pd.Index([RATE_ROW]),
        columns=columns,
        dtype="float64",
    )


def disbursement_from_form(d: Disbursement) -> dict[str, object]:
    """The Budgets fields the disbursement inputs set: ``disbursement_rate`` and
    ``disbursement_by_year`` (fractions; an empty year cell takes the overall rate)."""
    by_year = {}
    for column in d.by_year.columns:
        value = d.by_year.iloc[0][column]
        if value is None or _missing(value):
            continue
        by_year[int(column)] = float(value) / 100
    overall = d.overall_percent
    return {
        "disbursement_rate": None if overall is None or _missing(overall) else overall / 100,
        "disbursement_by_year": by_year,
    }


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# -- policies ------------------------------------------------------------------------------------
def min_share_table(scenario: Scenario) -> pd.DataFrame:
    """One row per minimum share: name (kept hidden), group, district, share (%), source."""
    return pd.DataFrame(
        [
            {
                "name": m.name,
                "group": m.group.value,
                "district": m.district,
                "share": m.share * 100,
                "source": m.source or ALL_SOURCES,
            }
            for m in scenario.policies.min_shares
        ],
        columns=["name", "group", "district", "share", "source"],
    ).astype({"name": "object", "group": "object", "district": "object", "source": "object"})


def min_shares_from_table(table: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """Rows of the min-share editor → MinShare fields, and a message for every unusable row.

    Rows without a group are ignored (an empty new row); names are kept, or made from the group.
    """
    shares, problems, names = [], [], set()
    for number, row in enumerate(table.to_dict("records"), start=1):
        group = row.get("group")
        if not group or _missing(group):
            continue
        name = row.get("name")
        if not name or _missing(name):
            name = f"min_share_{group}"
        base, suffix = str(name), 2
        while name in names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        names.add(name)
        share = row.get("share")
        source = row.get("source")
        district = row.get("district")
        fields = {
            "name": name,
            "group": group,
            "district": None if not district or _missing(district) else district,
            "share": 0.0 if share is None or _missing(share) else float(share) / 100,
            "source": None if not source or _missing(source) else source,
        }
        try:
            MinShare.model_validate(fields)
        except ValidationError as error:
            problems += [f"{number} — {_message(e)}" for e in error.errors()]
            continue
        shares.append(fields)
    return shares, problems


def co_financing_table(scenario: Scenario) -> pd.DataFrame:
    """One row per co-financing rule: name (hidden), source, of_source, ratio (%)."""
    return pd.DataFrame(
        [
            {"name": c.name, "source": c.source, "of_source": c.of_source, "ratio": c.ratio * 100}
            for c in scenario.policies.co_financing
        ],
        columns=["name", "source", "of_source", "ratio"],
    ).astype({"name": "object", "source": "object", "of_source": "object"})


def co_financing_from_table(table: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """Rows of the co-financing editor → CoFinancing fields, and a message per unusable row."""
    rules, problems, names = [], [], set()
    for number, row in enumerate(table.to_dict("records"), start=1):
        source, of_source = row.get("source"), row.get("of_source")
        if not source or _missing(source) or not of_source or _missing(of_source):
            continue
        name = row.get("name")
        if not name or _missing(name):
            name = f"co_financing_{source}_{of_source}"
        if name in names:
            continue
        names.add(name)
        ratio = row.get("ratio")
        fields = {
            "name": name,
            "source": source,
            "of_source": of_source,
            "ratio": 0.0 if ratio is None or _missing(ratio) else float(ratio) / 100,
        }
        try:
            CoFinancing.model_validate(fields)
        except ValidationError as error:
            problems += [f"{number} — {_message(e)}" for e in error.errors()]
            continue
        rules.append(fields)
    return rules, problems


def must_reach_communes(scenario: Scenario) -> list[str]:
    """Communes any must-reach policy names, in order (districts are shown apart)."""
    return list(dict.fromkeys(c for m in scenario.policies.must_reach for c in m.communes))


def must_reach_districts(scenario: Scenario) -> list[str]:
    return list(dict.fromkeys(d for m in scenario.policies.must_reach for d in m.districts))


# -- the whole scenario --------------------------------------------------------------------------
@dataclass
class FormValues:
    """What the Scenario form collected, before validation."""

    name: str
    description: str
    start: int
    end: int
    pooled: bool
    carry_over: bool
    scale_percent: float | None
    """None: the overall factor was left empty (a problem the form reports)."""
    budgets_shown: pd.DataFrame
    budgets_edited: pd.DataFrame
    objectives: list[str]
    criteria_floor: int | None
    """None: the default floor of the set (15 of 19, scaled)."""
    target_standard: int | None
    no_commune_below_floor: bool
    maintain_standard: bool
    include_wards: bool
    commune_cap_billion: float | None
    must_reach_communes: list[str] = field(default_factory=list)
    must_reach_districts: list[str] = field(default_factory=list)
    min_shares: pd.DataFrame | None = None
    co_financing: pd.DataFrame | None = None
    time_limit: float = 60.0
    gap_percent: float = 0.0
    disbursement: Disbursement | None = None
    """None: the form did not show disbursement rates (the base scenario's are kept)."""


def build_scenario(
    base: Scenario, v: FormValues, lang: str = "vi"
) -> tuple[Scenario | None, list[str]]:
    """The scenario the form describes (fields it does not show are kept from ``base``).

    Returns the scenario, or None and every problem found, in the language where the form can
    say it (the rest as "field: message" from validation).
    """
    problems: list[str] = []
    if not v.name.strip():
        problems.append(t("form.problem.name", lang))
    if v.start > v.end:
        problems.append(t("form.problem.horizon", lang, start=v.start, end=v.end))
    if not v.objectives:
        problems.append(t("form.problem.objectives", lang))
    money_problems = budget_problems(v.budgets_edited, v.scale_percent, lang)
    problems += money_problems
    try:
        if money_problems:
            raise _Refused
        budgets = budgets_from_table(
            base,
            v.budgets_shown,
            v.budgets_edited,
            v.scale_percent or 0.0,
            v.carry_over,
            v.disbursement,
        )
    except ValidationError as error:
        problems += [f"budgets.{_message(e)}" for e in error.errors()]
        budgets = base.budgets
    except _Refused:
        budgets = base.budgets
    min_shares, share_problems = (
        min_shares_from_table(v.min_shares)
        if v.min_shares is not None
        else ([m.model_dump() for m in base.policies.min_shares], [])
    )
    problems += [t("form.problem.min_share", lang, problem=p) for p in share_problems]
    co_financing, co_problems = (
        co_financing_from_table(v.co_financing)
        if v.co_financing is not None
        else ([c.model_dump() for c in base.policies.co_financing], [])
    )
    problems += [t("form.problem.co_financing", lang, problem=p) for p in co_problems]
    must_reach = []
    kept_by_year = next((m.by_year for m in base.policies.must_reach if m.by_year), None)
    if v.must_reach_communes:
        must_reach.append(
            MustReach(
                name=MUST_REACH_COMMUNES,
                communes=tuple(v.must_reach_communes),
                by_year=kept_by_year,
            ).model_dump()
        )
    if v.must_reach_districts:
        must_reach.append(
            MustReach(
                name=MUST_REACH_DISTRICTS,
                districts=tuple(v.must_reach_districts),
                by_year=kept_by_year,
            ).model_dump()
        )
    cap = v.commune_cap_billion
    content = base.model_dump(mode="json")
    content.update(
        {
            "name": v.name.strip(),
            "description": v.description.strip() or None,
            "horizon": {"start": v.start, "end": v.end, "single_period": v.pooled},
            "budgets": budgets.model_dump(mode="json"),
            "objectives": list(v.objectives),
            "criteria_floor": v.criteria_floor,
        }
    )
    content["targets"] = {
        **content["targets"],
        "communes_at_standard": v.target_standard,
        "no_commune_below_floor": v.no_commune_below_floor,
    }
    content["policies"] = {
        **content["policies"],
        "min_shares": min_shares,
        "must_reach": must_reach,
        "co_financing": co_financing,
        "maintain_standard": v.maintain_standard,
        "include_wards": v.include_wards,
        "commune_cap": None if not cap else round(cap * MILLION_PER_BILLION),
    }
    content["solver"] = {
        **content["solver"],
        "time_limit": v.time_limit,
        "relative_gap": v.gap_percent / 100,
    }
    if problems:
        return None, problems
    try:
        return Scenario.model_validate(content), []
    except ValidationError as error:
        return None, [_message(e) for e in error.errors()]


class _Refused(Exception):
    """The budget inputs have problems already said in the user's words."""


def _message(error: dict) -> str:
    where = ".".join(str(p) for p in error["loc"])
    text = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {text}" if where else text
