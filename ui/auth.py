"""Signing in to the app: no page is shown before it.

``require_sign_in()`` runs first on every script run (``app.py``). When the history store has no
account it shows a one-time form that creates the first admin; otherwise a sign-in form. A signed-in
session keeps only the user's *name* and the time of its last activity in the server-side session
state; on every run the account is read again (disabled users and changed roles take effect at
once) and a session idle longer than ``store.policy.session_timeout()`` (8 hours by default) ends.
Passwords go straight from the form to the store (argon2) and are never kept: the forms clear on
submit.
"""

from __future__ import annotations

import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from store import StoreError
from store.accounts import (
    AccountError,
    Action,
    Identity,
    NotSignedIn,
    Role,
    SignInFailed,
)
from store.policy import session_timeout
from ui import history
from ui.i18n import t

USER_KEY = "auth.user"
"""Session state: the signed-in user's name."""
SEEN_KEY = "auth.last_seen"
"""Session state: when (time.time()) the session last ran."""
IDENTITY_KEY = history.IDENTITY_KEY
"""Session state: the Identity read from the store on this run (pages ask ``current()``)."""
NOTICE_KEY = "auth.notice"
FIRST_ADMIN_ROLES = frozenset({Role.ADMIN, Role.PLANNER, Role.FINANCE, Role.APPROVER})
"""The first admin of a fresh store can do everything (four-eyes still needs a second approver)."""


def role_names(identity: Identity) -> str:
    return ", ".join(t(f"role.{r.value}") for r in sorted(identity.roles))


def current() -> Identity | None:
    """The signed-in user of this run (None before sign-in)."""
    return st.session_state.get(IDENTITY_KEY)


def may(action: Action) -> bool:
    identity = current()
    return identity is not None and identity.may(action)


def may_run() -> bool:
    """Whether the signed-in user may solve (planners and finance); a viewer is told why not."""
    if may(Action.RECORD_RUN):
        return True
    st.info(t("auth.cannot_run"), icon=":material/lock:")
    return False


def _sign_out_session() -> None:
    for key in (USER_KEY, SEEN_KEY, IDENTITY_KEY):
        st.session_state.pop(key, None)


def _signed_in(identity: Identity) -> None:
    st.session_state[USER_KEY] = identity.name
    st.session_state[SEEN_KEY] = time.time()
    st.session_state[IDENTITY_KEY] = identity


def _failure_text(error: SignInFailed) -> str:
    text = str(error)
    if "locked" in text:
        return t("auth.locked")
    if "disabled" in text:
        return t("auth.disabled")
    return t("auth.wrong")


def _first_admin_form(store: history.Store) -> None:
    st.title(t("auth.first_title"))
    st.markdown(t("auth.first_intro"))
    with st.form("auth.first_admin", clear_on_submit=True):
        name = st.text_input(t("auth.name"))
        password = st.text_input(t("auth.password"), type="password")
        again = st.text_input(t("auth.password_again"), type="password")
        pressed = st.form_submit_button(t("auth.first_create"), type="primary")
    if not pressed:
        return
    if password != again:
        st.error(t("auth.mismatch"))
        return
    try:
        store.add_user(name, password, FIRST_ADMIN_ROLES)
        identity = store.authenticate(name.strip(), password)
    except NotSignedIn:
        st.info(t("auth.first_taken"))
        return
    except (AccountError, SignInFailed) as error:
        st.error(t("auth.failed", reason=str(error)))
        return
    _signed_in(identity)
    st.rerun()


def _sign_in_form(store: history.Store) -> None:
    st.title(t("auth.title"))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
    with st.form("auth.sign_in", clear_on_submit=True):
        name = st.text_input(t("auth.name"))
        password = st.text_input(t("auth.password"), type="password")
        pressed = st.form_submit_button(t("auth.sign_in"), type="primary")
    if not pressed:
        return
    try:
        identity = store.authenticate(name, password)
    except SignInFailed as error:
        st.error(_failure_text(error))
        return
    _signed_in(identity)
    st.rerun()


def _sign_out_button(store: history.Store, identity: Identity) -> None:
    st.sidebar.markdown(t("auth.signed_in_as", name=identity.name, roles=role_names(identity)))
    if st.sidebar.button(t("auth.sign_out"), icon=":material/logout:"):
        try:
            store.sign_out(identity)
        except (StoreError, *history.STORE_ERRORS):
            pass  # signing out of the session must work even when the store write fails
        _sign_out_session()
        st.rerun()


NOBODY = Identity(name="", roles=frozenset())
"""Who "signs in" where no app is served: a solver worker process that re-imports ``app.py``
(multiprocessing's spawn runs it outside Streamlit, where ``st.stop()`` does not stop)."""


def require_sign_in() -> Identity:
    """The signed-in user; otherwise show the first-admin or sign-in form and stop the run."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return NOBODY  # no browser session: nothing is drawn, no role is held
    store, why = history.open_store()
    if store is None:
        st.error(t("auth.no_store", where=history.where(), reason=why))
        st.stop()
    name = st.session_state.get(USER_KEY)
    if name:
        idle = time.time() - float(st.session_state.get(SEEN_KEY, time.time()))
        if idle > session_timeout().total_seconds():
            _sign_out_session()
            st.session_state[NOTICE_KEY] = t("auth.expired")
        else:
            try:
                identity = store.identity(name)
            except SignInFailed:
                _sign_out_session()
                st.session_state[NOTICE_KEY] = t("auth.disabled")
            else:
                _signed_in(identity)
                _sign_out_button(store, identity)
                return identity
    if store.has_users():
        _sign_in_form(store)
    else:
        _first_admin_form(store)
    st.stop()
    raise AssertionError("st.stop() ends the run")
