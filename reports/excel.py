"""Excel workbooks for a provincial finance department (openpyxl), from the tables of ``tables``.

Money is million VND shown with thousands separators (``#,##0``); every sheet has a frozen, bold
header row, an autofilter, fitted column widths and a totals row where totals mean something.
Headers and the words in the summary come from ``labels`` (Vietnamese by default, English on
request); the values are the tables' values, so a workbook and its CSV/JSON agree cell by cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.plan import Plan
from reports.formulas import FORMULA_TRIGGERS, save_workbook
from reports.labels import label, yes_no
from reports.provenance import Provenance
from reports.settings_text import SettingsText
from reports.tables import DELTA_PREFIX, PAID_PREFIX

MONEY_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
SECONDS_FORMAT = "#,##0.0"
YEAR_FORMAT = "0"
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 8
HEADER_WIDTH = 30
"""A header row's text counts at most this many characters in its column's width."""

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5C3A")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin"))
TITLE_FONT = Font(bold=True, size=14)
BLOCK_FONT = Font(bold=True, size=12, color="1F5C3A")
NOTE_FONT = Font(italic=True, color="555555")
ALERT_FONT = Font(bold=True, color="C00000")

MONEY_COLUMNS = frozenset(
    {
        "money",
        "cost",
        "budget",
        "spent",
        "left",
        "carried_in",
        "amount",
        "money_total",
        "budget_total",
        "vs_optimizer_money",
        "marginal_cost",
        "money_spent",
        "least_money",
    }
)
YEAR_COLUMNS = frozenset({"year", "year_at_standard", "start_year", "completion_year"})
DECIMAL_COLUMNS = frozenset({"mean_criteria", "value", "bound", "budget_scale", "scale"})
PERCENT_COLUMNS = frozenset({"gap"})
SECONDS_COLUMNS = frozenset({"seconds", "total_seconds"})
TRANSLATED_VALUES = {
    "status": "status.",
    "method": "method.",
    "objective": "objective.",
    "phasing": "value.",
    "kind": "kind.",
    "solver": "solver.",
}
"""Columns whose values are codes with a label (e.g. status 'optimal' → 'tối ưu')."""
TRANSLATED_LISTS = {"flags": "flag."}
"""Columns holding ';'-joined codes with labels (flags 'atk;border' → 'ATK, Biên giới')."""
KPI_FORMATS = {
    "money_total": MONEY_FORMAT,
    "budget_total": MONEY_FORMAT,
    "mean_criteria": DECIMAL_FORMAT,
}

SHEET_TOTALS = {
    "communes": ("money",),
    "items": ("cost", PAID_PREFIX),
    "sources_years": ("budget", "spent"),
    "districts": ("communes_counted", "at_standard_before", "at_standard_after", "money"),
    "payments": ("amount",),
}
"""Per sheet, the columns (or column-key prefixes) summed in its totals row."""
SHEET_FROZEN = {"communes": "C2", "items": "C2", "payments": "A2"}
"""Frozen cell per sheet (default A2: the header row)."""


def _number_format(key: str) -> str | None:
    if key in MONEY_COLUMNS or key.startswith(PAID_PREFIX):
        return MONEY_FORMAT
    if key in YEAR_COLUMNS:
        return YEAR_FORMAT
    if key in DECIMAL_COLUMNS:
        return DECIMAL_FORMAT
    if key in PERCENT_COLUMNS:
        return PERCENT_FORMAT
    if key in SECONDS_COLUMNS:
        return SECONDS_FORMAT
    return None


def put_cell(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` into a cell; text is always text, never a formula.

    openpyxl turns any string starting with ``=`` into a formula; text from data (a commune named
    ``=HYPERLINK(…)``) must stay text. Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return (OWASP's formula-injection characters) is stored as a string with Excel's
    quote prefix, so it shows as written and stays text when the cell is edited. Numbers
    (negative ones too) stay numbers. Formulas the reports write use :func:`put_formula`.
    """
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and cell.data_type != "s":
        cell.data_type = "s"
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def put_formula(ws: Worksheet, row: int, column: int, formula: str) -> Cell:
    """Write a formula the report itself makes (a SUM over the cells above); its value is
    stored with it by :func:`save_workbook`."""
    cell = ws.cell(row=row, column=column)
    cell.value = formula
    return cell


