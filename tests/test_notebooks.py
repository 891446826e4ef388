"""The briefing, run for real: papermill executes every notebook, nbconvert renders HTML."""

import json
import re
from pathlib import Path

import nbformat
import pytest

import zhenhai_analysis as za

from .conftest import PROJECT, run_pipeline

pytestmark = pytest.mark.slow  # papermill, kernels and the pipeline

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
THEMES = list(za.load_themes()["theme"])


def _problems_in(notebook: Path) -> list:
    """Error outputs, anything written to stderr (warnings included), and ERROR lines
    that IPython itself prints."""
    nb = nbformat.read(notebook, as_version=4)
    return [o for c in nb.cells for o in c.get("outputs", [])
            if o.get("output_type") == "error" or o.get("name") == "stderr" or "ERROR" in o.get("text", "")]


def test_every_page_ran_cleanly_in_both_languages(briefing):
    pages = sorted(briefing.glob("2020/*/*.ipynb"))
    names = {p.relative_to(briefing).as_posix() for p in pages}
    for lang in ("zh", "en"):
        assert f"2020/{lang}/00_data_overview.ipynb" in names and f"2020/{lang}/01_briefing.ipynb" in names
        assert {f"2020/{lang}/02_theme.{t}.ipynb" for t in THEMES} <= names
        assert f"2020/{lang}/03_indicator.domestic_investment_outside_city.ipynb" in names
    planned = json.loads((briefing / ".state" / "plan.json").read_text(encoding="utf-8"))["jobs"]
    assert len(pages) == len(planned) >= 400  # 2 languages x (3 + 12 themes + every indicator with a figure)
    for page in pages:
        assert _problems_in(page) == [], page


def test_each_cell_shows_its_parts_as_one_output(briefing):
    """display._html joins what a cell shows: one message from the kernel per cell, not one per part."""
    for page in sorted(briefing.glob("2020/*/*.ipynb")):
        shown = [len(c.get("outputs", [])) for c in nbformat.read(page, as_version=4).cells]
        assert max(shown) == 1, page


@pytest.mark.parametrize("lang, words, absent", [
    ("zh", ["2020年目标简报", "引进市外内资", "2020年目标完成情况表", "报告年度"], "Domestic capital attracted"),
    ("en", ["Briefing: the 2020 targets", "Domestic capital attracted from outside Ningbo", "Report year"], "引进市外内资项目77个,资金"),
])
def test_headline_page_states_title_year_source_and_time(briefing, lang, words, absent):
    html = (briefing / "2020" / lang / "01_briefing.html").read_text(encoding="utf-8")
    for word in words:
        assert word in html, word
    assert "http://www.zh.gov.cn/art/2020/5/10/art_1229033611_46694240.html" in html
    assert re.search(r"(生成时间|Generated)</b>(：|: )20\d\d-\d\d-\d\d \d\d:\d\d", html)
    assert absent not in html


def test_html_is_self_contained_in_reader_and_code_versions(briefing):
    for page in briefing.glob("2020/*/*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", html), page  # nothing fetched
        images = re.findall(r"<img[^>]+src=\"([^\"]+)\"", html)
        assert all(src.startswith("data:image/png;base64,") for src in images), page
        code_version = page.name.endswith(".code.html")
        assert bool(re.search(r'class="\s*highlight hl-ipython3"', html)) == code_version, page  # code cells


def test_index_links_every_page_by_theme(briefing):
    """Every reader page from the index; every version with code from its reader page (and back)."""
    index = (briefing / "index.html").read_text(encoding="utf-8")
    for page in briefing.glob("2020/*/*.html"):
        if page.name.endswith(".code.html"):
            reader = page.with_name(page.name.removesuffix(".code.html") + ".html")
            assert f'<a href="{page.name}">' in reader.read_text(encoding="utf-8"), page
            assert f'<a href="{reader.name}">' in page.read_text(encoding="utf-8"), page
        else:
            assert f'href="{page.relative_to(briefing).as_posix()}"' in index, page
    for theme in za.load_themes().itertuples():
        assert f'<h2>{theme.name_zh} · <span lang="en">{theme.name_en}</span></h2>' in index
    assert "http://www.zh.gov.cn/art/2020/5/10/art_1229033611_46694240.html" in index


