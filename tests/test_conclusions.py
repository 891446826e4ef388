"""The sentences the pages lead with: generated from the briefing model's fields, each count
that of its rows, no trend word where the evidence carries none (no kernel)."""

import re

import zhenhai_analysis as za
from zhenhai_analysis.presentation.conclusions import (baseline_counts, briefing_conclusions, indicator_conclusions,
                                          outcome_counts, position_counts, theme_conclusions)
from zhenhai_analysis.analysis.forecasting import MIN_POINTS

TREND_WORDS = re.compile(r"stretch|modest|within the trend's interval|跨越|保守|在趋势区间内")
POINT_TYPES = ("point", "about", "range")


def _inputs():
    obs = za.load_indicators()
    rows = za.briefing_model(None, 2020, 2019).rows
    return obs, rows, rows


def test_each_count_in_a_sentence_is_the_count_of_its_rows():
    obs, rows, _ = _inputs()
    lines = briefing_conclusions(rows, obs, za.load_sources(), 2020, "en")
    assert 3 <= len(lines) <= 5
    # Counted here from the rows themselves, not through the functions that write the sentences.
    met, missed = (rows.verdict == "met").sum(), (rows.verdict == "missed").sum()
    within = (rows.verdict == "within tolerance").sum()
    unfound = (rows.verdict == "no figure found").sum()
    assert f"for {met + missed + within} of the {len(rows)} targets for 2020 (one carried from its growth where the " \
           f"table says so): {met} met, {missed} missed, {within} within tolerance" in lines[0]
    assert f"For the other {unfound}, no 2020 figure was found" in lines[0]
    comparable = rows[rows.comparable]
    points = comparable[comparable.target_type.isin(POINT_TYPES)]
    bounds = comparable[comparable.target_type.isin(["cap", "floor"])]
    half = points.base_text.map(lambda t: 0.5 * 10 ** -len(str(t).partition(".")[2])).where(points.measure != "count", 0)
    below = (points.change_abs * points.direction.map({"higher": 1, "lower": -1}) < -half).sum()  # beyond rounding
    assert f"{len(comparable)} of the {len(rows)} targets have a 2019 baseline" in lines[1]
    assert f"of the {len(points)} point targets among them, {below} ask for less than 2019 achieved" in lines[1]
    assert "(beyond the rounding of the printed figure)" in lines[1]
    assert f"2019's level was already inside each of the {len(bounds)} ceilings and floors" in lines[1]
    assert (bounds.target_type.eq("cap") & (bounds.base_value <= bounds.target_value)
            | bounds.target_type.eq("floor") & (bounds.base_value >= bounds.target_value)).all()
    few = (rows.points < MIN_POINTS).sum()
    assert f"({len(rows)} targets): {few} with fewer than {MIN_POINTS} past figures" in lines[2]
    assert sum(position_counts(rows).values()) == len(rows)
    assert outcome_counts(rows)["judged"] == met + missed + within and baseline_counts(rows)["below"] == below
    step = points.dropna(subset=["change_pct"]).sort_values("change_pct").iloc[-1]
    assert step["name_en"] in lines[3] and f"+{step['change_pct']:.1f}%" in lines[3]  # as in the targets table
    assert "COVID-19" in lines[-1] and "2020-05-10" in lines[-1]


def test_less_than_the_year_before_is_said_of_point_targets_only():
    """The unemployment ceiling (3% against 1.36%) is looser, not 'less': it is said as already held."""
    obs, rows, _ = _inputs()
    for lang in ("en", "zh"):
        said = " ".join(briefing_conclusions(rows, obs, za.load_sources(), 2020, lang))
        assert ("ceilings and floors" if lang == "en" else "上限或下限") in said
    for _, row in rows[rows.comparable].iterrows():
        text = " ".join(indicator_conclusions(obs, row.indicator_id, rows, za.forecast(obs, row.indicator_id), 2020, "en"))
        more_or_less = re.search(r"(above|below) 2019's", text)
        beyond_rounding = abs(row.change_abs) > row.base_half  # 1.78 against a printed 1.8 is neither
        assert bool(more_or_less) == (row.target_type in POINT_TYPES and beyond_rounding), (row.indicator_id, text)
        if row.target_type in POINT_TYPES and more_or_less:  # in the indicator's direction as printed
            assert more_or_less.group(1) == ("above" if row.target_value > row.base_value else "below")


