"""Gap to target: how far each target is from its baseline, and whether it was met.

A baseline is the base-year figure that a curated link (data/links.csv) names for a
target; without a link there is no baseline, and nothing is compared. Comparisons are
made in base units (units.py), so 亿元 and 万元 compare, 亿元 and 亿美元 never do.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .units import unit_info

STATUSES = ("met", "missed", "within tolerance", "pending", "not comparable")
DEFAULT_TOLERANCE = 0.05  # for '~' (左右) targets: ±5% of the target value


def target_bound(comparator: str, value: float, value_high: float, direction: str) -> float:
    """The value a target asks for: the bound on the side the direction cares about.

    A range 4至6 of a higher-is-better indicator asks for at least 4; of a
    lower-is-better one, at most 6.
    """
    if comparator == "range" and direction == "lower":
        return value_high
    return value


def attainment(
    actual: float,
    comparator: str,
    value: float,
    value_high: float | None,
    direction: str,
    tolerance: float = DEFAULT_TOLERANCE,
) -> tuple[str, float]:
    """Judge an actual against a target; return (status, margin).

    `margin` is actual minus the bound, in the target's unit (positive = above).
    - '>=', '>', '<=', '<': the bound as written ('>' needs more than the value).
    - '=' (a plain target such as 增长6%): met when the actual is at least the value
      (at most, for a lower-is-better indicator).
    - 'range' (4至6): met inside the range and beyond it in the good direction.
    - '~' (左右): 'within tolerance' when |actual - value| <= tolerance x |value|,
      met beyond that in the good direction, else missed.
    """
    high = value_high if value_high is not None and not math.isnan(value_high) else value
    bound = target_bound(comparator, value, high, direction)
    margin = actual - bound
    if comparator == ">=":
        met = actual >= value
    elif comparator == ">":
        met = actual > value
    elif comparator == "<=":
        met = actual <= value
    elif comparator == "<":
        met = actual < value
    elif comparator in ("=", "range"):
        met = actual >= bound if direction == "higher" else actual <= bound
    elif comparator == "~":
        if abs(actual - value) <= tolerance * abs(value):
            return "within tolerance", margin
        met = actual > value if direction == "higher" else actual < value
    else:
        raise ValueError(f"unknown comparator {comparator!r}")
    return ("met" if met else "missed"), margin


def _one(frame: pd.DataFrame, indicator_id: str, year: int, kind: str) -> pd.Series | None:
    rows = frame[(frame["indicator_id"] == indicator_id) & (frame["year"] == year) & (frame["kind"] == kind)]
    return None if rows.empty else rows.iloc[0]


def gap_analysis(
    obs: pd.DataFrame,
    base_year: int,
    target_year: int,
    links: pd.DataFrame | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> pd.DataFrame:
    """One row per target of `target_year`: baseline, change needed, and attainment.

    `obs` is `load_indicators()` output; `links` defaults to `load_links()`.
    Columns: indicator_id, names, theme, measure, unit, direction, comparator,
    target_value, target_high, target_text and target_high_text (as printed),
    target_quote; base_indicator_id, base_value, base_text, base_unit, base_quote; change_abs (bound minus baseline, in the target's unit; percentage
    points for rates), change_pct (in % of the baseline; for levels and counts only),
    comparable, reason and reason_zh, below_baseline (the target asks for less than the baseline
    already achieved); actual_value, actual_quote, attainment (see STATUSES), margin
    (actual minus bound) and margin_pct; actual_text is the actual as printed. No value is recomputed from another: growth
    rates are compared with growth rates, levels with levels.
    """
    if links is None:
        from .load import load_links

        links = load_links()
    links = links.set_index(["target_indicator", "target_year", "base_year"])
    targets = obs[(obs["year"] == target_year) & (obs["kind"] == "target")]
    rows = []
    for t in targets.itertuples():
        row = {
            "indicator_id": t.indicator_id, "name_zh": t.name_zh, "name_en": t.name_en, "theme": t.theme,
            "measure": t.measure, "unit": t.unit, "direction": t.direction, "comparator": t.comparator,
            "target_value": t.value, "target_high": t.value_high, "target_text": t.value_text,
            "target_high_text": t.value_high_text, "target_quote": t.quote,
            "base_indicator_id": None, "base_value": np.nan, "base_text": None, "base_unit": None, "base_quote": None,
            "change_abs": np.nan, "change_pct": np.nan, "comparable": False, "below_baseline": False,
        }
        bound = target_bound(t.comparator, t.value, t.value_high, t.direction)
        key = (t.indicator_id, target_year, base_year)
        base = None
        if key in links.index:
            link = links.loc[key]
            base = _one(obs, link.base_indicator, base_year, "actual")
            row.update(comparable=bool(link.comparable), reason=link.reason, reason_zh=link.reason_zh)
        else:
            row.update(
                reason=f"no {base_year} figure in the report is a baseline for this target",
                reason_zh=f"报告中没有可作为该目标基数的{base_year}年数字",
            )
        if base is not None:
            row.update(base_indicator_id=base.indicator_id, base_value=base.value, base_text=base.value_text,
                       base_unit=base.unit, base_quote=base.quote)
        if base is not None and row["comparable"]:
            target_unit, base_unit = unit_info(t.unit), unit_info(base.unit)
            change_base = bound * target_unit.factor - base.value * base_unit.factor
            row["change_abs"] = change_base / target_unit.factor
            if t.measure in ("level", "count"):
                row["change_pct"] = 100 * change_base / (base.value * base_unit.factor)
            eased = row["change_abs"] < 0 if t.direction == "higher" else row["change_abs"] > 0
            row["below_baseline"] = bool(eased)
        row.update(_judge(obs, t, target_year, links, tolerance))
        rows.append(row)
    return pd.DataFrame(rows)


def _judge(obs: pd.DataFrame, target, year: int, links: pd.DataFrame, tolerance: float) -> dict:
    """The attainment of one target against the actual of its year.

    The actual is that of the same indicator, or of the indicator a curated link names
    for the target's own year (a later report may count a thing differently).
    """
    empty = {"actual_value": np.nan, "actual_text": None, "actual_quote": None, "margin": np.nan, "margin_pct": np.nan}
    key = (target.indicator_id, year, year)
    if key in links.index:
        link = links.loc[key]
        actual = _one(obs, link.base_indicator, year, "actual")
        if actual is not None and not link.comparable:
            return {**empty, "actual_value": actual.value, "actual_text": actual.value_text, "actual_quote": actual.quote,
                    "attainment": "not comparable", "attainment_note": link.reason}
    else:
        actual = _one(obs, target.indicator_id, year, "actual")
    if actual is None:
        return {**empty, "attainment": "pending", "attainment_note": f"no {year} actual in the data yet"}
    if actual.coverage != "full_year":
        return {**empty, "actual_value": actual.value, "actual_text": actual.value_text, "actual_quote": actual.quote, "attainment": "pending",
                "attainment_note": "only a partial-year actual so far"}
    if actual.comparator != "=":
        return {**empty, "actual_value": actual.value, "actual_text": actual.value_text, "actual_quote": actual.quote, "attainment": "not comparable",
                "attainment_note": f"the actual is printed as a bound ({actual.comparator} {actual.value_text})"}
    status, margin = attainment(actual.value, target.comparator, target.value, target.value_high, target.direction, tolerance)
    bound = target_bound(target.comparator, target.value, target.value_high, target.direction)
    return {
        "actual_value": actual.value, "actual_text": actual.value_text, "actual_quote": actual.quote, "attainment": status,
        "attainment_note": "", "margin": margin, "margin_pct": 100 * margin / bound if bound else np.nan,
    }
