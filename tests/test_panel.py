"""Panels of many districts: vectorised loading, gap analysis and forecasts agree with the
one-report functions, and bad rows are reported with file, line and field."""

import sys

import numpy as np
import pandas as pd
import pytest

import zhenhai_analysis as za
from zhenhai_analysis.analysis.forecasting import forecast, forecast_many
from zhenhai_analysis.validation.panel import load_panel

from .conftest import PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))
import synthetic  # noqa: E402


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    synthetic.write(path, districts=4, indicators=8, years=6)
    return path


def test_load_panel_validates_and_adds_catalogue_columns(small):
    panel = load_panel(small, synthetic.catalogue(8))
    assert len(panel) == 4 * 8 * 7 and {"measure", "direction"} <= set(panel.columns)


def test_bad_panel_rows_are_reported_by_line_and_field(small, tmp_path):
    lines = small.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace(",actual,", ",actuall,")
    lines[9] = lines[9].replace("亿元", "亿圆") if "亿元" in lines[9] else lines[9].replace(",%,", ",percent,")
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(za.DataValidationError) as info:
        load_panel(broken, synthetic.catalogue(8))
    where = {(p.line, p.field) for p in info.value.problems}
    assert (5, "kind") in where and (10, "unit") in where


def test_panel_gap_analysis_compares_each_district_with_itself(small):
    cat = synthetic.catalogue(8)
    panel = load_panel(small, cat)
    gaps = za.gap_analysis(panel, 2005, 2006, links=synthetic.links(cat, 2006))
    assert len(gaps) == 4 * 8 and gaps["comparable"].all()
    row = gaps.iloc[5]
    base = panel[(panel.district == row.district) & (panel.indicator_id == row.indicator_id)
                 & (panel.year == 2005) & (panel.kind == "actual")].value.item()
    assert row.base_value == base
    assert set(gaps["verdict"]) <= {"met", "missed", "within tolerance"}


def test_forecast_many_equals_forecast_for_short_series():
    rng = np.random.default_rng(5)
    rows = []
    for s in range(30):
        n = int(rng.integers(1, 8))
        values = 100 * np.exp(np.cumsum(rng.normal(0.05, 0.1, n)))
        measure = "share" if s % 3 == 0 else "level"
        for i, v in enumerate(values):
            rows.append({"indicator_id": f"s{s}", "year": 2010 + i + (i > 2), "kind": "actual", "coverage": "full_year",
                         "comparator": "=", "value": v, "value_high": np.nan, "measure": measure, "direction": "higher"})
    obs = pd.DataFrame(rows)
    many = forecast_many(obs, horizon=2).set_index(["indicator_id", "horizon"])
    for indicator in obs.indicator_id.unique():
        for row in forecast(obs, indicator, horizon=2).itertuples():
            mine = many.loc[(indicator, row.horizon)]
            for a, b in ((row.point, mine.point), (row.lower, mine.lower), (row.upper, mine.upper)):
                assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b, rel=1e-9)
