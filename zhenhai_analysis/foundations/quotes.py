"""Where numbers stand in a source text, and how a value is printed in a quote.

A *number* is a maximal run of ASCII digits, optionally with one decimal part
(``2507``, ``7.8``, ``100.37``). Ranks are printed in Chinese numerals (第二), so a
rank's printed form is 第 + numeral.
"""

from __future__ import annotations

import re

import pandas as pd

NUMBER = re.compile(r"\d+(?:\.\d+)?")
CN_NUMBER = re.compile(r"[两一二三四五六七八九十]+")  # a count or rank in Chinese numerals, 1 to 99

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {**{c: i for i, c in enumerate(_DIGITS)}, "两": 2}


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (1 to 99)."""
    if not 0 < n < 100:
        raise ValueError(f"chinese_numeral covers 1 to 99, got {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def chinese_to_int(text: str) -> int:
    """The inverse of chinese_numeral: 两 -> 2, 十二 -> 12, 二十 -> 20, 九十九 -> 99."""
    if "十" not in text:
        return int("".join(str(_DIGIT_VALUE[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_DIGIT_VALUE[tens] if tens else 1) * 10 + (_DIGIT_VALUE[ones] if ones else 0)


def printed_form(value_text: str, measure: str) -> str:
    """The string that must appear in a figure's quote: '652', or '第二' for a rank of 2."""
    if measure == "rank":
        return "第" + chinese_numeral(int(value_text))
    return value_text


def value_positions(quote: str, value_text: str, measure: str) -> list[int]:
    """Offsets in `quote` where the value is printed as a whole number.

    '2' is found in '2个' but not inside '2507' or '7.2'; a rank is found as 第二, or as
    第2 where the text writes it in digits (全省第4).
    """
    form = printed_form(value_text, measure)
    if measure == "rank":
        in_digits = [m.start() for m in NUMBER.finditer(quote) if m.group() == value_text and quote[: m.start()].endswith("第")]
        return [m.start() for m in re.finditer(re.escape(form), quote)] + in_digits
    return [m.start() for m in NUMBER.finditer(quote) if m.group() == form]


def number_coverage(
    text: str, figures: pd.DataFrame, exclusions: pd.DataFrame
) -> pd.DataFrame:
    """Classify every number in a source text as a figure, an exclusion, or neither.

    `figures` and `exclusions` are the rows of one source. Returns one row per number:
    `position`, `number`, `context` (the text around it), `covered_by` ('figure',
    'exclusion' or '' when unclassified) and `detail` (indicator id or reason).
    """
    claims: dict[int, tuple[str, str]] = {}
    for row in figures.itertuples():
        start = text.find(row.quote)
        if start < 0:
            continue
        printed = [row.value_text] + ([row.value_high_text] if row.comparator == "range" else [])
        for value_text in printed:
            for offset in value_positions(row.quote, value_text, row.measure):
                claims[start + offset] = ("figure", row.indicator_id)
    for row in exclusions.itertuples():
        start = text.find(row.quote)
        at = row.quote.find(row.text)
        if start < 0 or at < 0:
            continue
        span_start = start + at
        for m in NUMBER.finditer(row.text):
            claims.setdefault(span_start + m.start(), ("exclusion", row.reason_en))
    rows = []
    for m in NUMBER.finditer(text):
        kind, detail = claims.get(m.start(), ("", ""))
        context = text[max(0, m.start() - 12) : m.end() + 8].replace("\n", " ")
        rows.append((m.start(), m.group(), context, kind, detail))
    return pd.DataFrame(rows, columns=["position", "number", "context", "covered_by", "detail"])
