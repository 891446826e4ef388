"""The rendered briefing as a reader sees it, in headless Chromium."""

import os
import re
import shutil
from pathlib import Path

import pytest

import zhenhai_analysis as za

from .conftest import PROJECT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = PROJECT / "outputs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: .ci/run installs it (apt-get install chromium)")
    pytest.skip("Chromium is not installed (Debian/Ubuntu: apt install chromium fonts-noto-cjk)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.mark.parametrize("page_path, chinese", [
    ("index.html", "镇海区2020年政府工作报告简报"),
    ("2020/zh/01_briefing.html", "2020年目标简报"),
    ("2020/en/01_briefing.html", "中文"),  # the switch to the Chinese page (quotes are folded under the table)
    ("2020/zh/02_theme.investment.html", "主题：投资与项目"),
    ("2020/en/03_indicator.domestic_investment_outside_city.code.html", "计划引进市外内资116亿元"),
])
def test_page_renders_with_all_images_and_no_errors(briefing, browser, page_path, chinese):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors, remote = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto((briefing / page_path).as_uri())
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert all(complete and width > 0 for complete, width in images), images
    if "01_briefing" in page_path or "02_theme" in page_path:
        assert images, "the page should show charts"
    assert errors == [] and remote == []
    assert chinese in page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / (page_path.replace("/", "_") + ".png")), full_page=True)
    page.close()


# Each kind of page, in each language, at a laptop's and a phone's width (ISSUE_NOTES: a sample in the
# browser; the structural checks of every page are in test_notebooks.py).
KINDS = ["index.html", "2020/{lang}/01_briefing.html", "2020/{lang}/02_theme.macro.html",
         "2020/{lang}/03_indicator.gdp_growth.html", "2020/{lang}/03_indicator.academician_workstations_new.html",
         "2020/{lang}/04_methods.html", "2020/{lang}/00_data_overview.html"]
SAMPLE = sorted({(k.format(lang=lang), lang) for k in KINDS for lang in ("zh", "en")})

_MEASURE = """() => {
  const visible = el => el.offsetParent !== null && el.getClientRects().length > 0;
  const cells = [...document.querySelectorAll('td, th')].filter(visible).filter(c => c.innerText.trim())
    .map(c => [c.getBoundingClientRect().width, parseFloat(getComputedStyle(c).fontSize), c.innerText.slice(0, 30)]);
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  const images = [...document.querySelectorAll('img')].map(i => [i.getAttribute('alt') || '', i.complete && i.naturalWidth > 0]);
  const tables = [...document.querySelectorAll('table.data')].map(t => {
    let p = t.parentElement; let links = [];
    while (p && !links.length) { links = [...p.querySelectorAll(':scope > p.download a')].map(a => a.href); p = p.parentElement; }
    const next = t.nextElementSibling;
    const own = next && next.matches('p.download') ? [...next.querySelectorAll('a')].map(a => a.href) : links;
    return [t.querySelectorAll('tbody tr').length, own];
  });
  const names = [...document.querySelectorAll('p.download a[download]')].map(a => a.getAttribute('download'))
    .filter(name => name);
  return {width: document.documentElement.scrollWidth, cells, links, ids, images, tables, names};
}"""


def _rows_of_download(href: str) -> int:
    import base64
    import csv
    import io

    from openpyxl import load_workbook

    from urllib.parse import unquote, urlparse

    if href.startswith("data:"):  # a notebook's download; the briefing's are files beside the page
        data = base64.b64decode(href.split(",", 1)[1])
    else:
        data = Path(unquote(urlparse(href).path)).read_bytes()
    if href.startswith("data:text/csv") or href.endswith(".csv"):
        assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel keeps the Chinese
        return len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1
    return load_workbook(io.BytesIO(data)).active.max_row - 1


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page_path, lang", SAMPLE)
def test_each_kind_of_page_reads_at_laptop_and_phone_width(briefing, browser, page_path, lang, width):
    """No sideways scrolling, no cell narrower than two characters, every link resolves, every image
    has alternative text, and each table's CSV and Excel downloads hold the rows the page shows."""
    from urllib.parse import unquote, urlparse

    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((briefing / page_path).as_uri())
    page.wait_for_load_state("load")
    found = page.evaluate(_MEASURE)
    assert found["width"] <= width, f"{page_path} scrolls sideways at {width} px: {found['width']} px"
    narrow = [c for c in found["cells"] if c[0] < 2 * c[1] - 0.5]
    assert narrow == [], f"cells narrower than two characters: {narrow[:5]}"
    here = (briefing / page_path).parent
    for href in found["links"]:
        parsed = urlparse(href)
        if parsed.scheme in ("http", "https", "data"):
            continue
        if href.startswith("#"):
            assert href[1:] in found["ids"], f"{page_path}: no anchor {href}"
            continue
        assert (here / unquote(parsed.path)).resolve().is_file(), f"{page_path}: broken link {href}"
    assert all(alt and loaded for alt, loaded in found["images"]), found["images"]
    if "01_briefing" in page_path or "02_theme" in page_path:
        assert found["tables"], "the page should show its tables"
    # Each download is named after its page and language: the Chinese and English files never collide.
    stem = page_path.rsplit("/", 1)[-1].removesuffix(".html").split(".", 1)[0].split("_", 1)[-1]
    assert all(f"_{lang}_" in name and name.startswith(stem) for name in found["names"]), (stem, found["names"])
    for shown, links in found["tables"]:
        assert len(links) == 2, (page_path, links)  # CSV and Excel under every table
        assert [_rows_of_download(h) for h in links] == [shown, shown], page_path
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the pages a reader is shown first, to be looked at
    page.screenshot(path=str(SCREENSHOTS / f"{page_path.replace('/', '_').removesuffix('.html')}.{width}.png"),
                    full_page=True)
    page.close()


