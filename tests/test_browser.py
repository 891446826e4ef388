"""The rendered briefing as a reader sees it, in headless Chromium."""

import os
import shutil

import pytest

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
    ("2020/en/01_briefing.html", "引进市外内资"),  # quotes stay in Chinese in the English version
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
