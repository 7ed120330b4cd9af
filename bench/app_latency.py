"""Latencies of three app actions on the Sơn La data, through streamlit.testing (issue #17).

Run from the repository root: ``python -m bench.app_latency``. It solves the shipped pooled base,
then times: comparing three plans (base from the cache, the 20 % cut solved anew, the formula
rule), forcing the first commune the Commune page shows, and the 7-point budget frontier. Writes
into a temporary user folder and history store.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ntm-latency-"))
    os.environ.pop("NTM_DATA", None)
    os.environ["NTM_USER_DIR"] = str(folder / "user")
    os.environ["NTM_DATABASE_URL"] = f"sqlite:///{folder / 'history.db'}"
    from streamlit.testing.v1 import AppTest

    from models.scenario_io import load_scenario

    def timed(what: str, action) -> None:
        started = time.perf_counter()
        action()
        print(f"{what}: {time.perf_counter() - started:.1f} s", flush=True)

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1200).run()
    app.switch_page("ui/pages/scenario.py").run()
    run = next(b for b in app.button if b.label == "Chạy kịch bản")
    timed("solve the pooled base", lambda: run.click().run())
    base = load_scenario(ROOT / "scenarios" / "son_la_2021_2025.yaml").name
    cut = ROOT / "scenarios" / "son_la_budget_cut_20.yaml"
    app.switch_page("ui/pages/compare.py").run()
    app.multiselect(key="cmp.chosen").set_value([f"run:{base}", f"file:{cut}", "baseline:formula"])
    timed("compare three plans (one new solve)", lambda: app.button[0].click().run())
    app.switch_page("ui/pages/commune.py").run()
    force = next(b for b in app.button if b.label == "Buộc xã đạt chuẩn")
    timed("force a commune to standard", lambda: force.click().run())
    app.switch_page("ui/pages/frontier.py").run()
    timed("the 7-point frontier", lambda: app.button[0].click().run())


if __name__ == "__main__":
    main()
