"""Gap to target: how far each target is from its baseline, and whether it was met.

A baseline is the base-year figure that a curated link (data/links.csv) names for a
target; without a link there is no baseline, and nothing is compared. Comparisons are
made in base units (units.py), so 亿元 and 万元 compare, 亿元 and 亿美元 never do.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .labels import label
from .units import UNITS
from .vocab import COMPARATOR_CODES, JUDGED, LANGS, STATUSES, full_year_actuals

__all__ = ["DEFAULT_TOLERANCE", "STATUSES", "attainment", "attainment_many", "gap_analysis", "target_bound"]
DEFAULT_TOLERANCE = 0.05  # for '~' (左右) targets: ±5% of the target value


def target_bound(comparator, value, value_high, direction):
    """The value a target asks for: the bound on the side the direction cares about.

    A range 4至6 of a higher-is-better indicator asks for at least 4; of a
    lower-is-better one, at most 6. Works on single values and on arrays alike.
    """
    upper_end = (np.asarray(comparator, dtype=object) == "range") & (np.asarray(direction, dtype=object) == "lower")
    return np.where(upper_end, value_high, value)


def attainment_many(
    actual: np.ndarray,
    comparator: np.ndarray,
    value: np.ndarray,
    value_high: np.ndarray,
    direction: np.ndarray,
    tolerance: float = DEFAULT_TOLERANCE,
) -> tuple[np.ndarray, np.ndarray]:
    """Judge actuals against targets, element by element; return (status, margin).

    `margin` is actual minus the bound, in the target's unit (positive = above).
    - '>=', '>', '<=', '<': the bound as written ('>' needs more than the value).
    - '=' (a plain target such as 增长6%): met when the actual is at least the value
      (at most, for a lower-is-better indicator).
    - 'range' (4至6): met inside the range and beyond it in the good direction.
    - '~' (左右): 'within tolerance' when |actual - value| <= tolerance x |value|,
      met beyond that in the good direction, else missed.
    """
    actual, value = np.asarray(actual, dtype=float), np.asarray(value, dtype=float)
    high = np.where(np.isnan(np.asarray(value_high, dtype=float)), value, value_high)
    comparator, higher = np.asarray(comparator, dtype=object), np.asarray(direction, dtype=object) == "higher"
    bound = target_bound(comparator, value, high, direction)
    unknown = set(np.unique(comparator)) - set(COMPARATOR_CODES)
    if unknown:
        raise ValueError(f"unknown comparator(s) {sorted(unknown)}")
    good_side = np.where(higher, actual >= bound, actual <= bound)
    met = np.select(
        [comparator == ">=", comparator == ">", comparator == "<=", comparator == "<", comparator == "~"],
        [actual >= value, actual > value, actual <= value, actual < value,
         np.where(higher, actual > value, actual < value)],
        default=good_side,
    )
    within = (comparator == "~") & (np.abs(actual - value) <= tolerance * np.abs(value))
    status = np.where(within, "within tolerance", np.where(met, "met", "missed")).astype(object)
    return status, actual - bound


def attainment(
    actual: float,
    comparator: str,
    value: float,
    value_high: float | None,
    direction: str,
    tolerance: float = DEFAULT_TOLERANCE,
) -> tuple[str, float]:
    """Judge one actual against one target; see attainment_many for the rules."""
    status, margin = attainment_many(
        np.array([actual]), np.array([comparator], dtype=object), np.array([value]),
        np.array([np.nan if value_high is None else value_high]), np.array([direction], dtype=object), tolerance,
    )
    return str(status[0]), float(margin[0])


def _full_year(obs: pd.DataFrame) -> pd.Series:
    """True for full-year figures; frames without coverage (synthetic panels) are all full-year."""
    return obs["coverage"].eq("full_year") if "coverage" in obs.columns else pd.Series(True, index=obs.index)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or missing values where the frame (a synthetic panel) has none."""
    return frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)


