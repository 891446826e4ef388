"""Synthetic panels for the scaling benchmark: districts x indicators x years.

Made-up numbers, generated from a seed: every series is a random walk with drift on
logs (amounts) or on values (rates); the last year has a target and an actual.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

_UNITS = [("亿元", "level"), ("%", "share"), ("家", "count"), ("个", "count")]
_COMPARATORS = np.array(["=", ">=", "~", "<="])


def catalogue(indicators: int) -> pd.DataFrame:
    ids = [f"ind_{i:04d}" for i in range(indicators)]
    unit, measure = zip(*[_UNITS[i % len(_UNITS)] for i in range(indicators)])
    return pd.DataFrame({"indicator_id": ids, "unit": unit, "measure": measure,
                         "direction": ["lower" if i % 7 == 6 else "higher" for i in range(indicators)]})


def links(cat: pd.DataFrame, target_year: int) -> pd.DataFrame:
    return pd.DataFrame({"target_indicator": cat["indicator_id"], "target_year": target_year,
                         "base_indicator": cat["indicator_id"], "base_year": target_year - 1, "comparable": True,
                         "reason_zh": "合成数据", "reason_en": "synthetic"})


def panel(districts: int, indicators: int, years: int, first_year: int = 2001, seed: int = 0) -> pd.DataFrame:
    """Actuals for every year and a target for the last one: districts x indicators x (years + 1) rows."""
    rng = np.random.default_rng(seed)
    cat = catalogue(indicators)
    series = districts * indicators
    logs = np.log(rng.uniform(10, 1000, series))[:, None] + np.cumsum(rng.normal(0.05, 0.08, (series, years)), axis=1)
    values = np.round(np.exp(logs), 2)
    district = np.repeat(np.arange(districts), indicators)
    indicator = np.tile(np.arange(indicators), districts)
    target = np.round(values[:, -2] * rng.uniform(0.95, 1.15, series), 2)
    comparator = _COMPARATORS[indicator % len(_COMPARATORS)]
    year = np.arange(first_year, first_year + years)
    frame = pd.DataFrame({
        "district": np.r_[np.repeat(district, years), district],
        "indicator_id": np.r_[np.repeat(indicator, years), indicator],
        "year": np.r_[np.tile(year, series), np.full(series, year[-1])],
        "kind": np.r_[np.full(series * years, "actual"), np.full(series, "target")],
        "value": np.r_[values.ravel(), target],
        "comparator": np.r_[np.full(series * years, "="), comparator],
    })
    frame["district"] = pd.Categorical.from_codes(frame["district"], [f"district_{d:04d}" for d in range(districts)])
    frame["indicator_id"] = pd.Categorical.from_codes(frame["indicator_id"], list(cat["indicator_id"]))
    frame["unit"] = frame["indicator_id"].map(cat.set_index("indicator_id")["unit"])
    frame["value_high"] = np.nan
    return frame[["district", "indicator_id", "year", "kind", "value", "unit", "comparator", "value_high"]]


def write(path: Path, districts: int, indicators: int, years: int) -> int:
    frame = panel(districts, indicators, years)
    frame.to_csv(path, index=False)
    return len(frame)
