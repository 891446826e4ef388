"""Numbers and units as a reader expects them, in the page's language.

Values keep their printed digits (`value_text`); the words around them (units, bounds,
ordinals) come from the labels and the vocabulary. Nothing here computes a figure.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pandas as pd

from ..foundations.labels import check_lang, label
from ..foundations.quotes import chinese_numeral
from ..foundations.units import unit_info
from ..foundations.vocab import COMPARATOR


NOTHING = "—"  # what a table cell or a sentence shows where there is no figure
BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")


def generated_now(lang: str) -> str:
    """The time a page is generated, in Beijing time: '2026-11-29 15:43 北京时间' / '… Beijing time'."""
    return dt.datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M") + " " + label("beijing_time", lang)


def number(x: float) -> str:
    """A number with at most 2 decimals and no trailing zeros: 16.94, 2, -1.11."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def estimate(x: float, unit: str | None = None) -> str:
    """A computed value (a trend, a forecast) to three significant digits, a rate in % to one
    decimal: 232.29 -> 232, 6.512 -> 6.51, but 6.512 (%) -> 6.5."""
    return number(round(x, 1) if unit == "%" else float(f"{x:.3g}"))


def estimated(x: float, unit: str, lang: str, high: float | None = None, noun=None) -> str:
    """A computed value or range with its unit (quantity): '9.17 billion yuan', '1.4–11.6%'."""
    return quantity(estimate(x, unit), unit, lang, high=None if high is None else estimate(high, unit), noun=noun)


def signed(x: float) -> str:
    """+4, -0.34, 0 (no sign for zero); — when missing."""
    if pd.isna(x):
        return NOTHING
    if abs(x) < 1e-9:
        return "0"
    return ("+" if x > 0 else "") + number(x)


def unit_label(unit: str, lang: str) -> str:
    """The unit alone (chart axes): 亿元 (zh); '× 100 million yuan', 'enterprises', '%' (en). With a value: quantity()."""
    words = unit_info(unit).label(check_lang(lang))
    return f"× {words}" if words[:1].isdigit() else words


_LARGE = ((9, "billion"), (6, "million"))


def _digits(value: Decimal, sign: bool) -> str:
    text = format(value.normalize(), ",f") if abs(value) >= 1000 else format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("+" if sign and value > 0 else "") + text


_SINGULAR = {"buses": "bus"}  # the plural nouns (catalogue noun_en) that the rule below gets wrong


def singular(noun: str) -> str:
    """An English count noun for one: 'enterprises' -> 'enterprise', 'units of equipment' -> 'unit of
    equipment', 'companies' -> 'company', 'businesses' -> 'business'."""
    head, of, rest = noun.partition(" of ")
    *before, last = head.split(" ")
    if last in _SINGULAR:
        last = _SINGULAR[last]
    elif last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("sses"):
        last = last[:-2]
    elif last.endswith("s"):
        last = last[:-1]
    return " ".join([*before, last]) + of + rest


def _grouped(text: str, lang: str) -> str:
    """Printed digits with English thousands separators ('1030' -> '1,030'); Chinese keeps them as printed."""
    if lang != "en":
        return text
    return re.sub(r"^([+-]?)(\d{4,})", lambda m: f"{m.group(1)}{int(m.group(2)):,}", text)


def _range(low: str, high: str, lang: str) -> str:
    """'1.4–11.6'; in words when the low end is negative, where a dash would read as a minus ('-1.1 to 9.3')."""
    return label("range", lang, low=low, high=high) if low.startswith("-") else f"{low}–{high}"