def test_reader_pages_are_light_and_their_downloads_lie_beside_them(briefing):
    from zhenhai_analysis.presentation.lighten import MAX_PAGE_KB, MEDIAN_PAGE_KB, page_weights

    weight = page_weights(briefing)
    assert weight["pages"] > 400
    assert weight["median_kb"] <= MEDIAN_PAGE_KB and weight["over"] == [], weight
    page = (briefing / "2020/zh/01_briefing.html").read_text(encoding="utf-8")
    assert "data:text/csv" not in page and "base64," in page  # downloads are files; charts stay inside
    assert (briefing / "2020/zh/briefing_2020_zh_status.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "jp-Notebook" in page and len(re.findall(r"--jp-[\w-]+:", page)) < 100  # not the whole JupyterLab theme


def test_the_index_filters_by_theme_and_by_name(briefing, browser):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto((briefing / "index.html").as_uri())
    rows = "tr.page:not([hidden])"
    everything = page.locator(rows).count()
    page.fill("#q", "gdp")
    matching = page.locator(rows).count()
    assert 0 < matching < everything
    assert all("gdp" in t.lower() for t in page.locator(rows).all_inner_texts())
    page.fill("#q", "")
    page.select_option("#theme", "macro")
    assert 0 < page.locator(rows).count() < everything
    assert page.locator(".section:not([hidden])").count() == 1
    page.fill("#q", "no such page anywhere")
    assert page.locator(rows).count() == 0 and page.locator("#nothing").is_visible()
    page.close()


def test_the_index_switches_its_links_to_the_versions_with_code(briefing, browser):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto((briefing / "index.html").as_uri())
    links = page.locator("td.links a")
    reader = links.all()[:4]
    before = [(a.get_attribute("href"), a.inner_text()) for a in reader]
    assert all(href.endswith(".html") and not href.endswith(".code.html") for href, _ in before)
    page.check("#code")
    after = [(a.get_attribute("href"), a.inner_text()) for a in reader]
    assert [href for href, _ in after] == [href.removesuffix(".html") + ".code.html" for href, _ in before]
    assert all((briefing / href).is_file() for href, _ in after)
    assert {text for _, text in after} == {"含代码", "with code"}
    page.uncheck("#code")
    assert [(a.get_attribute("href"), a.inner_text()) for a in reader] == before
    page.close()


def test_the_index_filters_by_status(briefing, browser):
    """Each indicator's line says its 2020 verdict and trend label; the filter keeps one status."""
    rows = za.briefing_model(None, 2020, 2019).rows
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto((briefing / "index.html").as_uri())
    shown = "tr.page:not([hidden])"
    page.select_option("#status", "missed")
    missed = page.locator(shown)
    assert missed.count() == (rows.verdict == "missed").sum()
    assert all("×" in text for text in missed.all_inner_texts())
    page.select_option("#status", "target")
    assert page.locator(shown).count() == rows.indicator_id.nunique()
    page.select_option("#status", "none")
    assert page.locator(shown).count() > 0 and "✓" not in " ".join(page.locator(shown).all_inner_texts())
    page.close()


A4_LANDSCAPE_PX = (277 * 96 / 25.4, 190 * 96 / 25.4)  # the printable area inside 10 mm margins, in CSS px


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_status_table_prints_on_one_a4_landscape_page_at_8pt(briefing, browser, lang):
    """Laid out for print at the printable width of A4 landscape, the 完成情况 table with its caption is no
    taller than the printable height, and no cell is set below 8 pt."""
    width, height = A4_LANDSCAPE_PX
    page = browser.new_page(viewport={"width": int(width), "height": int(height)})
    page.goto((briefing / f"2020/{lang}/01_briefing.html").as_uri())
    page.emulate_media(media="print")
    box = page.eval_on_selector("table.status", "t => t.getBoundingClientRect().height")
    smallest = page.eval_on_selector_all("table.status td, table.status th",
                                         "cells => Math.min(...cells.map(c => parseFloat(getComputedStyle(c).fontSize)))")
    rows = page.locator("table.status tbody tr").count()
    assert rows == len(za.briefing_model(None, 2020, 2019).rows)
    assert box <= height, f"{box:.0f} px of {height:.0f}"
    assert smallest >= 8 * 96 / 72 - 0.01  # 8 pt
    page.close()
