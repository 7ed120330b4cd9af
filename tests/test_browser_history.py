"""The History page's approval section in Chromium (issue #17): the version dropdown names a
version's new state right after «Trình duyệt» or «Phê duyệt», without a reload.

Streamlit's AppTest reads a widget's options from the server and could not see this: the browser
kept drawing the label the option had when it was chosen («Phiên bản 1 · Bản nháp») above a line
saying «Đã trình duyệt». Four eyes are on: ``tester`` submits, ``minh`` approves.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    TEST_PASSWORD,
    TEST_USER,
    go_to,
    served_app,
    sign_in,
    wait_until_idle,
)

from models.scenario import Horizon, Scenario
from store import Store
from store.accounts import Role

pytestmark = pytest.mark.browser

APPROVER, APPROVER_PASSWORD = "minh", "Office-Staff-Pass-2"
SCENARIO = "Kế hoạch 2026"


@pytest.fixture(scope="module")
def approval_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app with four eyes on, and its database URL; ``tester`` (every role) saved two
    versions of «Kế hoạch 2026» and ``minh`` may approve."""
    database = f"sqlite:///{tmp_path_factory.mktemp('approval') / 'history.db'}"
    with served_app(
        tmp_path_factory, with_account=True, NTM_DATABASE_URL=database, NTM_FOUR_EYES="true"
    ) as url:
        with Store.open(database) as store:
            admin = store.authenticate(TEST_USER, TEST_PASSWORD)
            store.add_user(APPROVER, APPROVER_PASSWORD, {Role.APPROVER}, by=admin)
            for end in (2027, 2028):
                scenario = Scenario(name=SCENARIO, horizon=Horizon(start=2026, end=end))
                store.save_scenario(scenario, user=admin)
        yield url, database


def open_version(page, name: str, password: str, label: str) -> None:
    """Sign in as ``name``, open the History page's approval section and choose the version
    whose dropdown label is ``label``."""
    from playwright.sync_api import expect

    sign_in(page, name, password)
    expect(page.get_by_text("Đang đăng nhập:")).to_be_visible()
    wait_until_idle(page)
    go_to(page, "Lịch sử")
    expect(page.get_by_text("Lịch sử chạy và phê duyệt")).to_be_visible()
    wait_until_idle(page)
    page.get_by_text("Phê duyệt kịch bản", exact=True).click()
    versions = page.get_by_role("combobox", name="Phiên bản")
    expect(versions).to_have_value("Phiên bản 2 · Bản nháp")  # the newest first
    wait_until_idle(page)
    versions.click()
    page.get_by_role("option", name=label, exact=True).click()
    expect(versions).to_have_value(label)
    expect(page.get_by_text(label.replace(" · ", ": "), exact=True)).to_be_visible()
    wait_until_idle(page)


def test_the_version_dropdown_shows_the_new_state_after_each_step(
    approval_app: tuple[str, str],
) -> None:
    """``tester`` chooses version 1 (the older) and submits it; ``minh`` chooses it and approves
    it: each time the dropdown's label and the line under it name the new state at once."""
    from playwright.sync_api import expect, sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh (it installs Debian's chromium)")
    url, database = approval_app
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for name, password, before, button, after in (
                (TEST_USER, TEST_PASSWORD, "Bản nháp", "Trình duyệt", "Đã trình duyệt"),
                (APPROVER, APPROVER_PASSWORD, "Đã trình duyệt", "Phê duyệt", "Đã phê duyệt"),
            ):
                page = browser.new_page(viewport={"width": 1440, "height": 1600}, locale="vi-VN")
                page.set_default_timeout(PAGE_TIMEOUT_MS)
                page.goto(url, timeout=PAGE_TIMEOUT_MS)
                open_version(page, name, password, f"Phiên bản 1 · {before}")
                page.get_by_role("button", name=button, exact=True).click()
                done = f"«{SCENARIO}» phiên bản 1: {after}."
                expect(page.get_by_text(done)).to_be_visible()
                wait_until_idle(page)
                versions = page.get_by_role("combobox", name="Phiên bản")
                expect(versions).to_have_value(f"Phiên bản 1 · {after}")  # no reload
                expect(page.get_by_text(f"Phiên bản 1: {after}", exact=True)).to_be_visible()
                page.screenshot(path=ARTIFACTS / f"approval-{after}.png", full_page=True)
                page.close()
        finally:
            browser.close()
    with Store.open(database) as store:
        version = store.scenario_version(SCENARIO, 1)
    assert (version.state, version.state_by) == ("approved", APPROVER)