def _cell_value(key: str, value: object, lang: str) -> object:
    """A table value as the sheet shows it: yes/no for booleans, labels for codes, None for NaN."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return yes_no(value, lang)
    if key in TRANSLATED_VALUES and isinstance(value, str):
        return label(TRANSLATED_VALUES[key] + value, lang) if value else value
    if key in TRANSLATED_LISTS and isinstance(value, str):
        codes = [c for c in value.split(";") if c]
        return ", ".join(label(TRANSLATED_LISTS[key] + c, lang) for c in codes) or None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _whole(value: object) -> bool:
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def default_headers(
    frame: pd.DataFrame, lang: str, sources: Mapping[str, tuple[str, str]] | None = None
) -> list[str]:
    """Column headers: the label of each key; ``paid_<source>`` → the source's name."""
    headers = []
    for key in frame.columns:
        key = str(key)
        if key.startswith(PAID_PREFIX) and sources:
            code = key.removeprefix(PAID_PREFIX)
            vi, en = sources.get(code, (code, code))
            headers.append(vi if lang == "vi" else en)
        elif key.startswith(PAID_PREFIX):
            headers.append(key.removeprefix(PAID_PREFIX))
        else:
            headers.append(label(f"col.{key}", lang))
    return headers


def write_frame(
    ws: Worksheet,
    frame: pd.DataFrame,
    lang: str,
    *,
    start_row: int = 1,
    headers: list[str] | None = None,
    totals: Iterable[str] = (),
    row_formats: list[str | None] | None = None,
    filter_and_freeze: str | None = "A2",
) -> int:
    """Write a header row and the frame's rows from ``start_row``; return the next free row.

    ``totals``: column keys (or ``prefix`` of keys) to sum in a bold totals row below the data.
    ``row_formats``: a number format per data row, overriding the column's (mixed-unit tables).
    """
    headers = headers or default_headers(frame, lang)
    keys = [str(k) for k in frame.columns]
    for j, text in enumerate(headers, start=1):
        cell = put_cell(ws, start_row, j, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    formats = [_number_format(k) for k in keys]
    row = start_row
    for i, values in enumerate(frame.itertuples(index=False, name=None)):
        row = start_row + 1 + i
        for j, (key, value) in enumerate(zip(keys, values, strict=True), start=1):
            cell = put_cell(ws, row, j, _cell_value(key, value, lang))
            fmt = row_formats[i] if row_formats and row_formats[i] else formats[j - 1]
            if fmt == DECIMAL_FORMAT and _whole(cell.value):
                fmt = MONEY_FORMAT  # 15, not 15.00
            if fmt and isinstance(cell.value, int | float):
                cell.number_format = fmt
    last_data_row = start_row + len(frame)
    summed = [
        k for k in keys if any(k == t or (t.endswith("_") and k.startswith(t)) for t in totals)
    ]
    if summed and len(frame):
        row = last_data_row + 1
        first = put_cell(ws, row, 1, label("total", lang))
        first.font = TOTAL_FONT
        for j, key in enumerate(keys, start=1):
            cell = ws.cell(row=row, column=j)
            cell.border = TOTAL_BORDER
            if key in summed:
                letter = get_column_letter(j)
                cell = put_formula(ws, row, j, f"=SUM({letter}{start_row + 1}:{letter}{row - 1})")
                cell.number_format = _number_format(key) or MONEY_FORMAT
                cell.font = TOTAL_FONT
    if filter_and_freeze:
        ws.freeze_panes = filter_and_freeze
        last_column = get_column_letter(max(1, len(keys)))
        ws.auto_filter.ref = f"A{start_row}:{last_column}{max(start_row, last_data_row)}"
    return (last_data_row + (2 if summed and len(frame) else 1)) + 1


def fit_columns(ws: Worksheet, wrap_over: int = MAX_COLUMN_WIDTH) -> None:
    """Set each column's width to its longest value (headers count at most 30 characters).

    Reads the cells written (``ws._cells``), not every position of the sheet's rectangle as
    ``iter_rows`` would (which also creates a cell at each empty one); a cell's style is read
    only for text longer than a header may count, since openpyxl's style objects are slow."""
    widths: dict[int, int] = {}
    for cell in ws._cells.values():
        value = cell.value
        if value is None:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"
        else:
            text = str(value)
        length = len(text)
        if length > HEADER_WIDTH and _is_header(cell):
            length = HEADER_WIDTH
        column = cell.column
        if length > widths.get(column, -1):
            widths[column] = length
    for column in sorted(widths):
        ws.column_dimensions[get_column_letter(column)].width = max(
            MIN_COLUMN_WIDTH, min(wrap_over, widths[column] + 2)
        )


def _is_header(cell: Cell) -> bool:
    if not cell.has_style:  # most cells: data without a font or fill of their own
        return False
    return cell.font is not None and cell.font.color is not None and cell.fill == HEADER_FILL


def _sheet_title(key: str, lang: str) -> str:
    return label(f"sheet.{key}", lang)[:31]


def _source_names(dataset: Dataset) -> dict[str, tuple[str, str]]:
    return {s.code: (s.name_vi, s.name_en) for s in dataset.sources}


# -- the plan workbook ---------------------------------------------------------------------------------
def write_provenance(ws: Worksheet, row: int, provenance: Provenance, lang: str) -> int:
    """Where the report came from (``provenance.Provenance``), from ``row``; the next free row."""
    put_cell(ws, row, 1, label("title.origin", lang)).font = BLOCK_FONT
    for key, value in provenance.rows(lang):
        row += 1
        put_cell(ws, row, 1, label(key, lang))
        put_cell(ws, row, 2, value)
    if not provenance.recorded:
        row += 1
        put_cell(ws, row, 1, label("origin.unrecorded", lang)).font = NOTE_FONT
    return row + 2


def write_summary_sheet(
    ws: Worksheet,
    tables: Mapping[str, pd.DataFrame],
    plan: Plan,
    dataset: Dataset,
    lang: str,
    scenario: Scenario | None = None,
    provenance: Provenance | None = None,
) -> None:
    """Title, where it came from, KPIs before → after, the scenario's settings (sources, policies
    and targets in words when ``scenario`` is given) and the solver's result per level."""
    put_cell(ws, 1, 1, f"{label('title.plan', lang)} — {plan.scenario}").font = TITLE_FONT
    info = dataset.info
    put_cell(
        ws,
        2,
        1,
        label("title.dataset", lang, name=info.name, province=info.province, year=info.base_year),
    ).font = NOTE_FONT
    put_cell(ws, 3, 1, label("title.unit", lang)).font = NOTE_FONT
    row = 4
    if not plan.feasible:
        put_cell(ws, row, 1, label("title.infeasible", lang)).font = ALERT_FONT
        row += 1
    row += 1
    row = write_provenance(ws, row, provenance or Provenance.unrecorded(plan, dataset), lang)
    put_cell(ws, row, 1, label("title.kpis", lang)).font = BLOCK_FONT
    kpis = tables["summary"]
    if len(kpis):
        floor = plan.kpis.floor if plan.kpis else ""
        shown = kpis.copy()
        shown["indicator"] = [label(f"kpi.{k}", lang, floor=floor) for k in kpis["indicator"]]
        row = write_frame(
            ws,
            shown,
            lang,
            start_row=row + 1,
            row_formats=[KPI_FORMATS.get(k, MONEY_FORMAT) for k in kpis["indicator"]],
            filter_and_freeze=None,
        )
    else:
        row += 2
    put_cell(ws, row, 1, label("title.settings", lang)).font = BLOCK_FONT
    settings = tables["settings"].copy()
    if scenario is not None:
        words = SettingsText(dataset, lang).values(scenario)
        settings["value"] = [
            words.get(key, value)
            for key, value in zip(settings["setting"], settings["value"], strict=True)
        ]
    settings["value"] = [
        plan.note_text(lang) if key == "message" else _setting_value(key, value, lang)
        for key, value in zip(settings["setting"], settings["value"], strict=True)
    ]
    settings["setting"] = [label(f"setting.{k}", lang) for k in settings["setting"]]
    row = write_frame(ws, settings, lang, start_row=row + 1, filter_and_freeze=None)
    levels = tables["levels"]
    if len(levels):
        put_cell(ws, row, 1, label("title.levels", lang)).font = BLOCK_FONT
        write_frame(ws, levels, lang, start_row=row + 1, filter_and_freeze=None)
    fit_columns(ws)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 18)


