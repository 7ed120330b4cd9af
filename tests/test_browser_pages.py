"""Real-browser checks of the pages' safeguards (issue #17), in Debian's Chromium on the Sơn La
data: the communes × criteria grid filtered to one or two districts, and the budget form.

The app is served as in ``test_browser.py`` (its ``app_url`` fixture); screenshots go to
``test-artifacts/``. Nothing is solved here.
"""

from __future__ import annotations

import io

import pytest
from test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT_MS, app_url  # noqa: F401

from models import summary
from models.io import load_package
from ui.charts import COLOR_MET, COLOR_UNMET, ROW_HEIGHT
from ui.format import number
from ui.state import DEFAULT_DATA_PATH

pytestmark = pytest.mark.browser
COLOR_TOLERANCE = 12
"""How far (per RGB channel) a screenshot pixel may be from a grid colour (antialiasing)."""


def grid_rows_painted(png: bytes) -> int:
    """Pixel rows of a screenshot that hold a met or unmet grid cell colour."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (COLOR_MET, COLOR_UNMET)]
    width, height = image.size
    pixels = image.load()
    painted = 0
    for y in range(height):
        for x in range(0, width, 4):
            pixel = pixels[x, y]
            if any(
                all(abs(p - c) <= COLOR_TOLERANCE for p, c in zip(pixel, colour, strict=False))
                for colour in colours
            ):
                painted += 1
                break
    return painted


def open_browser(p):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh (it installs Debian's chromium)")
    return p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def test_the_grid_shows_every_commune_of_the_districts_chosen(app_url: str) -> None:  # noqa: F811
    """Huyện Sốp Cộp (8 communes) was blank and two districts (29) squashed: the grid is as tall
    as its rows, each commune a full row of cells, also in a fresh session."""
    from playwright.sync_api import expect, sync_playwright

    dataset = load_package(DEFAULT_DATA_PATH)
    table = summary.commune_table(dataset)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = open_browser(p)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="vi-VN")
            page.goto(app_url, timeout=PAGE_TIMEOUT_MS)
            chooser = page.get_by_test_id("stMultiSelect").first
            expect(chooser).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            painted = {}
            for district in ("Huyện Sốp Cộp", "Huyện Sông Mã"):
                chooser.click()
                page.get_by_role("option", name=district, exact=True).click()
                page.keyboard.press("Escape")
                chosen = summary.select_communes(table, [*list(painted), district])
                expect(page.get_by_test_id("stMetric").first).to_contain_text(
                    number(len(chosen)), timeout=PAGE_TIMEOUT_MS
                )
                page.wait_for_timeout(3000)  # the page redraws its charts
                grid = page.get_by_test_id("stVegaLiteChart").last
                expect(grid).to_be_visible(timeout=PAGE_TIMEOUT_MS)
                grid.scroll_into_view_if_needed()
                page.wait_for_timeout(1500)
                painted[district] = (len(chosen), grid_rows_painted(grid.screenshot()))
                page.screenshot(path=ARTIFACTS / f"grid-{len(chosen)}-communes.png", full_page=True)
        finally:
            browser.close()
    for communes, rows in painted.values():
        # every commune a row of ROW_HEIGHT pixels (less the white cell borders)
        assert rows >= communes * (ROW_HEIGHT - 3), painted
        assert rows <= communes * ROW_HEIGHT + 4, painted
