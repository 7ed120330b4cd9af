"""Real-browser checks of the pages' safeguards (issue #17), in Debian's Chromium on the Sơn La
data: the communes × criteria grid filtered to one or two districts, and the budget form.

The app is served as in ``test_browser.py`` (its ``app_url`` fixture); screenshots go to
``test-artifacts/``. Nothing is solved here.
"""

from __future__ import annotations

import io
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

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
    legend_labels,
    served_app,
    signed_in,
    wait_until_idle,
)

from models import summary
from models.io import load_package
from ui.charts import COLOR_MET, COLOR_UNMET, ROW_HEIGHT
from ui.format import number
from ui.state import SON_LA_2021_PATH

if TYPE_CHECKING:
    from playwright.sync_api import Page

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


@contextmanager
def signed_in_page(url: str, width: int, height: int) -> Iterator[Page]:
    """A Chromium page of ``width`` × ``height`` on ``url``, signed in; closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = open_browser(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
            page.goto(url, timeout=PAGE_TIMEOUT_MS)
            signed_in(page)
            yield page
        finally:
            browser.close()


T = TypeVar("T")


def eventually(read: Callable[[], T], good: Callable[[T], bool], what: str) -> T:
    """``read()`` again until ``good`` accepts it (within the page timeout): for what Playwright's
    ``expect`` cannot wait on, such as the pixels of a chart that Vega is still drawing."""
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    while True:
        value = read()
        if good(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: still {value!r} after {PAGE_TIMEOUT_MS / 1000:.0f} s")
        time.sleep(0.5)


def choose(page, label: str, option: str) -> None:
    """Pick ``option``, by its text, in the multiselect labelled ``label``, once the app is idle
    (a choice made during a rerun can be lost)."""
    wait_until_idle(page)
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


DISTRICTS = ("Huyện Sốp Cộp", "Huyện Sông Mã")
"""Sốp Cộp (8 communes) was blank; with Sông Mã too the rows were squashed."""


def test_the_grid_shows_every_commune_of_the_districts_chosen(app_url: str) -> None:  # noqa: F811
    """Huyện Sốp Cộp (8 communes) was blank and two districts squashed: the grid is as tall as
    its rows, each commune a full row of cells, also in a fresh session."""
    from playwright.sync_api import expect

    table = summary.commune_table(load_package(SON_LA_2021_PATH))
    ARTIFACTS.mkdir(exist_ok=True)
    seen = {}
    with signed_in_page(app_url, 1440, 2400) as page:
        for n, district in enumerate(DISTRICTS, start=1):
            communes = len(summary.select_communes(table, list(DISTRICTS[:n])))
            choose(page, "Huyện", district)
            count = page.get_by_test_id("stMetric").filter(has_text="Số xã").first
            expect(count.get_by_test_id("stMetricValue")).to_have_text(number(communes))
            wait_until_idle(page)
            heading = page.get_by_role("heading", name="Bảng tiêu chí theo xã")
            expect(heading).to_be_visible()
            grid = page.get_by_test_id("stVegaLiteChart").last
            grid.scroll_into_view_if_needed()
            # every commune a row of ROW_HEIGHT pixels (less the white cell borders); Vega
            # may still be drawing the previous choice's grid: read until it shows this one
            rows = eventually(
                lambda grid=grid: grid_rows_painted(grid.screenshot()),
                lambda rows, n=communes: n * (ROW_HEIGHT - 3) <= rows <= n * ROW_HEIGHT + 4,
                f"pixel rows of the grid of {communes} communes",
            )
            seen[district] = (communes, rows, grid.bounding_box()["height"])
            page.screenshot(path=ARTIFACTS / f"grid-{communes}-communes.png", full_page=True)
    assert seen[DISTRICTS[0]][0] == 8, seen  # Sốp Cộp's communes (its wards left out)
    for communes, _, height in seen.values():
        assert height >= communes * ROW_HEIGHT, seen  # the chart grows with its rows


LEGEND_WORDS = {"vi": ("Đạt chuẩn", "Quản lý"), "en": ("At standard", "Governance")}
"""A label of each of the Data page's two legends that were cut, per language."""