def _setting_value(key: str, value: object, lang: str) -> object:
    if isinstance(value, bool):
        return yes_no(value, lang)
    if key == "phasing":
        return label(f"value.{value}", lang)
    if key == "status":
        return label(f"status.{value}", lang)
    if key == "method":
        return label(f"method.{value}", lang)
    if key == "solver" and isinstance(value, str) and value:
        return label(f"solver.{value}", lang)
    if key == "objectives" and isinstance(value, str):
        return " → ".join(label(f"objective.{o}", lang) for o in value.split(" → "))
    if value == "" and key in {"scale_by_source", "overrides", "policies", "targets"}:
        return label("value.none", lang)
    return value


def write_table_sheet(
    wb: Workbook, key: str, frame: pd.DataFrame, lang: str, dataset: Dataset | None = None
) -> Worksheet:
    """A sheet holding one table with its header, totals, frozen panes and filter."""
    ws = wb.create_sheet(_sheet_title(key, lang))
    headers = default_headers(frame, lang, _source_names(dataset) if dataset else None)
    write_frame(
        ws,
        frame,
        lang,
        headers=headers,
        totals=SHEET_TOTALS.get(key, ()),
        filter_and_freeze=SHEET_FROZEN.get(key, "A2"),
    )
    fit_columns(ws)
    return ws


