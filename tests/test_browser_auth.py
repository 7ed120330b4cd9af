"""Signing in, in a real browser (Debian's Chromium through Playwright) against ``streamlit run``:
the first-admin form of a fresh store, sign-out, a wrong password, a planner who cannot approve,
an approver who cannot approve their own submission (four-eyes), and the lock-out after five
failed sign-ins. The server log is grepped for the passwords at the end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    served_app,
    sign_in,
)

from models.scenario import Horizon, Scenario
from store import Store
from store.accounts import Role

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "First-Admin-Pass-1"
STAFF_PASSWORD = "Office-Staff-Pass-2"


@pytest.fixture(scope="module")
def fresh_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """The app on a store with no account yet; (its URL, its database URL, its server log)."""
    folder = tmp_path_factory.mktemp("auth")
    database, log = f"sqlite:///{folder / 'history.db'}", folder / "server.log"
    with served_app(
        tmp_path_factory,
        with_account=False,
        log=log,
        NTM_DATABASE_URL=database,
        NTM_FOUR_EYES="true",
    ) as url:
        yield url, database, log


def failed_sign_ins(database: str, name: str) -> int:
    with Store.open(database) as store:
        admin = store.authenticate("an", ADMIN_PASSWORD)
        trail = store.audit_trail(by=admin, action="sign_in.failed", target=name, limit=None)
    return len(trail)


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the app did not record the attempt in time"
        time.sleep(0.3)


def sign_out(page) -> None:
    from playwright.sync_api import expect

    # a click while the script still runs can be lost: wait until the page is idle
    page.wait_for_timeout(1000)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def open_approval(page) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_text("Lịch sử", exact=True).click()
    expect(page.get_by_text("Lịch sử chạy và phê duyệt")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_text("Phê duyệt kịch bản", exact=True).click()


def test_sign_in_roles_four_eyes_and_lock_out_in_chromium(
    fresh_app: tuple[str, str, Path], tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh (it installs Debian's chromium)")
    from playwright.sync_api import expect, sync_playwright

    url, database, log = fresh_app
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1800}, locale="vi-VN")
            page.goto(url, timeout=PAGE_TIMEOUT_MS)
            # a fresh store: the one-time form, and no page behind it
            expect(page.get_by_text("Tạo quản trị viên đầu tiên")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            assert page.get_by_test_id("stSidebarNav").count() == 0
            page.screenshot(path=ARTIFACTS / "first-admin.png", full_page=True)
            page.get_by_label("Tên đăng nhập").fill("an")
            page.get_by_label("Mật khẩu", exact=True).fill(ADMIN_PASSWORD)
            page.get_by_label("Nhập lại mật khẩu").fill(ADMIN_PASSWORD)
            page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
            expect(page.get_by_text("Đang đăng nhập:")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_test_id("stSidebarNav")).to_be_visible()

            # the admin adds a planner and an approver (as `ntm user add` would)
            with Store.open(database) as store:
                admin = store.authenticate("an", ADMIN_PASSWORD)
                store.add_user("lan", STAFF_PASSWORD, {Role.PLANNER}, by=admin)
                store.add_user("minh", STAFF_PASSWORD, {Role.APPROVER}, by=admin)
                store.save_scenario(
                    Scenario(name="Kế hoạch 2026", horizon=Horizon(start=2026, end=2027)),
                    user=store.authenticate("lan", STAFF_PASSWORD),
                )
            sign_out(page)

            sign_in(page, "lan", "not-the-password")
            expect(page.get_by_text("Sai tên đăng nhập hoặc mật khẩu.")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            sign_in(page, "lan", STAFF_PASSWORD)
            expect(page.get_by_text("Đang đăng nhập:")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            open_approval(page)
            expect(page.get_by_text("Chỉ người phê duyệt mới")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            assert page.get_by_role("button", name="Phê duyệt").count() == 0
            page.screenshot(path=ARTIFACTS / "planner-approval.png", full_page=True)
            sign_out(page)

            sign_in(page, "minh", STAFF_PASSWORD)
            expect(page.get_by_text("Đang đăng nhập:")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            open_approval(page)
            page.get_by_role("button", name="Trình duyệt").click()
            expect(page.get_by_text("«Kế hoạch 2026» phiên bản 1: Đã trình duyệt.")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            page.get_by_role("button", name="Phê duyệt").click()
            expect(page.get_by_text("nguyên tắc bốn mắt")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            page.screenshot(path=ARTIFACTS / "four-eyes.png", full_page=True)
            sign_out(page)

            before = failed_sign_ins(database, "lan")
            for attempt in range(1, 6):  # each one counted before the next is typed
                sign_in(page, "lan", "not-the-password")
                wait_for(lambda n=attempt: failed_sign_ins(database, "lan") == before + n)
            expect(page.get_by_text("khóa 15 phút")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            sign_in(page, "lan", STAFF_PASSWORD)
            expect(page.get_by_text("khóa 15 phút")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            page.screenshot(path=ARTIFACTS / "locked-out.png", full_page=True)
        finally:
            browser.close()

    with Store.open(database) as store:
        assert store.scenario_version("Kế hoạch 2026", 1).state == "submitted"
        trail = store.audit_trail(by=store.authenticate("an", ADMIN_PASSWORD), limit=None)
    actions = [r.action for r in trail]
    assert "version.submitted" in actions and "refused" in actions
    assert actions.count("sign_out") == 3
    server_log = log.read_text(encoding="utf-8", errors="replace")
    for secret in (ADMIN_PASSWORD, STAFF_PASSWORD, "not-the-password"):
        assert secret not in server_log
        assert all(secret not in str(r.detail) for r in trail)
