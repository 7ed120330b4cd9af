"""Signing in to the app (AppTest): the first-admin form, sign-in, wrong password, lock-out,
inactivity expiry, sign-out, and pages and buttons that follow the role (the app's column of the
role matrix), four-eyes on the approval page. These tests start signed out (``signed_out``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import APP, APP_TIMEOUT, EXAMPLE

from models.scenario import Horizon, Scenario
from store import Store
from store.accounts import Role
from ui.runs import USER_DIR_ENV_VAR
from ui.state import DATA_ENV_VAR

pytestmark = pytest.mark.signed_out

PASSWORD = "Office-Password-7"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv(DATA_ENV_VAR, str(EXAMPLE))
    monkeypatch.setenv(USER_DIR_ENV_VAR, str(tmp_path / "user"))
    monkeypatch.setenv("NTM_FOUR_EYES", "true")
    return AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)


@pytest.fixture
def history() -> Store:
    store = Store.open(os.environ["NTM_DATABASE_URL"])
    yield store
    store.close()


def run(target) -> AppTest:
    app = target.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def fill(app: AppTest, *values: str) -> AppTest:
    for box, value in zip(app.text_input, values, strict=True):
        box.set_value(value)
    return run(app.button[0].click())


def texts(app: AppTest, kind: str) -> str:
    return "\n".join(str(e.value) for e in getattr(app, kind))


def sign_in(app: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    return fill(run(app), name, password)


def test_a_fresh_store_opens_the_first_admin_form_and_nothing_else(
    app: AppTest, history: Store
) -> None:
    run(app)
    assert [h.value for h in app.title] == ["Tạo quản trị viên đầu tiên"]
    assert not app.dataframe and not app.metric  # no page before signing in
    fill(app, "an", PASSWORD, PASSWORD + "x")
    assert "Hai mật khẩu không giống nhau" in texts(app, "error")
    fill(app, "an", "short", "short")
    assert "at least 10 characters" in texts(app, "error")
    assert not history.has_users()
    fill(app, "an", PASSWORD, PASSWORD)
    assert "Đang đăng nhập: **an**" in texts(app.sidebar, "markdown")
    assert history.identity("an").roles == {Role.ADMIN, Role.PLANNER, Role.FINANCE, Role.APPROVER}
    assert PASSWORD not in repr(app.session_state)


@pytest.mark.slow
def test_sign_in_wrong_password_lock_out_and_sign_out(app: AppTest, history: Store) -> None:
    history.add_user("an", PASSWORD, {Role.ADMIN})
    history.add_user("lan", PASSWORD, {Role.PLANNER}, by=history.authenticate("an", PASSWORD))
    run(app)
    assert [h.value for h in app.title] == ["Đăng nhập"]
    fill(app, "lan", "not-the-password")
    assert texts(app, "error") == "Sai tên đăng nhập hoặc mật khẩu."
    fill(app, "lan", PASSWORD)
    assert "Đang đăng nhập: **lan** (lập kế hoạch)" in texts(app.sidebar, "markdown")
    run(next(b for b in app.sidebar.button if b.label == "Đăng xuất").click())
    assert [h.value for h in app.title] == ["Đăng nhập"]
    for _ in range(5):
        fill(app, "lan", "not-the-password")
    assert "khóa 15 phút" in texts(app, "error")
    fill(app, "lan", PASSWORD)  # locked: the right password does not help
    assert "khóa 15 phút" in texts(app, "error")
    actions = [r.action for r in history.audit_trail(by=history.identity("an"), target="lan")]
    assert actions.count("sign_in.failed") == 7 and "sign_out" in actions


def test_an_idle_session_expires(app: AppTest, history: Store, monkeypatch) -> None:
    history.add_user("an", PASSWORD, {Role.ADMIN})
    monkeypatch.setenv("NTM_SESSION_HOURS", str(1 / 3600))  # one second
    sign_in(app, "an")
    assert "Đang đăng nhập" in texts(app.sidebar, "markdown")
    time.sleep(1.5)
    run(app)
    assert [h.value for h in app.title] == ["Đăng nhập"]
    assert "hết hạn" in texts(app, "info")


def test_a_disabled_account_is_signed_out_on_its_next_page(app: AppTest, history: Store) -> None:
    history.add_user("an", PASSWORD, {Role.ADMIN})
    admin = history.authenticate("an", PASSWORD)
    history.add_user("lan", PASSWORD, {Role.PLANNER}, by=admin)
    sign_in(app, "lan")
    history.set_disabled("lan", True, by=admin)
    run(app)
    assert [h.value for h in app.title] == ["Đăng nhập"]


# -- the role matrix in the app ----------------------------------------------------------------
def people(history: Store) -> None:
    history.add_user("an", PASSWORD, {Role.ADMIN})
    admin = history.authenticate("an", PASSWORD)
    for role in (Role.VIEWER, Role.PLANNER, Role.FINANCE, Role.APPROVER):
        history.add_user(role.value, PASSWORD, {role}, by=admin)
    history.add_user("approver2", PASSWORD, {Role.APPROVER}, by=admin)


def page_titles(app: AppTest) -> list[str]:
    return [h.value for h in app.title]


@pytest.mark.slow
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_pages_and_buttons_follow_the_role(app: AppTest, history: Store, role: str) -> None:
    people(history)
    planner = history.authenticate("planner", PASSWORD)
    history.save_scenario(
        Scenario(name="shared", horizon=Horizon(start=2026, end=2027)), user=planner
    )
    sign_in(app, "an" if role == "admin" else role)
    run(app.switch_page("ui/pages/scenario.py"))
    buttons = {b.label: b for b in app.button}
    may_run = role in ("planner", "finance")
    assert buttons["Chạy kịch bản"].disabled is not may_run
    assert buttons["Lưu kịch bản"].disabled is not may_run
    run(app.switch_page("ui/pages/import_data.py"))
    assert bool(app.get("file_uploader")) is (role == "planner")
    run(app.switch_page("ui/pages/history.py"))
    app.session_state["hist.section"] = "approval"
    run(app)
    labels = [b.label for b in app.button]
    assert ("Phê duyệt" in labels) is (role == "approver")
    if role != "approver":
        assert "Chỉ người phê duyệt" in texts(app, "info")
    if role == "admin":
        run(app.switch_page("ui/pages/audit.py"))
        assert page_titles(app) == ["Nhật ký kiểm toán"]
        assert app.dataframe
    else:
        with pytest.raises(ValueError, match=r"audit\.py"):  # not in the navigation at all
            run(app.switch_page("ui/pages/audit.py"))


@pytest.mark.slow
def test_an_approver_cannot_approve_their_own_submission_in_the_app(
    app: AppTest, history: Store
) -> None:
    people(history)
    planner = history.authenticate("planner", PASSWORD)
    history.save_scenario(
        Scenario(name="shared", horizon=Horizon(start=2026, end=2027)), user=planner
    )
    sign_in(app, "approver")
    run(app.switch_page("ui/pages/history.py"))
    app.session_state["hist.section"] = "approval"
    run(app)
    run(next(b for b in app.button if b.label == "Trình duyệt").click())
    assert history.scenario_version("shared", 1).state == "submitted"
    run(next(b for b in app.button if b.label == "Phê duyệt").click())
    assert "nguyên tắc bốn mắt" in texts(app, "error")
    assert history.scenario_version("shared", 1).state == "submitted"


def version_box(app: AppTest):
    """The approval section's version dropdown (its key carries the versions' states)."""
    return next(s for s in app.selectbox if str(s.key).startswith("hist.approval_version."))


def approval_shown(app: AppTest) -> tuple[str, str]:
    """The version dropdown as shown (its chosen option's label) and the sentence under it that
    names the version's state."""
    box = version_box(app)
    about = next(m.value for m in app.markdown if m.value.startswith("**Phiên bản"))
    return box.options[box.index], about.split("**")[1]


def test_the_version_dropdown_follows_submission_and_approval_without_a_reload(
    app: AppTest, history: Store
) -> None:
    """Four eyes: one approver submits version 1 (the older of two), another approves it; each
    session's dropdown and state line name the new state right after the click, version 1 stays
    chosen, and the submitter's session shows the approval on its next run. (The browser's
    picture of the dropdown is checked in tests/test_browser_pages.py.)"""
    people(history)
    planner = history.authenticate("planner", PASSWORD)
    for end in (2027, 2028):  # two versions: the dropdown opens on the newest
        history.save_scenario(
            Scenario(name="shared", horizon=Horizon(start=2026, end=end)), user=planner
        )
    submitter = sign_in(app, "approver")
    run(submitter.switch_page("ui/pages/history.py"))
    submitter.session_state["hist.section"] = "approval"
    run(submitter)
    assert approval_shown(submitter) == ("Phiên bản 2 · Bản nháp", "Phiên bản 2: Bản nháp")
    run(version_box(submitter).select(1))
    assert approval_shown(submitter) == ("Phiên bản 1 · Bản nháp", "Phiên bản 1: Bản nháp")
    run(next(b for b in submitter.button if b.label == "Trình duyệt").click())
    assert history.scenario_version("shared", 1).state == "submitted"
    assert approval_shown(submitter) == (
        "Phiên bản 1 · Đã trình duyệt",
        "Phiên bản 1: Đã trình duyệt",
    )

    approver = sign_in(AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT), "approver2")
    run(approver.switch_page("ui/pages/history.py"))
    approver.session_state["hist.section"] = "approval"
    run(approver)
    run(version_box(approver).select(1))
    assert approval_shown(approver)[0] == "Phiên bản 1 · Đã trình duyệt"
    run(next(b for b in approver.button if b.label == "Phê duyệt").click())
    assert history.scenario_version("shared", 1).state == "approved"
    assert approval_shown(approver) == ("Phiên bản 1 · Đã phê duyệt", "Phiên bản 1: Đã phê duyệt")
    assert version_box(approver).options == ["Phiên bản 2 · Bản nháp", "Phiên bản 1 · Đã phê duyệt"]

    run(submitter)  # the other session, on its next run
    assert approval_shown(submitter)[0] == "Phiên bản 1 · Đã phê duyệt"
