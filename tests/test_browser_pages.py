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

from models import summary
from models.io import load_package
from ui.charts import COLOR_MET, COLOR_UNMET, ROW_HEIGHT
from ui.format import number
from ui.pages.scenario import SOURCE_WIDTH
from ui.state import SON_LA_2021_PATH

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


def test_the_grid_shows_every_commune_of_the_districts_chosen(app_url: str) -> None:  # noqa: F811
    """Huyện Sốp Cộp (8 communes) was blank and two districts (29) squashed: the grid is as tall
    as its rows, each commune a full row of cells, also in a fresh session."""
    from playwright.sync_api import expect, sync_playwright

    dataset = load_package(SON_LA_2021_PATH)
    table = summary.commune_table(dataset)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = open_browser(p)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="vi-VN")
            page.goto(app_url, timeout=PAGE_TIMEOUT_MS)
            signed_in(page)
            chooser = page.get_by_test_id("stMultiSelect").first
            expect(chooser).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            painted = {}
            for district in ("Huyện Sốp Cộp", "Huyện Sông Mã"):
                # a choice made while the script still runs can be lost: wait until it is idle
                page.wait_for_timeout(500)
                expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=PAGE_TIMEOUT_MS)
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


def test_the_budget_form_follows_a_factor_and_refuses_a_minus_with_its_reason(
    app_url: str,  # noqa: F811
) -> None:
    """In the budget table, the central budget's factor typed as 80: its yearly amounts and the
    total follow at once; typed as -80: the minus stays and the page says why it cannot run."""
    from playwright.sync_api import expect, sync_playwright

    from models.scenario_io import load_scenario
    from ui.scenario_form import budget_table

    dataset = load_package(SON_LA_2021_PATH)
    scenario = load_scenario(SHIPPED)
    table = budget_table(dataset, scenario, {})
    years = [c for c in table.columns if c not in ("name", "factor")]
    total = float(table[years].to_numpy().sum())
    central = float(table.loc["central", years].sum())
    expected = number(total - 0.2 * central, 1)
    with sync_playwright() as p:
        browser = open_browser(p)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1600}, locale="vi-VN")
            page.goto(app_url, timeout=PAGE_TIMEOUT_MS)
            signed_in(page)
            go_to(page, "Kịch bản")
            editor = page.get_by_test_id("stDataFrame").first
            expect(editor).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            expect(page.get_by_text(f"{number(total, 1)} tỷ đồng")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            box = editor.bounding_box()
            # the first row (the central budget), in the source column
            x = box["x"] + SOURCE_WIDTH // 2
            y = box["y"] + 35 + 17
            for typed in ("80", "-80"):
                # an edit made while the script still runs can be lost: wait until it is idle
                expect(page.get_by_test_id("stBaseButton-primaryFormSubmit")).to_be_visible(
                    timeout=PAGE_TIMEOUT_MS
                )
                expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=PAGE_TIMEOUT_MS)
                page.wait_for_timeout(1500)
                page.mouse.click(x, y)  # the source's name, then one cell right: its factor
                page.keyboard.press("ArrowRight")
                page.keyboard.press("Enter")  # open the cell's editor (the grid's own input)
                cell = page.locator("input.gdg-input")
                expect(cell).to_be_focused(timeout=PAGE_TIMEOUT_MS)
                cell.fill(typed)
                expect(cell).to_have_value(typed, timeout=PAGE_TIMEOUT_MS)
                page.keyboard.press("Enter")
                page.wait_for_timeout(2500)
                if typed == "80":
                    expect(page.get_by_text(f"{expected} tỷ đồng")).to_be_visible(
                        timeout=PAGE_TIMEOUT_MS
                    )
                    page.screenshot(path=ARTIFACTS / "budget-factor-80.png", full_page=True)
            expect(page.get_by_text("là -80%, số âm")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            page.get_by_test_id("stBaseButton-primaryFormSubmit").click()  # «Chạy kịch bản»
            page.wait_for_timeout(2500)
            expect(page.get_by_text("Chưa chạy được kịch bản với ngân sách này:")).to_be_visible(
                timeout=PAGE_TIMEOUT_MS
            )
            expect(page.get_by_text("Xem kết quả chi tiết")).to_have_count(0)
            page.screenshot(path=ARTIFACTS / "budget-factor-minus.png", full_page=True)
        finally:
            browser.close()


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
