"""Numbers and units as a reader expects them, in the page's language.

Values keep their printed digits (`value_text`); the words around them (units, bounds,
ordinals) come from the labels and the vocabulary. Nothing here computes a figure.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .labels import check_lang, label
from .quotes import chinese_numeral
from .units import unit_info
from .vocab import COMPARATOR


BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")


def generated_now(lang: str) -> str:
    """The time a page is generated, in Beijing time: '2026-11-29 15:43 北京时间' / '… Beijing time'."""
    return dt.datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M") + " " + label("beijing_time", lang)


def number(x: float) -> str:
    """A number with at most 2 decimals and no trailing zeros: 16.94, 2, -1.11."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def signed(x: float) -> str:
    """+4, -0.34, 0 (no sign for zero); — when missing."""
    if pd.isna(x):
        return "—"
    if abs(x) < 1e-9:
        return "0"
    return ("+" if x > 0 else "") + number(x)


def unit_label(unit: str, lang: str) -> str:
    """The unit in the page's language: 亿元 (zh); '× 100 million yuan', 'enterprises', '%' (en)."""
    words = unit_info(unit).label(check_lang(lang))
    return f"× {words}" if words[:1].isdigit() else words


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
    return f"{format_value(row, lang)} {unit_label(row['unit'], lang)}".strip()


def change_text(change_abs: float, change_pct: float, lang: str) -> str:
    """A required change: '+16.9%' for amounts, '+1.2 pp' / '+1.2 个百分点' for rates, — when none."""
    if pd.isna(change_abs):
        return "—"
    if not pd.isna(change_pct):
        return f"{change_pct:+.1f}%"
    return f"{signed(change_abs)} {label('percentage_points', lang)}"
