"""The trend against the targets, and the trend against the past (a rolling-origin backtest).

    python -m zhenhai_analysis.analysis.trend [--data-dir DIR]     (make backtest) prints both for the curated data,
    and the count of each trend label with how its targets turned out (label_outcomes)

- `targets_against_trend`: for every target of a year Y, the change it requires from its
  baseline, the trend's projection for Y from the data up to Y-1 (what the target-setters
  knew) with its 80% interval, the label verdicts.trend_label gives (stretch, within,
  modest; likely held or at risk for a cap or floor; or too few points, trend too
  uncertain), and where the outcome is known, which was closer.
- `backtest`: every series, every cut-off with >= 2 earlier points, forecasting the next
  observed (printed) year from what was published by the cut-off, against two naive
  baselines: the last value, and the last value moved on by its last annual change
  (× (1 + last growth) for amounts; + the last change in points for rates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .forecasting import MIN_POINTS, fit, project, trend_points
from .verdicts import p_hold, trend_label
from ..foundations.vocab import AMOUNT_MEASURES, JUDGED, LABELLED, Position, full_year_actuals

KINDS = {"level": "amounts", "count": "amounts", "growth": "growth rates", "share": "shares"}


def change_from_base(rows: pd.DataFrame, value: pd.Series) -> pd.Series:
    """`value` as a change from each row's baseline (`base_value`): % for amounts, points for rates."""
    amounts = rows["measure"].isin(AMOUNT_MEASURES)
    return ((value / rows["base_value"] - 1) * 100).where(amounts, value - rows["base_value"])


