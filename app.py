"""ntm-budget app: routes the pages; each page lives in ui/pages/ (run: bash scripts/run-app.sh)."""

import streamlit as st

from ui.i18n import t
from ui.pages import data
from ui.state import data_source_note, language_switch

st.set_page_config(page_title=t("app.title"), page_icon="🌾", layout="wide")
language_switch()
pages = [
    st.Page(
        data.render,
        title=t("page.data"),
        icon=":material/table_chart:",
        url_path="data",
        default=True,
    ),
]
st.navigation(pages).run()
data_source_note()
