"""Forecasts of short annual series, honest about how little the data say.

- 1 point: no forecast; the reason says why.
- 2 to 7 points: a random walk with drift (on log values for levels and counts, so the
  drift is compound growth; on the values themselves for rates). The interval adds the
  uncertainty of the estimated drift to that of the next step and uses t quantiles
  with n - 2 degrees of freedom; with 2 points the drift is known but its uncertainty
  is not, so there is a point and no interval.
- 8 or more points: Holt's linear trend as an ETS model with additive errors
  (statsmodels), with its analytical prediction intervals.
Projections from fewer than 5 points are labelled scenarios.

`method` and `reason` are codes (rw_drift, holt, none; rank, no_actuals, one_point,
two_points); tables.forecast_method and tables.forecast_reason put them in words.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from .gaps import DEFAULT_TOLERANCE, target_bound
from .vocab import AMOUNT_MEASURES, full_year_actuals

FORECAST_COLUMNS = [
    "indicator_id", "year", "horizon", "method", "log", "n_obs", "point", "lower", "upper", "level",
    "scenario", "target_value", "comparator", "p_meet", "reason",
]
MIN_POINTS_HOLT = 8
MIN_POINTS_NOT_SCENARIO = 5


def _series(obs: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Full-year printed actuals of one indicator, by year."""
    rows = full_year_actuals(obs)
    return rows[rows["indicator_id"] == indicator_id].sort_values("year")[["year", "value"]]


def rw_drift(group: np.ndarray, years: np.ndarray, y: np.ndarray, horizons: np.ndarray):
    """Random walk with drift for one or many series at once, in closed form.

    Rows are sorted by series, then year; `group` numbers the series 0, 1, ...; `y` is on
    the modelling scale (logs for compound growth). Years may have gaps: an increment
    over g years has mean g x drift and variance g x sigma². The forecast h years past a
    series' last point has variance sigma² x (h + h² / span), the second term being the
    drift's uncertainty, with t quantiles on n - 2 degrees of freedom.
    Returns, per series, centre and scale (series x horizons) and df; scale and df are
    NaN with 2 points, everything is NaN with 1.
    """
    count = np.bincount(group)
    same = np.r_[False, group[1:] == group[:-1]]  # row continues the previous row's series
    steps, gaps, step_group = np.diff(y, prepend=np.nan)[same], np.diff(years, prepend=np.nan)[same], group[same]
    span = np.bincount(step_group, weights=gaps, minlength=len(count))
    df = np.where(count > 2, count - 2, np.nan)
    last = np.r_[group[1:] != group[:-1], True]
    with np.errstate(divide="ignore", invalid="ignore"):  # one-point series: no span, no forecast
        drift = np.bincount(step_group, weights=steps, minlength=len(count)) / span
        residual = np.bincount(step_group, weights=(steps - drift[step_group] * gaps) ** 2 / gaps, minlength=len(count))
        sigma2 = residual / df
        centre = y[last][:, None] + drift[:, None] * horizons
        scale = np.sqrt(sigma2[:, None] * (horizons + horizons**2 / span[:, None]))
    return centre, scale, df