def quantity(text: str, unit: str, lang: str, high: str | None = None, before: str = "", noun=None) -> str:
    """A value, as printed (its digits as text), with its unit in the page's language.

    '55.1亿元' (zh); '5.51 billion yuan', 'US$180 million', '1.0037 million m²' (en),
    scaled exactly (decimal arithmetic on the printed digits); `high` ends a range;
    `before` is a bound such as '≥ '. Other units: '12 enterprises', '3.2%'. A count takes
    the indicator's own English `noun` (catalogue noun_en) where given: '3 workstations'.
    """
    info = unit_info(unit)
    if check_lang(lang) != "en" or not info.en_power:
        low = _grouped(text, lang)
        shown = low if high is None else _range(low, _grouped(high, lang), lang)
        gap = "" if lang == "zh" or unit == "%" else " "  # 55.1亿元, 3.2%; 12 enterprises
        words = noun if lang == "en" and info.base == "count" and isinstance(noun, str) and noun else unit_label(unit, lang)
        if words == noun and high is None and text.lstrip("+-") == "1":
            words = singular(noun)  # 1 enterprise
        return f"{before}{shown}{gap}{words}".strip()
    values = [Decimal(t).scaleb(info.en_power) for t in (text, high) if t is not None]
    power, word = next(((p, w) for p, w in _LARGE if max(abs(v) for v in values) >= Decimal(10) ** p), (0, ""))
    shown = "–".join(_digits(v.scaleb(-power), t.startswith("+")) for v, t in zip(values, (text, high)))
    sign = shown[0] if shown[0] in "+-" else ""
    words = " ".join(w for w in (word, info.en_after) if w)
    return f"{before}{sign}{info.en_before}{shown.lstrip('+-') if sign else shown} {words}".strip()


def axis_unit(unit: str, values, lang: str, noun=None) -> tuple[float, str]:
    """How a chart shows values printed in `unit`: (factor to multiply them by, the axis label).

    Chinese keeps the printed unit (1, '亿元'); English uses natural units chosen from the
    largest value: (0.1, 'billion yuan') for 亿元 up to 55.1, (100, 'US$ million') for 1.8亿美元.
    """
    info = unit_info(unit)
    if check_lang(lang) != "en" or not info.en_power:
        return 1.0, quantity("", unit, lang, noun=noun)
    largest = max((abs(float(v)) for v in values if pd.notna(v)), default=0.0) * 10 ** info.en_power
    power, word = next(((p, w) for p, w in _LARGE if largest >= 10 ** p), (0, ""))
    words = " ".join(w for w in (word, info.en_after) if w)
    return 10.0 ** (info.en_power - power), f"{info.en_before} {words}".strip()


def scaled_text(text: str, factor: float) -> str:
    """A printed value's digits moved to a chart's unit (axis_unit), exactly: ('1.8', 100) -> '180'."""
    if factor == 1:
        return text
    return _digits(Decimal(text) * Decimal(str(factor)), False)


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_ORDINALS = {"zh": lambda n: "第" + chinese_numeral(n), "en": _ordinal_en}


def ordinal(n: int, lang: str) -> str:
    """A rank: 第二 (zh), 2nd (en)."""
    return _ORDINALS[check_lang(lang)](n)


def format_value(row: pd.Series, lang: str) -> str:
    """A figure's value with its bound, without the unit: '≥ 80', '4–6', '第二' / '2nd'."""
    if row["measure"] == "rank":
        return ordinal(int(row["value"]), lang)
    if row["comparator"] == "range":
        return f"{row['value_text']}–{row['value_high_text']}"
    return COMPARATOR[row["comparator"]].symbol + row["value_text"]


def format_figure(row: pd.Series, lang: str) -> str:
    """A figure as a reader expects it: '≥ 80 %', '4–6 家', '第二' / '2nd', '652 亿元'."""
    if row["measure"] == "rank":
        return format_value(row, lang)
    if row["comparator"] == "range":
        return quantity(row["value_text"], row["unit"], lang, high=row["value_high_text"], noun=row.get("noun_en"))
    return quantity(row["value_text"], row["unit"], lang, before=COMPARATOR[row["comparator"]].symbol,
                    noun=row.get("noun_en"))


def change_text(change_abs: float, change_pct: float, lang: str) -> str:
    """A required change: '+16.9%' for amounts, '+1.2 pp' / '+1.2 个百分点' for rates, — when none."""
    if pd.isna(change_abs):
        return NOTHING
    if not pd.isna(change_pct):
        return f"{change_pct:+.1f}%"
    return points(change_abs, lang)


def points(change: float, lang: str) -> str:
    """A change of a rate in percentage points: '+1.64个百分点' (zh), '+1.64 points' (en)."""
    return f"{signed(change)}{'' if lang == 'zh' else ' '}{label('points', lang)}"


# A Chinese gloss in an English name: "Livelihood projects (民生实事) completed".
_GLOSS = re.compile(r"\s*[(（][^()（）]*[\u3400-\u9fff][^()（）]*[)）]")


def plain_title(text: str, lang: str) -> str:
    """A title for places that cannot mark a run of Chinese (a browser tab): English without its glosses."""
    return _GLOSS.sub("", text) if lang == "en" else text