def targets_against_trend(obs: pd.DataFrame, gaps: pd.DataFrame, derived: pd.DataFrame | None,
                          report_year: int, level: float = 0.8) -> pd.DataFrame:
    """One row per target of `report_year` (gaps: gap_analysis output for that year).

    Columns added to the gap rows: trend_point, trend_lower, trend_upper (the trend's
    projection for the year from the data up to the year before, what the target-setters
    knew, with its `level` interval), trend_n (points, derived levels included), points
    (printed actuals, estimates included: what a label needs), required (the change the
    target asks of its baseline: % for amounts, points for rates), p_hold (the trend's
    probability that the target is met or its cap or floor held), position
    (verdicts.trend_label: a label, or why there is none), ambition (the target's
    distance from the trend in interval half-widths, positive = more ambitious), closer
    (target, trend, tie or ''; where the outcome is known).
    """
    known = trend_points(obs, derived)
    fitted = fit(known[known["known_in"] <= report_year - 1]).set_index("indicator_id")
    fitted = fitted[fitted["n"] >= 2]
    out = gaps.copy()
    mine = fitted.reindex(out["indicator_id"])
    mine["last_year"] = mine["last_year"].fillna(report_year - 1)
    rows = mine.reset_index(drop=True).fillna({"scale": "points", "model": "drift"})
    projected = project(rows, (report_year - mine["last_year"]).to_numpy(), level)
    out["trend_point"], out["trend_lower"], out["trend_upper"] = (
        projected["point"].to_numpy(), projected["lower"].to_numpy(), projected["upper"].to_numpy())
    out["trend_n"] = mine["n"].fillna(0).astype(int).to_numpy()
    printed = full_year_actuals(obs)
    printed = printed[(printed["year"] <= report_year - 1) & (printed["measure"] != "rank")]
    before = printed.sort_values("year").groupby("indicator_id")["value"]
    out["points"] = out["indicator_id"].map(before.size()).fillna(0).astype(int)
    last_actual = out["indicator_id"].map(before.last())
    out["required"] = change_from_base(out, out["target_value"])
    args = (out["target_type"], out["target_value"], out["target_high"], out["direction"])
    out["p_hold"] = p_hold(*args, projected["centre"].to_numpy(), projected["spread"].to_numpy(),
                           rows["df"].to_numpy(dtype=float), rows["scale"].to_numpy())
    out["position"] = trend_label(out["target_type"], out["points"], out["trend_lower"], out["trend_upper"],
                                  out["target_value"], out["target_high"], out["direction"], last_actual, out["p_hold"])
    sign = np.where(out["direction"] == "lower", -1.0, 1.0)
    half_width = (out["trend_upper"] - out["trend_lower"]) / 2
    out["ambition"] = sign * (out["target_value"] - out["trend_point"]) / half_width.where(half_width > 0)
    known_outcome = (out["verdict"].isin(JUDGED) & out["trend_point"].notna() & out["comparator"].ne("range"))
    target_error = (out["actual_value"] - out["target_value"]).abs()
    trend_error = (out["actual_value"] - out["trend_point"]).abs()
    out["closer"] = np.select([~known_outcome, target_error < trend_error, trend_error < target_error],
                              ["", "target", "trend"], "tie")
    return out.sort_values("ambition", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def forecast_to_show(forecast: pd.DataFrame, against: pd.DataFrame, report_year: int) -> pd.DataFrame | None:
    """The forecast an indicator page shows, or None when it would only repeat, with another
    interval, the year that the trend judging its target already covers.

    `forecast`: forecasting.forecast of the indicator; `against`: its targets_against_trend rows.
    The judging trend uses what was known the year before (its family's volatility then), the
    forecast all the data: two intervals for one year would contradict each other on the page.
    """
    judged = len(against) and against["trend_point"].notna().any()
    if judged and (forecast["year"] <= report_year).all() and forecast["point"].notna().any():
        return None
    return forecast


def _naive(history: pd.DataFrame, ahead: float) -> tuple[float, float]:
    """Last value; last value moved on by its last annual change (compound for amounts)."""
    values, years = history["value"].to_numpy(dtype=float), history["year"].to_numpy(dtype=float)
    last, previous, gap = values[-1], values[-2], years[-1] - years[-2]
    if history["measure"].iloc[0] in AMOUNT_MEASURES and last > 0 and previous > 0:
        return last, last * (last / previous) ** (ahead / gap)
    return last, last + (last - previous) / gap * ahead


def backtest(obs: pd.DataFrame, derived: pd.DataFrame | None = None, level: float = 0.8) -> pd.DataFrame:
    """One row per forecast of the rolling-origin backtest (see the module docstring).

    Columns: indicator_id, measure, kind (amounts, growth rates, shares), cutoff, year,
    n (points at the cut-off), actual, point, lower, upper, covered (NaN without an
    interval), error, naive_last, naive_growth (errors: % of the actual for amounts,
    points otherwise).
    """
    points = trend_points(obs, derived)
    printed = points[~points["derived"]]
    rows = []
    for cutoff in sorted(points["known_in"].unique()):
        upto = points[points["known_in"] <= cutoff]
        fitted = fit(upto).set_index("indicator_id")
        nexts = printed[printed["year"] > cutoff].groupby("indicator_id").first()
        for indicator, following in nexts.iterrows():
            if indicator not in fitted.index or fitted.loc[indicator, "n"] < 2:
                continue
            history = upto[upto["indicator_id"] == indicator]
            if history["year"].max() != cutoff:  # forecast from each point of the series' own, once
                continue
            series = fitted.loc[[indicator]]
            ahead = following["year"] - series["last_year"].iloc[0]
            projected = project(series.reset_index(), ahead, level).iloc[0]
            last, moved = _naive(history, ahead)
            rows.append({"indicator_id": indicator, "measure": following["measure"],
                         "kind": KINDS[following["measure"]], "cutoff": int(cutoff), "year": int(following["year"]),
                         "n": int(series["n"].iloc[0]), "actual": following["value"], "point": projected["point"],
                         "lower": projected["lower"], "upper": projected["upper"], "naive_last_point": last,
                         "naive_growth_point": moved})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    percent = out["kind"] == "amounts"

    def error(point: pd.Series) -> pd.Series:
        gap = (point - out["actual"]).abs()
        return gap.where(~percent, gap / out["actual"].abs() * 100)

    out["error"], out["naive_last"], out["naive_growth"] = (
        error(out["point"]), error(out["naive_last_point"]), error(out["naive_growth_point"]))
    out["covered"] = np.where(out["lower"].notna(), (out["lower"] <= out["actual"]) & (out["actual"] <= out["upper"]),
                              np.nan)
    return out


def _one(frame: pd.DataFrame) -> dict:
    intervals = frame["covered"].dropna()
    return {"forecasts": len(frame), "with interval": len(intervals),
            "coverage %": 100 * intervals.mean() if len(intervals) else np.nan,
            "median error": frame["error"].median(), "last value": frame["naive_last"].median(),
            "last change": frame["naive_growth"].median()}


def summary(results: pd.DataFrame) -> pd.DataFrame:
    """Coverage of the intervals and median errors of the model and the two naive baselines.

    One row per series kind (errors in % for amounts, points for rates), per kind and
    number of points at the cut-off (2, 3, 4, 5+), and over all series (coverage only:
    errors in different units are not pooled).
    """
    points = results["n"].clip(upper=5).map(lambda n: "5+" if n == 5 else str(n))
    rows = {(kind, "all"): _one(frame) for kind, frame in results.groupby("kind")}
    rows |= {(kind, n): _one(frame) for (kind, n), frame in results.groupby([results["kind"], points])}
    overall = _one(results)
    rows[("all series", "all")] = {**overall, "median error": np.nan, "last value": np.nan, "last change": np.nan}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["kind", "points"])
    return table.sort_index()


