"""The verdict rules (verdicts.py): target types, tolerance from printed precision, caps and
floors by their bound, and trend labels only where the evidence carries them.

Example tables pin the rules down; property tests (hypothesis) check what must hold for
any figures: a cap's verdict never depends on the trend, rescaling a unit changes no
verdict, widening the band never turns met into missed.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenhai_analysis.analysis.forecasting import LIKELY_HELD, MIN_POINTS
from zhenhai_analysis.analysis.gaps import gap_analysis
from zhenhai_analysis.analysis.trend import targets_against_trend
from zhenhai_analysis.analysis.verdicts import half_step, half_steps, judge, nature, p_hold, target_type, trend_label
from zhenhai_analysis.foundations.vocab import BOUNDS, COMPARATOR_CODES, Position, TargetType, Verdict

ORDER = {Verdict.MISSED: 0, Verdict.WITHIN: 1, Verdict.MET: 2}


def one(comparator, value, actual, direction="higher", high=np.nan, half=0.0, target_half=0.0):
    """The verdict, reason and margin of one target."""
    types = target_type([comparator], [value])
    out = judge(types, [comparator], [value], [high], [direction], [actual], [half], [target_half]).iloc[0]
    return out["verdict"], out["reason"], out["margin"]


@pytest.mark.parametrize("text, half", [("84.23", 0.005), ("6", 0.5), ("2.9", 0.05), ("1,200", 0.5), ("+0.3", 0.05),
                                        ("-1.10", 0.005), (None, np.nan)])
def test_half_step_is_half_the_last_printed_digit(text, half):
    assert half_step(text) == pytest.approx(half, nan_ok=True)


def test_counts_are_exact():
    assert half_steps(["126", "2.9"], ["count", "growth"]).tolist() == [0.0, 0.05]


@pytest.mark.parametrize("comparator, kind", [("=", "point"), ("~", "about"), ("range", "range"), (">=", "floor"),
                                              (">", "floor"), ("<=", "cap"), ("<", "cap")])
def test_every_comparator_has_a_target_type(comparator, kind):
    assert target_type([comparator], [1.0])[0] == kind
    assert target_type([comparator], [np.nan])[0] == "qualitative"


def test_every_comparator_of_the_vocabulary_is_typed():
    assert len(target_type(list(COMPARATOR_CODES), [1.0] * len(COMPARATOR_CODES))) == len(COMPARATOR_CODES)
    with pytest.raises(ValueError, match="unknown comparator"):
        target_type(["≈"], [1.0])


@pytest.mark.parametrize("text, expected", [("约束性指标：单位GDP能耗下降3%", "binding"), ("预期性指标", "expected"),
                                            ("增长6%", None), ("预期性与约束性", None)])
def test_nature_only_where_the_document_says_which(text, expected):
    assert nature(text) == expected


@pytest.mark.parametrize("comparator, value, actual, direction, high, half, verdict, reason", [
    ("<=", 3, 2.66, "lower", np.nan, 0.005, "met", "held"),          # unemployment 3%以内: headroom
    ("<=", 3, 3.2, "lower", np.nan, 0.05, "missed", "breached"),     # a bound is judged by the bound alone,
    ("<=", 3, 3.04, "lower", np.nan, 0.05, "missed", "breached"),    # never by the rounding band
    ("<", 3, 3.0, "lower", np.nan, 0.05, "missed", "breached"),
    (">=", 80, 80, "higher", np.nan, 0.5, "met", "held"),             # 80%以上
    (">=", 7, 5.4, "higher", np.nan, 0.05, "missed", "breached"),
    (">", 60, 60, "higher", np.nan, 0.5, "missed", "breached"),       # 超60%
    (">", 60, 60.1, "higher", np.nan, 0.05, "met", "held"),
    ("range", 4, 5, "higher", 6, 0.0, "met", "reached"),              # 4至6
    ("range", 4, 3, "higher", 6, 0.0, "missed", "short"),
    ("range", 4, 7, "lower", 6, 0.0, "missed", "short"),
    ("=", 6, 6.1, "higher", np.nan, 0.05, "met", "reached"),          # 增长6%: met at or beyond
    ("=", 6, 6.0, "higher", np.nan, 0.05, "met", "reached"),
    ("=", 6, 5.9, "higher", np.nan, 0.05, "missed", "short"),         # 5.95 does not reach 6
    ("=", 6, 5.96, "higher", np.nan, 0.05, "within tolerance", "rounding"),
    ("=", 84.5, 84.4806, "higher", np.nan, 0.0421, "within tolerance", "rounding"),  # budget revenue
    ("=", 28, 27, "lower", np.nan, 0.5, "met", "reached"),
    ("=", 28, 29, "lower", np.nan, 0.5, "missed", "short"),
    ("~", 6, 5.6, "higher", np.nan, 0.05, "within tolerance", "rounding"),  # 6%左右: widened by 0.5
    ("~", 6, 5.4, "higher", np.nan, 0.05, "missed", "short"),
    ("~", 6, 6.4, "lower", np.nan, 0.05, "within tolerance", "rounding"),
])
def test_verdicts_for_every_target_type_and_direction(comparator, value, actual, direction, high, half, verdict, reason):
    target_half = half_step(str(value)) if comparator == "~" else 0.0
    got = one(comparator, value, actual, direction, high, half, target_half)
    assert got[:2] == (verdict, reason)


def test_a_ceiling_margin_is_headroom():
    assert one("<=", 3, 2.66, "lower")[2] == pytest.approx(0.34)
    assert one("<=", 3, 3.5, "lower")[2] == pytest.approx(-0.5)
    assert one(">=", 7, 5.4)[2] == pytest.approx(-1.6)


def test_a_qualitative_target_cannot_be_assessed():
    assert one("=", np.nan, 5.0)[:2] == ("cannot assess", "qualitative")


# Figures as they are printed: a whole number of units of their last digit.
printed = st.builds(lambda n, d: round(n / 10**d, d), st.integers(1, 10**6), st.integers(0, 3))
comparators = st.sampled_from(["=", "~", ">=", ">", "<=", "<", "range"])
directions = st.sampled_from(["higher", "lower"])


@settings(max_examples=300, deadline=None)
@given(comparators, printed, printed, directions, st.floats(0, 5), st.floats(0, 5), st.sampled_from([10.0, 1e4, 0.01]))
def test_rescaling_a_unit_changes_no_verdict(comparator, value, actual, direction, half, target_half, factor):
    """亿元 to 万元 (x 10,000), or back: the target, the outcome and both bands scale alike."""
    high = value * 2 if comparator == "range" else np.nan
    before = one(comparator, value, actual, direction, high, half, target_half)
    after = one(comparator, value * factor, actual * factor, direction, high * factor, half * factor, target_half * factor)
    assert after[:2] == before[:2]


@settings(max_examples=300, deadline=None)
@given(comparators, printed, printed, directions, st.floats(0, 5), st.floats(0, 5), st.floats(0, 5))
def test_widening_the_band_never_turns_met_into_missed(comparator, value, actual, direction, half, more, target_half):
    high = value * 2 if comparator == "range" else np.nan
    narrow = one(comparator, value, actual, direction, high, half, target_half)[0]
    wide = one(comparator, value, actual, direction, high, half + more, target_half)[0]
    assert ORDER[wide] >= ORDER[narrow]
    if narrow == Verdict.MET:
        assert wide == Verdict.MET  # met rests on the printed figure, not on its band


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["<=", "<", ">=", ">"]), printed, printed, directions, st.floats(0, 5))
def test_a_bound_is_met_or_missed_by_the_bound_alone(comparator, value, actual, direction, half):
    verdict = one(comparator, value, actual, direction, half=half)[0]
    holds = {"<=": actual <= value, "<": actual < value, ">=": actual >= value, ">": actual > value}[comparator]
    assert verdict == (Verdict.MET if holds else Verdict.MISSED)


def _panel(history: list[float], actual: float, comparator: str, target: float, direction: str) -> pd.DataFrame:
    """One indicator: full-year actuals from 2020 - len(history), a 2020 target and its 2020 outcome."""
    base = {"indicator_id": "x", "name_zh": "指标", "name_en": "x", "theme": "t", "measure": "growth", "unit": "%",
            "direction": direction, "value_high": np.nan, "coverage": "full_year", "comparator": "=", "quote": "q",
            "value_high_text": None, "kind": "actual", "status": "printed"}
    rows = [{**base, "year": 2020 - len(history) + i, "value": v, "value_text": f"{v:.1f}"} for i, v in enumerate(history)]
    rows += [{**base, "year": 2020, "value": actual, "value_text": f"{actual:.1f}"},
             {**base, "year": 2020, "kind": "target", "value": target, "value_text": f"{target:g}", "comparator": comparator}]
    return pd.DataFrame(rows)


LINKS = pd.DataFrame([{"target_indicator": "x", "target_year": 2020, "base_indicator": "x", "base_year": 2019,
                       "comparable": True, "reason_zh": "同一指标", "reason_en": "same indicator"}])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(-5, 15).map(lambda v: round(v, 1)), min_size=1, max_size=8),
       st.sampled_from(["<=", ">="]), directions)
def test_a_caps_verdict_never_depends_on_the_trend(history, comparator, direction):
    """The same outcome against the same ceiling or floor, after any history: the same verdict."""
    alone = gap_analysis(_panel(history[-1:], 2.7, comparator, 3, direction), 2019, 2020, links=LINKS).iloc[0]
    obs = _panel(history, 2.7, comparator, 3, direction)
    judged = targets_against_trend(obs, gap_analysis(obs, 2019, 2020, links=LINKS), None, 2020).iloc[0]
    assert (judged.verdict, judged.reason, judged.margin) == (alone.verdict, alone.reason, alone.margin)
    assert judged.position not in (Position.STRETCH, Position.WITHIN, Position.MODEST)


def test_trend_labels_need_enough_points_and_a_narrow_interval():
    args = dict(value=[6.0], value_high=[np.nan], direction=["higher"], probability=[np.nan])
    label = lambda points, low, high, last: trend_label(["point"], [points], [low], [high], last_actual=[last], **args)[0]
    assert label(MIN_POINTS - 1, 6.5, 7.0, 5.0) == Position.TOO_FEW_POINTS  # FDI: 2 points, a tight band
    assert label(MIN_POINTS, 1.4, 11.6, 7.1) == Position.TOO_UNCERTAIN  # GDP growth: a 10-point band, a 1.1 step
    assert label(MIN_POINTS, 6.5, 7.0, 5.0) == Position.MODEST  # below a band narrower than the 1-point step
    assert label(MIN_POINTS, 4.0, 5.5, 3.0) == Position.STRETCH
    assert label(MIN_POINTS, 5.5, 6.5, 3.0) == Position.WITHIN


@pytest.mark.parametrize("probability, expected", [(0.95, "likely held"), (LIKELY_HELD, "likely held"),
                                                    (0.6, "at risk"), (np.nan, "trend too uncertain")])
def test_a_cap_gets_the_probability_of_holding_never_stretch_or_modest(probability, expected):
    got = trend_label(["cap"], [MIN_POINTS], [0.5], [2.4], [3.0], [np.nan], ["lower"], [1.36], [probability])[0]
    assert got == expected
    assert trend_label(["cap"], [1], [0.5], [2.4], [3.0], [np.nan], ["lower"], [1.36], [0.99])[0] == "too few points"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(TargetType)), st.integers(0, 8), st.floats(-10, 10), st.floats(0, 20), printed,
       directions, st.floats(0, 1))
def test_no_trend_word_on_a_cap_a_floor_or_a_short_series(kind, points, low, width, value, direction, probability):
    got = trend_label([kind], [points], [low], [low + width], [value], [value * 2], [direction], [value / 2],
                      [probability])[0]
    if kind in BOUNDS or points < MIN_POINTS or kind == TargetType.QUALITATIVE:
        assert got not in (Position.STRETCH, Position.WITHIN, Position.MODEST)
    if points < MIN_POINTS and kind != TargetType.QUALITATIVE:
        assert got == Position.TOO_FEW_POINTS


def test_p_hold_is_a_probability_on_the_held_side():
    # A trend centred at 1.1 with spread 0.5 on the points scale: a 3% ceiling is very likely held.
    cap = p_hold(["cap"], [3.0], [np.nan], ["lower"], [1.1], [0.5], [np.inf], ["points"])[0]
    floor = p_hold(["floor"], [3.0], [np.nan], ["higher"], [1.1], [0.5], [np.inf], ["points"])[0]
    assert cap > 0.99 and floor < 0.01 and cap + floor == pytest.approx(1.0)
    assert np.isnan(p_hold(["cap"], [3.0], [np.nan], ["lower"], [1.1], [np.nan], [4.0], ["points"])[0])
