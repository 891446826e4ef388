"""Gap to target: each target beside its baseline and its outcome, judged by verdicts.py.

A baseline is the base-year figure that a curated link (data/links.csv) names for a
target; without a link there is no baseline, and nothing is compared. Comparisons are
made in base units (units.py), so 亿元 and 万元 compare, 亿元 and 亿美元 never do. The
rules of every verdict live in verdicts.py; this module finds the figures they judge.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from .compare import nominal_growth
from ..foundations.labels import label
from ..foundations.units import UNITS
from .verdicts import BOUNDS, bound, good_side, half_step, half_steps, is_point_like, judge, nature, target_type
from ..foundations.vocab import JUDGED, LANGS, PART_YEAR_COVERAGES, PERIOD_COVERAGES, Reason, Verdict, full_year_actuals

__all__ = ["gap_analysis"]


FACTOR = {u: info.factor for u, info in UNITS.items()}  # value in the base unit = value as printed x FACTOR[unit]
# What a panel (panel.load_panel: numbers of many districts, no quotes) lacks of the curated
# figures, and what it is taken to be: full-year figures, their printed text unknown.
PANEL_DEFAULTS = {"coverage": "full_year", "name_zh": None, "name_en": None, "theme": None, "noun_en": None,
                  "value_text": None, "value_high_text": None, "quote": None, "source": None}


def _complete(obs: pd.DataFrame) -> pd.DataFrame:
    """The figures with every column gap_analysis reads: a panel's missing ones as PANEL_DEFAULTS."""
    missing = {c: v for c, v in PANEL_DEFAULTS.items() if c not in obs.columns}
    return obs.assign(**missing) if missing else obs