def write_plan_workbook(
    path: Path,
    tables: Mapping[str, pd.DataFrame],
    plan: Plan,
    dataset: Dataset,
    lang: str = "vi",
    *,
    scenario: Scenario | None = None,
    provenance: Provenance | None = None,
) -> Path:
    """The plan workbook: summary (with where it came from), communes, investments, sources ×
    years, districts, payments, and — when present — baseline comparison and diagnosis.

    Codes from the data are shown by name (sources, criteria, categories); a pooled scenario's
    money is shown for its period ("2021-2025"), not its last year."""
    wb = Workbook()
    summary = wb.active
    summary.title = _sheet_title("summary", lang)
    write_summary_sheet(summary, tables, plan, dataset, lang, scenario, provenance)
    if "diagnosis" in tables:
        write_table_sheet(wb, "diagnosis", tables["diagnosis"], lang)
    period = _pooled_period(tables["settings"])
    for key in ("communes", "items", "sources_years", "districts", "baselines", "payments"):
        if key in tables:
            frame = tables[key]
            if key == "sources_years":
                frame = _one_source_name(frame, lang)
            frame = _named_codes(_criteria_names(frame, dataset, lang), dataset, lang)
            write_table_sheet(wb, key, _period_years(frame, period), lang, dataset)
    save_workbook(wb, path)
    return path


def _pooled_period(settings: pd.DataFrame) -> str | None:
    """ "2021-2025" when the settings say the money is pooled over that horizon, else None."""
    values = dict(zip(settings["setting"], settings["value"], strict=True))
    return str(values.get("horizon")) if values.get("phasing") == "pooled" else None