def test_indicator_page_for_one_indicator_of_each_theme(tmp_path):
    catalogue = za.load_catalogue()
    chosen = list(catalogue.drop_duplicates("theme")["indicator_id"])
    assert len(chosen) == len(THEMES)
    outputs = tmp_path / "outputs"
    result = run_pipeline({"report_year": 2020, "languages": ["zh", "en"], "indicators": chosen,
                           "notebooks": ["03_indicator"]}, outputs, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    for lang in ("zh", "en"):
        for indicator in chosen:
            page = outputs / "2020" / lang / f"03_indicator.{indicator}.ipynb"
            assert _problems_in(page) == [], page


GENERATED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} (北京时间|Beijing time)")  # display.page_header's time


def test_two_runs_give_the_same_bytes_apart_from_the_generation_time(tmp_path):
    """The briefing run twice on the same inputs: the same pages (Excel downloads inside them included)
    and the same data bundle, once the time each page was generated is set aside."""
    params = {"report_year": 2020, "languages": ["zh", "en"], "notebooks": ["01_briefing", "04_methods"]}
    first, second = tmp_path / "first", tmp_path / "second"
    for outputs in (first, second):
        result = run_pipeline(params, outputs, "--jobs", "2")
        assert result.returncode == 0, result.stderr
    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    assert len(pages) >= 9 and pages == sorted(p.relative_to(second) for p in second.rglob("*.html"))
    for page in pages:
        a, b = (root.joinpath(page).read_text(encoding="utf-8") for root in (first, second))
        assert GENERATED.search(a), page  # the time is there, and is all that may differ
        assert GENERATED.sub("", a) == GENERATED.sub("", b), page
    bundle = Path("2020") / "zhenhai_2020_data.zip"
    assert first.joinpath(bundle).read_bytes() == second.joinpath(bundle).read_bytes()


def test_reruns_cost_only_what_changed(tmp_path, data_copy):
    outputs = tmp_path / "outputs"
    params = {"report_year": 2020, "languages": ["en"], "themes": ["macro", "urban"],
              "notebooks": ["00_data_overview", "02_theme"], "data_dir": str(data_copy)}
    first = run_pipeline(params, outputs, "--jobs", "2")
    assert first.returncode == 0 and "3 page(s) run" in first.stdout, first.stderr
    again = run_pipeline(params, outputs)
    assert again.returncode == 0 and again.stdout.count("unchanged, skipped") == 3 and "0 page(s) run" in again.stdout
    # Every notebook reads every data file (validation is global): a data change reruns all pages.
    themes = data_copy / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace("Headline targets", "The headline targets"), encoding="utf-8")
    changed = run_pipeline(params, outputs)
    assert "3 page(s) run" in changed.stdout, changed.stdout + changed.stderr
    # Other parameters for one notebook rerun only its pages.
    fewer = run_pipeline({**params, "themes": ["macro"]}, outputs)
    assert "0 page(s) run, 2 unchanged" in fewer.stdout
    forced = run_pipeline({**params, "themes": ["macro"]}, outputs, "--force")
    assert "2 page(s) run" in forced.stdout


def _fixture_params(fail: bool) -> dict:
    return {"report_year": 2020, "languages": ["zh"], "notebooks": ["broken"],
            "notebooks_dir": "tests/notebooks", "fail": fail}


@pytest.mark.fault(3, "a page that fails mid-run, then is fixed")
def test_a_failing_notebook_is_reported_and_the_previous_html_survives(tmp_path):
    outputs = tmp_path / "outputs"
    good = run_pipeline(_fixture_params(False), outputs)
    assert good.returncode == 0, good.stderr
    page = outputs / "2020" / "zh" / "broken.html"
    before = page.read_bytes()
    assert b"fine" in before

    bad = run_pipeline(_fixture_params(True), outputs)
    assert bad.returncode != 0
    assert "broken (fail=True, lang=zh) failed in cell 2 (In [" in bad.stderr
    assert "RuntimeError: broken on purpose" in bad.stderr
    failed = outputs / "2020" / "zh" / "broken.failed.ipynb"
    assert any(o.get("ename") == "RuntimeError" for o in _problems_in(failed))
    assert page.read_bytes() == before
    assert not list(outputs.rglob("*.partial*"))
    fixed = run_pipeline(_fixture_params(False), outputs)  # after the fix the stale failed notebook goes
    assert fixed.returncode == 0 and not failed.exists(), fixed.stderr


