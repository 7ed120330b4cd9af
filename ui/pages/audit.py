"""Audit trail page (admins): who did what and when, with filters, and a check of the hash chain."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store.accounts import Action
from ui import auth, history
from ui.i18n import t

RECORDS_SHOWN = 500


def render() -> None:
    st.title(t("audit.title"))
    st.caption(t("audit.intro"))
    identity = auth.current()
    store, why = history.open_store()
    if identity is None or store is None or not identity.may(Action.READ_AUDIT):
        st.error(t("auth.refused", reason=why or Action.READ_AUDIT.value))
        return
    left, right = st.columns(2)
    who = left.text_input(t("audit.filter_who")).strip() or None
    what = right.text_input(t("audit.filter_what")).strip() or None
    if st.button(t("audit.verify"), icon=":material/verified_user:"):
        breaks = store.verify_audit(by=identity)
        if breaks:
            st.error(t("audit.broken", count=len(breaks)))
            st.code("\n".join(b.message for b in breaks), language=None)
        else:
            st.success(t("audit.intact"))
    records = store.audit_trail(by=identity, actor=who, action=what, limit=RECORDS_SHOWN)
    if not records:
        st.info(t("audit.none"))
        return
    table = pd.DataFrame(
        {
            t("audit.col.when"): [r.at.strftime("%Y-%m-%d %H:%M:%S") for r in records],
            t("audit.col.who"): [r.actor for r in records],
            t("audit.col.what"): [r.action for r in records],
            t("audit.col.target"): [r.target for r in records],
            t("audit.col.detail"): [
                ", ".join(f"{k}={v}" for k, v in sorted(r.detail.items()) if v not in ("", None))
                for r in records
            ],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