def test_no_legend_label_of_the_data_page_is_cut_in_either_language(app_url: str) -> None:  # noqa: F811
    """At Chromium's default width the distribution chart's legend ran off its half of the page
    ("At standard") and the criteria chart's second legend column too: every legend label is
    drawn whole (no "…") inside its chart, in Vietnamese and in English."""
    from playwright.sync_api import expect

    drawn = {}
    with signed_in_page(app_url, 1280, 2000) as page:
        for lang, words in LEGEND_WORDS.items():
            if lang == "en":
                page.get_by_text("English", exact=True).click()
                expect(page.get_by_role("heading", name="Criteria by commune")).to_be_visible()
                wait_until_idle(page)
            # the charts are drawn (again, in the new language) after the script has run
            drawn[lang] = eventually(
                lambda: legend_labels(page),
                lambda labels, words=words: set(words) <= {x["text"] for x in labels},
                f"the Data page's legend labels in {lang}",
            )
        page.screenshot(path=ARTIFACTS / "data-page-en.png", full_page=True)
    for labels in drawn.values():
        assert all("…" not in label["text"] and label["inside"] for label in labels), drawn


CENTRAL = "Ngân sách trung ương (CTMTQG xây dựng nông thôn mới)"
LOCAL = "Ngân sách địa phương (tỉnh, huyện, xã)"
HEADER_ROOM = 40
"""Pixels of a grid column header besides its text: glide-data-grid's padding (8) on each side
and the editable column's icon (18 × 1.3, rounded up: 24)."""


def budget_cell(editor, source: str, header: str):
    """The budget editor's cell of ``source``'s row in the column headed ``header``: found by the
    texts of the grid's accessible table (glide-data-grid draws on a canvas and keeps a table
    of the same cells for screen readers), never by position."""
    column = editor.locator("thead th").filter(has_text=re.compile(f"^{re.escape(header)}$"))
    index = column.get_attribute("aria-colindex")
    row = editor.locator(f'tbody tr:has(td[aria-colindex="1"]:text-is("{source}"))')
    return row.locator(f'td[aria-colindex="{index}"]')


def type_into(page, cell, typed: str) -> None:
    """Type ``typed`` into a cell of the budget editor as a user does: select the cell, Enter
    opens its editor, type, Enter commits (once the app is idle: an edit during a rerun is lost).
    """
    from playwright.sync_api import expect

    wait_until_idle(page)
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    # the grid takes the first focus for its own first cell: focus again until this one is chosen
    while cell.get_attribute("aria-selected") != "true" and time.monotonic() < deadline:
        cell.focus()
        page.wait_for_timeout(100)
    expect(cell).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    box = page.locator("textarea.gdg-input, input.gdg-input")
    expect(box).to_be_focused()
    expect(box).to_be_editable()
    box.fill(typed)
    expect(box).to_have_value(typed)
    page.keyboard.press("Enter")


