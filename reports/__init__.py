"""Reports of plans: tidy tables, Excel workbooks, CSV and JSON, PNG charts, all-or-nothing output.

``tables`` derives every table from a Plan (and its Dataset and Scenario); ``excel``,
``csv_json`` and ``charts`` write them; ``report`` writes a complete report into a folder and
``output.staged_output`` makes the writing all-or-nothing. Words come from ``labels`` (vi / en).

The names below are loaded on first use (PEP 562), not when the package is imported: a command
that only needs ``reports.labels`` or ``reports.output`` before its solve does not wait for the
workbook writer (openpyxl), the history store and the tables to import.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.output import check_destination, staged_output
    from reports.report import (
        PLAN_REPORT_FILES,
        write_comparison_report,
        write_frontier_report,
        write_plan_report,
    )

_WHERE = {
    "check_destination": "reports.output",
    "staged_output": "reports.output",
    "PLAN_REPORT_FILES": "reports.report",
    "write_comparison_report": "reports.report",
    "write_frontier_report": "reports.report",
    "write_plan_report": "reports.report",
}
"""Each re-exported name and the module that defines it."""

__all__ = [
    "PLAN_REPORT_FILES",
    "check_destination",
    "staged_output",
    "write_comparison_report",
    "write_frontier_report",
    "write_plan_report",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
