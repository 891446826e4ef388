"""Gap to target on the real data: baselines, the outcome each target is judged on, and its verdict.

The rules of the verdicts themselves are tested in test_verdicts.py."""

import math

import pandas as pd
import pytest

import zhenhai_analysis as za
from zhenhai_analysis.analysis.gaps import gap_analysis

from .conftest import copy_2020_data, figures_2020


@pytest.fixture(scope="module")
def gaps(tmp_path_factory) -> pd.DataFrame:
    """The 2020 report's targets against its own 2019 figures, as when it was the only source."""
    links = za.load_links(copy_2020_data(tmp_path_factory.mktemp("gaps") / "data"))
    return gap_analysis(figures_2020(), base_year=2019, target_year=2020, links=links).set_index("indicator_id")


@pytest.mark.parametrize("indicator_id, base, target, change_pct", [
    ("domestic_investment_outside_city", 99.2, 116, 16.94),
    ("zheshang_return_capital", 55.1, 68, 23.41),
    ("fdi_utilised", 1.8, 1.78, -1.11),
    ("digital_workshops", 10, 12, 20.0),
])
def test_comparable_pairs_give_the_change_needed(gaps, indicator_id, base, target, change_pct):
    row = gaps.loc[indicator_id]
    assert row.comparable
    assert (row.base_value, row.target_value) == (base, target)
    assert round(row.change_pct, 2) == change_pct
    assert row.change_abs == pytest.approx(target - base)


@pytest.mark.parametrize("indicator_id, base_indicator", [
    ("deep_cloud_enterprises_new", "enterprises_on_cloud"),          # 1030 on the cloud vs 300 deep
    ("relocation_area", "households_relocated"),                     # 1120 户 vs 43 万平方米
    ("high_tech_enterprises_valid", "high_tech_enterprises_recognised"),  # stock vs new in the year
])
def test_non_comparable_pairs_are_flagged_and_not_compared(gaps, indicator_id, base_indicator):
    row = gaps.loc[indicator_id]
    assert not row.comparable and row.base_indicator_id == base_indicator
    assert math.isnan(row.change_abs) and math.isnan(row.change_pct)
    assert row.reason_en and row.reason_zh


def test_every_target_has_one_row_and_a_reason(gaps):
    targets = figures_2020().query("year == 2020 and kind == 'target'")
    assert sorted(gaps.index) == sorted(targets.indicator_id)
    assert gaps["reason_en"].notna().all() and gaps["reason_zh"].notna().all()
    no_link = gaps[gaps.base_indicator_id.isna()]
    assert (no_link.reason_en.str.startswith("no comparable 2019 figure")).all()
    assert (no_link.reason_zh.str.contains("2019年")).all()


def test_targets_below_baseline_are_flagged(gaps):
    # FDI's 1.78 against a printed 1.8 (1.75-1.85) is not shown to be less: within the baseline's rounding.
    assert set(gaps.index[gaps.below_baseline]) == {"good_governance_villages_new"}
    assert gaps.loc["fdi_utilised", "change_abs"] < 0


def test_no_2020_actual_for_a_target_means_no_figure_yet(gaps):
    # The 2020 actuals in this report are the partial-year COVID-19 figures, which no target matches.
    assert set(gaps.verdict) == {"no figure found"} and set(gaps.reason) == {"not_yet"}


def test_the_2020_targets_on_the_curated_data():
    """Each judged 2020 target with its verdict, reason and margin as printed (read in the later documents)."""
    rows = gap_analysis(za.load_indicators(), 2019, 2020).set_index("indicator_id")
    judged = rows[rows.verdict.isin(["met", "missed", "within tolerance"])]
    assert judged.loc["registered_urban_unemployment_rate", ["verdict", "reason"]].tolist() == ["met", "held"]
    assert judged.loc["registered_urban_unemployment_rate", "margin"] == pytest.approx(0.34)  # headroom, not -0.34
    assert judged.loc["services_value_added_growth", ["verdict", "reason"]].tolist() == ["missed", "breached"]
    assert judged.loc["gdp_growth", ["verdict", "reason"]].tolist() == ["missed", "short"]
    assert judged.loc["gdp_growth", ["band_low", "band_high"]].tolist() == pytest.approx([2.85, 2.95])


def test_budget_revenue_is_carried_from_its_printed_growth_and_within_the_rounding():
    """2020 prints only +0.3% growth: 84.23 x 1.003 = 84.48, and 0.25-0.35% gives 84.44-84.52 against 84.5."""
    row = gap_analysis(za.load_indicators(), 2019, 2020).set_index("indicator_id").loc["general_budget_revenue"]
    assert row.verdict == "within tolerance" and row.reason == "rounding"
    assert row.actual_value == pytest.approx(84.23 * 1.003)
    assert (round(row.band_low, 2), round(row.band_high, 2)) == (84.44, 84.52)
    assert row.actual_derived == "84.23 × (1 + 0.3%)"


def test_a_level_is_not_carried_from_growth_at_comparable_prices():
    """GDP growth is at comparable prices (可比价): it never gives a nominal level."""
    obs = za.load_indicators()
    rows = gap_analysis(obs, 2019, 2020).set_index("indicator_id")
    assert (rows["actual_derived"].fillna("") != "").sum() == 1  # budget revenue alone


