"""Tables of plans dressed for reading: translated headers, names instead of codes, formatted money.

Inputs are the tables of ``optimizer.compare``; values stay numbers underneath (so a column sorts
by value) and a pandas Styler gives them their Vietnamese or English text.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from models.dataset import Dataset
from ui.format import number
from ui.i18n import criterion_label, source_name, t


def _whole(lang: str):
    return lambda v: "–" if pd.isna(v) else number(v, 0, lang)


def _year(v) -> str:
    return "–" if pd.isna(v) else str(int(v))


def commune_table(table: pd.DataFrame, size: int, lang: str) -> Styler:
    """Communes and what the plan does there, most money first."""
    c = {
        "name": t("col.commune", lang),
        "district": t("col.district", lang),
        "before": t("col.criteria_before", lang),
        "after": t("col.criteria_after", lang),
        "outcome": t("col.outcome", lang),
        "year": t("col.year_at_standard", lang),
        "money": t("col.money_million", lang),
    }
    frame = pd.DataFrame(
        {
            c["name"]: table["name"].to_numpy(),
            c["district"]: table["district"].to_numpy(),
            c["before"]: table["criteria_before"].to_numpy(),
            c["after"]: table["criteria_after"].to_numpy(),
            c["outcome"]: [t(f"outcome.{o}", lang) for o in table["outcome"]],
            c["year"]: table["year_at_standard"].to_numpy(),
            c["money"]: table["money"].to_numpy(),
        }
    ).sort_values(c["money"], ascending=False, ignore_index=True)
    return frame.style.format(
        {
            c["before"]: lambda v: f"{v}/{size}",
            c["after"]: lambda v: f"{v}/{size}",
            c["year"]: _year,
            c["money"]: _whole(lang),
        }
    )


def items_table(table: pd.DataFrame, dataset: Dataset, lang: str) -> Styler:
    """Funded items: name, communes, criteria closed, years, cost and money by source used."""
    by_code = dataset.criteria.by_code
    c = {
        "name": t("col.item", lang),
        "communes": t("col.communes_served", lang),
        "district": t("col.district", lang),
        "criteria": t("col.criteria_closed", lang),
        "kind": t("col.kind", lang),
        "start": t("col.start_year", lang),
        "end": t("col.completion_year", lang),
        "cost": t("col.cost_million", lang),
    }
    frame = pd.DataFrame(
        {
            c["name"]: table["name"].to_numpy(),
            c["communes"]: table["communes"].to_numpy(),
            c["district"]: table["districts"].to_numpy(),
            c["criteria"]: [
                "; ".join(
                    criterion_label(by_code[k], lang) for k in str(v).split(";") if k in by_code
                )
                for v in table["criteria"]
            ],
            c["kind"]: [t(f"item_kind.{k}", lang) for k in table["kind"]],
            c["start"]: table["start_year"].to_numpy(),
            c["end"]: table["completion_year"].to_numpy(),
            c["cost"]: table["cost"].to_numpy(),
        }
    )
    money_columns = [c["cost"]]
    for source in dataset.sources:
        column = f"source:{source.code}"
        if column in table and table[column].abs().sum() > 0:
            header = source_name(source, lang)
            frame[header] = table[column].to_numpy()
            money_columns.append(header)
    frame = frame.sort_values(c["cost"], ascending=False, ignore_index=True)
    return frame.style.format(
        {
            **{col: _whole(lang) for col in money_columns},
            c["start"]: _year,
            c["end"]: _year,
        }
    )


def differences_table(table: pd.DataFrame, labels: list[str], size: int, lang: str) -> Styler:
    """Communes whose outcome differs between plans: criteria met after each, ✓ at standard."""
    frame = pd.DataFrame(
        {
            t("col.commune", lang): table["name"].to_numpy(),
            t("col.district", lang): table["district"].to_numpy(),
        }
    )
    for label in labels:
        frame[label] = [
            f"{'✓ ' if standard else ''}{criteria}/{size}"
            for criteria, standard in zip(
                table[f"{label}|criteria"], table[f"{label}|standard"], strict=True
            )
        ]
    return frame.style


def moved_table(
    table: pd.DataFrame, names: dict[str, str], labels: list[str], lang: str, group_header: str
) -> Styler:
    """Money per group in each plan, and the change against the first plan (million VND)."""
    wide = table.pivot(index="group", columns="plan", values="amount").reindex(columns=labels)
    if len(labels) > 1:  # largest move against the reference first
        change = (wide[labels[1:]].sub(wide[labels[0]], axis=0)).abs().max(axis=1)
        wide = wide.loc[change.sort_values(ascending=False, kind="stable").index]
    frame = pd.DataFrame({group_header: [names.get(g, g) or "–" for g in wide.index]})
    money_columns = []
    for label in labels:
        frame[label] = wide[label].to_numpy()
        money_columns.append(label)
    reference = labels[0]
    deltas = []
    for label in labels[1:]:
        header = t("compare.delta_vs", lang, label=label, reference=reference)
        frame[header] = (wide[label] - wide[reference]).to_numpy()
        deltas.append(header)
    signed = lambda v: ("+" if v > 0.5 else "") + number(v, 0, lang)  # noqa: E731
    return frame.style.format(
        {**{col: _whole(lang) for col in money_columns}, **dict.fromkeys(deltas, signed)}
    )
