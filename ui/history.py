"""The history store as the app uses it: opened once per database, who the user is, recording runs.

Every plan the app computes (``ui.runs.plan_for``) is recorded: the scenario is saved as a version
without its ``dataset`` path — as ``ntm run`` saves it, so the same scenario from the command line
and from the app is the same version — and the plan as a run of that version, with the user's name
and when it ran. A store that cannot be opened never stops a solve: the session is warned once and
its runs go unrecorded. The database is the one ``store.config`` resolves (``NTM_DATABASE_URL``,
the settings file, else the SQLite file in ``~/.local/share/ntm-budget``).

Stored runs, datasets and diffs never change (the history is append-only), so they are cached on
the database URL and their ids; approval states do change and are always read fresh.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.plan import Plan
from store import RunDiff, RunRecord, Store, StoreError, default_user
from store.accounts import Identity
from store.config import display_url, resolve_url
from ui.i18n import t

IDENTITY_KEY = "auth.identity"
"""Session state: the signed-in Identity (set by ``ui.auth.require_sign_in`` on every run)."""
UNAVAILABLE_KEY = "history.unavailable"
"""Session state: why the store could not be opened (set once; the session is warned once)."""
STORE_ERRORS = (StoreError, SQLAlchemyError, OSError, ValueError, ImportError)
"""What opening or writing the store may raise that must not stop the app."""


# -- who -----------------------------------------------------------------------------------------
def acting_user() -> Identity | str:
    """Who acts: the signed-in user (``ui.auth``); the login name only outside a signed-in app."""
    identity = st.session_state.get(IDENTITY_KEY)
    return identity if identity is not None else default_user()


def user_name() -> str:
    """The signed-in user's name (recorded with runs and approval steps)."""
    user = acting_user()
    return user.name if isinstance(user, Identity) else user


# -- opening -------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    """One Store (a connection pool, safe across threads) per database for the whole server."""
    return Store.open(url)


def reason(error: BaseException) -> str:
    """A database error on one line, without SQLAlchemy's "background on this error" link."""
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error)
    return " ".join(text.split("(Background on this error")[0].split())


def where() -> str:
    """The configured database, password hidden (or what is wrong with the configuration)."""
    try:
        return display_url(resolve_url())
    except STORE_ERRORS as error:
        return reason(error)


def open_store() -> tuple[Store | None, str]:
    """The configured store (migrated on first open), or None and why not."""
    try:
        return _open(resolve_url()), ""
    except STORE_ERRORS as error:
        return None, reason(error)


def store_for_recording() -> Store | None:
    """The store to record into; None (after one warning per session) if it cannot be opened."""
    if st.session_state.get(UNAVAILABLE_KEY):
        return None
    history, why = open_store()
    if history is None:
        st.session_state[UNAVAILABLE_KEY] = why
        st.warning(t("history.unavailable", where=where(), reason=why), icon=":material/history:")
    return history


# -- recording -----------------------------------------------------------------------------------
def record(
    scenario: Scenario, dataset: Dataset, plan: Plan, started: datetime, finished: datetime
) -> RunRecord | None:
    """Save the scenario (a new version only if it changed) and the plan as a run of it.

    Returns the run, or None when the store is unavailable or the write failed (said on the page).
    """
    history = store_for_recording()
    if history is None:
        return None
    user = acting_user()
    try:
        version = history.save_scenario(scenario.model_copy(update={"dataset": None}), user=user)
        return history.record_run(
            version, dataset, plan, user=user, started_at=started, finished_at=finished
        )
    except STORE_ERRORS as error:
        st.warning(t("history.not_recorded", reason=reason(error)), icon=":material/history:")
        return None


# -- reading (cached: what is stored never changes) ----------------------------------------------
@st.cache_data(show_spinner=False, max_entries=16)
def stored_run(url: str, run_id: int) -> RunRecord:
    """A stored run with its plan and scenario (its ``approval_state`` may be stale: read the
    state from a fresh ``list_runs`` or ``scenario_version``)."""
    return _open(url).get_run(run_id)


@st.cache_data(show_spinner=False, max_entries=8)
def stored_dataset(url: str, content_hash: str) -> Dataset:
    """The dataset a run was solved on, rebuilt from the store."""
    return _open(url).load_dataset(content_hash)


@st.cache_data(show_spinner=False, max_entries=32)
def stored_diff(url: str, run_a: int, run_b: int) -> RunDiff:
    """What run ``b`` decides differently from run ``a``."""
    return _open(url).diff_runs(run_a, run_b)
