"""The index page, rendered from its Jinja template with the data escaped (no kernel)."""

import os
import re

import pytest

from zhenhai_analysis.pipeline.params import Briefing
from zhenhai_analysis.pipeline.planning import plan
from zhenhai_analysis.pipeline.site import index_is_current, save_year, write_index, year_entry

from .conftest import copy_2020_data


def _briefing(data, year=2020) -> Briefing:
    return Briefing(report_year=year, base_year=year - 1, languages=["zh", "en"],
                    notebooks=["01_briefing", "02_theme", "03_indicator"], extra={"data_dir": str(data)})


@pytest.mark.fault(1, "markup in a theme name on the index")
def test_index_lists_every_planned_page_by_theme_and_escapes_data(tmp_path):
    data = copy_2020_data(tmp_path / "data")
    themes = data / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace("Macroeconomy", "Macro<script>alert(1)</script>"),
                      encoding="utf-8")
    outputs = tmp_path / "outputs"
    jobs = plan(_briefing(data), outputs)
    save_year(outputs, year_entry(outputs, jobs, _briefing(data)))
    html = write_index(outputs).read_text(encoding="utf-8")
    for job in jobs:
        assert f'href="{job.path(".html").relative_to(outputs).as_posix()}"' in html
    # One link per page and language (the reader's); a switch turns them to the versions with code.
    assert not re.search(r'href="[^"]*\.code\.html"', html) and 'id="code"' in html and "含代码" in html
    assert html.count("<script>") == 1 and "alert(1)</script>" not in html and "Macro&lt;script&gt;" in html  # only the filter's own script
    assert "镇海区2020年政府工作报告简报" in html and "Zhenhai District 2020 briefing" in html
    assert html.index("宏观经济") < html.index("产业发展")  # themes in the documented order
    start = html[html.index('<p class="start">'):]
    start = start[:start.index("</p>")]  # before every list: the briefing, in each language
    assert 'href="2020/zh/01_briefing.html"' in start and 'href="2020/en/01_briefing.html"' in start
    assert "Start here: the 2020 briefing" in start and "从这里开始：2020年简报" in start
    assert index_is_current(outputs)


@pytest.mark.fault(5, "a run of another year, and a year record newer than the index")
def test_the_index_keeps_every_year_rendered(tmp_path):
    data = copy_2020_data(tmp_path / "data")
    outputs = tmp_path / "outputs"
    entry = year_entry(outputs, plan(_briefing(data), outputs), _briefing(data))
    later = {**entry, "year": 2021, "title": {"zh": "镇海区2021年政府工作报告简报", "en": "Zhenhai District 2021 briefing"}}
    save_year(outputs, later)
    save_year(outputs, entry)  # a run of 2020 after one of 2021
    html = write_index(outputs).read_text(encoding="utf-8")
    assert html.index("Zhenhai District 2021 briefing") < html.index("Zhenhai District 2020 briefing")
    save_year(outputs, later)  # a record newer than the index: it is rewritten by the next run
    record, index = outputs / ".state" / "site_2021.json", outputs / "index.html"
    os.utime(record, ns=(index.stat().st_atime_ns, index.stat().st_mtime_ns + 10**9))  # not the same clock tick
    assert not index_is_current(outputs)


def test_a_year_saved_by_an_earlier_version_still_renders(tmp_path):
    """A year's part of the index saved before the 'start here' link existed is listed without it."""
    data = copy_2020_data(tmp_path / "data")
    outputs = tmp_path / "outputs"
    entry = year_entry(outputs, plan(_briefing(data), outputs), _briefing(data))
    del entry["start"]
    save_year(outputs, entry)
    html = write_index(outputs).read_text(encoding="utf-8")
    assert "Zhenhai District 2020 briefing" in html and 'class="start"' not in html
