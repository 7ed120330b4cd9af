"""From clicking "Chạy kịch bản" to the first figure on screen, in a real browser (issue #22).

Run from the repository root: ``python -m bench.app_first_figure [RUNS]``. Each run starts the
app (``streamlit run app.py``) on the bundled Sơn La 2021 data with a history store and an
account of its own, signs in in Debian's Chromium, opens the Scenario page on the shipped pooled
scenario and clicks run; it times the click until the first level's figure (communes at standard,
"… — Nhiều xã đạt chuẩn nông thôn mới nhất: 111" in the run's status line, below the button) is visible, and until the plan's headline figures are. A fresh server per
run: the server's plan cache would otherwise answer the second click at once.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USER, PASSWORD = "timer", "Figure-Password-22"
TIMEOUT_MS = 120_000
FIRST_FIGURE = re.compile(r"Nhiều xã đạt chuẩn nông thôn mới nhất: \d+")
"""The first level's figure as the run's status line shows it while the other levels solve."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    from store import Store
    from store.accounts import Role

    url = f"sqlite:///{folder / 'history.db'}"
    with Store.open(url) as store:
        store.add_user(USER, PASSWORD, set(Role))
    env = dict(os.environ)
    env.update(
        NTM_DATA=str(ROOT / "data" / "son_la_2021"),
        NTM_DATABASE_URL=url,
        NTM_USER_DIR=str(folder / "user"),
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"),
            *("--server.address", "127.0.0.1", "--server.port", str(port)),
            *("--browser.gatherUsageStats", "false"),
        ],
        cwd=ROOT,
        env=env,
        stdout=(folder / "server.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2):
                return server, address
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"the app did not start: see {folder / 'server.log'}")


def one_run() -> tuple[float, float]:
    """(seconds to the first figure, seconds to the headline figures) of one click."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    folder = Path(tempfile.mkdtemp(prefix="ntm-first-figure-"))
    server, address = _serve(folder)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1600}, locale="vi-VN")
            page.goto(f"{address}/scenario", timeout=TIMEOUT_MS)
            page.get_by_label("Tên đăng nhập").fill(USER)
            page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
            page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
            run = page.get_by_role("button", name="Chạy kịch bản")
            expect(run).to_be_visible()
            expect(page.get_by_test_id("stStatusWidget")).to_be_hidden()
            page.wait_for_timeout(1000)  # let the page settle after its first run
            clicked = time.perf_counter()
            run.click()
            expect(page.get_by_text(FIRST_FIGURE).first).to_be_visible()
            first = time.perf_counter() - clicked
            expect(page.get_by_test_id("stMetric").first).to_be_visible()
            headline = time.perf_counter() - clicked
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return first, headline


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    runs = int(args[0]) if args else 3
    firsts, headlines = [], []
    for k in range(runs):
        first, headline = one_run()
        firsts.append(first)
        headlines.append(headline)
        print(f"run {k + 1}: first figure {first:.2f} s, headline figures {headline:.2f} s")
    print(
        f"first figure: min {min(firsts):.2f} s, median {statistics.median(firsts):.2f} s; "
        f"headline figures: min {min(headlines):.2f} s, median {statistics.median(headlines):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