def _frame(rows):
    base = {"name_zh": "指标", "name_en": "x", "theme": "macro", "measure": "share", "unit": "%",
            "value_high": float("nan"), "coverage": "full_year", "comparator": "=", "quote": "q", "value_text": "0", "value_high_text": None}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_verdicts_and_margins_on_a_synthetic_frame():
    obs = _frame([
        {"indicator_id": "unemployment", "year": 2020, "kind": "target", "value": 3.0, "comparator": "<=", "direction": "lower"},
        {"indicator_id": "unemployment", "year": 2020, "kind": "actual", "value": 2.66, "direction": "lower"},
        {"indicator_id": "clouds", "year": 2020, "kind": "target", "value": 4.0, "value_high": 6.0, "comparator": "range", "direction": "higher", "measure": "count", "unit": "家"},
        {"indicator_id": "clouds", "year": 2020, "kind": "actual", "value": 3.0, "direction": "higher", "measure": "count", "unit": "家"},
        {"indicator_id": "partial", "year": 2020, "kind": "target", "value": 10.0, "direction": "higher"},
        {"indicator_id": "partial", "year": 2020, "kind": "actual", "value": 4.0, "direction": "higher", "coverage": "year_to_date"},
    ])
    links = pd.DataFrame(columns=["target_indicator", "target_year", "base_indicator", "base_year", "comparable", "reason_zh", "reason_en"])
    result = gap_analysis(obs, 2019, 2020, links=links).set_index("indicator_id")
    assert result.loc["unemployment", "verdict"] == "met"
    assert result.loc["unemployment", "margin"] == pytest.approx(0.34)  # headroom under the ceiling
    assert result.loc["clouds", "verdict"] == "missed" and result.loc["clouds", "margin"] == -1
    assert result.loc["partial", ["verdict", "reason"]].tolist() == ["cannot assess", "part_year"]


def test_a_link_can_declare_next_years_actual_not_comparable():
    obs = _frame([
        {"indicator_id": "deep_cloud", "year": 2020, "kind": "target", "value": 300.0, "direction": "higher", "measure": "count", "unit": "家"},
        {"indicator_id": "cloud_any", "year": 2020, "kind": "actual", "value": 900.0, "direction": "higher", "measure": "count", "unit": "家"},
    ])
    links = pd.DataFrame([{"target_indicator": "deep_cloud", "target_year": 2020, "base_indicator": "cloud_any",
                           "base_year": 2020, "comparable": False, "reason_en": "any cloud vs deep cloud", "reason_zh": "口径不同"}])
    row = gap_analysis(obs, 2019, 2020, links=links).iloc[0]
    assert row.verdict == "not comparable" and row.note_en == "any cloud vs deep cloud" and row.note_zh == "口径不同"


def test_implied_previous_level_is_derived_not_printed():
    from zhenhai_analysis.analysis.compare import implied_previous_levels

    derived = implied_previous_levels(figures_2020(), za.load_catalogue()).set_index("indicator_id")
    row = derived.loc["industrial_value_added_above_size"]
    assert row.year == 2018 and row.status == "derived"
    assert row.value == pytest.approx(652 / 1.078) and round(row.value, 1) == 604.8
    assert row.formula == "652 / (1 + 7.8%) = 604.8"
    assert derived.loc["exports", "value"] == pytest.approx(250.4 / 1.081)
    printed = figures_2020()
    assert set(printed["status"]) <= {"printed", "estimated"}  # derived figures live only in implied_previous_levels()
    assert not ((printed.indicator_id == "industrial_value_added_above_size") & (printed.year == 2018)).any()


@pytest.mark.parametrize("coverage", ["half_year", "quarter", "year_to_date", "multi_year_average", "cumulative"])
def test_a_part_year_or_period_figure_never_judges_a_target_nor_serves_as_a_baseline(coverage):
    period = {"period_start": 2016, "period_end": 2020} if coverage in ("multi_year_average", "cumulative") else {}
    obs = _frame([
        {"indicator_id": "growth", "year": 2020, "kind": "target", "value": 6.0, "direction": "higher"},
        {"indicator_id": "growth", "year": 2020, "kind": "actual", "value": 9.0, "direction": "higher", "coverage": coverage, **period},
        {"indicator_id": "growth", "year": 2019, "kind": "actual", "value": 5.0, "direction": "higher", "coverage": coverage, **period},
    ])
    links = pd.DataFrame([{"target_indicator": "growth", "target_year": 2020, "base_indicator": "growth", "base_year": 2019,
                           "comparable": True, "reason_zh": "同一指标", "reason_en": "same indicator"}])
    row = gap_analysis(obs, 2019, 2020, links=links).iloc[0]
    assert row.verdict == "cannot assess" and pd.isna(row.margin)  # not 'met' on 9% of part of a year or of five years
    assert row.reason == ("period" if period else "part_year")
    assert pd.isna(row.base_value)
    # With the full-year actual beside it, the full year judges the target.
    full = pd.concat([obs, _frame([{"indicator_id": "growth", "year": 2020, "kind": "actual", "value": 5.5, "value_text": "5.5", "direction": "higher"}])])
    assert gap_analysis(full, 2019, 2020, links=links).iloc[0].verdict == "missed"
