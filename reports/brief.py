"""A one-page brief (PDF) of 2-4 options or compared scenarios, for the leadership's meeting.

fpdf2 writes the page with DejaVu Sans embedded (the TTF files matplotlib ships, so no font has
to be installed): every Vietnamese letter is a precomposed Unicode character DejaVu has, so the
text renders and extracts with its diacritics intact. The page holds the date, the scenario and
its version with its approval state (or 'not recorded'), the key figures side by side, one chart
(money per district, or per region where the package has no districts), what each option trades
in words from the figures, and the communes at standard in some options but not others.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.plan import Plan
from reports.charts import MILLION_PER_BILLION, _pyplot
from reports.labels import label
from reports.options import (
    differing_communes,
    group_kind,
    group_name,
    money_by_group,
    option_name,
    trade_sentences,
)
from store import NotFound, scenario_hash

if TYPE_CHECKING:
    from fpdf import FPDF

MAX_PLANS = 4
FONT = "DejaVu"
PAGE_BOTTOM_MM = 14
"""Space kept free at the foot of the page (for the footer line)."""
ROW_MM = 4.0
CHART_MAX_INCHES = 2.6
"""Tallest chart (at 7.2 in wide), so that the communes table keeps room on the page."""
COLORS = ("#1f5c3a", "#c47f17", "#3a6ea5", "#8e3b46")


def font_files() -> dict[str, Path]:
    """DejaVu Sans regular and bold, from matplotlib's bundled fonts."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": folder / "DejaVuSans.ttf", "B": folder / "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class Brief:
    """What the page says: the plans (2-4, label → plan, the reference first) and their context."""

    dataset: Dataset
    plans: Mapping[str, Plan]
    scenario_lines: tuple[str, ...]
    """One line per scenario: its name and version with approval state, or 'not recorded'."""
    title_key: str = "brief.title"
    asks: Mapping[str, str] = field(default_factory=dict)
    """Plan label → what it leans to (an ``ask.*`` label key suffix), if options."""
    note: str = ""
    """E.g. the tolerance, or why fewer options than requested."""
    day: date = field(default_factory=date.today)
    reference: str | None = None
    """What the trade sentences call the first plan (default: the optimum)."""


def version_line(scenario: Scenario, recorded: tuple[int, str] | None, lang: str) -> str:
    """'Scenario: name — version 3, approved' or '… — version: not recorded in the history'."""
    if recorded is None:
        version = label("brief.not_recorded", lang)
    else:
        number, state = recorded
        named = label(f"approval.{state}", lang)  # as the app names it, inside a sentence here
        version = label("brief.version", lang, version=number, state=named[:1].lower() + named[1:])
    return label("brief.scenario", lang, scenario=scenario.name, version=version)


def recorded_version(history: Any, scenario: Scenario) -> tuple[int, str] | None:
    """The stored version whose content is exactly ``scenario`` (the command line stores it with
    its data package path, the app without) and its approval state, from a ``store.Store``; None
    when the history has no such version."""
    try:
        versions = history.scenario_versions(scenario.name)
    except NotFound:
        return None
    wanted = {scenario_hash(scenario), scenario_hash(scenario.model_copy(update={"dataset": None}))}
    for record in reversed(versions):
        if record.content_hash in wanted:
            return record.version, record.state.value
    return None


def _money(value: float, lang: str) -> str:
    text = f"{value / MILLION_PER_BILLION:,.1f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "vi" else text


def _count(value: float, lang: str) -> str:
    text = f"{value:,.0f}"
    return text.replace(",", ".") if lang == "vi" else text