def test_the_budget_form_follows_a_factor_and_refuses_what_it_cannot_run(
    app_url: str,  # noqa: F811
) -> None:
    """On the Scenario page's budget table (Chromium's default width, 1280 px): the central
    budget's factor typed as 80 moves its yearly amounts and the total at once; typed as -80 the
    minus stays and the page says why it cannot run; so for a negative amount and an absurd one
    (999.999.999.999.999 tỷ đồng); «Chạy kịch bản» then refuses with the reasons, and every
    column with its whole header fits the table's frame."""
    from playwright.sync_api import expect

    from models.scenario_io import load_scenario
    from ui.i18n import source_name
    from ui.pages.scenario import FACTOR_WIDTH, YEAR_WIDTH
    from ui.scenario_form import budget_table, year_columns

    dataset = load_package(SON_LA_2021_PATH)
    names = {x.code: source_name(x, "vi") for x in dataset.sources}
    table = budget_table(dataset, load_scenario(SHIPPED), names)
    years = year_columns(table)
    central = table.index[table["name"] == CENTRAL][0]
    total = float(table[years].to_numpy().sum())
    cut = [0.8 * float(table.at[central, y]) for y in years]
    cut_total = total - sum(float(table.at[central, y]) for y in years) + sum(cut)
    ARTIFACTS.mkdir(exist_ok=True)
    with signed_in_page(app_url, 1280, 1600) as page:
        go_to(page, "Kịch bản")
        editor = page.get_by_test_id("stDataFrame").first
        expect(editor.locator("thead th").first).to_have_text("Nguồn vốn")
        expect(page.get_by_text(f"{number(total, 1)} tỷ đồng")).to_be_visible()
        wait_until_idle(page)
        fit = editor.evaluate(MEASURE_HEADERS)

        factor = budget_cell(editor, CENTRAL, "Hệ số")
        type_into(page, factor, "80")  # the yearly amounts and the total follow at once
        expect(page.get_by_text(f"{number(cut_total, 1)} tỷ đồng")).to_be_visible()
        for year, amount in zip(years, cut, strict=True):
            expect(budget_cell(editor, CENTRAL, str(year))).to_have_text(f"{amount:g}")
        expect(factor).to_have_text("80")
        page.screenshot(path=ARTIFACTS / "budget-factor-80.png", full_page=True)

        type_into(page, factor, "-80")  # the minus stays, and the page says why
        refused = page.get_by_text("Chưa chạy được kịch bản với ngân sách này:")
        expect(refused).to_be_visible()
        expect(page.get_by_text(f"«{CENTRAL}» là -80%, số âm")).to_be_visible()
        expect(factor).to_have_text("-80")
        first, second = years[1], years[2]
        type_into(page, budget_cell(editor, LOCAL, str(first)), "-50")
        expect(page.get_by_text(f"«{LOCAL}» năm {first} là -50 tỷ đồng, số âm")).to_be_visible()
        expect(budget_cell(editor, LOCAL, str(first))).to_have_text("-50")
        type_into(page, budget_cell(editor, LOCAL, str(second)), "999999999999999")
        absurd = f"«{LOCAL}» năm {second} là 999.999.999.999.999 tỷ đồng, vượt mức tối đa"
        expect(page.get_by_text(absurd)).to_be_visible()
        expect(page.get_by_text("có lẽ gõ nhầm")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "budget-refused.png", full_page=True)

        wait_until_idle(page)
        page.get_by_role("button", name="Chạy kịch bản").click()
        expect(page.get_by_text("Chưa chạy được: kịch bản có lỗi cần sửa.")).to_be_visible()
        wait_until_idle(page)
        expect(refused).to_be_visible()
        expect(page.get_by_text("Xem kết quả chi tiết")).to_have_count(0)
        page.screenshot(path=ARTIFACTS / "budget-run-refused.png", full_page=True)
    assert fit["scroll"] <= fit["client"], fit  # no column hidden behind a horizontal scroll
    widths = {"Hệ số": FACTOR_WIDTH, **{str(y): YEAR_WIDTH for y in years}}
    for header, text_width in fit["headers"].items():
        if header in widths:
            assert text_width + HEADER_ROOM <= widths[header], (header, text_width, fit)
    assert set(widths) <= set(fit["headers"]), fit


MEASURE_HEADERS = """editor => {
    // the grid's header font, as glide-data-grid draws it on its canvas
    const grid = editor.querySelector('.stDataFrameGlideDataEditor');
    const style = getComputedStyle(grid);
    const font = style.getPropertyValue('--gdg-header-font-style').trim() + ' '
        + style.getPropertyValue('--gdg-font-family').trim();
    const context = document.createElement('canvas').getContext('2d');
    context.font = font;
    const scroller = editor.querySelector('.dvn-scroller');
    const headers = {};
    for (const th of editor.querySelectorAll('thead th')) {
        headers[th.textContent] = context.measureText(th.textContent).width;
    }
    return {scroll: scroller.scrollWidth, client: scroller.clientWidth, font, headers};
}"""


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
    from playwright.sync_api import expect

    with signed_in_page(markup_url, 1440, 1400) as page:
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
    assert shown.strip() == MARKUP_NAME
    assert all(link.startswith("#") for link in links), links
    assert bold == 0


