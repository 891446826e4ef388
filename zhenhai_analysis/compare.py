"""Year-over-year figures that the report implies but does not print.

Derived figures are marked `status = "derived"` with the formula that produced them;
they are never mixed into the printed figures of `load_indicators()`.
"""

from __future__ import annotations

import pandas as pd

from .vocab import full_year_actuals

DERIVED_COLUMNS = [
    "indicator_id", "name_zh", "name_en", "theme", "measure", "year", "kind", "status",
    "value", "unit", "formula", "derived_from", "note",
]


def implied_previous_levels(obs: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The previous year's level implied by a level and its growth rate.

    规上工业增加值 652亿元 at +7.8% implies 652 / 1.078 ≈ 604.8亿元 for 2018. Official
    growth rates are at comparable (constant) prices, so the result is the previous
    year's level at this year's prices, an approximation of the previously printed
    level, not a replacement for it. Pairs come from the catalogue's `growth_of`.
    """
    pairs = catalogue.dropna(subset=["growth_of"])[["indicator_id", "growth_of"]]
    actuals = full_year_actuals(obs)
    rows = []
    for growth_id, level_id in pairs.itertuples(index=False):
        levels = actuals[actuals["indicator_id"] == level_id].set_index("year")
        growths = actuals[actuals["indicator_id"] == growth_id].set_index("year")
        for year in sorted(set(levels.index) & set(growths.index)):
            level, growth = levels.loc[year], growths.loc[year]
            value = level.value / (1 + growth.value / 100)
            rows.append({
                "indicator_id": level_id, "name_zh": level.name_zh, "name_en": level.name_en,
                "theme": level.theme, "measure": level.measure, "year": year - 1, "kind": "actual",
                "status": "derived", "value": value, "unit": level.unit,
                "formula": f"{level.value_text} / (1 + {growth.value_text}%) = {value:.1f}",
                "derived_from": f"{level_id} {year}; {growth_id} {year}",
                "note": "growth at comparable prices: the previous year's level at this year's prices (approximate)",
            })
    return pd.DataFrame(rows, columns=DERIVED_COLUMNS)
