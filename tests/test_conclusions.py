"""The sentences the briefing leads with: every number traceable to the tables below (no kernel)."""

import re

import zhenhai_analysis as za
from zhenhai_analysis.compare import implied_previous_levels
from zhenhai_analysis.conclusions import briefing_conclusions
from zhenhai_analysis.trend import targets_against_trend


def _inputs():
    obs = za.load_indicators()
    gaps = za.gap_analysis(obs, 2019, 2020, links=za.load_links())
    against = targets_against_trend(obs, gaps, implied_previous_levels(obs, za.load_catalogue()), 2020)
    return obs, gaps, against


def test_the_counts_are_those_of_the_scorecard_and_the_trend_table():
    obs, gaps, against = _inputs()
    lines = briefing_conclusions(gaps, against, obs, za.load_sources(), 2020, "en")
    counts = gaps["attainment"].value_counts()
    assert 3 <= len(lines) <= 5
    assert f"{counts['met']} met, {counts['missed']} missed" in lines[0]
    assert f"Of the {len(gaps)} targets for 2020" in lines[0]
    assert f"{int(gaps[gaps.comparable].below_baseline.sum())} of them ask for less" in lines[1]
    assert f"within it, {(against.position == 'within').sum()}" in lines[2]
    assert "COVID-19" in lines[-1] and "2020-05-10" in lines[-1]


def test_each_language_speaks_its_own():
    obs, gaps, against = _inputs()
    chinese = " ".join(briefing_conclusions(gaps, against, obs, za.load_sources(), 2020, "zh"))
    english = " ".join(briefing_conclusions(gaps, against, obs, za.load_sources(), 2020, "en"))
    assert not re.search(r"[A-Za-z]{4,}", chinese.replace("COVID", ""))  # no English words in Chinese
    assert not re.search(r"[\u4e00-\u9fff]", english.replace("“浙商回归”", ""))  # names stay as given by the data
