"""Write the empty Excel template a planner fills in (``python -m models.io.template [PATH]``)."""

from __future__ import annotations

import sys
from pathlib import Path

from models.io.excel_files import write_tables_xlsx
from models.io.progress_io import progress_tables
from models.io.writer import empty_tables
from models.progress import Progress

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "template.xlsx"
GUIDE = [
    "ntm-budget — mẫu gói dữ liệu / data package template",
    "Mỗi trang tính là một bảng; dòng 1 là tiêu đề cột. Each sheet is one table; row 1 is the header.",
    "Tiền: triệu đồng, số nguyên. Money: million VND, whole numbers.",
    "Tỷ lệ: số từ 0 đến 1 (0,2166 = 21,66%). Rates: fractions between 0 and 1.",
    "Đúng/sai: true/false. Danh sách trong một ô: cách nhau bởi dấu ; (a;b).",
    "Booleans: true/false. Lists in one cell: separated by ; (a;b).",
    "Tọa độ xã (latitude, longitude, độ thập phân WGS 84) không bắt buộc; có thì trang Dữ liệu "
    "vẽ bản đồ. Commune coordinates are optional; with them the Data page draws a map.",
    "Mô tả đầy đủ từng cột / every column documented: docs/data-format.md",
    "Các trang progress_* là báo cáo tiến độ (ntm replan, trang Tiến độ); gói dữ liệu bỏ qua chúng.",
    "The progress_* sheets are a progress report (ntm replan, the Progress page); "
    "a data package ignores them.",
]


def write_template(path: Path = DEFAULT_PATH) -> Path:
    """Write the template workbook (headers, the built-in 2021-2025 criteria set, a guide, and
    the empty sheets of a progress report)."""
    write_tables_xlsx({**empty_tables(), **progress_tables(Progress())}, path, guide=GUIDE)
    return path


if __name__ == "__main__":
    print(write_template(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH))
