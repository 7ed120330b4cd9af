"""Reports of plans: tidy tables, Excel workbooks, CSV and JSON, PNG charts, all-or-nothing output.

``tables`` derives every table from a Plan (and its Dataset and Scenario); ``excel``,
``csv_json`` and ``charts`` write them; ``report`` writes a complete report into a folder and
``output.staged_output`` makes the writing all-or-nothing. Words come from ``labels`` (vi / en).
"""

from reports.output import check_destination, staged_output
from reports.report import (
    PLAN_REPORT_FILES,
    write_comparison_report,
    write_frontier_report,
    write_plan_report,
)

__all__ = [
    "PLAN_REPORT_FILES",
    "check_destination",
    "staged_output",
    "write_comparison_report",
    "write_frontier_report",
    "write_plan_report",
]