def gap_analysis(
    obs: pd.DataFrame,
    base_year: int,
    target_year: int,
    links: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per target of `target_year`: baseline, change needed, outcome and verdict.

    `obs` is `load_indicators()` output (or a panel with a `district` column: then each
    district's target is compared with the same district's figures); `links` and
    `catalogue` default to the project's (a given `links` without `catalogue` derives no
    level from growth). Columns: indicator_id, names, theme, measure, unit, direction,
    target_type, nature, comparator, target_value, target_high, target_text and
    target_high_text (as printed), target_quote; base_indicator_id, base_value,
    base_text, base_unit, base_quote; change_abs (bound minus baseline, in the target's
    unit; points for rates), change_pct (in % of the baseline; levels and counts only),
    comparable, reason_zh and reason_en, below_baseline (a point target asking less than
    the baseline achieved, beyond the baseline's rounding), held_at_base (a cap or floor the baseline already holds);
    actual_value, actual_text, actual_unit, actual_quote, actual_coverage, actual_derived
    (the formula of a level carried from its printed growth, else '') and derived_growth (that
    growth as printed), half_width (the
    outcome's rounding band, in the target's unit); verdict and reason (vocab.Verdict,
    vocab.Reason), note_zh and note_en (a link's words on a figure counted differently),
    margin (beyond the bound in the good direction; for caps and floors the headroom),
    margin_pct, band_low and band_high. No value is recomputed from another except a
    level carried from its own nominal growth and the baseline (compare.nominal_growth).
    Vectorised: a panel of millions of figures takes seconds.
    """
    if links is None:
        from ..validation.load import load_catalogue, load_links

        links, catalogue = load_links(), load_catalogue() if catalogue is None else catalogue
    obs = _complete(obs)
    area = ["district"] if "district" in obs.columns else []

    targets = obs[(obs["year"] == target_year) & (obs["kind"] == "target")]
    out = pd.DataFrame({
        **{c: targets[c] for c in area},
        "indicator_id": targets["indicator_id"],
        **{c: targets[c] for c in ("name_zh", "name_en", "theme", "noun_en")},
        "measure": targets["measure"], "unit": targets["unit"], "direction": targets["direction"],
        "target_type": target_type(targets["comparator"].to_numpy(), targets["value"].to_numpy()),
        "nature": [nature(q) for q in targets["quote"]],
        "comparator": targets["comparator"], "target_value": targets["value"], "target_high": targets["value_high"],
        "target_text": targets["value_text"], "target_high_text": targets["value_high_text"],
        "target_quote": targets["quote"],
    }).reset_index(drop=True)
    types = out["target_type"].to_numpy()
    target = bound(types, out["target_value"], out["target_high"], out["direction"])

    # The baseline: the base-year actual a curated link names.
    chosen = links[(links["target_year"] == target_year) & (links["base_year"] == base_year)]
    chosen = chosen[["target_indicator", "base_indicator", "comparable", "reason_zh", "reason_en"]]
    out = out.merge(chosen, left_on="indicator_id", right_on="target_indicator", how="left").drop(columns="target_indicator")
    linked = out["base_indicator"].notna()
    out["comparable"] = linked & out["comparable"].fillna(False).astype(bool)
    for lang in LANGS:
        out[f"reason_{lang}"] = out[f"reason_{lang}"].where(linked, label("gap.no_baseline", lang, year=base_year))
    bases = full_year_actuals(obs[obs["year"] == base_year])
    bases = pd.DataFrame({
        **{c: bases[c] for c in area}, "base_indicator": bases["indicator_id"], "base_value": bases["value"],
        "base_text": bases["value_text"], "base_unit": bases["unit"], "base_quote": bases["quote"],
    })
    out = out.merge(bases, on=area + ["base_indicator"], how="left")
    out["base_indicator_id"] = out["base_indicator"].where(out["base_value"].notna())
    compared = out["comparable"] & out["base_value"].notna()
    target_factor, base_factor = out["unit"].map(FACTOR), out["base_unit"].map(FACTOR)
    change = (target * target_factor - out["base_value"] * base_factor).where(compared)
    out["change_abs"] = change / target_factor
    out["change_pct"] = (100 * change / (out["base_value"] * base_factor)).where(out["measure"].isin(["level", "count"]))
    side = good_side(types, out["direction"])
    # "Less than the year before achieved": beyond the rounding of the printed baseline (1.78 against a
    # printed 1.8, which may be 1.75-1.85, is not shown to be less).
    base_half = pd.Series(half_steps(out["base_text"], out["measure"]), index=out.index).fillna(0)
    base_half = base_half * (out["base_unit"].map(FACTOR) / target_factor).fillna(1)
    out["base_half"] = base_half.where(compared)  # the printed baseline's rounding, in the target's unit
    out["below_baseline"] = compared & is_point_like(types) & (side * out["change_abs"] < -base_half)
    out["held_at_base"] = compared & np.isin(types, BOUNDS) & (side * out["change_abs"] <= 0)
    out["report_year"] = target_year
    out = _outcomes(out, obs, target_year, links, catalogue, area)
    return out.drop(columns=["base_indicator"])


def _outcomes(out: pd.DataFrame, obs: pd.DataFrame, target_year: int, links: pd.DataFrame,
              catalogue: pd.DataFrame | None, area: list[str]) -> pd.DataFrame:
    """The target year's outcome of each target, and its verdict (see gap_analysis)."""
    # The actual: of the same indicator, or of the one a link names for that same year
    # (a later report may count a thing differently).
    same_year = links[(links["target_year"] == target_year) & (links["base_year"] == target_year)]
    same_year = same_year.rename(columns={"base_indicator": "actual_indicator", "comparable": "actual_comparable",
                                          "reason_zh": "note_zh", "reason_en": "note_en"})
    same_year = same_year[["target_indicator", "actual_indicator", "actual_comparable", "note_zh", "note_en"]]
    out = out.merge(same_year, left_on="indicator_id", right_on="target_indicator", how="left").drop(columns="target_indicator")
    out["actual_indicator"] = out["actual_indicator"].fillna(out["indicator_id"])
    # One actual per indicator: the full-year figure where there is one; a part-year or
    # period figure alone says only that it cannot be judged.
    year = obs[(obs["year"] == target_year) & (obs["kind"] == "actual")]
    actuals = year.assign(_full=year["coverage"] == "full_year").sort_values("_full", kind="stable")
    actuals = actuals.drop_duplicates(area + ["indicator_id"], keep="last")
    actuals = pd.DataFrame({
        **{c: actuals[c] for c in area}, "actual_indicator": actuals["indicator_id"], "actual_value": actuals["value"],
        "actual_text": actuals["value_text"], "actual_unit": actuals["unit"], "actual_quote": actuals["quote"],
        "actual_source": actuals["source"],
        "actual_coverage": actuals["coverage"], "actual_comparator": actuals["comparator"],
        "actual_measure": actuals["measure"],
    })
    out = out.merge(actuals, on=area + ["actual_indicator"], how="left")
    out["actual_derived"] = ""
    out["derived_growth"] = ""  # the printed growth a carried level comes from
    out["half_width"] = half_steps(out["actual_text"], out["measure"])
    out = _carried_from_growth(out, year, catalogue, area)
    # In the target's unit (亿元 against 万元), the band carried alike.
    scale = (out["actual_unit"].map(FACTOR) / out["unit"].map(FACTOR)).fillna(1.0)
    value, half = out["actual_value"] * scale, out["half_width"] * scale

    judged = judge(out["target_type"], out["comparator"], out["target_value"], out["target_high"], out["direction"],
                   value, half, half_steps(out["target_text"], out["measure"]))
    missing = out["actual_value"].isna()
    reported_through = full_year_actuals(obs)["year"].max() if len(obs) else np.nan
    other_definition = out["actual_comparable"].notna() & ~out["actual_comparable"].fillna(True).astype(bool)
    other_measure = out["actual_measure"].notna() & (out["actual_measure"] != out["measure"]) & (out["actual_derived"] == "")
    rules = [  # in order: the first that holds gives the verdict
        (missing & (target_year <= reported_through), Verdict.NO_FIGURE, Reason.NOT_FOUND),
        (missing, Verdict.NO_FIGURE, Reason.NOT_YET),
        (out["target_type"] == "qualitative", Verdict.CANNOT_ASSESS, Reason.QUALITATIVE),
        (out["actual_coverage"].isin(PART_YEAR_COVERAGES), Verdict.CANNOT_ASSESS, Reason.PART_YEAR),
        (out["actual_coverage"].isin(PERIOD_COVERAGES), Verdict.CANNOT_ASSESS, Reason.PERIOD),
        (other_measure, Verdict.CANNOT_ASSESS, Reason.OTHER_MEASURE),
        (other_definition, Verdict.NOT_COMPARABLE, Reason.OTHER_DEFINITION),
        (out["actual_comparator"] != "=", Verdict.CANNOT_ASSESS, Reason.BOUND),
    ]
    conditions = [c.to_numpy(dtype=bool) for c, _, _ in rules]
    out["verdict"] = np.select(conditions, [v for _, v, _ in rules], judged["verdict"]).astype(object)
    out["reason"] = np.select(conditions, [r for _, _, r in rules], judged["reason"]).astype(object)
    for lang in LANGS:  # only a figure counted differently carries a curated note
        out[f"note_{lang}"] = out[f"note_{lang}"].where(out["verdict"] == Verdict.NOT_COMPARABLE, "").fillna("")
    known = out["verdict"].isin(JUDGED)
    for column in ("margin", "band_low", "band_high"):
        out[column] = judged[column].where(known)
    out["half_width"] = half.where(known)
    out["margin_pct"] = (100 * out["margin"] / pd.Series(bound(out["target_type"], out["target_value"], out["target_high"],
                                                                 out["direction"])).replace(0, np.nan)).where(known)
    return out.drop(columns=["actual_indicator", "actual_comparable", "actual_comparator", "actual_measure"])


def _carried_from_growth(out: pd.DataFrame, year: pd.DataFrame, catalogue: pd.DataFrame | None,
                         area: list[str]) -> pd.DataFrame:
    """A level target without a printed level of its year: the level its printed nominal growth gives.

    level = baseline x (1 + growth / 100), and the band of the growth's last printed digit
    carried through (the baseline taken as printed). Only where the catalogue pairs the
    growth with the level (growth_of), the growth is nominal (compare.nominal_growth: not
    at comparable prices), and the baseline is the same indicator's comparable figure.
    """
    if catalogue is None or "growth_of" not in catalogue.columns:
        return out
    pairs = catalogue.dropna(subset=["growth_of"]).set_index("growth_of")["indicator_id"]
    growth = full_year_actuals(year)
    growth = growth[growth["indicator_id"].isin(pairs.to_numpy())]
    growth = pd.DataFrame({**{c: growth[c] for c in area}, "indicator_id": growth["indicator_id"].map(
        {g: lvl for lvl, g in pairs.items()}), "_g": growth["value"], "_g_text": growth["value_text"],
        "_g_quote": growth["quote"], "_g_source": growth["source"], "_g_measure": growth["measure"]})
    merged = out.merge(growth, on=area + ["indicator_id"], how="left")
    can = (merged["measure"] == "level") & merged["_g"].notna() & merged["comparable"] & merged["base_value"].notna() \
        & (merged["base_indicator"] == merged["indicator_id"]) & merged["name_zh"].map(
            lambda n: isinstance(n, str) and nominal_growth(n)) \
        & (merged["actual_value"].isna() | (merged["actual_measure"] != "level"))
    if not can.any():
        return out
    g_half = merged["_g_text"].map(half_step)
    base = merged["base_value"]
    merged.loc[can, "actual_value"] = base * (1 + merged["_g"] / 100)
    merged.loc[can, "half_width"] = base * g_half / 100
    merged.loc[can, "actual_unit"] = merged["base_unit"]
    merged.loc[can, "actual_text"] = merged["actual_value"].map(lambda v: f"{v:.2f}")
    merged.loc[can, "actual_quote"] = merged["_g_quote"]
    merged.loc[can, "actual_source"] = merged["_g_source"]
    merged.loc[can, "actual_coverage"] = "full_year"
    merged.loc[can, "actual_comparator"] = "="
    merged.loc[can, "actual_measure"] = "level"
    merged.loc[can, "actual_comparable"] = np.nan  # a derivation of the same indicator, not another count
    merged.loc[can, "actual_derived"] = [f"{b} × (1 + {g}%)" for b, g in zip(merged.loc[can, "base_text"],
                                                                              merged.loc[can, "_g_text"])]
    merged.loc[can, "derived_growth"] = merged.loc[can, "_g_text"]
    return merged.drop(columns=["_g", "_g_text", "_g_quote", "_g_source", "_g_measure"])
