"""Tables and labels for the briefing notebooks, in Chinese (zh) or English (en).

These functions only arrange and label data for reading; they compute nothing new.
"""

from __future__ import annotations

import datetime as dt
import html

import numpy as np
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
    "base": ("基数", "Baseline"),
    "target_column": ("目标", "Target"),
    "actual_column": ("实际", "Actual"),
    "change_needed": ("所需变化", "Change needed"),
    "comparable": ("可比", "Comparable"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "attainment": ("完成情况", "Attainment"),
    "margin": ("差距", "Margin"),
    "actual_quote": ("实际数原文", "Quote of the actual"),
    "target_quote": ("目标原文", "Quote of the target"),
    "base_quote": ("基数原文", "Quote of the baseline"),
    "met": ("达成", "met"),
    "missed": ("未达成", "missed"),
    "within tolerance": ("在容差内", "within tolerance"),
    "pending": ("待评估", "pending"),
    "not comparable": ("不可比", "not comparable"),
    "targets": ("目标个数", "Targets"),
    "with_baseline": ("有可比基数", "With a comparable baseline"),
    "below_baseline": ("低于基数的目标", "Set below the baseline"),
    "no_baseline": ("无可比基数", "Without a comparable baseline"),
    "report_year": ("报告年度", "Report year"),
    "source": ("来源", "Source"),
    "published": ("发布", "published"),
    "generated": ("生成时间", "Generated"),
    "method": ("方法", "Method"),
    "point": ("点预测", "Point"),
    "interval": ("区间", "Interval"),
    "p_meet": ("达成目标的概率", "Probability of meeting the target"),
    "n_obs": ("观测数", "Points"),
    "definition": ("定义", "Definition"),
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


def check_choice(name: str, value, valid) -> None:
    """Raise a ValueError naming the parameter and listing its valid values."""
    valid = list(valid)
    if value not in valid:
        raise ValueError(f"unknown {name} {value!r}; valid values: {', '.join(map(str, valid))}")


def page_header(title_zh: str, title_en: str, report_year: int, sources: pd.DataFrame, lang: str) -> None:
    """The title block every page starts with: title, report year, sources, generation time."""
    title = title_zh if check_lang(lang) == "zh" else title_en
    name = "title_zh" if lang == "zh" else "title_en"
    cited = "; ".join(
        f'<a href="{html.escape(r.url)}">{html.escape(getattr(r, name))}</a> ({label("published", lang)} {r.published})'
        for r in sources.itertuples()
    )
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    display(HTML(
        f"<h1>{html.escape(title)}</h1>"
        f"<p><b>{label('report_year', lang)}</b>: {report_year} · <b>{label('source', lang)}</b>: {cited}"
        f" · <b>{label('generated', lang)}</b>: {generated}</p>"
    ))


def _number(x: float) -> str:
    """A number with at most 2 decimals and no trailing zeros: 16.94, 2, -1.11."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _signed(x: float) -> str:
    """+4, -0.34, 0 (no sign for zero); — when missing."""
    if pd.isna(x):
        return "—"
    if abs(x) < 1e-9:
        return "0"
    return ("+" if x > 0 else "") + _number(x)


def _change(row: pd.Series, lang: str) -> str:
    if not row["comparable"] or pd.isna(row["change_abs"]):
        return "—"
    if not pd.isna(row["change_pct"]):
        return f"{row['change_pct']:+.1f}%"
    unit = "个百分点" if lang == "zh" else "pp"
    return f"{_number(row['change_abs']):s} {unit}" if row["change_abs"] < 0 else f"+{_number(row['change_abs'])} {unit}"


def _target_row(row: pd.Series) -> pd.Series:
    """A gap row shaped like a figure row, for format_figure."""
    return pd.Series({"measure": row["measure"], "comparator": row["comparator"], "value": row["target_value"],
                      "value_text": row["target_text"], "value_high_text": row["target_high_text"], "unit": row["unit"]})


def _base_text(row: pd.Series, lang: str) -> str:
    if row["base_text"] is None or pd.isna(row["base_value"]):
        return "—"
    base = pd.Series({"measure": row["measure"], "comparator": "=", "value": row["base_value"],
                      "value_text": row["base_text"], "value_high_text": None, "unit": row["base_unit"]})
    return format_figure(base, lang)


def gap_table(gaps: pd.DataFrame, themes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every target beside its baseline, the change it needs, and why it is (not) comparable."""
    columns = ["theme", "indicator", "base", "target_column", "change_needed", "comparable", "reason"]
    if gaps.empty:
        return pd.DataFrame(columns=[label(c, lang) for c in columns])
    gaps = gaps.assign(_order=_theme_order(gaps, themes)).sort_values(["_order", "indicator_id"])
    names = themes.set_index("theme")[_name_column(lang)]
    return pd.DataFrame({
        label("theme", lang): gaps["theme"].map(names),
        label("indicator", lang): gaps[_name_column(lang)],
        label("base", lang): gaps.apply(_base_text, axis=1, lang=lang),
        label("target_column", lang): gaps.apply(lambda r: format_figure(_target_row(r), lang), axis=1),
        label("change_needed", lang): gaps.apply(_change, axis=1, lang=lang),
        label("comparable", lang): gaps["comparable"].map(lambda c: label("yes" if c else "no", lang)),
        label("reason", lang): gaps["reason_zh" if lang == "zh" else "reason"],
    })


def gap_summary(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How many targets there are, how many have a comparable baseline, how many ease off."""
    counts = {
        "targets": len(gaps),
        "with_baseline": int(gaps["comparable"].sum()),
        "below_baseline": int(gaps["below_baseline"].sum()),
        "no_baseline": int((~gaps["comparable"]).sum()),
    }
    return pd.DataFrame({label("count", lang): counts.values()}, index=[label(k, lang) for k in counts])


def stretch_table(gaps: pd.DataFrame, themes: pd.DataFrame, lang: str, n: int = 10) -> pd.DataFrame:
    """The comparable targets that ask for the largest improvement over their baseline."""
    comparable = gaps[gaps["comparable"]].copy()
    sign = np.where(comparable["direction"] == "higher", 1, -1)
    comparable["_stretch"] = sign * comparable["change_pct"].fillna(comparable["change_abs"])
    top = comparable[comparable["_stretch"] > 0].sort_values("_stretch", ascending=False).head(n)
    return gap_table(top, themes, lang).drop(columns=[label("comparable", lang)]).loc[top.index]


def scorecard_summary(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How many of last year's targets were met, missed, within tolerance, pending, not comparable."""
    from .gaps import STATUSES

    counts = gaps["attainment"].value_counts().reindex(list(STATUSES), fill_value=0)
    return pd.DataFrame({label("count", lang): counts.to_numpy()}, index=[label(s, lang) for s in STATUSES])


def scorecard_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each target with its actual: met, missed, within tolerance, pending or not comparable.

    Judged targets come first, in the order of STATUSES; pending ones last.
    """
    from .gaps import STATUSES

    gaps = gaps.assign(_order=gaps["attainment"].map({s: i for i, s in enumerate(STATUSES)})).sort_values(
        ["_order", "theme", "indicator_id"], kind="stable")
    return pd.DataFrame({
        label("indicator", lang): gaps[_name_column(lang)],
        label("target_column", lang): gaps.apply(lambda r: format_figure(_target_row(r), lang), axis=1),
        label("actual_column", lang): gaps["actual_text"].fillna("—"),
        label("attainment", lang): gaps["attainment"].map(lambda a: label(a, lang)),
        label("margin", lang): gaps["margin"].map(_signed),
        label("target_quote", lang): gaps["target_quote"],
        label("actual_quote", lang): gaps["actual_quote"].fillna("—"),
    })


def history_table(obs: pd.DataFrame, indicator_id: str, lang: str) -> pd.DataFrame:
    """Every figure of one indicator, by year and kind, with its quote and source."""
    rows = obs[obs["indicator_id"] == indicator_id].sort_values(["year", "kind"])
    kind = rows["kind"].map(lambda k: label(k, lang))
    kind = kind.where(rows["coverage"] == "full_year", kind + " (" + label("year_to_date", lang) + ")")
    return pd.DataFrame({
        label("year", lang): rows["year"],
        label("kind", lang): kind,
        label("figure", lang): rows.apply(format_figure, axis=1, lang=lang),
        label("quote", lang): rows["quote"],
        label("source", lang): rows["source"],
    })


def forecast_table(forecast: pd.DataFrame, unit: str, lang: str) -> pd.DataFrame:
    """A forecast for reading: method, points used, point, interval, chance of meeting the target."""
    def interval(r: pd.Series) -> str:
        if pd.isna(r["lower"]):
            return "—"
        return f"{_number(r['lower'])} – {_number(r['upper'])} ({r['level']:.0%})"

    return pd.DataFrame({
        label("year", lang): forecast["year"],
        label("method", lang): forecast["method"],
        label("n_obs", lang): forecast["n_obs"],
        label("point", lang): forecast["point"].map(lambda v: "—" if pd.isna(v) else f"{_number(v)} {unit_label(unit, lang)}"),
        label("interval", lang): forecast.apply(interval, axis=1),
        label("p_meet", lang): forecast["p_meet"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"),
        label("reason", lang): forecast["reason"].replace("", "—"),
    })


def say(zh: str, en: str, lang: str, **values) -> None:
    """Display one sentence in the page's language; `values` fill {placeholders}."""
    text = zh if check_lang(lang) == "zh" else en
    display(HTML(f"<p>{html.escape(text.format(**values))}</p>"))


def pages_for_indicators(obs: pd.DataFrame, links: pd.DataFrame, report_year: int) -> list[str]:
    """Indicators that get a page: a comparable baseline for a target, or a series of actuals."""
    paired = links[links["comparable"] & (links["target_year"] == report_year)]["target_indicator"]
    actuals = obs[(obs["kind"] == "actual") & (obs["coverage"] == "full_year") & (obs["year"] <= report_year)]
    series = actuals.groupby("indicator_id")["year"].nunique()
    return sorted(set(paired) | set(series[series >= 2].index))