def _holt(values: np.ndarray, horizons: np.ndarray, level: float, log: bool):
    """Holt's linear trend (ETS A,A,N); returns (centre, scale) on the modelling scale."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = pd.Series(np.log(values) if log else values.astype(float))  # a plain integer index: no date frequency
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter: the result is checked below
        fit = ETSModel(y, error="add", trend="add").fit(disp=False)
        frame = fit.get_prediction(start=len(y), end=len(y) + int(horizons.max()) - 1).summary_frame(alpha=1 - level)
    centre = frame["mean"].to_numpy()[horizons - 1]
    z = stats.norm.ppf(0.5 + level / 2)
    scale = (frame["pi_upper"].to_numpy() - frame["pi_lower"].to_numpy())[horizons - 1] / (2 * z)
    return centre, scale


def _p_meet(centre: float, scale: float, df: float, log: bool, target: pd.Series, direction: str, tolerance: float) -> float:
    """Probability under the forecast distribution that the target is met (see gaps.attainment)."""
    if not np.isfinite(scale):
        return np.nan
    dist = stats.t(df) if np.isfinite(df) else stats.norm

    def cdf(x: float) -> float:  # P(Y <= x) on the original scale
        if log and x <= 0:
            return 0.0
        g = math.log(x) if log else x
        if scale == 0:
            return float(centre <= g)
        return float(dist.cdf((g - centre) / scale))

    comparator, value = target["comparator"], target["value"]
    if comparator in (">=", ">"):
        return 1 - cdf(value)
    if comparator in ("<=", "<"):
        return cdf(value)
    if comparator == "~":
        return 1 - cdf(value * (1 - tolerance)) if direction == "higher" else cdf(value * (1 + tolerance))
    bound = float(target_bound(comparator, value, target["value_high"], direction))
    return 1 - cdf(bound) if direction == "higher" else cdf(bound)


def forecast(
    obs: pd.DataFrame,
    indicator_id: str,
    horizon: int = 1,
    level: float = 0.8,
    tolerance: float = DEFAULT_TOLERANCE,
) -> pd.DataFrame:
    """Forecast one indicator `horizon` years past its last actual; one row per year.

    `obs` is `load_indicators()` output. `point` is the median forecast, `lower` and
    `upper` the central `level` prediction interval, in the indicator's unit. Where a
    target exists for a forecast year, `p_meet` is the model's probability of meeting
    it. `method` is rw_drift, holt or none, on log values where `log`; `reason` is
    the code of what is missing (rank, no_actuals, one_point, two_points) or ''.
    """
    meta = obs[obs["indicator_id"] == indicator_id]
    if meta.empty:
        raise KeyError(f"unknown indicator {indicator_id!r}")
    measure, direction = meta.iloc[0]["measure"], meta.iloc[0]["direction"]
    series = _series(obs, indicator_id)
    n = len(series)
    last = int(series["year"].iloc[-1]) if n else int(meta["year"].max())
    horizons = np.arange(1, horizon + 1)
    out = pd.DataFrame({"indicator_id": indicator_id, "year": last + horizons, "horizon": horizons,
                        "n_obs": n, "level": level, "scenario": n < MIN_POINTS_NOT_SCENARIO})
    targets = meta[meta["kind"] == "target"].set_index("year")
    out["target_value"] = out["year"].map(targets["value"]) if not targets.empty else np.nan
    out["comparator"] = out["year"].map(targets["comparator"]) if not targets.empty else None

    def without(reason: str) -> pd.DataFrame:
        return out.assign(method="none", log=False, point=np.nan, lower=np.nan, upper=np.nan, p_meet=np.nan,
                          reason=reason)[FORECAST_COLUMNS]

    if measure == "rank":
        return without("rank")
    if n == 0:
        return without("no_actuals")
    if n == 1:
        return without("one_point")
    values = series["value"].to_numpy(dtype=float)
    log = measure in AMOUNT_MEASURES and bool((values > 0).all())
    if n >= MIN_POINTS_HOLT:
        centre, scale = _holt(values, horizons, level, log)
        df, method, reason = np.inf, "holt", ""
    else:
        y = np.log(values) if log else values
        centre, scale, df = rw_drift(np.zeros(n, dtype=int), series["year"].to_numpy(dtype=float), y, horizons)
        centre, scale, df = centre[0], scale[0], df[0]
        method, reason = "rw_drift", "" if n > 2 else "two_points"
    q = stats.t.ppf(0.5 + level / 2, df) if np.isfinite(df) else stats.norm.ppf(0.5 + level / 2)
    back = np.exp if log else (lambda x: x)
    out = out.assign(
        method=method, log=log, point=back(centre), lower=back(centre - q * scale), upper=back(centre + q * scale),
        reason=reason
    )
    out["p_meet"] = [
        _p_meet(c, s, df, log, targets.loc[y], direction, tolerance) if y in targets.index else np.nan
        for c, s, y in zip(centre, scale, out["year"])
    ]
    return out[FORECAST_COLUMNS]


def forecast_many(obs: pd.DataFrame, horizon: int = 1, level: float = 0.8, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Random-walk-with-drift forecasts of every series at once, in closed form.

    A series is one indicator (per `by` columns too, such as `("district",)` for a
    panel); its full-year printed actuals are the points. The model and its interval
    are those of `forecast()` for 2 to 7 points, computed with array operations instead
    of a loop, so 100,000 series take a second. For series of 8 or more points
    `forecast()` fits Holt's linear trend instead, one series at a time; this function
    keeps the random walk for them. Series of one point get no forecast.
    Columns: the `by` columns, indicator_id, year, horizon, n_obs, point, lower, upper,
    level, scenario, log (whether the model is on log values).
    """
    keys = [*by, "indicator_id"]
    rows = full_year_actuals(obs).sort_values([*keys, "year"], kind="stable")
    group = rows.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
    years = rows["year"].to_numpy(dtype=float)
    values = rows["value"].to_numpy(dtype=float)
    count = np.bincount(group)
    positive = np.bincount(group, weights=values > 0) == count
    amounts = rows.groupby(keys, sort=False, observed=True)["measure"].first().isin(AMOUNT_MEASURES).to_numpy()
    log = amounts & positive
    y = np.where(log[group], np.log(np.where(values > 0, values, 1.0)), values)
    h = np.arange(1, horizon + 1)
    centre, scale, df = rw_drift(group, years, y, h)
    q = stats.t.ppf(0.5 + level / 2, df)[:, None]
    n_groups = len(count)
    last = np.r_[group[1:] != group[:-1], True]
    last_year = years[last]
    back = lambda a: np.where(log[:, None], np.exp(a), a)  # noqa: E731
    firsts = rows.loc[last, keys].reset_index(drop=True)
    out = firsts.loc[np.repeat(np.arange(n_groups), horizon)].reset_index(drop=True)
    out["year"] = (last_year[:, None] + h).ravel().astype(int)
    out["horizon"] = np.tile(h, n_groups)
    out["n_obs"] = np.repeat(count, horizon)
    point = np.where(count[:, None] >= 2, back(centre), np.nan)
    out["point"] = point.ravel()
    out["lower"] = back(centre - q * scale).ravel()
    out["upper"] = back(centre + q * scale).ravel()
    out["level"] = level
    out["scenario"] = out["n_obs"] < MIN_POINTS_NOT_SCENARIO
    out["log"] = np.repeat(log, horizon)
    return out
