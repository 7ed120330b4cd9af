"""What every page shares: the loaded dataset and the language switch.

The dataset is read once per package path (and again when one of its files changes) with
``st.cache_data``; the path is the package this session imported on the Import page if any, else
``data/son_la_2026`` unless the ``NTM_DATA`` environment variable names another package (a CSV
folder, an ``.xlsx`` or a ``.zip``).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from models.dataset import Dataset
from models.io import DataPackageError, load_package
from ui.i18n import LANGUAGE_KEY, LANGUAGES, current_language, t
from ui.problem_text import problem_line

REPO_ROOT = Path(__file__).resolve().parents[1]
SON_LA_2021_PATH = REPO_ROOT / "data" / "son_la_2021"
SON_LA_2026_PATH = REPO_ROOT / "data" / "son_la_2026"
DEFAULT_DATA_PATH = SON_LA_2026_PATH
"""The package the app opens on: the current cycle's (2026-2030); the 2021-2025 package is one
click away on the Import page, or ``NTM_DATA=data/son_la_2021``."""
DATA_ENV_VAR = "NTM_DATA"
ACTIVE_DATA_KEY = "data.active"
"""Session-state key of the package imported in this session (a path), if any."""
ACTIVE_NAME_KEY = "data.active_name"
"""Session-state key of the imported package's file name as the user uploaded it."""


def configured_data_path() -> Path:
    """The package the app starts on: ``$NTM_DATA`` if set, else the bundled Sơn La 2026-2030
    data."""
    configured = os.environ.get(DATA_ENV_VAR, "").strip()
    if not configured:
        return DEFAULT_DATA_PATH
    path = Path(configured).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path)


def data_path() -> Path:
    """The package the app shows: the one imported in this session, else the configured one."""
    imported = st.session_state.get(ACTIVE_DATA_KEY)
    return Path(imported) if imported else configured_data_path()


def use_imported(path: Path, shown_name: str) -> None:
    """Show the (already validated) package at ``path`` from now on in this session."""
    st.session_state[ACTIVE_DATA_KEY] = str(path)
    st.session_state[ACTIVE_NAME_KEY] = shown_name


def forget_imported() -> None:
    """Go back to the configured package."""
    st.session_state.pop(ACTIVE_DATA_KEY, None)
    st.session_state.pop(ACTIVE_NAME_KEY, None)


def data_last_modified(path: Path | None = None) -> float:
    """When the package's files last changed: part of every cache key that depends on the data."""
    return _last_modified((path or data_path()).resolve())


def _last_modified(path: Path) -> float:
    """Latest modification time of the package's files (0 when it does not exist)."""
    if path.is_dir():
        return max((f.stat().st_mtime for f in path.iterdir() if f.is_file()), default=0.0)
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner=False, max_entries=8)
def _load(path: str, last_modified: float) -> Dataset:
    """Load a package; cached on its path and on when its files last changed."""
    del last_modified  # only part of the cache key
    return load_package(path)


def load_dataset(path: Path | None = None) -> Dataset:
    """The dataset at ``path`` (default: :func:`data_path`); raises DataPackageError."""
    path = (path or data_path()).resolve()
    return _load(str(path), _last_modified(path))


def dataset_or_stop() -> Dataset:
    """The dataset for a page; on a broken package, show every problem and stop the page."""
    path = data_path()
    try:
        with st.spinner(t("load.spinner")):
            return load_dataset(path)
    except DataPackageError as error:
        st.error(t("load.error", path=shown_path(path)))
        st.caption(t("load.hint"))
        lang = current_language()
        st.code("\n".join(problem_line(p, lang) for p in error.problems), language=None)
        st.stop()
        raise  # st.stop() does not return; this keeps type checkers content


def shown_path(path: Path) -> str:
    """A path as the user knows it: relative to the project when it lies inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def language_switch() -> str:
    """The language radio in the sidebar; returns the chosen language code."""
    return st.sidebar.radio(
        t("sidebar.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANGUAGE_KEY,
        horizontal=True,
    )


def data_source_note() -> None:
    """A small sidebar note naming the package in use."""
    shown = st.session_state.get(ACTIVE_NAME_KEY) or shown_path(data_path())
    st.sidebar.caption(t("sidebar.data_source", path=shown))
