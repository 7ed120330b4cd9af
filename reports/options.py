"""The options table: plans side by side with what each trades for what, in words from the figures.

Pure functions from a Dataset and labelled plans (an ``OptionSet``'s, or compared scenarios') to
tidy tables; ``write_options_workbook`` writes them as an Excel workbook whose first sheet is the
options sheet. Money is million VND in the tables and tỷ đồng (billion) in the sentences.
Communes are grouped by district, or by region (I / II / III) where the package has no districts
(Sơn La after the 2025 reform), and the tables say which (column ``group_kind``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from models.dataset import Dataset
from optimizer.compare import kpi_values, money_by_commune
from optimizer.plan import Plan
from reports.excel import fit_columns, write_frame
from reports.labels import label
from reports.tables import PAID_PREFIX

MILLION_PER_BILLION = 1000
NAMES_SHOWN = 3
"""Commune names spelled out in a trade sentence before '… and N more'."""
SOURCE_PREFIX = PAID_PREFIX
"""Options-table columns of money by source: ``paid_<source>`` (money-formatted in Excel)."""
GROUP_PREFIX = PAID_PREFIX + "in:"
"""Options-table columns of money by district or region: ``paid_in:<group>``."""
KPI_HEADERS = {
    "at_standard": "col.communes_at_standard",
    "at_floor": "col.communes_at_floor",
    "criteria_met": "col.criteria_met_after",
    "money_total": "col.money_total",
    "items_funded": "col.items_funded",
}
MONEY_MOVED = 0.5
"""Money differences (million VND) below this are rounding, not money moved."""


def group_kind(dataset: Dataset) -> str:
    """'district' when the package has districts, else 'region'."""
    return "district" if any(c.district for c in dataset.communes) else "region"


def group_of(dataset: Dataset) -> dict[str, str]:
    """Commune code → its group name (district, or 'Khu vực II' / 'Region II')."""
    if group_kind(dataset) == "district":
        return {c.code: c.district or "" for c in dataset.communes}
    return {c.code: c.region.value for c in dataset.communes}


def group_name(dataset: Dataset, group: str, lang: str) -> str:
    if group_kind(dataset) == "district":
        return group
    return label("group.region_value", lang, region=group)


def option_name(option_label: str, lang: str) -> str:
    """'optimum' → 'Tối ưu'; 'option_2' → 'Phương án 2'; anything else unchanged."""
    if option_label == "optimum":
        return label("option.optimum", lang)
    if option_label.startswith("option_"):
        return label("option.numbered", lang, n=option_label.removeprefix("option_"))
    return option_label


def money_by_group(dataset: Dataset, plans: Mapping[str, Plan]) -> pd.DataFrame:
    """Tidy: group, option, amount — money per district (or region) in each plan, every group."""
    groups = group_of(dataset)
    order = list(dict.fromkeys(groups[c.code] for c in dataset.communes))
    rows = []
    for option, plan in plans.items():
        money = money_by_commune(plan)
        totals = dict.fromkeys(order, 0.0)
        for code, amount in money.items():
            totals[groups[str(code)]] += float(amount)
        rows += [{"group": g, "option": option, "amount": a} for g, a in totals.items()]
    return pd.DataFrame(rows, columns=["group", "option", "amount"])


def options_table(
    dataset: Dataset, plans: Mapping[str, Plan], asks: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per plan: option, ask, key figures, gained / lost against the first plan, money by
    source (``paid_<code>``) and by group (``paid_in:<name>``)."""
    first = next(iter(plans.values()))
    reference = first.at_standard_codes()
    money = money_by_group(dataset, plans)
    rows = []
    for option, plan in plans.items():
        kpis = kpi_values(plan)
        codes = plan.at_standard_codes()
        row: dict[str, object] = {
            "option": option,
            "ask": (asks or {}).get(option, ""),
            "at_standard": kpis["at_standard"].after if kpis else None,
            "at_floor": kpis["at_floor"].after if kpis else None,
            "criteria_met": kpis["criteria_met"].after if kpis else None,
            "money_total": kpis["money_total"].after if kpis else None,
            "items_funded": kpis["items_funded"].after if kpis else None,
            "gained_vs_optimum": len(codes - reference),
            "lost_vs_optimum": len(reference - codes),
        }
        spent = plan.kpis.money_by_source if plan.kpis else {}
        for source in dataset.sources:
            row[f"{SOURCE_PREFIX}{source.code}"] = float(spent.get(source.code, 0.0))
        mine = money[money["option"] == option]
        for group, amount in zip(mine["group"], mine["amount"], strict=True):
            row[f"{GROUP_PREFIX}{group}"] = amount
        rows.append(row)
    return pd.DataFrame(rows)