def chart_png(dataset: Dataset, plans: Mapping[str, Plan], lang: str) -> bytes:
    """Grouped horizontal bars: money per district (or region) in each plan, tỷ đồng."""
    money = money_by_group(dataset, plans)
    table = money.pivot(index="group", columns="option", values="amount")[list(plans)]
    table = table.loc[table.max(axis=1) > 0] if len(table) else table
    table = table.sort_values(next(iter(plans)))
    plt = _pyplot()
    rows = max(1, len(table))
    fig, ax = plt.subplots(figsize=(7.2, min(CHART_MAX_INCHES, 0.9 + 0.11 * rows * len(plans))))
    height = 0.8 / max(1, len(plans))
    for n, option in enumerate(plans):
        positions = [i + (n - (len(plans) - 1) / 2) * height for i in range(len(table))]
        ax.barh(
            positions,
            table[option] / MILLION_PER_BILLION,
            height=height,
            color=COLORS[n % len(COLORS)],
            label=option_name(option, lang),
        )
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels([group_name(dataset, str(g), lang) for g in table.index], fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(label("chart.money", lang), fontsize=8)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200)
    plt.close(fig)
    return buffer.getvalue()


def write_brief(path: Path, brief: Brief, lang: str = "vi") -> Path:
    """Write the one-page brief as a PDF; raises ValueError unless it has 2-4 plans."""
    plans = brief.plans
    if not 2 <= len(plans) <= MAX_PLANS:
        raise ValueError(f"a brief shows 2 to {MAX_PLANS} plans, not {len(plans)}")
    if any(p.kpis is None for p in plans.values()):
        raise ValueError("a brief shows feasible plans only")
    dataset = brief.dataset
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(12, 10, 12)
    for style, file in font_files().items():
        pdf.add_font(FONT, style, str(file))
    pdf.set_title(label(brief.title_key, lang))
    pdf.set_lang(lang)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FONT, "B", 14)
    pdf.cell(width, 7, label(brief.title_key, lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8.5)
    pdf.cell(
        width,
        4.5,
        label("brief.date", lang, date=brief.day.strftime("%d/%m/%Y")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for line in (*brief.scenario_lines, label("brief.dataset", lang, name=dataset.info.name)):
        pdf.multi_cell(width, 4.2, line, new_x="LMARGIN", new_y="NEXT")
    if brief.note:
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(width, 4, brief.note, new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, label("brief.key_figures", lang))
    reference_name = brief.reference or label("trade.reference", lang)
    _key_figures(pdf, dataset, plans, brief.asks, lang, reference_name)

    pdf.ln(1.5)
    png = chart_png(dataset, plans, lang)
    group = label(f"group.{group_kind(dataset)}", lang).lower()
    _heading(pdf, label("brief.chart_title", lang, group=group))
    pdf.image(io.BytesIO(png), x=pdf.l_margin + width * 0.1, w=width * 0.8)

    trades = trade_sentences(dataset, plans, lang, brief.reference)
    if any(trades.values()):
        _heading(pdf, label("brief.trades", lang))
        for option, text in trades.items():
            if not text:
                continue
            pdf.set_font(FONT, "B", 8)
            pdf.cell(
                pdf.get_string_width(option_name(option, lang) + ": ") + 1,
                3.8,
                option_name(option, lang) + ":",
            )
            pdf.set_font(FONT, "", 8)
            pdf.multi_cell(0, 3.8, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.6)

    _heading(pdf, label("brief.communes", lang))
    _communes(pdf, dataset, plans, lang)

    pdf.set_y(-PAGE_BOTTOM_MM + 4)
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(width, 4, label("brief.footer", lang))
    pdf.output(str(path))
    return path


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(1.5)
    pdf.set_font(FONT, "B", 10)
    pdf.set_text_color(31, 92, 58)
    pdf.cell(pdf.epw, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _table(pdf: FPDF, rows: list[list[str]], widths: tuple[float, ...]) -> None:
    pdf.set_font(FONT, "", 7.5)
    with pdf.table(
        col_widths=widths,
        line_height=ROW_MM,
        text_align="LEFT",
        first_row_as_headings=True,
        headings_style=_headings_style(),
        padding=0.8,
    ) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)


def _headings_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(31, 92, 58))


def _key_figures(
    pdf: FPDF,
    dataset: Dataset,
    plans: Mapping[str, Plan],
    asks: Mapping[str, str],
    lang: str,
    reference_name: str,
) -> None:
    first = next(iter(plans.values()))
    floor = first.kpis.floor if first.kpis else ""
    reference = first.at_standard_codes()
    header = [label("col.indicator", lang), *(option_name(o, lang) for o in plans)]
    rows = [header]
    if asks:
        rows.append(
            [label("col.ask", lang), *(label(f"ask.{asks.get(o, '')}", lang) for o in plans)]
        )
    kpis = [p.kpis for p in plans.values()]
    rows += [
        [label("kpi.at_standard", lang), *(_count(k.at_standard_after, lang) for k in kpis)],
        [label("kpi.at_floor", lang, floor=floor), *(_count(k.at_floor_after, lang) for k in kpis)],
        [label("kpi.criteria_met", lang), *(_count(k.criteria_met_after, lang) for k in kpis)],
        [label("chart.money", lang), *(_money(k.money_total, lang) for k in kpis)],
        [label("kpi.items_funded", lang), *(_count(k.items_funded, lang) for k in kpis)],
        [
            label("brief.gained", lang, reference=reference_name),
            *(_count(len(p.at_standard_codes() - reference), lang) for p in plans.values()),
        ],
        [
            label("brief.lost", lang, reference=reference_name),
            *(_count(len(reference - p.at_standard_codes()), lang) for p in plans.values()),
        ],
    ]
    for source in dataset.sources:
        spent = [k.money_by_source.get(source.code, 0.0) for k in kpis]
        if any(spent):
            name = source.name_vi if lang == "vi" else source.name_en
            rows.append([f"  {name}", *(_money(s, lang) for s in spent)])
    first_width = 84.0
    rest = (pdf.epw - first_width) / len(plans)
    _table(pdf, rows, (first_width, *([rest] * len(plans))))


def _communes(pdf: FPDF, dataset: Dataset, plans: Mapping[str, Plan], lang: str) -> None:
    table = differing_communes(dataset, plans)
    space = pdf.h - PAGE_BOTTOM_MM - pdf.get_y() - ROW_MM * 2
    fits = max(0, int(space // (ROW_MM + 0.4)) - 1)
    shown = table.head(fits if len(table) > fits else len(table))
    if len(table) > len(shown):
        shown = table.head(max(0, fits - 1))
    header = [
        label("col.commune_name", lang),
        label(f"group.{group_kind(dataset)}", lang),
        *(option_name(o, lang) for o in plans),
    ]
    rows = [header]
    yes = label("brief.yes", lang)
    for _, row in shown.iterrows():
        rows.append(
            [
                str(row["name"]),
                group_name(dataset, str(row["group"]), lang),
                *(yes if row[o] else "–" for o in plans),
            ]
        )
    if len(rows) > 1:
        rest = (pdf.epw - 50 - 45) / len(plans)
        _table(pdf, rows, (50, 45, *([rest] * len(plans))))
    missing = len(table) - len(shown)
    if missing:
        pdf.set_font(FONT, "", 8)
        pdf.cell(pdf.epw, 4, label("brief.more_communes", lang, n=missing))


def comparison_brief(
    dataset: Dataset,
    plans: Mapping[str, Plan],
    scenarios: Mapping[str, Scenario],
    recorded: Mapping[str, tuple[int, str] | None],
    lang: str = "vi",
) -> Brief:
    """The brief of 2-4 compared scenarios (label → plan and scenario, the reference first)."""
    lines = tuple(version_line(scenarios[name], recorded.get(name), lang) for name in plans)
    first = next(iter(plans))
    return Brief(
        dataset=dataset,
        plans=plans,
        scenario_lines=lines,
        title_key="brief.compare_title",
        reference=f"«{first}»",
    )