@pytest.fixture(scope="module")
def example_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on data/example (6 communes: its plans solve in a moment)."""
    with served_app(
        tmp_path_factory,
        with_account=True,
        NTM_DATA=str(EXAMPLE),
        NTM_USER_DIR=str(tmp_path_factory.mktemp("user")),
    ) as url:
        yield url


COMPARED = (
    "Phương án cơ sở – Ví dụ 6 xã (example) (kịch bản đang làm)",
    "Phương án cơ sở – Ví dụ 6 xã (example) · Ưu tiên xã gần đạt chuẩn nhất",
    "Phương án cơ sở – Ví dụ 6 xã (example) · Phân bổ theo định mức (hệ số)",
)
"""Three plans of data/example, chosen in this order (not the list's): A, B and C."""


def compared(page, label: str) -> tuple[list[str], str]:
    """The plans the Compare page's selector holds (in order) and the caption that names each
    compared plan by its letter ("A: … · B: … · C: …")."""
    from playwright.sync_api import expect

    selector = page.get_by_test_id("stMultiSelect").filter(has_text=label)
    chips = selector.get_by_role("button", name=re.compile("^Remove ")).all()
    legend = page.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"C: "))
    expect(legend.first).to_be_visible()
    names = [chip.get_attribute("aria-label").removeprefix("Remove ") for chip in chips]
    return names, legend.first.inner_text()


def test_three_compared_plans_survive_a_page_and_a_language_change(example_url: str) -> None:
    """Compare three plans, open Results, switch to English, come back to Compare, switch back
    to Vietnamese: the selector still holds the three plans, in their order, and each plan keeps
    its letter (the issue saw an empty selector, two plans, and the old C labelled B)."""
    from playwright.sync_api import expect

    with signed_in_page(example_url, 1280, 2000) as page:
        go_to(page, "So sánh")
        expect(page.get_by_text("So sánh các phương án")).to_be_visible()
        for plan in COMPARED:
            wait_until_idle(page)
            page.get_by_role("combobox", name="Các phương án so sánh").click()
            page.get_by_role("option", name=plan, exact=True).click()
            page.keyboard.press("Escape")
        wait_until_idle(page)
        page.get_by_role("button", name="So sánh", exact=True).click()
        expect(page.get_by_text("Chỉ tiêu chính")).to_be_visible()
        wait_until_idle(page)
        before = compared(page, "Các phương án so sánh")
        page.screenshot(path=ARTIFACTS / "compare-three.png", full_page=True)

        go_to(page, "Kết quả")
        expect(page.get_by_role("heading", name="Kết quả phân bổ vốn")).to_be_visible()
        wait_until_idle(page)
        page.get_by_text("English", exact=True).click()
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav.get_by_text("Compare", exact=True)).to_be_visible()
        wait_until_idle(page)
        go_to(page, "Compare")
        expect(page.get_by_role("heading", name="Headline figures")).to_be_visible()
        wait_until_idle(page)
        in_english = compared(page, "Plans to compare")
        page.screenshot(path=ARTIFACTS / "compare-three-en.png", full_page=True)
        page.get_by_text("Tiếng Việt", exact=True).click()
        expect(page.get_by_text("Chỉ tiêu chính")).to_be_visible()
        wait_until_idle(page)
        after = compared(page, "Các phương án so sánh")
    assert before[0] == list(COMPARED), before
    # the same plans in the same order: the current scenario is now the run it became
    assert after[0] == [x.removesuffix(" (kịch bản đang làm)") for x in COMPARED], after
    assert after[1] == before[1]  # each plan keeps its letter
    assert len(in_english[0]) == 3 and all(f"{x}: " in in_english[1] for x in "ABC"), in_english
    for letter, plan in zip("ABC", COMPARED, strict=True):
        assert f"{letter}: {plan.removesuffix(' (kịch bản đang làm)')}" in before[1], before