def differing_communes(dataset: Dataset, plans: Mapping[str, Plan]) -> pd.DataFrame:
    """Counted communes at standard in some plans but not all: commune, name, group, then one
    boolean column per plan label; sorted by group and name."""
    sets = {option: plan.at_standard_codes() for option, plan in plans.items()}
    union = set().union(*sets.values())
    common = set.intersection(*(set(s) for s in sets.values())) if sets else set()
    groups = group_of(dataset)
    rows = []
    for commune in dataset.communes:
        if commune.code in union - common:
            row: dict[str, object] = {
                "commune": commune.code,
                "name": commune.name,
                "group": groups[commune.code],
            }
            row |= {option: commune.code in codes for option, codes in sets.items()}
            rows.append(row)
    table = pd.DataFrame(rows, columns=["commune", "name", "group", *plans])
    return table.sort_values(["group", "name"], ignore_index=True)


# -- words from the figures ---------------------------------------------------------------------
def _number(value: float, lang: str, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "vi" else text


def _signed(value: float, lang: str, decimals: int = 0) -> str:
    text = _number(abs(value), lang, decimals)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def _names(dataset: Dataset, codes: set[str], lang: str) -> str:
    names = sorted(dataset.commune_by_code[c].name for c in codes)
    if len(names) <= NAMES_SHOWN:
        return ", ".join(names)
    shown = ", ".join(names[:NAMES_SHOWN])
    return label("trade.more", lang, names=shown, n=len(names) - NAMES_SHOWN)


def trade_sentences(
    dataset: Dataset, plans: Mapping[str, Plan], lang: str = "vi", reference: str | None = None
) -> dict[str, str]:
    """Plan label → what it trades against the first plan, in plain words from the figures.

    ``reference``: what the sentences call the first plan (default: the optimum); that plan gets
    an empty text. Each other: the communes it brings to standard
    instead of the first plan's, its counts and money with differences, the groups (districts or
    regions) that gain and lose most money, and border / extremely difficult communes at standard.
    """
    labels = list(plans)
    first = plans[labels[0]]
    reference_name = reference or label("trade.reference", lang)
    base_codes = first.at_standard_codes()
    money = money_by_group(dataset, plans)
    base_money = money[money["option"] == labels[0]].set_index("group")["amount"]
    flagged = {
        flag: {c.code for c in dataset.communes if getattr(c, flag)}
        for flag in ("border", "extremely_difficult")
    }
    texts = {labels[0]: ""}
    for option in labels[1:]:
        plan = plans[option]
        if plan.kpis is None or first.kpis is None:
            texts[option] = ""
            continue
        codes = plan.at_standard_codes()
        gained, lost = codes - base_codes, base_codes - codes
        parts = []
        if gained or lost:
            key = (
                "trade.swap"
                if gained and lost
                else "trade.gained_only"
                if gained
                else "trade.lost_only"
            )
            parts.append(
                label(
                    key,
                    lang,
                    gained=len(gained),
                    gained_names=_names(dataset, gained, lang) or "–",
                    lost=len(lost),
                    lost_names=_names(dataset, lost, lang) or "–",
                    reference=reference_name,
                )
            )
        else:
            parts.append(label("trade.same", lang, reference=reference_name))
        k, k0 = plan.kpis, first.kpis
        parts.append(
            label(
                "trade.count",
                lang,
                value=k.at_standard_after,
                delta=_signed(k.at_standard_after - k0.at_standard_after, lang),
                reference=reference_name,
            )
        )
        if k.at_floor_after != k0.at_floor_after:
            parts.append(
                label(
                    "trade.floor",
                    lang,
                    value=k.at_floor_after,
                    delta=_signed(k.at_floor_after - k0.at_floor_after, lang),
                )
            )
        parts.append(
            label(
                "trade.money",
                lang,
                value=_number(k.money_total / MILLION_PER_BILLION, lang),
                delta=_signed((k.money_total - k0.money_total) / MILLION_PER_BILLION, lang, 1),
            )
        )
        mine = money[money["option"] == option].set_index("group")["amount"]
        delta = (mine - base_money).sort_values()
        if len(delta) and delta.iloc[-1] > MONEY_MOVED and delta.iloc[0] < -MONEY_MOVED:
            parts.append(
                label(
                    "trade.group_moves",
                    lang,
                    more=group_name(dataset, str(delta.index[-1]), lang),
                    gain=_number(delta.iloc[-1] / MILLION_PER_BILLION, lang),
                    less=group_name(dataset, str(delta.index[0]), lang),
                    loss=_number(-delta.iloc[0] / MILLION_PER_BILLION, lang),
                )
            )
        counts = {
            flag: (len(base_codes & members), len(codes & members))
            for flag, members in flagged.items()
        }
        if any(before != after for before, after in counts.values()):
            parts.append(
                label(
                    "trade.flags",
                    lang,
                    border=f"{counts['border'][0]} → {counts['border'][1]}",
                    difficult=(
                        f"{counts['extremely_difficult'][0]} → {counts['extremely_difficult'][1]}"
                    ),
                )
            )
        texts[option] = " ".join(parts)
    return texts


# -- workbook -----------------------------------------------------------------------------------
def table_headers(frame: pd.DataFrame, dataset: Dataset, lang: str) -> list[str]:
    sources = {s.code: (s.name_vi, s.name_en) for s in dataset.sources}
    headers = []
    for key in map(str, frame.columns):
        if key.startswith(GROUP_PREFIX):
            headers.append(group_name(dataset, key.removeprefix(GROUP_PREFIX), lang))
        elif key.startswith(SOURCE_PREFIX):
            vi, en = sources.get(key.removeprefix(SOURCE_PREFIX), (key, key))
            headers.append(vi if lang == "vi" else en)
        elif key in KPI_HEADERS:
            headers.append(label(KPI_HEADERS[key], lang))
        else:
            headers.append(label(f"col.{key}", lang))
    return headers


def options_sheets(
    dataset: Dataset,
    plans: Mapping[str, Plan],
    asks: Mapping[str, str] | None = None,
    lang: str = "vi",
) -> dict[str, pd.DataFrame]:
    """The workbook's tables with shown values: options (with the trade sentence), communes that
    differ, money by group."""
    table = options_table(dataset, plans, asks)
    trades = trade_sentences(dataset, plans, lang)
    table["trade"] = [trades.get(o, "") for o in table["option"]]
    table["option"] = [option_name(o, lang) for o in table["option"]]
    table["ask"] = [label(f"ask.{a}", lang) if a else "" for a in table["ask"]]
    communes = differing_communes(dataset, plans)
    communes["group"] = [group_name(dataset, g, lang) for g in communes["group"]]
    for option in plans:
        communes[option] = communes[option].astype(bool)
    communes = communes.rename(columns={o: option_name(o, lang) for o in plans})
    money = money_by_group(dataset, plans)
    money["group"] = [group_name(dataset, g, lang) for g in money["group"]]
    money["option"] = [option_name(o, lang) for o in money["option"]]
    return {"options": table, "options_communes": communes, "options_money": money}


def write_options_workbook(
    path: Path,
    dataset: Dataset,
    plans: Mapping[str, Plan],
    asks: Mapping[str, str] | None = None,
    lang: str = "vi",
) -> Path:
    """options.xlsx: the options sheet first, then communes that differ and money by group."""
    sheets = options_sheets(dataset, plans, asks, lang)
    wb = Workbook()
    for index, (key, frame) in enumerate(sheets.items()):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = label(f"sheet.{key}", lang)[:31]
        if key == "options_communes":
            headers = [
                label("col.commune", lang),
                label("col.commune_name", lang),
                label(f"group.{group_kind(dataset)}", lang),
                *map(str, frame.columns[3:]),
            ]
        elif key == "options_money":
            headers = [
                label(f"group.{group_kind(dataset)}", lang),
                label("col.option", lang),
                label("col.amount", lang),
            ]
        else:
            headers = table_headers(frame, dataset, lang)
        write_frame(ws, frame, lang, headers=headers)
        fit_columns(ws)
    wb.save(path)
    return path
