"""Forecasts: exact where the data are exact, calibrated where they are random."""

import warnings

import numpy as np
import pandas as pd
import pytest

from zhenhai_analysis.forecasting import forecast

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


def test_rates_are_modelled_on_values_not_logs():
    result = forecast(_frame([-1.0, 0.5, 2.0], measure="growth"), "x").iloc[0]
    assert result.method == "rw_drift" and not result.log and result.point == pytest.approx(3.5)


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
