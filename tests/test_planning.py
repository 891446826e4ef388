"""The planner and the cache decisions, without running any notebook."""

import pytest

import zhenhai_analysis as za
from zhenhai_analysis.pipeline import state
from zhenhai_analysis.foundations.exceptions import ParameterError
from zhenhai_analysis.pipeline.params import Briefing
from zhenhai_analysis.pipeline.planning import pages_for_indicators, plan

from .conftest import copy_2020_data

NOTEBOOKS = ["00_data_overview", "01_briefing", "02_theme", "03_indicator"]


@pytest.fixture(scope="module")
def data_2020(tmp_path_factory):
    return copy_2020_data(tmp_path_factory.mktemp("plan") / "data")


def _briefing(data, **kw) -> Briefing:
    return Briefing(report_year=2020, base_year=2019, languages=["zh", "en"], notebooks=NOTEBOOKS,
                    extra={"data_dir": str(data)}, **kw)


def test_every_page_is_planned_once_per_language_with_its_title(data_2020, tmp_path):
    jobs = plan(_briefing(data_2020), tmp_path)
    themes = za.load_themes(data_2020)
    indicators = pages_for_indicators(za.load_indicators(data_2020), 2020)
    assert len(jobs) == 2 * (2 + len(themes) + len(indicators))
    titles = {(j.lang, j.page): j.page_title for j in jobs}
    assert titles[("zh", "01_briefing")] == "2020年目标简报"
    assert titles[("en", "01_briefing")] == "Briefing: the 2020 targets"
    assert titles[("zh", "02_theme.macro")] == "主题：宏观经济"
    assert titles[("en", "03_indicator.fdi_utilised")] == "Foreign direct investment actually utilised"
    assert all(j.output.parent == tmp_path / "2020" / j.lang for j in jobs)
    theme_job = next(j for j in jobs if j.page == "02_theme.macro" and j.lang == "en")
    assert theme_job.parameters == {"theme": "macro", "lang": "en", "report_year": 2020, "base_year": 2019,
                                    "data_dir": str(data_2020), "indicator_pages": "all"}  # every indicator has a page


def test_every_indicator_with_a_figure_gets_a_page(data_2020):
    obs = za.load_indicators(data_2020)
    pages = pages_for_indicators(obs, 2020)
    assert pages == sorted(set(obs["indicator_id"]))  # the 2020 report: every figure is of 2019 or 2020
    assert "bearing_enterprises_upgraded" in pages  # a target alone, without a baseline
    assert pages_for_indicators(obs, 2018) == []


@pytest.mark.fault(9, "an unknown theme or indicator")
@pytest.mark.parametrize("change, field", [({"themes": ["macro", "nowhere"]}, "themes"),
                                          ({"indicators": ["gdp_growth", "gdp_level_x"]}, "indicators")])
def test_unknown_themes_and_indicators_are_named(data_2020, tmp_path, change, field):
    with pytest.raises(ParameterError) as info:
        plan(_briefing(data_2020, **change), tmp_path)
    (problem,) = info.value.problems
    assert problem.field == field and "valid values" in problem.message


@pytest.mark.fault(9, "a misspelt parameter key (base_yaer)")
def test_a_misspelt_key_is_named_before_anything_runs(data_2020, tmp_path):
    briefing = _briefing(data_2020)
    briefing.extra["base_yaer"] = 2019
    with pytest.raises(ParameterError) as info:
        plan(briefing, tmp_path)
    (problem,) = info.value.problems
    assert problem.field == "base_yaer" and "is not a parameter" in problem.message and "base_year" in problem.message


def test_a_page_is_current_only_with_the_same_inputs_and_all_its_files(data_2020, tmp_path):
    briefing = _briefing(data_2020)
    job = plan(briefing, tmp_path)[0]
    digest = state.job_digest(job, state.inputs_digest(briefing))
    assert not state.is_current(job, digest, tmp_path)  # never run
    state.record_good_run(job, digest, tmp_path)
    assert not state.is_current(job, digest, tmp_path)  # files missing
    job.output.parent.mkdir(parents=True)
    for suffix in (".html", ".code.html", ".ipynb"):
        job.path(suffix).write_text("x", encoding="utf-8")
    assert state.is_current(job, digest, tmp_path)
    assert not state.is_current(job, state.job_digest(job, "other data"), tmp_path)


def test_the_digest_follows_the_data_folder_the_notebooks_read(data_2020, tmp_path, monkeypatch):
    named = state.inputs_digest(_briefing(data_2020))
    monkeypatch.setenv("ZHENHAI_DATA_DIR", str(data_2020))
    from_env = state.inputs_digest(Briefing(report_year=2020, base_year=2019, languages=["zh"], notebooks=NOTEBOOKS))
    assert from_env == named
    (data_2020 / "themes.csv").write_text((data_2020 / "themes.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert state.inputs_digest(_briefing(data_2020)) != named


def test_a_worker_does_not_build_jsonschemas_iri_parser():
    """What a worker imports to run and render a page leaves out rfc3987-syntax's lark grammar
    (about 1 s per process), and nbformat still validates a notebook."""
    import subprocess
    import sys

    code = ("import zhenhai_analysis.pipeline.execute, papermill, nbconvert, nbformat, sys\n"
            "nbformat.validate(nbformat.v4.new_notebook())\n"
            "print(sorted(m for m in ('lark', 'rfc3987_syntax') if sys.modules.get(m)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_theme_pages_link_to_the_previous_and_next_theme_and_the_briefing_knows_them(data_2020, tmp_path):
    jobs = plan(_briefing(data_2020), tmp_path)
    themes = list(za.load_themes(data_2020)["theme"])
    pages = {(j.lang, j.page): j for j in jobs}
    second = pages[("en", f"02_theme.{themes[1]}")]
    linked = [page for page, _ in second.neighbours]
    assert f"02_theme.{themes[0]}" in linked and f"02_theme.{themes[2]}" in linked
    first = [page for page, _ in pages[("zh", f"02_theme.{themes[0]}")].neighbours]
    assert sum(p.startswith("02_theme.") for p in first) == 1  # the first theme has only a next one
    assert pages[("en", "01_briefing")].parameters["theme_pages"] == themes
