"""Forecasts: exact where the data are exact, calibrated where they are random."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from zhenhai_analysis.analysis.forecasting import forecast

from .conftest import figures_2020


def _frame(values, start=2010, target=None, comparator=">=", measure="level", direction="higher"):
    rows = [{"indicator_id": "x", "year": start + i, "kind": "actual", "coverage": "full_year", "comparator": "=",
             "value": float(v), "value_high": np.nan, "measure": measure, "direction": direction}
            for i, v in enumerate(values)]
    if target is not None:
        rows.append({**rows[0], "year": start + len(values), "kind": "target", "value": float(target), "comparator": comparator})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n", [2, 3, 5, 7, 10])
def test_exact_exponential_growth_is_forecast_exactly(n):
    result = forecast(_frame([100 * 1.08**i for i in range(n)]), "x", horizon=2)
    assert result["point"].to_numpy() == pytest.approx([100 * 1.08**n, 100 * 1.08 ** (n + 1)], rel=1e-6)
    if n > 2:
        assert result["lower"].to_numpy() == pytest.approx(result["point"].to_numpy(), rel=1e-4)
    assert result["method"].iloc[0] == ("holt" if n >= 8 else "rw_drift") and result["log"].iloc[0]


@pytest.mark.parametrize("length", [3, 5, 7])
def test_interval_covers_about_80_percent_of_random_walks(length):
    rng = np.random.default_rng(20200510 + length)
    hits = 0
    for _ in range(500):
        logs = np.log(100) + np.cumsum(np.r_[0, rng.normal(0.05, 0.1, length)])
        values = np.exp(logs)
        result = forecast(_frame(values[:length]), "x", horizon=1, level=0.8).iloc[0]
        hits += result.lower <= values[length] <= result.upper
    coverage = hits / 500
    print(f"\nlength {length}: 80% interval covered the next value in {coverage:.1%} of 500 walks")
    assert 0.75 <= coverage <= 0.85


def test_long_series_interval_widens_with_horizon():
    rng = np.random.default_rng(7)
    values = 100 * np.exp(np.cumsum(rng.normal(0.04, 0.05, 14)))
    result = forecast(_frame(values), "x", horizon=4)
    width = (result.upper - result.lower).to_numpy()
    assert result.method.iloc[0] == "holt" and (np.diff(width) > 0).all()
    assert not result.scenario.any()


def test_one_point_gives_the_reason_not_an_exception():
    result = forecast(_frame([42]), "x").iloc[0]
    assert result.method == "none" and np.isnan(result.point)
    assert result.reason == "one_point"


def test_two_points_give_a_point_but_no_interval_and_a_scenario_label():
    result = forecast(_frame([100, 110]), "x").iloc[0]
    assert result.point == pytest.approx(121) and np.isnan(result.lower) and result.scenario
    assert result.reason == "two_points"


def test_probability_of_meeting_a_target():
    rng = np.random.default_rng(3)
    values = 100 * np.exp(np.cumsum(rng.normal(0.05, 0.05, 6)))
    easy = forecast(_frame(values, target=values[-1] * 0.5), "x").iloc[0]
    hard = forecast(_frame(values, target=values[-1] * 2), "x").iloc[0]
    at_median = forecast(_frame(values, target=None), "x").iloc[0]
    middle = forecast(_frame(values, target=at_median.point), "x").iloc[0]
    assert easy.p_meet > 0.99 and hard.p_meet < 0.01 and middle.p_meet == pytest.approx(0.5, abs=1e-9)
    lower_better = forecast(_frame(values, target=values[-1] * 2, comparator="<=", direction="lower"), "x").iloc[0]
    assert lower_better.p_meet > 0.99


def test_growth_rates_return_halfway_to_their_average_each_year():
    # mean 0.5, last 2.0: half the distance is left after one year, a quarter after two
    result = forecast(_frame([-1.0, 0.5, 2.0], measure="growth"), "x", horizon=2)
    assert result.scale.iloc[0] == "points" and not result.log.iloc[0]
    assert result.point.tolist() == pytest.approx([1.25, 0.875])


def _panel(series: dict, measure="level", start=2010) -> pd.DataFrame:
    return pd.concat([_frame(values, start=start, measure=measure).assign(indicator_id=name)
                      for name, values in series.items()], ignore_index=True)


def test_a_two_point_series_borrows_the_volatility_of_its_family():
    rng = np.random.default_rng(11)
    others = {f"s{i}": 100 * np.exp(np.cumsum(rng.normal(0.05, 0.1, 6))) for i in range(5)}
    result = forecast(_panel({**others, "x": [100, 110]}), "x").iloc[0]
    assert result.point == pytest.approx(121) and result.lower < 121 < result.upper and result.reason == ""
    alone = forecast(_frame([100, 110]), "x").iloc[0]  # nothing to borrow from: no interval, and why
    assert np.isnan(alone.lower) and alone.reason == "two_points"


def test_gaps_between_years_are_gaps_in_time():
    # 100 in 2010 and 121 in 2012: 10% a year, so 133.1 in 2013 (one year past the last point)
    gapped = _frame([100, 121]).assign(year=[2010, 2012])
    assert forecast(gapped, "x").point.iloc[0] == pytest.approx(133.1)
    assert forecast(gapped, "x").year.iloc[0] == 2013


def test_the_closed_form_is_statsmodels_weighted_least_squares_on_irregular_years():
    """Steps over g years: mean g x drift, variance g x sigma² -- WLS of the steps on the gaps, weights 1/g."""
    import statsmodels.api as sm

    years = np.array([2011, 2012, 2015, 2016, 2019, 2020])
    logs = np.log([50.0, 54.0, 66.0, 69.0, 85.0, 88.0])
    steps, gaps = np.diff(logs), np.diff(years).astype(float)
    wls = sm.WLS(steps, gaps[:, None], weights=1 / gaps).fit()
    span = gaps.sum()
    prediction = wls.get_prediction(np.array([[1.0]]))  # one year ahead: the drift, and its variance
    variance = wls.scale * 1 + prediction.var_pred_mean[0]  # the next step's noise, plus the drift's uncertainty
    q = stats.t.ppf(0.9, wls.df_resid)
    expected = np.exp(logs[-1] + wls.params[0] + np.array([-1, 0, 1]) * q * np.sqrt(variance))
    obs = _frame(np.exp(logs)).assign(year=years)
    result = forecast(obs, "x").iloc[0]
    assert [result.lower, result.point, result.upper] == pytest.approx(expected, rel=1e-9)
    assert wls.params[0] == pytest.approx((logs[-1] - logs[0]) / span) and wls.df_resid == 4


def test_shares_stay_between_0_and_100():
    low = forecast(_frame([1.4, 0.9, 1.3, 0.6], measure="share"), "x", horizon=3)
    high = forecast(_frame([97.0, 99.0, 98.0, 99.5], measure="share"), "x", horizon=3)
    assert (low.lower > 0).all() and (high.upper < 100).all() and (low.scale == "logit").all()


def test_no_warnings_reach_the_user():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        forecast(_frame([100, 103, 101, 108, 111, 109, 115, 118, 117, 125]), "x", horizon=3)
        forecast(_frame([5, 5, 5, 5, 5, 5, 5, 5, 5]), "x")


def test_the_2020_report_has_one_point_per_series():
    obs = figures_2020()
    result = forecast(obs, "domestic_investment_outside_city").iloc[0]
    assert result.n_obs == 1 and result.reason == "one_point" and result.year == 2020
    assert result.target_value == 116
    rank = forecast(obs, "zhongkao_rank").iloc[0]
    assert rank.reason == "rank"


def test_every_curated_series_of_two_or_more_points_has_a_trend_and_an_interval():
    import zhenhai_analysis as za
    from zhenhai_analysis.analysis.compare import implied_previous_levels
    from zhenhai_analysis.analysis.forecasting import forecast_many

    obs = za.load_indicators()
    many = forecast_many(obs, derived=implied_previous_levels(obs, za.load_catalogue()))
    series = many[many["n_obs"] >= 2]
    print(f"\n{len(series)} series of 2 or more points; {series['lower'].notna().sum()} with an interval")
    assert len(series) >= 40 and series[["point", "lower", "upper"]].notna().all().all()
