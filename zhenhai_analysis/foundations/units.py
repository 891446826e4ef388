"""Printed units and their base units.

Every figure keeps the unit exactly as the report prints it (亿元, 万平方米, %, 家 ...).
`to_base` converts a printed value to its base unit (yuan, US dollars, m², km, a plain
count ...). Two figures are comparable only when their base units agree; money in
different currencies is converted only with an explicit, cited exchange rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Unit:
    printed: str  # as in the report
    base: str  # base unit after conversion
    factor: float  # value_in_base = value_as_printed * factor
    label_en: str  # English label for tables and chart axes
    # English in natural words (formatting.quantity): the power of ten of one printed unit
    # in the base, and the words around the number: 55.1 亿元 -> 5.51 billion yuan.
    en_power: int = 0
    en_before: str = ""  # US$
    en_after: str = ""  # yuan, m²

    def label(self, lang: str) -> str:
        """The unit in words: as printed in Chinese, `label_en` in English."""
        return {"zh": self.printed, "en": self.label_en}[lang]


_COUNT_NOUNS = {
    "个": "",
    "项": "items",
    "家": "enterprises",
    "台": "units of equipment",
    "部": "elevators",
    "户": "households",
    "辆": "vehicles",
    "条": "routes",
    "座": "facilities",
    "名": "persons",
    "人": "persons",
    "次": "times",
    "人次": "visits",
    "件": "items",
    "套": "homes",
    "起": "incidents",
    "处": "sites",
    "头": "head of livestock",
}

UNITS: dict[str, Unit] = {
    u.printed: u
    for u in [
        Unit("亿元", "yuan", 1e8, "100 million yuan", 8, "", "yuan"),
        Unit("万元", "yuan", 1e4, "10,000 yuan", 4, "", "yuan"),
        Unit("元", "yuan", 1.0, "yuan"),
        Unit("亿美元", "USD", 1e8, "100 million US dollars", 8, "US$", ""),
        Unit("万美元", "USD", 1e4, "10,000 US dollars", 4, "US$", ""),
        Unit("美元", "USD", 1.0, "US dollars", 0, "US$", ""),
        Unit("万平方米", "m²", 1e4, "10,000 m²", 4, "", "m²"),
        Unit("平方米", "m²", 1.0, "m²", 0, "", "m²"),
        Unit("平方公里", "km²", 1.0, "km²", 0, "", "km²"),
        Unit("公顷", "ha", 1.0, "hectares", 0, "", "hectares"),
        Unit("万亩", "mu", 1e4, "10,000 mu", 4, "", "mu"),
        Unit("亩", "mu", 1.0, "mu", 0, "", "mu"),
        Unit("万吨", "t", 1e4, "10,000 tonnes", 4, "", "tonnes"),
        Unit("吨", "t", 1.0, "tonnes", 0, "", "tonnes"),
        # Counts in ten-thousands (万人: 10,000 persons), counted in the count base.
        Unit("万人", "count", 1e4, "10,000 persons", 4, "", "persons"),
        Unit("万人次", "count", 1e4, "10,000 visits", 4, "", "visits"),
        Unit("万户", "count", 1e4, "10,000 households", 4, "", "households"),
        Unit("万套", "count", 1e4, "10,000 homes", 4, "", "homes"),
        Unit("万头", "count", 1e4, "10,000 head of livestock", 4, "", "head of livestock"),
        Unit("公里", "km", 1.0, "km"),
        Unit("%", "%", 1.0, "%"),
        Unit("个百分点", "percentage points", 1.0, "percentage points"),
        Unit("微克/立方米", "µg/m³", 1.0, "µg/m³"),
        Unit("天", "days", 1.0, "days"),
        Unit("个工作日", "working days", 1.0, "working days"),
        # Ranks are printed as 第一, 第二 ...: the value is the position, 1 = first.
        Unit("位次", "rank", 1.0, "rank (1 = first)"),
        *(Unit(noun, "count", 1.0, label) for noun, label in _COUNT_NOUNS.items()),
    ]
}

CURRENCIES = {"yuan", "USD"}


class UnitError(ValueError):
    """Two units that cannot be compared, or a unit the project does not know."""


def unit_info(unit: str) -> Unit:
    try:
        return UNITS[unit]
    except KeyError:
        known = " ".join(UNITS)
        raise UnitError(f"unknown unit {unit!r}; known units: {known}") from None


def to_base(value: float, unit: str) -> tuple[float, str]:
    """Convert a printed value to its base unit: (652, '亿元') -> (6.52e10, 'yuan')."""
    info = unit_info(unit)
    return value * info.factor, info.base


def add_base_units(figures: pd.DataFrame) -> pd.DataFrame:
    """Add `value_base`, `value_high_base` and `base_unit` columns (a copy)."""
    out = figures.copy()
    factors = out["unit"].map(lambda u: unit_info(u).factor)
    out["value_base"] = out["value"] * factors
    out["value_high_base"] = out["value_high"] * factors
    out["base_unit"] = out["unit"].map(lambda u: unit_info(u).base)
    return out


def require_comparable(unit_a: str, unit_b: str) -> None:
    """Raise UnitError unless figures in these two printed units can be compared.

    Counts with different nouns (家 vs 个) are all plain counts; whether they count the
    same thing is a question of definition, answered by the curated comparability data,
    not here.
    """
    base_a, base_b = unit_info(unit_a).base, unit_info(unit_b).base
    if base_a == base_b:
        return
    if {base_a, base_b} <= CURRENCIES:
        raise UnitError(
            f"{unit_a} ({base_a}) and {unit_b} ({base_b}) are different currencies: "
            "convert with convert_currency() and a cited exchange rate first"
        )
    raise UnitError(f"{unit_a} ({base_a}) and {unit_b} ({base_b}) measure different things")


def convert_currency(amount: float, rate: float, citation: str) -> float:
    """Convert money with an explicit exchange rate (target currency per source unit).

    `citation` says where the rate comes from (publisher, date, series); it is required
    so that no currency conversion happens without a source.
    """
    if not citation or not citation.strip():
        raise UnitError("a currency conversion needs a citation for its exchange rate")
    if not rate > 0:
        raise UnitError(f"an exchange rate must be positive, got {rate!r}")
    return amount * rate