@pytest.mark.fault(9, "an unknown parameter value, through the command line")
@pytest.mark.parametrize("params, message", [
    ({"languages": ["fr"], "notebooks": ["00_data_overview"]}, "field 'languages': unknown value(s) fr; valid values: zh, en"),
    ({"languages": ["en"], "themes": ["space"], "notebooks": ["02_theme"]}, "field 'themes': unknown value(s) space; valid values: all, macro"),
    ({"languages": ["en"], "indicators": ["moon_landings"], "notebooks": ["03_indicator"]}, "field 'indicators': unknown value(s) moon_landings"),
])
def test_unknown_parameter_values_are_named_with_the_valid_ones(tmp_path, params, message):
    result = run_pipeline({"report_year": 2020, **params}, tmp_path / "outputs")
    assert result.returncode != 0
    assert message in result.stderr


def test_notebook_checks_its_own_parameters_in_the_first_cell(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(PROJECT / "notebooks" / "02_theme.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"theme": "space"}, progress_bar=False, kernel_name="python3")
    assert "unknown theme 'space'; valid values: macro, industry" in str(info.value)
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    first_code_after_parameters = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                                       and "injected-parameters" not in c.metadata.get("tags", [])
                                       and "parameters" not in c.metadata.get("tags", []))
    assert _problems_in(tmp_path / "out.ipynb")[0] in nb.cells[first_code_after_parameters].outputs


@pytest.mark.fault(8, "broken data before a run")
def test_broken_data_stops_the_run_before_any_notebook(tmp_path, data_copy):
    figures = data_copy / "figures" / "zhenhai_2020_summary.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",2507,", ",25O7,"), encoding="utf-8")
    result = run_pipeline({"report_year": 2020, "languages": ["en"], "notebooks": ["00_data_overview"],
                           "data_dir": str(data_copy)}, tmp_path / "outputs")
    assert result.returncode != 0
    assert "zhenhai_2020_summary.csv, line 2, field 'value': '25O7' is not a number" in result.stderr


@pytest.mark.fault(3, "a page that fails in a parallel run")
def test_a_failure_in_parallel_runs_stops_cleanly(tmp_path):
    params = {**_fixture_params(True), "languages": ["zh", "en"]}
    result = run_pipeline(params, tmp_path / "outputs", "--jobs", "2")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "RuntimeError: broken on purpose" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "outputs").rglob("*.html"))


