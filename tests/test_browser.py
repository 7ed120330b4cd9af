"""One real browser run: the app served by ``streamlit run`` and read in Debian's Chromium.

Playwright drives the system browser at ``/usr/bin/chromium`` (installed by ``scripts/test.sh``);
no browser is ever downloaded. Screenshots of the pages are saved in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from models import summary
from models.io import load_package
from ui.format import number
from ui.i18n import source_name
from ui.state import DATA_ENV_VAR, SON_LA_2021_PATH

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
SERVER_START_SECONDS = 60
PAGE_TIMEOUT_MS = 60_000
expect.set_options(timeout=PAGE_TIMEOUT_MS)  # every wait of every browser test: a busy machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer within {SERVER_START_SECONDS} s:\n{log.read_text()}")


TEST_USER = "tester"
TEST_PASSWORD = "Browser-Password-19"
"""The account the plan tests sign in with (every role; created before the server starts)."""


@contextmanager
def served_app(
    tmp_path_factory: pytest.TempPathFactory,
    *,
    with_account: bool,
    log: Path | None = None,
    **extra_env: str,
) -> Iterator[str]:
    """The app on the bundled Sơn La 2021 data, on a free port of 127.0.0.1; always stopped after.

    ``with_account``: the store gets the ``tester`` account first (else the app opens on the
    first-admin form of a fresh store)."""
    port = free_port()
    log = log or tmp_path_factory.mktemp("streamlit") / "server.log"
    env = dict(os.environ)
    env[DATA_ENV_VAR] = str(SON_LA_2021_PATH)  # the pages checked here are the 2021 package's
    # runs solved in the browser are recorded into a history store of this test's own
    history = tmp_path_factory.mktemp("history") / "history.db"
    env["NTM_DATABASE_URL"] = f"sqlite:///{history}"
    env.update(extra_env)
    if with_account:
        from store import Store
        from store.accounts import Role

        with Store.open(env["NTM_DATABASE_URL"]) as store:
            store.add_user(TEST_USER, TEST_PASSWORD, set(Role))
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_healthy(url, server, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="module")
def app_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app with the ``tester`` account in its store."""
    ARTIFACTS.mkdir(exist_ok=True)  # the server log is kept there for a failed run (one a module)
    log = ARTIFACTS / f"server-{request.module.__name__}.log"
    with served_app(tmp_path_factory, with_account=True, log=log) as url:
        yield url


