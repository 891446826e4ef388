"""Tables and labels for the briefing notebooks, in Chinese (zh) or English (en).

These functions only arrange and label data for reading; they compute nothing new.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, display

from .quotes import chinese_numeral
from .units import unit_info

LANGS = ("zh", "en")

_LABELS = {
    "theme": ("主题", "Theme"),
    "indicator": ("指标", "Indicator"),
    "indicator_id": ("指标代码", "Indicator id"),
    "year": ("年份", "Year"),
    "kind": ("类型", "Kind"),
    "figure": ("数值", "Figure"),
    "quote": ("原文", "Quote"),
    "total": ("合计", "Total"),
    "number": ("数字", "Number"),
    "reason": ("原因", "Reason"),
    "context": ("上下文", "Context"),
    "covered_by": ("归类", "Classified as"),
    "count": ("个数", "Count"),
    "actual": ("实际", "actual"),
    "target": ("目标", "target"),
    "year_to_date": ("年内截至发布", "year to date"),
    "full_year": ("全年", "full year"),
    "figure_number": ("指标数值", "figure"),
    "partial_actual": ("实际(年内截至发布)", "actual, partial year"),
    "target_at_least": ("目标:不低于", "target: at least"),
    "target_at_most": ("目标:不高于", "target: at most"),
    "target_point": ("目标", "target"),
    "target_range": ("目标区间", "target range"),
    "derived": ("推算值", "derived"),
    "forecast": ("预测(区间)", "forecast (interval)"),
    "exclusion": ("非指标数字", "not a figure"),
    "unclassified": ("未归类", "unclassified"),
}

_COMPARATOR_SYMBOLS = {"=": "", ">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "~": "≈ "}


def check_lang(lang: str) -> str:
    """Return `lang` if it is a supported language, else raise with the valid values."""
    if lang not in LANGS:
        raise ValueError(f"unknown lang {lang!r}; valid values: {', '.join(LANGS)}")
    return lang


def label(key: str, lang: str) -> str:
    """The label of a column or category in `lang`."""
    zh, en = _LABELS[key]
    return zh if check_lang(lang) == "zh" else en


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def unit_label(unit: str, lang: str) -> str:
    """The unit as printed (zh), or in English: '× 100 million yuan', 'enterprises', '%'."""
    if check_lang(lang) == "zh":
        return unit
    english = unit_info(unit).label_en
    return f"× {english}" if english[:1].isdigit() else english


def format_value(row: pd.Series, lang: str) -> str:
    """A figure's value with its bound, without the unit: '≥ 80', '4–6', '第二' / '2nd'."""
    if row["measure"] == "rank":
        n = int(row["value"])
        return "第" + chinese_numeral(n) if check_lang(lang) == "zh" else _ordinal_en(n)
    if row["comparator"] == "range":
        return f"{row['value_text']}–{row['value_high_text']}"
    return _COMPARATOR_SYMBOLS[row["comparator"]] + row["value_text"]


def format_figure(row: pd.Series, lang: str) -> str:
    """A figure as a reader expects it: '≥ 80 %', '4–6 家', '第二' / '2nd', '652 亿元'."""
    if row["measure"] == "rank":
        return format_value(row, lang)
    return f"{format_value(row, lang)} {unit_label(row['unit'], lang)}".strip()


def _name_column(lang: str) -> str:
    return "name_zh" if check_lang(lang) == "zh" else "name_en"


def sources_table(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The source documents, one column each: title, URL, publication date, checksum."""
    title = "title_zh" if check_lang(lang) == "zh" else "title_en"
    table = sources.set_index("source")[[title, "url", "published", "file", "sha256"]]
    return table.rename(columns={title: "title"}).T


def _theme_order(indicators: pd.DataFrame, themes: pd.DataFrame) -> pd.Series:
    """Position of each row's theme in themes.csv, for sorting in the documented order."""
    return indicators["theme"].map({t: i for i, t in enumerate(themes["theme"])})


def counts_by_theme(indicators: pd.DataFrame, themes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Number of figures per theme (rows) and year × kind (columns), with totals."""
    theme_names = themes.set_index("theme")[_name_column(lang)]
    frame = indicators.assign(
        theme_label=indicators["theme"].map(theme_names),
        column=indicators["year"].astype(str) + " " + indicators["kind"].map(lambda k: label(k, lang)),
    )
    table = pd.crosstab(frame["theme_label"], frame["column"], margins=True, margins_name=label("total", lang))
    order = [n for n in themes.set_index("theme")[_name_column(lang)] if n in table.index]
    table = table.reindex(order + [label("total", lang)])
    table.index.name = label("theme", lang)
    table.columns.name = None
    return table


def figures_table(indicators: pd.DataFrame, themes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every figure with its value as printed and its quote, ordered by theme."""
    indicators = indicators.assign(_order=_theme_order(indicators, themes)).sort_values(
        ["_order", "year", "kind", "indicator_id"]
    )
    theme_names = themes.set_index("theme")[_name_column(lang)]
    kind = indicators["kind"].map(lambda k: label(k, lang))
    partial = indicators["coverage"] == "year_to_date"
    kind = kind.where(~partial, kind + " (" + label("year_to_date", lang) + ")")
    return pd.DataFrame(
        {
            label("theme", lang): indicators["theme"].map(theme_names),
            label("indicator", lang): indicators[_name_column(lang)],
            label("year", lang): indicators["year"],
            label("kind", lang): kind,
            label("figure", lang): indicators.apply(format_figure, axis=1, lang=lang),
            label("quote", lang): indicators["quote"],
        }
    )


def exclusions_table(exclusions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The numbers that are not figures, with the sentence they stand in and why."""
    return pd.DataFrame(
        {
            label("number", lang): exclusions["text"],
            label("quote", lang): exclusions["quote"],
            label("reason", lang): exclusions["reason"],
        }
    )


def coverage_counts(coverage: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How many numbers of the source text are figures, exclusions, or unclassified."""
    kinds = coverage["covered_by"].replace({"figure": "figure_number", "": "unclassified"})
    counts = kinds.value_counts().reindex(["figure_number", "exclusion", "unclassified"], fill_value=0)
    counts.index = [label(k, lang) for k in counts.index]
    return counts.rename(label("count", lang)).to_frame()


def show(table: pd.DataFrame, index: bool = True) -> None:
    """Display a whole table (no truncated rows or cells), text left-aligned."""
    styler = table.style.set_properties(**{"text-align": "left", "vertical-align": "top"})
    styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
    if not index:
        styler = styler.hide(axis="index")
    display(HTML(styler.to_html()))
