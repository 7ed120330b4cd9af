"""Real-browser checks of the pages' safeguards (issue #17), in Debian's Chromium on the Sơn La
data: the communes × criteria grid filtered to one or two districts, and the budget form.

The app is served as in ``test_browser.py`` (its ``app_url`` fixture); screenshots go to
``test-artifacts/``. Nothing is solved here.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from test_browser import (  # noqa: F401
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_TIMEOUT_MS,
    REPO_ROOT,
    app_url,
    go_to,
    served_app,
    signed_in,
)

from ui.charts import COLOR_MET, COLOR_UNMET

pytestmark = pytest.mark.browser
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"
SHIPPED = Path(__file__).resolve().parents[1] / "scenarios" / "son_la_2021_2025.yaml"
"""The scenario the Scenario page starts from on the Sơn La data."""
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


@pytest.fixture(scope="module")
def markup_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on data/example with commune 90001 named with markdown and bare links."""
    folder = tmp_path_factory.mktemp("markup") / "package"
    shutil.copytree(EXAMPLE, folder)
    communes = pd.read_csv(folder / "communes.csv", dtype=str, keep_default_na=False)
    communes.loc[communes["code"] == "90001", "name"] = MARKUP_NAME
    communes.to_csv(folder / "communes.csv", index=False)
    with served_app(
        tmp_path_factory,
        with_account=True,
        NTM_DATA=str(folder),
        NTM_USER_DIR=str(tmp_path_factory.mktemp("user")),
    ) as url:
        yield url


MARKUP_NAME = "**Xã Nà Pát** [bấm vào đây](https://evil.example/) www.evil.example"


def test_a_commune_name_with_markup_reads_as_written_in_chromium(markup_url: str) -> None:
    """The Commune page's title shows the name character for character (no bold, no link to
    evil.example: the only address that names it is the heading's own anchor)."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = open_browser(p)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1400}, locale="vi-VN")
            page.goto(markup_url, timeout=PAGE_TIMEOUT_MS)
            signed_in(page)
            go_to(page, "Kịch bản")
            run = page.get_by_test_id("stBaseButton-primaryFormSubmit")
            expect(run).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            run.click()
            expect(page.get_by_text("Xem kết quả chi tiết")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            page.get_by_test_id("stSidebarNav").get_by_text("Xã", exact=True).click()
            page.get_by_test_id("stSelectbox").nth(1).click()
            page.get_by_role("option").filter(has_text="Nà Pát").first.click()
            heading = page.get_by_test_id("stHeading").nth(1)
            expect(heading).to_contain_text("**Xã Nà Pát**", timeout=PAGE_TIMEOUT_MS)
            shown = heading.inner_text().replace("\u2060", "")
            links = page.locator("a[href*=evil]").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            bold = page.locator("strong", has_text="Nà Pát").count()
            page.screenshot(path=ARTIFACTS / "commune-markup-name.png", full_page=True)
        finally:
            browser.close()
    assert shown.strip() == MARKUP_NAME
    assert all(link.startswith("#") for link in links), links
    assert bold == 0