def gap_analysis(
    obs: pd.DataFrame,
    base_year: int,
    target_year: int,
    links: pd.DataFrame | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> pd.DataFrame:
    """One row per target of `target_year`: baseline, change needed, and attainment.

    `obs` is `load_indicators()` output (or a panel with a `district` column: then each
    district's target is compared with the same district's figures); `links` defaults
    to `load_links()`. Columns: indicator_id, names, theme, measure, unit, direction,
    comparator, target_value, target_high, target_text and target_high_text (as
    printed), target_quote; base_indicator_id, base_value, base_text, base_unit,
    base_quote; change_abs (bound minus baseline, in the target's unit; percentage
    points for rates), change_pct (in % of the baseline; levels and counts only),
    comparable, reason_zh and reason_en, below_baseline (the target asks for less than
    the baseline already achieved); actual_value, actual_text, actual_unit, actual_quote, attainment
    (see vocab.STATUSES) with attainment_note_zh and attainment_note_en, margin (actual minus bound) and margin_pct.
    No value is recomputed from another: growth rates are compared with growth rates,
    levels with levels. Vectorised: a panel of millions of figures takes seconds.
    """
    if links is None:
        from .load import load_links

        links = load_links()
    area = ["district"] if "district" in obs.columns else []
    factor = {u: info.factor for u, info in UNITS.items()}

    targets = obs[(obs["year"] == target_year) & (obs["kind"] == "target")]
    out = pd.DataFrame({
        **{c: targets[c] for c in area},
        "indicator_id": targets["indicator_id"],
        **{c: _column(targets, c) for c in ("name_zh", "name_en", "theme", "noun_en")},
        "measure": targets["measure"], "unit": targets["unit"], "direction": targets["direction"],
        "comparator": targets["comparator"], "target_value": targets["value"], "target_high": targets["value_high"],
        "target_text": _column(targets, "value_text"), "target_high_text": _column(targets, "value_high_text"),
        "target_quote": _column(targets, "quote"),
    }).reset_index(drop=True)
    higher = out["direction"] == "higher"
    bound = target_bound(out["comparator"], out["target_value"], out["target_high"], out["direction"])

    # The baseline: the base-year actual a curated link names.
    chosen = links[(links["target_year"] == target_year) & (links["base_year"] == base_year)]
    chosen = chosen[["target_indicator", "base_indicator", "comparable", "reason_zh", "reason_en"]]
    out = out.merge(chosen, left_on="indicator_id", right_on="target_indicator", how="left").drop(columns="target_indicator")
    linked = out["base_indicator"].notna()
    out["comparable"] = linked & out["comparable"].fillna(False).astype(bool)
    for lang in LANGS:
        out[f"reason_{lang}"] = out[f"reason_{lang}"].where(linked, label("gap.no_baseline", lang, year=base_year))
    bases = obs[(obs["year"] == base_year) & (obs["kind"] == "actual") & _full_year(obs)]
    bases = pd.DataFrame({
        **{c: bases[c] for c in area}, "base_indicator": bases["indicator_id"], "base_value": bases["value"],
        "base_text": _column(bases, "value_text"), "base_unit": bases["unit"], "base_quote": _column(bases, "quote"),
    })
    out = out.merge(bases, on=area + ["base_indicator"], how="left")
    out["base_indicator_id"] = out["base_indicator"].where(out["base_value"].notna())
    compared = out["comparable"] & out["base_value"].notna()
    target_factor, base_factor = out["unit"].map(factor), out["base_unit"].map(factor)
    change = (bound * target_factor - out["base_value"] * base_factor).where(compared)
    out["change_abs"] = change / target_factor
    out["change_pct"] = (100 * change / (out["base_value"] * base_factor)).where(out["measure"].isin(["level", "count"]))
    out["below_baseline"] = compared & np.where(higher, out["change_abs"] < 0, out["change_abs"] > 0)

    # Attainment: the target year's actual, of the same indicator or of the one a link
    # names for that same year (a later report may count a thing differently).
    same_year = links[(links["target_year"] == target_year) & (links["base_year"] == target_year)]
    same_year = same_year.rename(columns={"base_indicator": "actual_indicator", "comparable": "actual_comparable",
                                          "reason_zh": "actual_reason_zh", "reason_en": "actual_reason_en"})
    same_year = same_year[["target_indicator", "actual_indicator", "actual_comparable", "actual_reason_zh", "actual_reason_en"]]
    out = out.merge(same_year, left_on="indicator_id", right_on="target_indicator", how="left").drop(columns="target_indicator")
    out["actual_indicator"] = out["actual_indicator"].fillna(out["indicator_id"])
    # One actual per indicator: the full-year figure where there is one; a part-year or
    # period figure alone only says that no full-year outcome is known yet.
    actuals = obs[(obs["year"] == target_year) & (obs["kind"] == "actual")]
    actuals = actuals.assign(_full=_full_year(actuals)).sort_values("_full", kind="stable")
    actuals = actuals.drop_duplicates(area + ["indicator_id"], keep="last")
    actuals = pd.DataFrame({
        **{c: actuals[c] for c in area}, "actual_indicator": actuals["indicator_id"], "actual_value": actuals["value"],
        "actual_text": _column(actuals, "value_text"), "actual_unit": actuals["unit"], "actual_quote": _column(actuals, "quote"),
        "actual_coverage": _column(actuals, "coverage").fillna("full_year"), "actual_comparator": actuals["comparator"],
    })
    out = out.merge(actuals, on=area + ["actual_indicator"], how="left")
    status, margin = attainment_many(out["actual_value"].to_numpy(), out["comparator"].to_numpy(), out["target_value"].to_numpy(),
                                     out["target_high"].to_numpy(), out["direction"].to_numpy(), tolerance)
    missing = out["actual_value"].isna()
    reported_through = full_year_actuals(obs)["year"].max() if len(obs) else np.nan
    unreported = missing & (target_year <= reported_through)
    not_comparable_link = out["actual_comparable"].notna() & ~out["actual_comparable"].fillna(True).astype(bool)
    partial = out["actual_coverage"] != "full_year"
    printed_bound = out["actual_comparator"] != "="
    out["attainment"] = np.select([unreported, missing, not_comparable_link, partial, printed_bound],
                                  ["not reported", "pending", "not comparable", "pending", "not comparable"], default=status)
    bound_text = out["actual_comparator"].astype(object).fillna("") + " " + out["actual_text"].astype(object).fillna("")
    for lang in LANGS:
        out[f"attainment_note_{lang}"] = np.select(
            [unreported, missing, not_comparable_link, partial, printed_bound],
            [label("gap.not_reported", lang, year=target_year), label("gap.no_actual", lang, year=target_year),
             out[f"actual_reason_{lang}"].fillna(""),
             label("gap.partial_actual", lang), label("gap.actual_as_bound", lang) + bound_text],
            default=out[f"actual_reason_{lang}"].fillna(""),  # a judged verdict carries its link's reason
        )
    judged = out["attainment"].isin(JUDGED)
    out["margin"] = pd.Series(margin).where(judged)
    out["margin_pct"] = (100 * out["margin"] / pd.Series(bound).replace(0, np.nan)).where(judged)
    return out.drop(columns=["base_indicator", "actual_indicator", "actual_comparable", "actual_reason_zh",
                             "actual_reason_en", "actual_coverage", "actual_comparator"])
