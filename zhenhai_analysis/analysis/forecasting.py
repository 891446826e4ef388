"""Trend forecasts of short, irregular annual series, honest about how little each says.

The model (one rule for every series of 2 or more points): a random walk with drift on
a scale where the series stays in its domain — logs for amounts (levels and counts:
the drift is compound growth), logits for shares in % (0–100), the values themselves
for growth rates (percentage points). Gaps between years are gaps in time: a step over
g years has mean g × drift and variance g × sigma².

Short series borrow strength: a series' volatility sigma² is its own residual variance
combined with that of the *other* series of its family (same measure and scale), as if
the family added `PRIOR_DF` degrees of freedom of evidence. So a 2-point series, which
has a drift but no residual of its own, still gets an honest interval from its family;
a series alone in its family uses its own residuals only (and 2 points then give no
interval). The forecast h years past the last point has variance sigma² (h + h²/span),
the second term being the drift's uncertainty, with t quantiles.

Growth rates are not extrapolated: a rate far from its own average tends to return (a
first-order autoregression around the series' mean, keeping half of its distance from the
mean each year, `PERSISTENCE`). Tried on the curated history (trend.py, make backtest),
drift made growth forecasts worse than the last rate, as the issue's measurements found.

Series of 8 or more points in consecutive years use Holt's linear trend (ETS A,A,N,
statsmodels) with its analytical intervals instead. Projections from fewer than
MIN_POINTS points are labelled scenarios. `method` and `reason` are codes that tables.py puts in
words (labels.csv).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit, logit

from ..foundations.vocab import AMOUNT_MEASURES, full_year_actuals

FORECAST_COLUMNS = [
    "indicator_id", "year", "horizon", "method", "scale", "log", "n_obs", "n_derived", "point", "lower", "upper",
    "level", "scenario", "target_value", "comparator", "p_meet", "reason",
]
MIN_POINTS_HOLT = 8
# The evidence a trend needs before anything is read from it: a projection from fewer printed
# actuals is a scenario, and a target is labelled against a trend only from this many
# (verdicts.trend_label). Estimates count as points; levels derived from growth do not.
MIN_POINTS = 4
LIKELY_HELD = 0.8  # a cap or floor the trend holds with at least this probability is "likely held"
PRIOR_DF = 4.0  # the weight of the family's volatility, in degrees of freedom
SCALES = ("log", "logit", "points")
REVERTING_MEASURES = ("growth",)  # growth rates return towards their own average
PERSISTENCE = 0.5  # the share of a growth rate's distance from its average left after a year


def series_scale(measure: str, values: np.ndarray) -> str:
    """The modelling scale of a series: log for positive amounts, logit for shares in (0, 100), else points."""
    if measure in AMOUNT_MEASURES and (values > 0).all():
        return "log"
    if measure == "share" and ((values > 0) & (values < 100)).all():
        return "logit"
    return "points"


def to_scale(values, scale: str):
    values = np.asarray(values, dtype=float)
    if scale == "log":
        return np.log(values)
    if scale == "logit":
        return logit(values / 100)
    return values


def from_scale(values, scale: str):
    values = np.asarray(values, dtype=float)
    if scale == "log":
        return np.exp(values)
    if scale == "logit":
        return 100 * expit(values)
    return values


def trend_points(obs: pd.DataFrame, derived: pd.DataFrame | None = None, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The points a trend is fitted to: full-year printed actuals, and derived levels where none is printed.

    `derived` is compare.implied_previous_levels() output; only levels derived from nominal
    growth are used (a comparable-price growth does not give the earlier printed level).
    A printed figure always wins over a derived one. Ranks are positions, not quantities
    with a trend, and are left out. Columns: the `by` columns,
    indicator_id, measure, year, value, derived (bool), known_in (the year the point was
    published: the next year for a derived level).
    """
    keys = [*by, "indicator_id"]
    actuals = full_year_actuals(obs)
    printed = actuals[actuals["measure"] != "rank"][[*keys, "measure", "year", "value"]].assign(derived=False)
    printed["known_in"] = printed["year"]
    frames = [printed]
    if derived is not None and not derived.empty:
        extra = derived[derived["nominal"]][[*keys, "measure", "year", "value"]].assign(derived=True)
        extra["known_in"] = extra["year"] + 1
        have = pd.MultiIndex.from_frame(printed[[*keys, "year"]])
        frames.append(extra[~pd.MultiIndex.from_frame(extra[[*keys, "year"]]).isin(have)])
    points = pd.concat(frames, ignore_index=True)
    return points.sort_values([*keys, "year"], kind="stable").reset_index(drop=True)


