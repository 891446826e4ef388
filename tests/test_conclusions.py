"""The sentences the briefing leads with: every number traceable to the tables below (no kernel)."""

import re

import zhenhai_analysis as za
from zhenhai_analysis.compare import implied_previous_levels
from zhenhai_analysis.conclusions import briefing_conclusions, theme_conclusions
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
    judged = counts["met"] + counts["missed"] + counts.get("within tolerance", 0)
    assert f"for {judged} of the {len(gaps)} targets for 2020" in lines[0]
    assert f"For the other {counts['not reported']}, no figure was found" in lines[0]
    assert f"{int(gaps[gaps.comparable].below_baseline.sum())} of them ask for less" in lines[1]
    assert f"{(against.position == 'within').sum()} within the trend's interval" in lines[2]
    step = against[against.comparable].dropna(subset=["change_pct"]).sort_values("change_pct").iloc[-1]
    assert step["name_en"] in lines[3] and f"+{step['change_pct']:.1f}%" in lines[3]  # as in the targets table
    assert "COVID-19" in lines[-1] and "2020-05-10" in lines[-1]


def test_each_language_speaks_its_own():
    obs, gaps, against = _inputs()
    chinese = " ".join(briefing_conclusions(gaps, against, obs, za.load_sources(), 2020, "zh"))
    english = " ".join(briefing_conclusions(gaps, against, obs, za.load_sources(), 2020, "en"))
    assert not re.search(r"[A-Za-z]{4,}", chinese.replace("COVID", ""))  # no English words in Chinese
    assert not re.search(r"[\u4e00-\u9fff]", english.replace("“浙商回归”", ""))  # names stay as given by the data


def test_a_theme_with_one_target_is_told_in_the_singular_and_without_zero_counts():
    obs, gaps, against = _inputs()
    for theme, rows in gaps.groupby("theme"):
        lines = theme_conclusions(rows, against[against.theme == theme], obs, za.load_sources(), 2020, "en", 3)
        text = " ".join(lines)
        assert not re.search(r"\b(of the|for) 1 targets|\b0 (met|missed|of them)|\b1 targets", text), text
        demanding = [line for line in lines if "most demanding against its baseline" in line]
        assert all("+" in line for line in demanding), demanding  # a step back is not the "most demanding"
        if len(rows) == 1:
            assert "The one target for 2020" in lines[0] and "The target " in lines[1], text
            assert not re.search(r": 1 (met|missed)", lines[0]), lines[0]  # 'has a comparable reported outcome: met'


def test_an_indicator_page_says_why_its_outcome_cannot_be_judged():
    from zhenhai_analysis.compare import implied_previous_levels
    from zhenhai_analysis.conclusions import indicator_conclusions

    obs, gaps, _ = _inputs()
    derived = implied_previous_levels(obs, za.load_catalogue())
    said = {}
    for indicator in ("general_budget_revenue", "forest_coverage_rate"):
        against = targets_against_trend(obs, gaps[gaps.indicator_id == indicator], derived, 2020)
        said[indicator] = indicator_conclusions(obs, indicator, against, za.forecast(obs, indicator, derived=derived),
                                                2020, "en")
    assert any(line.startswith("The 2020 outcome: not comparable. The target is the revenue level")
               for line in said["general_budget_revenue"])
    assert "No 2020 figure was found in the later documents read (several only as opening excerpts)." in said[
        "forest_coverage_rate"]


def test_an_average_or_total_over_years_is_said_with_its_period_not_as_a_years_figure():
    from zhenhai_analysis.conclusions import indicator_conclusions

    obs, gaps, against = _inputs()
    for indicator, said in (("gdp_growth", "Over 2012–2016: 7.2% a year on average."),
                            ("coal_fired_boilers_eliminated", "Over 2012–2016 in all: 331 coal-fired boilers.")):
        lines = indicator_conclusions(obs, indicator, against, za.forecast(obs, indicator), 2020, "en")
        assert said in lines, lines
        assert not any("latest full-year actual: 7.2%" in line or "331" in line and "latest" in line for line in lines)
    zh = indicator_conclusions(obs, "gdp_growth", against, za.forecast(obs, "gdp_growth"), 2020, "zh")
    assert "2012—2016年年均7.2%。" in zh


def test_a_latest_actual_that_is_an_estimate_is_said_as_one():
    """GDP growth's earliest figure (2013, 预计) is an estimate: the sentence says so, as the table marks it."""
    from zhenhai_analysis.conclusions import indicator_conclusions

    obs, gaps, against = _inputs()
    en = indicator_conclusions(obs, "gdp_growth", against, za.forecast(obs, "gdp_growth"), 2020, "en")
    assert "the earliest here: 9.3% (estimate) in 2013." in en[0], en[0]
    zh = indicator_conclusions(obs, "gdp_growth", against, za.forecast(obs, "gdp_growth"), 2020, "zh")
    assert "9.3%（预计）" in zh[0], zh[0]
