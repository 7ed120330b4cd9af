"""ntm-budget app: routes the pages; each page lives in ui/pages/ (run: bash scripts/run-app.sh)."""

import streamlit as st

from store.accounts import Action
from ui.auth import current, require_sign_in
from ui.i18n import t
from ui.pages import data as data_page
from ui.runs import worker_server
from ui.state import data_source_note, language_switch

st.set_page_config(page_title=t("app.title"), page_icon="🌾", layout="wide")
language_switch()
worker_server()  # the solve workers' forkserver starts while the user signs in


def page_map(with_audit: bool) -> dict[str, list[st.Page]]:
    """The pages by section; the audit page only for those who may read it."""
    pages = {
        t("nav.status"): [
            # The root shows the Data page; Streamlit serves a default page at "/" only (its own
            # url path then answers "Page not found"), so the root is a hidden page of its own and
            # the listed Data page keeps /data.
            st.Page(
                data_page.render,
                title=t("page.data"),
                icon=":material/table_chart:",
                url_path="home",
                default=True,
                visibility="hidden",
            ),
            st.Page(
                "ui/pages/data.py",
                title=t("page.data"),
                icon=":material/table_chart:",
                url_path="data",
            ),
            st.Page(
                "ui/pages/import_data.py",
                title=t("page.import"),
                icon=":material/upload_file:",
                url_path="import",
            ),
        ],
        t("nav.plan"): [
            st.Page(
                "ui/pages/scenario.py",
                title=t("page.scenario"),
                icon=":material/tune:",
                url_path="scenario",
            ),
            st.Page(
                "ui/pages/results.py",
                title=t("page.results"),
                icon=":material/insights:",
                url_path="results",
            ),
            st.Page(
                "ui/pages/compare.py",
                title=t("page.compare"),
                icon=":material/compare_arrows:",
                url_path="compare",
            ),
            st.Page(
                "ui/pages/options.py",
                title=t("page.options"),
                icon=":material/alt_route:",
                url_path="options",
            ),
            st.Page(
                "ui/pages/frontier.py",
                title=t("page.frontier"),
                icon=":material/show_chart:",
                url_path="frontier",
            ),
            st.Page(
                "ui/pages/risk.py",
                title=t("page.risk"),
                icon=":material/casino:",
                url_path="risk",
            ),
            st.Page(
                "ui/pages/districts.py",
                title=t("page.groups"),
                icon=":material/holiday_village:",
                url_path="districts",
            ),
            st.Page(
                "ui/pages/commune.py",
                title=t("page.commune"),
                icon=":material/location_city:",
                url_path="commune",
            ),
            st.Page(
                "ui/pages/progress.py",
                title=t("page.progress"),
                icon=":material/fact_check:",
                url_path="progress",
            ),
            st.Page(
                "ui/pages/history.py",
                title=t("page.history"),
                icon=":material/history:",
                url_path="history",
            ),
        ],
    }
    if with_audit:
        pages[t("nav.status")].append(
            st.Page(
                "ui/pages/audit.py",
                title=t("page.audit"),
                icon=":material/policy:",
                url_path="audit",
            )
        )
    return pages


if current() is None:
    # Before sign-in the pages are known but hidden, so that the page asked for by its address
    # (a bookmark of /results) is the page shown once signed in, not the root.
    st.navigation(page_map(with_audit=True), position="hidden")
identity = require_sign_in()  # no page before signing in
# expanded: every page listed (a "View more" hid four)
st.navigation(page_map(identity.may(Action.READ_AUDIT)), expanded=True).run()
data_source_note()