def _period_years(frame: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """A pooled plan has one period: its years (all the horizon's last) shown as the period."""
    if period is None:
        return frame
    years = [c for c in frame.columns if c in YEAR_COLUMNS]
    frame = frame.assign(
        **{c: frame[c].map(lambda v: None if pd.isna(v) else period) for c in years}
    )
    return frame.rename(columns={"year": "period"})


def _named_codes(frame: pd.DataFrame, dataset: Dataset, lang: str) -> pd.DataFrame:
    """Source codes by the source's name and category codes by their label."""
    names = _source_names(dataset)
    changed = {}
    if "source" in frame.columns and "source_name" not in frame.columns:
        changed["source"] = frame["source"].map(
            lambda c: names.get(c, (c, c))[0 if lang == "vi" else 1]
        )
    if "category" in frame.columns:
        changed["category"] = frame["category"].map(lambda c: label(f"category.{c}", lang))
    frame = frame.assign(**changed)
    if "source" in changed:
        frame = frame.rename(columns={"source": "source_name"})
    elif "source_name" in frame.columns and "source" in frame.columns:
        frame = frame.drop(columns="source")
    return frame


CRITERIA_LISTS = ("missing_after", "criteria", "criterion")
"""Columns holding ';'-joined criterion codes (CSV and JSON keep the codes)."""


def _criteria_names(frame: pd.DataFrame, dataset: Dataset, lang: str) -> pd.DataFrame:
    """Criterion codes as the set names them in the workbook's language: "Giao thông, Y tế"."""
    columns = [c for c in CRITERIA_LISTS if c in frame.columns]
    if not columns:
        return frame
    by_code = dataset.criteria.by_code
    names = {
        code: criterion.name_vi if lang == "vi" else criterion.name_en
        for code, criterion in by_code.items()
    }

    def named(value: object) -> object:
        if not isinstance(value, str):
            return value
        return ", ".join(names.get(code, code) for code in value.split(";") if code) or None

    return frame.assign(**{column: frame[column].map(named) for column in columns})


def _one_source_name(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Sources × years shows the source's name in the workbook's language only."""
    keep = "source_name_vi" if lang == "vi" else "source_name_en"
    drop = "source_name_en" if lang == "vi" else "source_name_vi"
    return frame.drop(columns=drop).rename(columns={keep: "source_name"})


# -- the comparison workbook ----------------------------------------------------------------------------
COMPARISON_SHEETS = (
    "compare_kpis",
    "compare_communes",
    "compare_districts",
    "compare_sources",
    "compare_years",
    "compare_scenarios",
)
COMPARISON_MONEY = ("compare_districts", "compare_sources", "compare_years")
"""Sheets of money by group: every scenario's column and every difference has a total."""
COMPARISON_KEYS = frozenset(
    {"indicator", "before", "code", "name", "district", "source", "label", "file", "scenario"}
    | {"method", "status", "solver", "total_seconds", "year", "period", "source_name"}
)


def write_origin_sheet(
    ws: Worksheet,
    title: str,
    provenances: Mapping[str, Provenance],
    lang: str,
) -> None:
    """A workbook's first sheet when it holds several plans (or none): the title, the unit, and
    where each plan came from, one block per plan."""
    ws.title = _sheet_title("origin", lang)
    put_cell(ws, 1, 1, title).font = TITLE_FONT
    put_cell(ws, 2, 1, label("title.unit", lang)).font = NOTE_FONT
    row = 4
    for name, provenance in provenances.items():
        put_cell(ws, row, 1, name).font = BLOCK_FONT
        row = write_provenance(ws, row + 1, provenance, lang)
    fit_columns(ws)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 30)


def write_comparison_workbook(
    path: Path,
    tables: Mapping[str, pd.DataFrame],
    labels: list[str],
    lang: str = "vi",
    floor: int | str = "",
    *,
    provenances: Mapping[str, Provenance] | None = None,
    dataset: Dataset | None = None,
    period: str | None = None,
) -> Path:
    """Where each plan came from, KPIs side by side with differences, communes that differ (with
    their money; those that gain or lose the standard first), money moved by district, source and
    year (with totals), and the scenarios.

    ``labels``: the scenarios' short labels, in order (the first is the reference of differences).
    ``provenances``: label → where that plan came from (default: not recorded).
    ``period``: every plan pools its money over this horizon ("2021-2025"): money by period.
    """
    wb = Workbook()
    write_origin_sheet(
        wb.active,
        label("title.compare", lang),
        provenances or {},
        lang,
    )
    for key in COMPARISON_SHEETS:
        if key not in tables:
            continue
        frame = tables[key]
        ws = wb.create_sheet(_sheet_title(key, lang))
        shown, row_formats, totals = frame, None, ()
        if key == "compare_kpis":
            shown = frame.copy()
            shown["indicator"] = [label(f"kpi.{k}", lang, floor=floor) for k in frame["indicator"]]
            row_formats = [KPI_FORMATS.get(k, MONEY_FORMAT) for k in frame["indicator"]]
        if key == "compare_communes":
            changes = [c for c in frame.columns if str(c).endswith("|change")]
            shown = frame.assign(
                **{
                    c: frame[c].map(lambda v: label(f"change.{v}", lang) if v else None)
                    for c in changes
                }
            )
        if key in COMPARISON_MONEY:
            totals = [
                c for c in map(str, frame.columns) if c in labels or c.startswith(DELTA_PREFIX)
            ]
            if dataset is not None:
                shown = _named_codes(frame, dataset, lang)
            if key == "compare_years":
                shown = _period_years(shown, period)
        headers = _comparison_headers(shown, labels, lang)
        write_frame(ws, shown, lang, headers=headers, row_formats=row_formats, totals=totals)
        fit_columns(ws)
        ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 12)
    save_workbook(wb, path)
    return path


COMPARISON_PARTS = {
    "criteria": "col.criteria_after",
    "standard": "col.at_standard_after",
    "money": "col.money",
    "change": "col.standard_change",
}
"""``<label>|<part>`` columns of the communes that differ → the header before the label."""


def _comparison_headers(frame: pd.DataFrame, labels: list[str], lang: str) -> list[str]:
    headers = []
    base = labels[0] if labels else ""
    for column in map(str, frame.columns):
        name, _, part = column.rpartition("|")
        if column in COMPARISON_KEYS:
            headers.append(label(f"col.{column}", lang))
        elif column.startswith(DELTA_PREFIX) and column.removeprefix(DELTA_PREFIX) in labels:
            other = column.removeprefix(DELTA_PREFIX)
            headers.append(label("col.difference", lang, label=other, base=base))
        elif name in labels and part in COMPARISON_PARTS:
            headers.append(f"{label(COMPARISON_PARTS[part], lang)}: {name}")
        else:
            headers.append(column)
    return headers
