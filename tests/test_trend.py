"""Targets against the trend, and the rolling-origin backtest (no kernel)."""

import numpy as np
import pandas as pd
import pytest

import zhenhai_analysis as za
from zhenhai_analysis.analysis.compare import implied_previous_levels
from zhenhai_analysis.analysis.trend import backtest, summary, targets_against_trend


def _row(indicator, year, value, kind="actual", measure="level", direction="higher", comparator="="):
    return {"indicator_id": indicator, "year": year, "kind": kind, "coverage": "full_year", "comparator": comparator,
            "value": float(value), "value_high": np.nan, "measure": measure, "direction": direction}


def test_the_backtest_forecasts_each_next_point_from_what_was_known():
    rows = [_row("a", y, 100 * 1.1 ** (y - 2010)) for y in (2010, 2011, 2013, 2014)]
    rows += [_row("b", y, v, measure="growth") for y, v in ((2010, 8.0), (2011, 6.0), (2012, 7.0))]
    results = backtest(pd.DataFrame(rows))
    a = results[results.indicator_id == "a"]
    assert a[["cutoff", "year", "n"]].values.tolist() == [[2011, 2013, 2], [2013, 2014, 3]]
    assert a["error"].max() == pytest.approx(0, abs=1e-9)  # exact compound growth is forecast exactly
    assert a["naive_last"].iloc[0] == pytest.approx((1 - 1 / 1.21) * 100)  # % of the actual
    b = results[results.indicator_id == "b"].iloc[0]
    assert (b.cutoff, b.year, b.point) == (2011, 2012, pytest.approx(6.5))  # mean 7, halfway back from 6
    table = summary(results)
    assert table.loc[("amounts", "all"), "forecasts"] == 2 and table.loc[("growth rates", "all"), "forecasts"] == 1


def test_targets_are_set_against_the_trend_up_to_the_year_before():
    obs = za.load_indicators()
    gaps = za.gap_analysis(obs, 2019, 2020, links=za.load_links())
    against = targets_against_trend(obs, gaps, implied_previous_levels(obs, za.load_catalogue()), 2020)
    assert len(against) == len(gaps)
    with_trend = against[against.trend_point.notna()]
    assert len(with_trend) >= 5
    gdp = against.set_index("indicator_id").loc["gdp_growth"]
    assert gdp.trend_n == 4 and gdp.trend_lower < gdp.target_value < gdp.trend_upper
    # Four points, but an interval (1.4-11.6) far wider than the 1.1-point step asked: no label.
    assert gdp.points == 4 and gdp.position == "trend too uncertain"
    fdi = against.set_index("indicator_id").loc["fdi_utilised"]
    assert fdi.points == 2 and fdi.position == "too few points"  # a tight band from two points says nothing
    assert gdp.required == pytest.approx(6.0 - 7.1) and gdp.closer == "target"  # 2.9: nearer 6.0 than the trend
    ambition = with_trend["ambition"].dropna().to_numpy()
    assert (np.diff(ambition) <= 0).all()  # most ambitious first


def test_an_indicator_page_does_not_repeat_its_target_year_with_a_second_interval():
    import zhenhai_analysis as za
    from zhenhai_analysis.analysis.compare import implied_previous_levels
    from zhenhai_analysis.analysis.trend import forecast_to_show, targets_against_trend

    obs = za.load_indicators()
    derived = implied_previous_levels(obs, za.load_catalogue())
    gaps = za.gap_analysis(obs, 2019, 2020, links=za.load_links())
    shown = {}
    for indicator in ("general_budget_revenue", "gdp_growth"):
        against = targets_against_trend(obs, gaps[gaps.indicator_id == indicator], derived, 2020)
        fc = za.forecast(obs, indicator, derived=derived)
        shown[indicator] = forecast_to_show(fc, against, 2020)
    assert shown["general_budget_revenue"] is None  # no 2020 level yet: its forecast is the judged year, 2020
    assert list(shown["gdp_growth"]["year"]) == [2021]  # the next year after the 2020 outcome


def test_backtest_prints_each_labels_count_and_how_its_targets_turned_out(capsys):
    from zhenhai_analysis.analysis.trend import label_outcomes, main

    rows = za.briefing_model(None, 2020, 2019).rows
    table = label_outcomes(rows)
    assert table["n"].sum() == len(rows)  # every target under exactly one label (or reason for none)
    assert table.loc["too few points", "n"] == (rows.points < 4).sum()
    judged = rows.verdict.isin(["met", "missed", "within tolerance"])
    assert table["known"].sum() == judged.sum() == table[["met", "missed", "within tolerance"]].to_numpy().sum()
    assert main(["--year", "2020"]) == 0
    out = capsys.readouterr().out
    assert "Trend labels of the targets of 2020" in out and "too few points" in out
    labelled = rows.position.isin(["stretch", "within", "modest", "likely held", "at risk"]) & judged
    assert f"Labelled targets with a known outcome: n = {labelled.sum()}." in out
    assert "no calibration is claimed" in out  # n is far below what a calibration needs
