"""The So sánh page's Excel download: the comparison workbook ``reports`` writes.

Kept apart from the page so that the page only places the button.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from models.dataset import Dataset
from optimizer.plan import Plan
from reports.report import comparison_workbook as write
from ui.i18n import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def comparison_workbook(plans: Mapping[str, Plan], dataset: Dataset, lang: str) -> bytes:
    """The comparison workbook of ``plans`` (label → plan, the first the reference), in ``lang``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "comparison.xlsx"
        write(path, plans, dataset, lang)
        return path.read_bytes()


def comparison_download(plans: Mapping[str, Plan], dataset: Dataset, lang: str) -> None:
    """A button that downloads the comparison as an Excel workbook (written when clicked)."""
    st.download_button(
        t("compare.download_excel", lang),
        data=lambda: comparison_workbook(plans, dataset, lang),
        file_name=t("compare.download_file", lang),
        mime=XLSX,
        icon=":material/download:",
        key="cmp.download",
    )