def label_outcomes(rows: pd.DataFrame) -> pd.DataFrame:
    """How the targets of each trend label turned out: one row per label (vocab.Position), with n
    (targets), known (with a judged outcome) and the count of each judged verdict."""
    known = rows[rows["verdict"].isin(JUDGED)]
    table = pd.crosstab(known["position"], known["verdict"]).reindex(index=list(Position), columns=list(JUDGED),
                                                                    fill_value=0)
    table.insert(0, "known", table.sum(axis=1))
    table.insert(0, "n", rows["position"].value_counts().reindex(list(Position), fill_value=0))
    table.index, table.columns = [str(p) for p in table.index], [str(c) for c in table.columns]
    return table


def _print_labels(obs: pd.DataFrame, links: pd.DataFrame, catalogue: pd.DataFrame, derived: pd.DataFrame,
                  year: int) -> None:
    """The report years' targets against the trend, and how each label's targets turned out."""
    from .briefing import build_briefing

    years = sorted(int(y) for y in obs.loc[obs["kind"] == "target", "year"].unique() if y <= year)
    rows = pd.concat([build_briefing(obs, links, catalogue, y, y - 1).rows for y in years], ignore_index=True)
    print(f"Trend labels of the targets of {', '.join(map(str, years))} (the trend of the data up to the year before; "
          f"a label needs {MIN_POINTS} printed points and an interval narrower than the step):")
    table = label_outcomes(rows)
    print(table.to_string())
    labelled = rows[rows["position"].isin(LABELLED) & rows["verdict"].isin(JUDGED)]
    print(f"Labelled targets with a known outcome: n = {len(labelled)}. "
          + ("Too few to say whether the labels foretell outcomes: no calibration is claimed."
             if len(labelled) < 30 else "Compare each label's share met with the others'."))
    shown = rows[rows["trend_point"].notna()]
    columns = ["report_year", "indicator_id", "target_type", "unit", "base_value", "target_value", "trend_lower",
               "trend_upper", "points", "p_hold", "position", "actual_value", "verdict"]
    print(f"\nTargets whose indicator has a trend ({len(shown)} of {len(rows)}):")
    print(shown[columns].round(3).to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .compare import implied_previous_levels
    from ..foundations.exceptions import DataValidationError
    from ..validation.load import load_catalogue, load_indicators, load_links

    parser = argparse.ArgumentParser(description="Rolling-origin backtest of the trend model, and the "
                                                 "targets of a year against the trend.")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--year", type=int, default=2020, help="the report year whose targets are set against the trend")
    args = parser.parse_args(argv)
    try:
        obs = load_indicators(args.data_dir)
        derived = implied_previous_levels(obs, load_catalogue(args.data_dir))
        links = load_links(args.data_dir)
    except DataValidationError as exc:
        print(f"FAILED: {exc}")
        return 1
    results = backtest(obs, derived)
    table = summary(results)
    pd.set_option("display.width", 200)
    print(f"Rolling-origin backtest: {len(results)} forecasts of {results['indicator_id'].nunique()} series "
          "(each forecasts the next printed year from what was published by its cut-off).")
    print("Errors: median absolute error, % of the actual for amounts, percentage points for growth rates and shares.")
    print(table.round(2).to_string())
    coverage = table.loc[("all series", "all"), "coverage %"]
    intervals = table.loc[("all series", "all"), "with interval"]
    sampling = 100 * np.sqrt(0.8 * 0.2 / intervals) if intervals else np.nan
    print(f"\nGoal: 80% intervals cover 70-90%: {coverage:.1f}% of {int(intervals)} "
          f"(sampling error about ±{sampling:.0f} points): {'met' if 70 <= coverage <= 90 else 'missed'}")
    for kind in ("amounts", "growth rates"):
        if (kind, "all") in table.index:
            row = table.loc[(kind, "all")]
            better = min(row["last value"], row["last change"])
            print(f"Goal: median error no worse than the better naive baseline, {kind}: {row['median error']:.2f} "
                  f"against {better:.2f}: {'met' if row['median error'] <= better + 1e-9 else 'missed'}")
    print()
    _print_labels(obs, links, load_catalogue(args.data_dir), derived, args.year)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
