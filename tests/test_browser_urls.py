"""Every page opens by its own address in Chromium (issue #22: ``/data``, the Data page's own
url path, said "Page not found" because Streamlit serves the default page at ``/`` only).

The app is served as in ``test_browser.py`` (its ``app_url`` fixture). Nothing is solved here.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import (  # noqa: F401
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    app_url,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "": "Hiện trạng tiêu chí nông thôn mới",
    "data": "Hiện trạng tiêu chí nông thôn mới",
    "scenario": "Kịch bản phân bổ vốn",
    "history": "Lịch sử chạy và phê duyệt",
}
"""URL path → a heading the page shows (the root shows the Data page). Each is opened signed
out: after signing in, the page asked for by its address is the one shown."""


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_opens_by_its_url(app_url: str, path: str) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1200}, locale="vi-VN")
            page.goto(f"{app_url.rstrip('/')}/{path}", timeout=PAGE_TIMEOUT_MS)
            sign_in(page)
            heading = page.get_by_role("heading", name=PAGES[path]).first
            expect(heading).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=PAGE_TIMEOUT_MS)
            assert page.get_by_text("Page not found").count() == 0
            assert page.get_by_text("Không tìm thấy trang").count() == 0
        finally:
            browser.close()