@pytest.mark.fault(3, "a page whose process dies mid-page, once")
def test_a_worker_that_dies_is_replaced_and_the_page_retried(tmp_path):
    marker = tmp_path / "died-once"
    params = {**_fixture_params(False), "languages": ["zh", "en"], "die_once": str(marker)}
    result = run_pipeline(params, tmp_path / "outputs", "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert marker.exists()  # one worker did die
    assert "died (exit code 1); the page is tried again" in result.stdout
    assert "2 page(s) run" in result.stdout
    for lang in ("zh", "en"):
        assert b"fine" in (tmp_path / "outputs" / "2020" / lang / "broken.html").read_bytes()
    assert not list((tmp_path / "outputs").rglob("*.partial*"))


@pytest.mark.fault(3, "a page whose process dies every time it runs")
def test_a_page_whose_worker_dies_twice_fails_and_names_it(tmp_path):
    outputs = tmp_path / "outputs"
    assert run_pipeline(_fixture_params(False), outputs, "--jobs", "1").returncode == 0
    page = outputs / "2020" / "zh" / "broken.html"
    before = page.read_bytes()
    result = run_pipeline({**_fixture_params(False), "die_always": True}, outputs, "--jobs", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("broken (fail=False, die_always=True, lang=zh) failed: the process running it died twice (exit code 3)"
            in result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert page.read_bytes() == before
    assert not list(outputs.rglob("*.partial*"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_runs_with_its_defaults(notebook, tmp_path):
    import papermill as pm

    out = tmp_path / notebook.name
    pm.execute_notebook(str(notebook), str(out), progress_bar=False, kernel_name="python3", cwd=str(notebook.parent))
    assert _problems_in(out) == []


def test_every_indicator_page_with_two_or_more_points_shows_its_trend_and_interval(briefing):
    """Counted on the rendered pages: the trend sentence, the method and an 80% interval, in the page's language;
    or, where the forecast would only repeat the year its target is judged in (trend.forecast_to_show), the
    judging trend's sentence with its 80% interval."""
    from zhenhai_analysis.analysis.compare import implied_previous_levels
    from zhenhai_analysis.analysis.forecasting import fit, trend_points

    obs = za.load_indicators()
    fitted = fit(trend_points(obs, implied_previous_levels(obs, za.load_catalogue())))
    with_trend = set(fitted.loc[fitted["n"] >= 2, "indicator_id"])
    words = {"zh": [("趋势模型", "（80%）"), ("按截至2019年的趋势", "80%区间")],
             "en": [("Trend model", "(80%)"), ("On the trend up to 2019", "80% interval")]}
    counted = {}
    for lang, forms in words.items():
        pages = {p.name.split(".")[1]: p.read_text(encoding="utf-8")
                 for p in (briefing / "2020" / lang).glob("03_indicator.*.html") if not p.name.endswith(".code.html")}
        shown = {i for i, html in pages.items() if any(sentence in html and interval in html for sentence, interval in forms)}
        assert with_trend <= set(pages), with_trend - set(pages)
        assert shown == with_trend, (shown ^ with_trend)
        counted[lang] = len(shown)
    print(f"\nindicator pages with a trend and an 80% interval: {counted} (of {len(with_trend)} series of 2+ points)")


CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{3,}(?:[ ,'-]+[A-Za-z]{2,}){2,}")  # three words or more; not GDP, R&D


def _visible(html_text: str, other: str) -> str:
    """The text a reader sees, without style, script and the runs marked as the other language."""
    import html as html_

    text = re.sub(r"<(style|script)\b.*?</\1>", " ", html_text, flags=re.S)
    text = re.sub(rf'<(span|a)\b[^>]*lang="{other}"[^>]*>.*?</\1>', " ", text, flags=re.S)
    return html_.unescape(re.sub(r"<[^>]+>", " ", text))


def test_every_reader_page_speaks_one_language(briefing):
    """English pages: no Chinese outside runs marked lang="zh" (quotes, terms as printed, the switch);
    Chinese pages: no English sentence outside runs marked lang="en"."""
    pages = [p for p in (briefing / "2020").rglob("*.html") if not p.name.endswith(".code.html")]
    assert len(pages) > 100
    for page in pages:
        lang = page.parent.name
        html_text = page.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html_text, page
        text = _visible(html_text, "zh" if lang == "en" else "en")
        found = (CJK if lang == "en" else ENGLISH_SENTENCE).search(text)
        assert found is None, (page.name, text[max(0, found.start() - 40):found.end() + 40])


def test_every_link_of_every_page_resolves_and_every_image_has_its_text(briefing):
    """The structural check of the whole site (the browser checks a sample of it)."""
    from urllib.parse import unquote, urlparse

    pages = [briefing / "index.html", *(briefing / "2020").rglob("*.html")]
    assert len(pages) > 400  # every indicator with a figure has a page, in both languages
    for page in pages:
        html_text = page.read_text(encoding="utf-8")
        ids = set(re.findall(r'\bid="([^"]+)"', html_text))
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', html_text):
            parsed = urlparse(href)
            if parsed.scheme in ("http", "https", "data"):
                continue
            if href.startswith("#"):
                assert href[1:] in ids, (page.name, href)
            else:
                assert (page.parent / unquote(parsed.path)).resolve().is_file(), (page.name, href)
        assert not re.search(r'<img(?![^>]*\balt="[^"]+")[^>]*>', html_text), page.name


def test_the_methods_page_speaks_to_readers_with_no_file_paths(briefing):
    """The methods page names no file of the project (data/links.csv, sources.yaml …) and shows a worked
    example of each verdict, in both languages."""
    import html as html_module

    for lang, verdicts in (("zh", ("达成", "未达成", "在舍入范围内", "口径不同", "无法评估", "未见实际数")),
                           ("en", ("met", "missed", "within tolerance", "not comparable", "cannot assess",
                                   "no figure found"))):
        page = (briefing / "2020" / lang / "04_methods.html").read_text(encoding="utf-8")
        body = re.sub(r"<style.*?</style>|<script.*?</script>|<a [^>]*>", "", page, flags=re.S)
        text = html_module.unescape(re.sub(r"<[^>]+>", " ", body))
        assert not re.findall(r"\b[\w/]+\.(?:csv|py|yaml|ipynb)\b|\bdata/\w+", text), lang
        examples = text[text.index("实例" if lang == "zh" else "Worked examples"):]
        assert all(verdict in examples for verdict in verdicts), lang