def fit(points: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Fit the model to every series of `points` (trend_points output) at once.

    One row per series: the keys, measure, scale, n (points), n_derived, last_year,
    last (on the scale), drift (per year, 0 for growth rates), span (years covered),
    sigma2 (per year, on the scale; NaN where nothing can be said) and df (of the t
    quantile).
    """
    keys = [*by, "indicator_id"]
    points = points.sort_values([*keys, "year"], kind="stable")
    group = points.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
    series = points.groupby(keys, sort=False, observed=True).agg(
        measure=("measure", "first"), n=("value", "size"), n_derived=("derived", "sum"),
        last_year=("year", "last")).reset_index()
    values, years = points["value"].to_numpy(dtype=float), points["year"].to_numpy(dtype=float)
    scale = np.array([series_scale(m, v) for m, v in zip(
        series["measure"], np.split(values, np.flatnonzero(np.diff(group)) + 1))], dtype=object)
    y = np.empty_like(values)
    for name in SCALES:
        rows = scale[group] == name
        y[rows] = to_scale(values[rows], name)

    count = series["n"].to_numpy()
    same = np.r_[False, group[1:] == group[:-1]]  # the row continues the previous row's series
    steps, gaps, owner = np.diff(y, prepend=np.nan)[same], np.diff(years, prepend=np.nan)[same], group[same]
    span = np.bincount(owner, weights=gaps, minlength=len(count))
    revert = series["measure"].isin(REVERTING_MEASURES).to_numpy()
    mean = np.bincount(group, weights=y) / count
    with np.errstate(divide="ignore", invalid="ignore"):
        drift = np.where(revert, 0.0, np.bincount(owner, weights=steps, minlength=len(count)) / span)
        # Random walk: a step over g years is g x drift, variance g x sigma². Reverting: the
        # deviation from the mean shrinks by PERSISTENCE^g, variance sigma² x (1 - p^2g) / (1 - p²).
        previous = np.r_[np.nan, y[:-1]][same]
        reverting = revert[owner]
        shrink = PERSISTENCE**gaps
        residual = np.where(reverting, (y[same] - mean[owner]) - shrink * (previous - mean[owner]),
                            steps - drift[owner] * gaps)
        variance = np.where(reverting, (1 - shrink**2) / (1 - PERSISTENCE**2), gaps)
        rss = np.bincount(owner, weights=residual**2 / variance, minlength=len(count))
    own_df = np.maximum(count - 2, 0).astype(float)  # a drift or a mean costs one degree of freedom

    # The family's volatility, without the series itself (leave one out); where the family
    # has no residuals (counts of 2 points each), that of every series on the same scale.
    def others(codes: np.ndarray) -> np.ndarray:
        pooled_rss = np.bincount(codes, weights=rss)[codes] - rss
        pooled_df = np.bincount(codes, weights=own_df)[codes] - own_df
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(pooled_df > 0, pooled_rss / pooled_df, np.nan)

    prior = others(pd.Series(list(zip(series["measure"], scale))).factorize()[0])
    prior = np.where(np.isfinite(prior), prior, others(pd.Series(scale).factorize()[0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(np.isfinite(prior), PRIOR_DF, 0.0)
        sigma2 = (rss + weight * np.nan_to_num(prior)) / (own_df + weight)
    df = own_df + weight
    sigma2 = np.where((df > 0) & (count >= 2), sigma2, np.nan)
    last = y[np.r_[group[1:] != group[:-1], True]]
    return series.assign(model=np.where(revert, "revert", "drift"), scale=scale, last=last, mean=mean,
                         drift=np.where(count >= 2, drift, np.nan), span=span, sigma2=sigma2,
                         df=np.where(df > 0, df, np.nan))


def project(fitted: pd.DataFrame, ahead, level: float = 0.8) -> pd.DataFrame:
    """Centre, scale and the `level` interval `ahead` years past each series' last point.

    `ahead` is a number or an array with one value per row of `fitted`. Returns columns
    centre and spread (on the model's scale), point, lower and upper (in the unit).
    """
    ahead = np.broadcast_to(np.asarray(ahead, dtype=float), (len(fitted),))
    revert = fitted["model"].to_numpy() == "revert"
    last, mean, drift = (fitted[c].to_numpy(dtype=float) for c in ("last", "mean", "drift"))
    shrink = PERSISTENCE**ahead
    centre = np.where(revert, mean + shrink * (last - mean), last + drift * ahead)
    with np.errstate(invalid="ignore", divide="ignore"):
        # the next steps, plus the uncertainty of the estimated drift (or mean)
        steps = np.where(revert, (1 - shrink**2) / (1 - PERSISTENCE**2), ahead)
        estimate = np.where(revert, (1 - shrink) ** 2 / ((1 - PERSISTENCE) ** 2 * fitted["n"].to_numpy()),
                            ahead**2 / fitted["span"].to_numpy())
        spread = np.sqrt(fitted["sigma2"].to_numpy() * (steps + estimate))
        q = stats.t.ppf(0.5 + level / 2, fitted["df"].to_numpy())
    point, lower, upper = (np.empty(len(fitted)) for _ in range(3))
    scales = fitted["scale"].to_numpy()
    for name in SCALES:
        rows = scales == name
        point[rows] = from_scale(centre[rows], name)
        lower[rows] = from_scale(centre[rows] - q[rows] * spread[rows], name)
        upper[rows] = from_scale(centre[rows] + q[rows] * spread[rows], name)
    return pd.DataFrame({"centre": centre, "spread": spread, "point": point, "lower": lower, "upper": upper},
                        index=fitted.index)


def forecast_many(obs: pd.DataFrame, horizon: int = 1, level: float = 0.8, by: tuple[str, ...] = (),
                  derived: pd.DataFrame | None = None) -> pd.DataFrame:
    """The forecasts of every series at once, 1 to `horizon` years past each last point.

    A series is one indicator (per `by` columns too, such as `("district",)` for a
    panel). The model of `forecast()` for series under 8 points, with array operations
    (100,000 series take seconds). Series of one point get no forecast (NaN).
    Columns: the `by` columns, indicator_id, year, horizon, n_obs, n_derived, scale,
    log, point, lower, upper, level, scenario.
    """
    keys = [*by, "indicator_id"]
    fitted = fit(trend_points(obs, derived, by), by)
    rows = fitted.loc[fitted.index.repeat(horizon)].reset_index(drop=True)
    rows["horizon"] = np.tile(np.arange(1, horizon + 1), len(fitted))
    projected = project(rows, rows["horizon"], level)
    out = rows[keys].assign(year=(rows["last_year"] + rows["horizon"]).astype(int), horizon=rows["horizon"],
                            n_obs=rows["n"], n_derived=rows["n_derived"], scale=rows["scale"],
                            log=rows["scale"] == "log")
    for column in ("point", "lower", "upper"):
        out[column] = np.where(rows["n"] >= 2, projected[column], np.nan)
    out["level"] = level
    out["scenario"] = (out["n_obs"] - out["n_derived"]) < MIN_POINTS
    return out


def _holt(values: np.ndarray, horizons: np.ndarray, level: float, scale: str):
    """Holt's linear trend (ETS A,A,N) on the model's scale; returns (centre, spread)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = pd.Series(to_scale(values, scale))  # a plain integer index: no date frequency
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter: the result is checked below
        model = ETSModel(y, error="add", trend="add").fit(disp=False)
        frame = model.get_prediction(start=len(y), end=len(y) + int(horizons.max()) - 1).summary_frame(alpha=1 - level)
    centre = frame["mean"].to_numpy()[horizons - 1]
    z = stats.norm.ppf(0.5 + level / 2)
    spread = (frame["pi_upper"].to_numpy() - frame["pi_lower"].to_numpy())[horizons - 1] / (2 * z)
    return centre, spread


def forecast(
    obs: pd.DataFrame,
    indicator_id: str,
    horizon: int = 1,
    level: float = 0.8,
    derived: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Forecast one indicator `horizon` years past its last point; one row per year.

    `obs` is `load_indicators()` output: the whole panel, whose other series lend their
    volatility to a short one; `derived` (optional) adds levels derived from nominal
    growth. `point` is the median forecast, `lower` and `upper` the central `level`
    prediction interval, in the indicator's unit. Where a target exists for a forecast
    year, `p_meet` is the model's probability of meeting it. `method` is rw_drift, revert,
    holt or none; `reason` the code of what is missing (rank, no_actuals, one_point,
    two_points) or ''.
    """
    meta = obs[obs["indicator_id"] == indicator_id]
    if meta.empty:
        raise KeyError(f"unknown indicator {indicator_id!r}")
    measure, direction = meta.iloc[0]["measure"], meta.iloc[0]["direction"]
    all_points = trend_points(obs, derived)
    fitted = fit(all_points)
    mine = fitted[fitted["indicator_id"] == indicator_id]
    n = int(mine["n"].iloc[0]) if len(mine) else 0
    last = int(mine["last_year"].iloc[0]) if n else int(meta["year"].max())
    horizons = np.arange(1, horizon + 1)
    out = pd.DataFrame({"indicator_id": indicator_id, "year": last + horizons, "horizon": horizons, "n_obs": n,
                        "n_derived": int(mine["n_derived"].iloc[0]) if n else 0, "level": level,
                        "scenario": (n - (int(mine["n_derived"].iloc[0]) if n else 0)) < MIN_POINTS})
    targets = meta[meta["kind"] == "target"].set_index("year")
    out["target_value"] = out["year"].map(targets["value"]) if not targets.empty else np.nan
    out["comparator"] = out["year"].map(targets["comparator"]) if not targets.empty else None

    def without(reason: str) -> pd.DataFrame:
        return out.assign(method="none", scale="", log=False, point=np.nan, lower=np.nan, upper=np.nan, p_meet=np.nan,
                          reason=reason)[FORECAST_COLUMNS]

    if measure == "rank":
        return without("rank")
    if n == 0:
        return without("no_actuals")
    if n == 1:
        return without("one_point")
    row = mine.iloc[0]
    points = all_points[all_points["indicator_id"] == indicator_id]
    consecutive = bool((np.diff(points["year"].to_numpy()) == 1).all())
    if n >= MIN_POINTS_HOLT and consecutive:
        centre, spread = _holt(points["value"].to_numpy(dtype=float), horizons, level, row.scale)
        df, method = np.inf, "holt"
    else:
        rows = mine.loc[mine.index.repeat(horizon)].reset_index(drop=True)
        projected = project(rows, horizons, level)
        centre, spread, df = projected["centre"].to_numpy(), projected["spread"].to_numpy(), row.df
        method = "revert" if row.model == "revert" else "rw_drift"
    q = stats.t.ppf(0.5 + level / 2, df) if np.isfinite(df) else stats.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore"):
        out = out.assign(method=method, scale=row.scale, log=row.scale == "log", point=from_scale(centre, row.scale),
                         lower=from_scale(centre - q * spread, row.scale), upper=from_scale(centre + q * spread, row.scale),
                         reason="" if np.isfinite(spread).all() else "two_points")
    from .verdicts import p_hold, target_type  # the verdict rules (they read this module's thresholds)

    judged = targets.reindex(out["year"])
    out["p_meet"] = p_hold(target_type(judged["comparator"].fillna("="), judged["value"]), judged["value"],
                           judged["value_high"], np.full(len(out), direction), centre, spread,
                           np.full(len(out), df), np.full(len(out), row.scale))
    return out[FORECAST_COLUMNS]