def sign_in(page, name: str = TEST_USER, password: str = TEST_PASSWORD) -> None:
    """Fill the sign-in form (every page starts with it)."""
    from playwright.sync_api import expect

    expect(page.get_by_label("Tên đăng nhập")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()


QUIET_MS = 750
"""How long the app must have run no script before the page counts as idle: one run can follow
another (signing in ends in a second run of the first page) with a moment between them."""
IDLE_FOR = """quiet => {
    // Streamlit marks its root element with data-test-script-state ("running" while a script
    // runs) and data-test-connection-state
    const root = document.querySelector('[data-testid="stApp"]');
    const idle = root !== null && root.dataset.testScriptState === 'notRunning'
        && root.dataset.testConnectionState === 'CONNECTED';
    const now = performance.now();
    if (!idle || window.ntmIdleSince === undefined) window.ntmIdleSince = idle ? now : undefined;
    return idle && now - window.ntmIdleSince >= quiet;
}"""


def wait_until_idle(page) -> None:
    """Wait until the app has run no script for :data:`QUIET_MS`: a click or a choice made while
    the app reruns can be lost or undone.

    Streamlit's "Running…" status widget shows only after a delay, so it alone proves nothing;
    the root element's script state is read every 50 ms instead. A rerun starts only when the
    server answers a click: after an action, wait first for what the action shows, then for the
    app to be idle."""
    page.evaluate("() => { window.ntmIdleSince = undefined; }")
    page.wait_for_function(IDLE_FOR, arg=QUIET_MS, polling=50, timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()


def signed_in(page) -> None:
    """Sign in as ``tester`` and wait until the app has settled on its first page (the Data
    page): a click made while the script still runs can be lost."""
    from playwright.sync_api import expect

    sign_in(page)
    expect(page.get_by_text("Hiện trạng tiêu chí nông thôn mới")).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)


def test_data_page_in_chromium(app_url: str) -> None:
    """The Data page opens in Vietnamese and shows the real count of communes below the floor."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh (it installs Debian's chromium)")
    from playwright.sync_api import expect, sync_playwright

    dataset = load_package(SON_LA_2021_PATH)
    table = summary.select_communes(summary.commune_table(dataset))
    kpis = summary.status_kpis(table, summary.default_floor(dataset.criteria))
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 2800}, locale="vi-VN")
            page.goto(app_url, timeout=PAGE_TIMEOUT_MS)
            sign_in(page)
            expect(page.get_by_text("Hiện trạng tiêu chí nông thôn mới")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            metric = page.get_by_test_id("stMetric").filter(
                has_text=f"Xã dưới {kpis.floor} tiêu chí"
            )
            expect(metric).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            value = metric.get_by_test_id("stMetricValue").inner_text().strip()
            communes = page.get_by_test_id("stMetric").filter(has_text="Số xã")
            communes_value = communes.get_by_test_id("stMetricValue").inner_text().strip()
            # let the charts and the table finish drawing before the picture is taken
            expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
            expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
            page.wait_for_timeout(1500)
            page.screenshot(path=ARTIFACTS / "data-page.png", full_page=True)
        finally:
            browser.close()

    assert value == number(kpis.below_floor)
    assert communes_value == number(kpis.communes)


SOLVE_TIMEOUT_MS = 300_000
"""A Sơn La solve takes 15-25 s on two cores; leave room for a busy machine."""
BASE_SCENARIO = REPO_ROOT / "scenarios" / "son_la_2021_2025.yaml"
CUT_SCENARIO = REPO_ROOT / "scenarios" / "son_la_budget_cut_20.yaml"


def go_to(page, title: str) -> None:
    """Open a page from the sidebar (a new URL would start a new session and lose the runs)."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()


def metric_value(page, label: str, index: int = 0) -> tuple[str, str]:
    """Value and delta text of the ``index``-th metric whose label is ``label``."""
    metric = page.get_by_test_id("stMetric").filter(has_text=label).nth(index)
    value = metric.get_by_test_id("stMetricValue").inner_text().strip()
    delta = metric.get_by_test_id("stMetricDelta")
    return value, (delta.inner_text().strip() if delta.count() else "")


LEGEND_LABELS = """chart => {
    // Vega draws a chart as SVG (each legend label a text element, cut with "…" when longer
    // than the legend's labelLimit; it must lie inside the chart's picture), or on a canvas for
    // large data (the commune grid: no text to read; tests/test_ui_chart_legends.py checks all)
    const svg = chart.querySelector('svg.marks');
    if (svg === null) return [];
    const picture = svg.getBoundingClientRect();
    return [...chart.querySelectorAll('.role-legend-label text')].map(label => {
        const box = label.getBoundingClientRect();
        const inside = box.left >= picture.left - 1 && box.right <= picture.right + 1;
        return {text: label.textContent, inside: inside};
    });
}"""


def legend_labels(page) -> list[dict]:
    """Every legend label of the page's charts: its text as drawn and whether it lies inside
    its chart."""
    labels = []
    for chart in page.get_by_test_id("stVegaLiteChart").all():
        chart.scroll_into_view_if_needed()  # a chart is drawn once it comes into view
        expect(chart.locator("svg.marks, canvas").first).to_be_attached()
        labels += chart.evaluate(LEGEND_LABELS)
    return labels


def test_plan_and_compare_in_chromium(app_url: str) -> None:
    """Run the shipped pooled base on Sơn La, read its KPI, compare it with the 20% budget cut.

    Screenshots: scenario-page.png, results-page.png, compare-page.png, commune-page.png,
    frontier-page.png and history-page.png (the two runs compared) in test-artifacts/.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh (it installs Debian's chromium)")
    from playwright.sync_api import expect, sync_playwright

    from models.scenario_io import load_scenario
    from optimizer.solve import solve

    dataset = load_package(SON_LA_2021_PATH)
    base_scenario, cut_scenario = load_scenario(BASE_SCENARIO), load_scenario(CUT_SCENARIO)
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 3600}, locale="vi-VN")
            page.goto(app_url, timeout=PAGE_TIMEOUT_MS)
            sign_in(page)
            expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            go_to(page, "Kịch bản")
            expect(page.get_by_text("Kịch bản phân bổ vốn")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(1500)
            page.screenshot(path=ARTIFACTS / "scenario-page.png", full_page=True)

            page.get_by_test_id("stBaseButton-primaryFormSubmit").click()  # «Chạy kịch bản»
            expect(page.get_by_text("Xem kết quả chi tiết")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
            go_to(page, "Kết quả")
            expect(page.get_by_text("Vốn theo huyện")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_test_id("stVegaLiteChart").nth(3)).to_be_visible()
            page.wait_for_timeout(2000)
            at_standard = metric_value(page, "Xã đạt chuẩn nông thôn mới")
            page.screenshot(path=ARTIFACTS / "results-page.png", full_page=True)
            legends = {"vi": legend_labels(page)}
            wait_until_idle(page)
            page.get_by_text("English", exact=True).click()  # the same charts in English
            expect(page.get_by_role("heading", name="Money by district")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            wait_until_idle(page)
            expect(page.get_by_test_id("stVegaLiteChart").nth(3)).to_be_visible()
            legends["en"] = legend_labels(page)
            page.screenshot(path=ARTIFACTS / "results-page-en.png", full_page=True)
            page.get_by_text("Tiếng Việt", exact=True).click()
            expect(page.get_by_text("Vốn theo huyện")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            wait_until_idle(page)

            go_to(page, "So sánh")
            expect(page.get_by_text("So sánh các phương án")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            chooser = page.get_by_test_id("stMultiSelect")
            for option in (base_scenario.name, f"{cut_scenario.name} (kịch bản có sẵn)"):
                chooser.click()
                page.get_by_role("option", name=option, exact=True).click()
            page.keyboard.press("Escape")
            page.get_by_test_id("stBaseButton-primaryFormSubmit").click()  # «So sánh»
            expect(page.get_by_text("Chỉ tiêu chính")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
            expect(page.get_by_text("Các xã có kết quả khác nhau")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            page.wait_for_timeout(2000)
            compared = metric_value(page, "Xã đạt chuẩn nông thôn mới", index=1)
            page.screenshot(path=ARTIFACTS / "compare-page.png", full_page=True)

            go_to(page, "Xã")
            expect(page.get_by_text("Từng tiêu chí")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(1500)
            page.screenshot(path=ARTIFACTS / "commune-page.png", full_page=True)

            go_to(page, "Đường biên ngân sách")
            page.get_by_test_id("stBaseButton-primaryFormSubmit").click()  # «Vẽ đường biên»
            expect(page.get_by_text("Các mức ngân sách")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
            page.wait_for_timeout(2000)
            page.screenshot(path=ARTIFACTS / "frontier-page.png", full_page=True)

            go_to(page, "Lịch sử")  # the base and the cut, recorded as they were solved
            expect(page.get_by_text("Lịch sử chạy và phê duyệt")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            page.get_by_text("So sánh hai lần chạy", exact=True).click()
            expect(page.get_by_text("Xã thay đổi kết quả đạt chuẩn")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            page.wait_for_timeout(2000)
            page.screenshot(path=ARTIFACTS / "history-page.png", full_page=True)
        finally:
            browser.close()

    for lang, labels in legends.items():  # no legend label cut short or drawn off its chart
        names = {source_name(s, lang) for s in dataset.sources}
        assert names <= {label["text"] for label in labels}, (lang, labels)
        assert all("…" not in label["text"] and label["inside"] for label in labels), labels
    base, cut = solve(dataset, base_scenario), solve(dataset, cut_scenario)
    gained = base.kpis.at_standard_after - base.kpis.at_standard_before
    assert at_standard == (
        number(base.kpis.at_standard_after),
        f"+{gained} xã (hiện nay {base.kpis.at_standard_before})",
    )
    lost = base.kpis.at_standard_after - cut.kpis.at_standard_after
    assert compared == (number(cut.kpis.at_standard_after), f"-{lost} xã")
