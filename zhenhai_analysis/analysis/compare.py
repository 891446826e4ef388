"""Year-over-year figures that the report implies but does not print.

Derived figures are marked `status = "derived"` with the formula that produced them;
they are never mixed into the printed figures of `load_indicators()`.
"""

from __future__ import annotations

import pandas as pd

from ..foundations.vocab import full_year_actuals

DERIVED_COLUMNS = [
    "indicator_id", "name_zh", "name_en", "theme", "measure", "year", "kind", "status",
    "value", "unit", "formula", "derived_from", "note", "nominal", "carried", "quote", "source",
    "level_text", "growth_text",  # the printed level and growth it comes from
]
# Official growth of GDP and of value added is at comparable prices (可比价): a level derived
# from it is not the earlier year's printed (nominal) level. Other growth rates (revenue,
# exports, investment, sales, income) are nominal unless the data say otherwise.
COMPARABLE_PRICE_WORDS = ("生产总值", "增加值")


def nominal_growth(level_name_zh: str) -> bool:
    """Whether the official growth of this level is nominal (so an earlier level may be derived from it)."""
    return not any(word in level_name_zh for word in COMPARABLE_PRICE_WORDS)


def implied_previous_levels(obs: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The previous year's level implied by a level and its growth rate.

    出口 231.6亿元 in 2019 at nominal growth g implies 231.6 / (1 + g) for 2018: the
    earlier level itself (`nominal` True), which a trend may use where nothing is
    printed. 规上工业增加值 652亿元 at +7.8% (comparable prices) implies 604.8亿元 at
    2019's prices, an approximation of the printed 2018 level, for charts only
    (`nominal` False). Pairs come from the catalogue's `growth_of`.
    """
    pairs = catalogue.dropna(subset=["growth_of"])[["indicator_id", "growth_of"]].reset_index(drop=True)
    pairs = pairs.rename(columns={"indicator_id": "growth_id", "growth_of": "level_id"}).rename_axis("pair").reset_index()
    actuals = full_year_actuals(obs)
    level = actuals[["indicator_id", "year", "name_zh", "name_en", "theme", "measure", "unit", "value", "value_text"]]
    growth = actuals[["indicator_id", "year", "value", "value_text", "quote", "source"]]
    both = (pairs.merge(level.rename(columns={"indicator_id": "level_id"}), on="level_id")
            .merge(growth.rename(columns={"indicator_id": "growth_id"}), on=["growth_id", "year"], suffixes=("", "_growth"))
            .sort_values(["pair", "year"], kind="stable"))
    value = both["value"] / (1 + both["value_growth"] / 100)
    nominal = both["name_zh"].map(nominal_growth).astype(bool)
    derived = pd.DataFrame({
        "indicator_id": both["level_id"], "name_zh": both["name_zh"], "name_en": both["name_en"], "theme": both["theme"],
        "measure": both["measure"], "year": both["year"] - 1, "kind": "actual", "status": "derived", "value": value,
        "unit": both["unit"],
        "formula": [f"{lv} / (1 + {gv}%) = {v:.1f}" for lv, gv, v in zip(both["value_text"], both["value_text_growth"], value)],
        "derived_from": both["level_id"] + " " + both["year"].astype(str) + "; " + both["growth_id"] + " " + both["year"].astype(str),
        "note": nominal.map({True: "nominal growth: the previous year's level",
                             False: "growth at comparable prices: the previous year's level at this year's prices (approximate)"}),
        "nominal": nominal, "carried": False, "quote": both["quote"], "source": both["source"],
        "level_text": both["value_text"], "growth_text": both["value_text_growth"],
    }, columns=DERIVED_COLUMNS).reset_index(drop=True)
    text = [c for c in DERIVED_COLUMNS if c not in ("year", "value", "nominal", "carried")]
    return derived.astype({c: "str" for c in text})


def carried_levels(rows: pd.DataFrame) -> pd.DataFrame:
    """The levels a verdict carried forward from a printed growth (the briefing model's rows whose
    `actual_derived` is set: 84.23 × (1 + 0.3%) for 2020's budget revenue), as derived figures a page
    draws and lists beside the printed ones, with the growth's quote (`carried` True)."""
    mine = rows[rows["actual_derived"].fillna("") != ""]
    return pd.DataFrame({
        "indicator_id": mine["indicator_id"], "name_zh": mine["name_zh"], "name_en": mine["name_en"],
        "theme": mine["theme"], "measure": mine["measure"], "year": mine["report_year"], "kind": "actual",
        "status": "derived", "value": mine["actual_value"], "unit": mine["unit"],
        "formula": [f"{f} = {v:.2f}" for f, v in zip(mine["actual_derived"], mine["actual_value"])],  # 84.23 x 1.003
        "derived_from": mine["indicator_id"] + " " + (mine["report_year"] - 1).astype(str) + "; growth "
        + mine["report_year"].astype(str),
        "note": "nominal growth: the year's level", "nominal": True, "carried": True,
        "quote": mine["actual_quote"], "source": mine["actual_source"], "level_text": mine["base_text"],
        "growth_text": mine["derived_growth"],
    }, columns=DERIVED_COLUMNS).reset_index(drop=True)
