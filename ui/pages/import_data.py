"""Import page (Nhập dữ liệu): upload a data package, see every problem, use it only when valid.

An upload is written into the user folder and read with ``models.io.load_package``. A package with
problems is listed problem by problem (file or sheet, row, column) and deleted again; the package in
use does not change. A valid package becomes this session's package.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from models.io import DataPackageError, load_package
from models.package_warnings import package_warnings
from store.accounts import Action
from ui import auth, runs
from ui.format import number
from ui.i18n import criteria_set_name, current_language, t
from ui.problem_text import problem_line
from ui.state import (
    ACTIVE_DATA_KEY,
    REPO_ROOT,
    data_path,
    forget_imported,
    shown_path,
    use_imported,
)

UPLOAD_KEY = "import.file"
UPLOADER_VERSION_KEY = "import.version"
# Session state: what the last upload gave, shown until the next one.
RESULT_KEY = "import.result"
TEMPLATE = REPO_ROOT / "data" / "template.xlsx"
SUFFIXES = ("xlsx", "zip")


def render() -> None:
    st.title(t("import.title"))
    st.markdown(t("import.intro"))
    if TEMPLATE.exists():
        st.download_button(
            t("import.template"),
            data=TEMPLATE.read_bytes(),
            file_name=TEMPLATE.name,
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
        )

    # A new key empties the uploader (after «back to the default package»).
    uploader_key = f"{UPLOAD_KEY}.{st.session_state.get(UPLOADER_VERSION_KEY, 0)}"
    uploaded = None
    if auth.may(Action.IMPORT_DATA):
        uploaded = st.file_uploader(t("import.upload"), type=list(SUFFIXES), key=uploader_key)
    else:
        st.info(t("auth.cannot_import"), icon=":material/lock:")
    previous = st.session_state.get(RESULT_KEY)
    if uploaded is not None and (previous is None or previous["file_id"] != uploaded.file_id):
        st.session_state[RESULT_KEY] = _check(uploaded)
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        _show(result)

    _bundled_picker()

    st.divider()
    shown = st.session_state.get("data.active_name") or shown_path(data_path())
    st.markdown(t("import.in_use", name=shown))
    if st.session_state.get(ACTIVE_DATA_KEY) and st.button(
        t("import.back"), icon=":material/undo:"
    ):
        forget_imported()
        st.session_state.pop(RESULT_KEY, None)
        st.session_state[UPLOADER_VERSION_KEY] = st.session_state.get(UPLOADER_VERSION_KEY, 0) + 1
        st.rerun()


def bundled_packages() -> dict[str, Path]:
    """The data packages shipped in ``data/`` (folders with a ``dataset.csv``), by folder name."""
    root = REPO_ROOT / "data"
    return {p.parent.name: p.parent for p in sorted(root.glob("*/dataset.csv"))}


def _bundled_picker() -> None:
    """Switch to another package shipped with the product (e.g. the 2026-2030 Sơn La data)."""
    packages = bundled_packages()
    if not packages:
        return
    st.subheader(t("import.bundled"))
    current = data_path().resolve()
    names = list(packages)
    index = next((n for n, name in enumerate(names) if packages[name].resolve() == current), 0)
    with st.form("import.bundled_form"):
        chosen = st.selectbox(t("import.bundled_pick"), names, index=index, key="import.bundled")
        if st.form_submit_button(t("import.bundled_use"), icon=":material/dataset:"):
            path = packages[chosen]
            try:
                load_package(path)
            except DataPackageError as error:
                st.error(str(error))
                return
            use_imported(path, f"data/{chosen}")
            st.session_state.pop(RESULT_KEY, None)
            st.rerun()


def _check(uploaded) -> dict:
    """Write the upload, load it, and keep it (and switch to it) only when it is valid."""
    content = uploaded.getvalue()
    suffix = Path(uploaded.name).suffix.lower()
    digest = hashlib.sha256(content).hexdigest()[:16]
    folder = runs.uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{runs.slug(Path(uploaded.name).stem)}-{digest}{suffix}"
    path.write_bytes(content)
    result = {"file_id": uploaded.file_id, "name": uploaded.name}
    try:
        with st.spinner(t("import.checking")):
            dataset = load_package(path)
    except DataPackageError as error:
        path.unlink(missing_ok=True)
        result["problems"] = [
            {
                "location": p.location.replace(path.name, uploaded.name),
                "row": p.row,
                "column": p.column,
                "message": p.message,
            }
            for p in error.problems
        ]
        return result
    use_imported(path, uploaded.name)
    result["summary"] = {
        "name": dataset.info.name,
        "province": dataset.info.province,
        "criteria_set": dataset.criteria.code,
        "size": dataset.criteria.size,
        "communes": len(dataset.communes),
        "items": len(dataset.investments),
        "sources": len(dataset.sources),
        "years": f"{min(dataset.years)}–{max(dataset.years)}" if dataset.years else "–",
    }
    result["warnings"] = package_warnings(dataset)
    return result


def _show(result: dict) -> None:
    if "problems" in result:
        problems = result["problems"]
        st.error(
            t(
                "import.invalid",
                file=result["name"],
                count=number(len(problems), lang=current_language()),
            )
        )
        st.caption(t("import.kept"))
        table = pd.DataFrame(
            {
                t("import.col_where"): [p["location"] for p in problems],
                t("import.col_row"): ["" if p["row"] is None else str(p["row"]) for p in problems],
                t("import.col_column"): [p["column"] or "" for p in problems],
                t("import.col_problem"): [
                    problem_line(p["message"], current_language()) for p in problems
                ],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
        return
    s = result["summary"]
    st.success(t("import.valid", file=result["name"]))
    st.markdown(
        t(
            "import.summary",
            name=s["name"],
            province=s["province"],
            criteria_set=criteria_set_name(s["criteria_set"]),
            size=s["size"],
            communes=number(s["communes"], lang=current_language()),
            items=number(s["items"], lang=current_language()),
            sources=number(s["sources"], lang=current_language()),
            years=s["years"],
        )
    )
    for warning in result.get("warnings", ()):
        st.warning(t("import.warning", warning=problem_line(warning, current_language())))
    st.page_link("ui/pages/data.py", label=t("import.see_data"), icon=":material/table_chart:")


if __name__ == "__main__":
    render()