def test_no_trend_word_on_a_cap_a_floor_or_an_unlabelled_target():
    obs, rows, _ = _inputs()
    for _, row in rows.iterrows():
        for lang in ("en", "zh"):
            text = " ".join(indicator_conclusions(obs, row.indicator_id, rows, za.forecast(obs, row.indicator_id),
                                                  2020, lang))
            if row.position not in ("stretch", "within", "modest"):
                assert not TREND_WORDS.search(text), (row.indicator_id, text)
    said = " ".join(briefing_conclusions(rows, obs, za.load_sources(), 2020, "en"))
    labelled = rows.position.isin(["stretch", "within", "modest"]).sum()
    assert bool(TREND_WORDS.search(said)) == bool(labelled)


def test_each_language_speaks_its_own():
    obs, rows, _ = _inputs()
    chinese = " ".join(briefing_conclusions(rows, obs, za.load_sources(), 2020, "zh"))
    english = " ".join(briefing_conclusions(rows, obs, za.load_sources(), 2020, "en"))
    assert not re.search(r"[A-Za-z]{4,}", chinese.replace("COVID", ""))  # no English words in Chinese
    assert not re.search(r"[\u4e00-\u9fff]", english.replace("“浙商回归”", ""))  # names stay as given by the data


def test_a_theme_with_one_target_is_told_in_the_singular_and_without_zero_counts():
    obs, rows, _ = _inputs()
    for theme, mine in rows.groupby("theme"):
        lines = theme_conclusions(mine, obs, za.load_sources(), 2020, "en", 3)
        text = " ".join(lines)
        assert not re.search(r"\b(of the|for) 1 targets|\b0 (met|missed|of them)|\b1 targets|\(1 targets\)", text), text
        demanding = [line for line in lines if "most demanding against its baseline" in line]
        assert all("+" in line for line in demanding), demanding  # a step back is not the "most demanding"
        if len(mine) == 1:
            assert "The one target for 2020" in lines[0] and "The target " in lines[1], text
            assert not re.search(r": 1 (met|missed)", lines[0]), lines[0]  # 'has a comparable reported outcome: met'


def test_an_indicator_page_says_its_verdict_and_why():
    obs, rows, _ = _inputs()
    said = {indicator: indicator_conclusions(obs, indicator, rows, za.forecast(obs, indicator), 2020, "en")
            for indicator in ("general_budget_revenue", "forest_coverage_rate", "registered_urban_unemployment_rate")}
    budget = " ".join(said["general_budget_revenue"])
    assert "The 2020 outcome: within tolerance." in budget and "8.444–8.452 billion yuan" in budget
    assert "8.423 billion yuan × (1 + 0.3%) = 8.448 billion yuan" in budget and "“一般公共预算收入同比增长0.3%”" in budget
    assert ("The 2020 outcome: no figure found. No 2020 figure was found in the later documents read"
            in " ".join(said["forest_coverage_rate"]))
    assert "0.34 points under the ceiling of 3%" in " ".join(said["registered_urban_unemployment_rate"])


def test_an_average_or_total_over_years_is_said_with_its_period_not_as_a_years_figure():
    from zhenhai_analysis.presentation.conclusions import indicator_conclusions

    obs, _, against = _inputs()
    for indicator, said in (("gdp_growth", "Over 2012–2016: 7.2% a year on average."),
                            ("coal_fired_boilers_eliminated", "Over 2012–2016 in all: 331 coal-fired boilers.")):
        lines = indicator_conclusions(obs, indicator, against, za.forecast(obs, indicator), 2020, "en")
        assert said in lines, lines
        assert not any("latest full-year actual: 7.2%" in line or "331" in line and "latest" in line for line in lines)
    zh = indicator_conclusions(obs, "gdp_growth", against, za.forecast(obs, "gdp_growth"), 2020, "zh")
    assert "2012—2016年年均7.2%。" in zh


def test_a_latest_actual_that_is_an_estimate_is_said_as_one():
    """GDP growth's earliest figure (2013, 预计) is an estimate: the sentence says so, as the table marks it."""
    from zhenhai_analysis.presentation.conclusions import indicator_conclusions

    obs, _, against = _inputs()
    en = indicator_conclusions(obs, "gdp_growth", against, za.forecast(obs, "gdp_growth"), 2020, "en")
    assert "the earliest here: 9.3% (estimate) in 2013." in en[0], en[0]
    zh = indicator_conclusions(obs, "gdp_growth", against, za.forecast(obs, "gdp_growth"), 2020, "zh")
    assert "9.3%（预计）" in zh[0], zh[0]
