"""Tables for the briefing pages, labelled in the page's language (zh or en).

Plain functions from DataFrames to DataFrames: they arrange, label and format data for
reading and compute nothing new. Column headings and category words come from
data/labels.csv; names, descriptions and reasons from the FIELD_zh / FIELD_en columns
of the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .forecasting import MIN_POINTS_NOT_SCENARIO
from .formatting import NOTHING, change_text, estimated, format_figure, points, quantity, signed, unit_label
from .labels import covered, label, localized, qualified
from .vocab import AMOUNT_MEASURES, JUDGED, STATUSES, UNFOUND


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or one of missing values when the frame has none (frames built before it existed)."""
    return frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)


def _labels(keys, lang: str) -> list[str]:
    return [label(k, lang) for k in keys]


def _theme_order(frame: pd.DataFrame, themes: pd.DataFrame) -> pd.Series:
    """Position of each row's theme in themes.csv, for sorting in the documented order."""
    return frame["theme"].map({t: i for i, t in enumerate(themes["theme"])})


def _theme_names(themes: pd.DataFrame, lang: str) -> pd.Series:
    return localized(themes, "name", lang).set_axis(themes["theme"])


def _kind(frame: pd.DataFrame, lang: str) -> pd.Series:
    """'actual', 'target', 'actual (2020 to date)', 'actual (2012–2016 average)', 'actual (estimate)' in the page's language."""
    kind = frame["kind"].map(lambda k: label(k, lang))
    period = [covered(c, y, lang, s, e) for c, y, s, e in
              zip(frame["coverage"], frame["year"], _column(frame, "period_start"), _column(frame, "period_end"))]
    kind = pd.Series([qualified(k, p, lang) if p else k for k, p in zip(kind, period)], index=frame.index)
    return kind.where(frame["status"] != "estimated", kind.map(lambda w: qualified(w, label("estimate_mark", lang), lang)))


def sources_table(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The source documents, one column each: title, URL, publication date, checksum."""
    table = pd.DataFrame({
        label("title", lang): localized(sources, "title", lang).to_numpy(),
        "URL": sources["url"].to_numpy(),
        label("published", lang): sources["published"].astype(str).to_numpy(),
        label("file", lang): sources["file"].to_numpy(),
        "SHA-256": sources["sha256"].to_numpy(),
    }, index=sources["source"])
    table.index.name = None
    return table.T


def counts_by_theme(indicators: pd.DataFrame, themes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Number of figures per theme (rows) and year × kind (columns), with totals."""
    names = _theme_names(themes, lang)
    frame = indicators.assign(
        theme_label=indicators["theme"].map(names),
        column=indicators["year"].astype(str) + " " + indicators["kind"].map(lambda k: label(k, lang)),
    )
    total = label("total", lang)
    table = pd.crosstab(frame["theme_label"], frame["column"], margins=True, margins_name=total)
    table = table.reindex([n for n in names if n in table.index] + [total])
    table.index.name = label("theme", lang)
    table.columns.name = None
    return table


def figures_table(indicators: pd.DataFrame, themes: pd.DataFrame, lang: str, theme_column: bool = True) -> pd.DataFrame:
    """Every figure with its value as printed and its quote, ordered by theme (a theme's own page
    leaves out the theme column: `theme_column` False)."""
    rows = indicators.assign(_order=_theme_order(indicators, themes)).sort_values(["_order", "year", "kind", "indicator_id"])
    table = pd.DataFrame({
        label("indicator", lang): localized(rows, "name", lang),
        label("theme", lang): rows["theme"].map(_theme_names(themes, lang)),
        label("year", lang): rows["year"],
        label("kind", lang): _kind(rows, lang),
        label("figure", lang): rows.apply(format_figure, axis=1, lang=lang),
        label("quote", lang): rows["quote"],
    }).set_axis(pd.Index(rows["indicator_id"].to_numpy()))
    return table if theme_column else table.drop(columns=label("theme", lang))


def exclusions_table(exclusions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The numbers that are not figures, with the sentence they stand in and why."""
    return pd.DataFrame({
        label("number", lang): exclusions["text"],
        label("quote", lang): exclusions["quote"],
        label("reason", lang): localized(exclusions, "reason", lang),
    })


def coverage_counts(coverage: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How many numbers of the source text are figures, exclusions, or unclassified."""
    kinds = coverage["covered_by"].replace({"figure": "figure_number", "": "unclassified"})
    counts = kinds.value_counts().reindex(["figure_number", "exclusion", "unclassified"], fill_value=0)
    counts.index = _labels(counts.index, lang)
    return counts.rename(label("count", lang)).to_frame()


def _target_row(row: pd.Series) -> pd.Series:
    """A gap row shaped like a figure row, for format_figure."""
    return pd.Series({"measure": row["measure"], "comparator": row["comparator"], "value": row["target_value"],
                      "value_text": row["target_text"], "value_high_text": row["target_high_text"], "unit": row["unit"],
                      "noun_en": row.get("noun_en")})


def _base_text(row: pd.Series, lang: str) -> str:
    if row["base_text"] is None or pd.isna(row["base_value"]):
        return NOTHING
    base = pd.Series({"measure": row["measure"], "comparator": "=", "value": row["base_value"],
                      "value_text": row["base_text"], "value_high_text": None, "unit": row["base_unit"],
                      "noun_en": row.get("noun_en")})
    return format_figure(base, lang)


def _baseline(row: pd.Series, lang: str) -> str:
    """The baseline of a target's row; a figure of the year before that measures something else is marked so."""
    base = _base_text(row, lang)
    if row["comparable"] or base == NOTHING:
        return base
    return qualified(base, label("other_measure", lang), lang)


GAP_COLUMNS = ("indicator", "theme", "base", "target_column", "change_needed", "comparable", "reason")


def gap_table(gaps: pd.DataFrame, themes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every target beside its baseline, the change it needs, and why it is (not) comparable.

    Like every table of indicators here, indexed by indicator id (display.show links the rows).
    """
    if gaps.empty:
        return pd.DataFrame(columns=_labels(GAP_COLUMNS, lang))
    gaps = gaps.assign(_order=_theme_order(gaps, themes)).sort_values(["_order", "indicator_id"])
    change = [change_text(a, p, lang) if c else NOTHING
              for a, p, c in zip(gaps["change_abs"], gaps["change_pct"], gaps["comparable"])]
    return pd.DataFrame({
        label("indicator", lang): localized(gaps, "name", lang),
        label("theme", lang): gaps["theme"].map(_theme_names(themes, lang)),
        label("base", lang): gaps.apply(_base_text, axis=1, lang=lang),
        label("target_column", lang): gaps.apply(lambda r: format_figure(_target_row(r), lang), axis=1),
        label("change_needed", lang): pd.Series(change, index=gaps.index),
        label("comparable", lang): gaps["comparable"].map(lambda c: label("yes" if c else "no", lang)),
        label("reason", lang): localized(gaps, "reason", lang),
    }).set_axis(pd.Index(gaps["indicator_id"].to_numpy()))


def scorecard_summary(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How many targets were met, missed, within tolerance, ...: one row, a column per verdict that occurs
    (a phone shows it as one card)."""
    counts = gaps["attainment"].value_counts().reindex(list(STATUSES), fill_value=0)
    counts = counts[counts > 0]
    return pd.DataFrame([counts.to_numpy()], columns=_labels(counts.index, lang), index=[label("count", lang)])


def _number_with_unit(value: float, unit: str, lang: str, noun=None) -> str:
    """A computed value (a forecast, a trend) with its unit, to three significant digits; — when missing."""
    return NOTHING if pd.isna(value) else estimated(value, unit, lang, noun=noun)


def scorecard_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each target with its actual: the verdict (vocab.STATUSES), margin and unit, why, both quotes.

    Judged targets come first, in the order of STATUSES; pending ones last.
    """
    gaps = gaps.assign(_order=gaps["attainment"].map({s: i for i, s in enumerate(STATUSES)})).sort_values(
        ["_order", "theme", "indicator_id"], kind="stable")
    nouns = _column(gaps, "noun_en")
    # A figure of another measure is not this target's actual: the reason says what it is.
    actual = [(NOTHING if pd.isna(t) or a == "not comparable" else quantity(t, u, lang, noun=n))
              for t, u, n, a in zip(gaps["actual_text"], gaps["actual_unit"], nouns, gaps["attainment"])]
    margin = [(NOTHING if pd.isna(m) else points(m, lang) if u == "%" else quantity(signed(m), u, lang, noun=n))
              for m, u, n in zip(gaps["margin"], gaps["unit"], nouns)]  # a margin between two rates is in points
    return pd.DataFrame({
        label("indicator", lang): localized(gaps, "name", lang),
        label("target_column", lang): gaps.apply(lambda r: format_figure(_target_row(r), lang), axis=1),
        label("actual_column", lang): pd.Series(actual, index=gaps.index),
        label("attainment", lang): gaps["attainment"].map(lambda a: label(a, lang)),
        label("margin", lang): pd.Series(margin, index=gaps.index),
        label("reason", lang): localized(gaps, "attainment_note", lang).replace("", NOTHING),
        label("target_quote", lang): gaps["target_quote"],
        label("actual_quote", lang): gaps["actual_quote"].fillna(NOTHING),
    }).set_axis(pd.Index(gaps["indicator_id"].to_numpy()))


def history_table(obs: pd.DataFrame, indicator_id: str, lang: str, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every figure of one indicator, by year and kind, with its quote and source.

    With `sources` (load_sources), the source is named by its title and date, not its id.
    """
    rows = obs[obs["indicator_id"] == indicator_id].sort_values(["year", "kind"])
    source = rows["source"]
    if sources is not None:
        titles = dict(zip(sources["source"], [f"{t} ({d})" for t, d in zip(localized(sources, "title", lang),
                                                                             sources["published"])]))
        source = source.map(lambda s: titles.get(s, s))
    return pd.DataFrame({
        label("year", lang): rows["year"],
        label("kind", lang): _kind(rows, lang),
        label("figure", lang): rows.apply(format_figure, axis=1, lang=lang),
        label("quote", lang): rows["quote"],
        label("source", lang): source,
    })


def forecast_method(row, lang: str) -> str:
    """The model of a forecast row in words: 'random walk with drift on log values (compound growth)'."""
    if row["method"] == "none":
        return label("forecast.method.none", lang)
    return label(f"forecast.method.{row['method']}", lang, scale=label(f"forecast.scale.{row['scale']}", lang))


def forecast_sentence(forecast: pd.DataFrame, lang: str) -> str:
    """One sentence for the page: which model, from how many points, what the interval means (or why none)."""
    row = forecast.iloc[0]
    if row["method"] == "none":
        return label("forecast.sentence.none", lang, reason=forecast_reason(row, lang))
    derived = label("forecast.sentence.derived", lang, count=int(row["n_derived"])) if row["n_derived"] else ""
    key = "forecast.sentence" if pd.notna(row["lower"]) else "forecast.sentence.no_interval"
    return label(key, lang, method=forecast_method(row, lang), n=int(row["n_obs"]), derived=derived,
                 level=f"{row['level']:.0%}", reason=forecast_reason(row, lang))


def scenario_note(forecast: pd.DataFrame, lang: str) -> str:
    """'This series has 3 points: … a scenario, not a forecast' for a projection from too few points; '' otherwise."""
    row = forecast.iloc[0]
    if row["method"] == "none" or not row["scenario"]:  # the rule is forecasting's (`scenario`)
        return ""
    return label("indicator.p.forecast", lang, n=int(row["n_obs"]), scenario=MIN_POINTS_NOT_SCENARIO)


def forecast_reason(row, lang: str) -> str:
    """Why a forecast or its interval is missing, in words; '' when nothing is missing."""
    if not row["reason"]:
        return ""
    return label(f"forecast.reason.{row['reason']}", lang, year=int(row["year"]) - int(row["horizon"]))


def forecast_table(forecast: pd.DataFrame, unit: str, lang: str, noun=None) -> pd.DataFrame:
    """A forecast for reading: method, points used, point, interval, chance of meeting the target.

    `unit` and `noun` (catalogue noun_en, for counts) are the indicator's."""
    def interval(r: pd.Series) -> str:
        if pd.isna(r["lower"]):
            return NOTHING
        return qualified(estimated(r["lower"], unit, lang, high=r["upper"], noun=noun), f"{r['level']:.0%}", lang)

    return pd.DataFrame({
        label("year", lang): forecast["year"],
        label("method", lang): forecast.apply(forecast_method, axis=1, lang=lang),
        label("n_obs", lang): forecast["n_obs"],
        label("point", lang): forecast["point"].map(lambda v: _number_with_unit(v, unit, lang, noun)),
        label("interval", lang): forecast.apply(interval, axis=1),
        label("p_meet", lang): forecast["p_meet"].map(lambda v: NOTHING if pd.isna(v) else f"{v:.0%}"),
        label("reason", lang): forecast.apply(forecast_reason, axis=1, lang=lang).replace("", NOTHING),
    })


def target_figure(row: pd.Series, lang: str) -> str:
    """A gap row's target as printed, with its bound: 'at least 6%'."""
    return format_figure(_target_row(row), lang)


def required_text(row: pd.Series, lang: str) -> str:
    """The change a target asks of its comparable baseline (targets_against_trend's `required`): +6.5% or +1 points."""
    value = row["required"]
    if not row["comparable"] or pd.isna(value):
        return NOTHING
    if row["measure"] in AMOUNT_MEASURES:
        return f"{value:+.1f}%"  # as formatting.change_text
    return points(value, lang)


TARGET_COLUMNS = ("indicator", "base", "target_column", "change_needed", "trend", "position", "actual_column", "attainment")
TARGET_ORDER = ("stretch", "within", "modest", "")  # among targets without a comparable baseline


def position_text(where: str, points: float, lang: str) -> str:
    """Where a target falls against the trend (trend.targets_against_trend's `position`), in words;
    marked as a scenario when the trend rests on fewer than MIN_POINTS_NOT_SCENARIO figures."""
    if not where:
        return NOTHING
    words = label(f"trend.position.{where}", lang)
    return label("scenario_mark", lang, what=words) if points < MIN_POINTS_NOT_SCENARIO else words


def informative(against: pd.DataFrame) -> pd.Series:
    """The targets that have more than themselves to show: a comparable baseline, a trend or a later figure."""
    return (against["comparable"] | against["position"].ne("") | ~against["attainment"].isin(UNFOUND))


def target_table(against: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every target of the year, ranked: baseline, required change, trend, where it falls, outcome, verdict.

    `against` is trend.targets_against_trend. Targets with a comparable baseline come first,
    the largest change asked of the baseline (in the indicator's good direction) first; then
    the others, those with a trend first, then those with an outcome. Where a target falls
    against a trend of fewer than forecasting.MIN_POINTS_NOT_SCENARIO points is marked as a
    scenario (position_text). Indexed by indicator id (display.show links each row to its
    indicator page).
    """
    if against.empty:
        return pd.DataFrame(columns=_labels(TARGET_COLUMNS, lang))
    sign = np.where(against["direction"] == "lower", -1.0, 1.0)
    rows = against.assign(
        _required=-(sign * against["required"].where(against["comparable"])).fillna(-np.inf),
        _group=against["position"].map({p: i for i, p in enumerate(TARGET_ORDER)}),
        _unfound=against["attainment"].isin(UNFOUND),
    ).sort_values(["_required", "_group", "_unfound", "indicator_id"], kind="stable")

    def trend(point, low, high, unit, noun) -> str:
        if pd.isna(point):
            return NOTHING
        if pd.isna(low):  # a trend without an interval (too few points to estimate one)
            return _number_with_unit(point, unit, lang, noun)
        return qualified(_number_with_unit(point, unit, lang, noun), estimated(low, unit, lang, high=high, noun=noun), lang)

    judged, nouns = rows["attainment"].isin(JUDGED), _column(rows, "noun_en")
    table = pd.DataFrame({
        label("indicator", lang): localized(rows, "name", lang).to_numpy(),
        label("base", lang): rows.apply(_baseline, axis=1, lang=lang).to_numpy(),
        label("target_column", lang): rows.apply(target_figure, axis=1, lang=lang).to_numpy(),
        label("change_needed", lang): [required_text(r, lang) for _, r in rows.iterrows()],
        label("trend", lang): [trend(p, lo, hi, u, n) for p, lo, hi, u, n in
                               zip(rows["trend_point"], rows["trend_lower"], rows["trend_upper"], rows["unit"], nouns)],
        label("position", lang): [position_text(p, n, lang) for p, n in zip(rows["position"], rows["trend_n"])],
        label("actual_column", lang): [quantity(t, u, lang, noun=n) if j else NOTHING
                                       for t, u, j, n in zip(rows["actual_text"], rows["actual_unit"], judged, nouns)],
        label("attainment", lang): rows["attainment"].map(lambda a: label(a, lang)).to_numpy(),
    }, index=pd.Index(rows["indicator_id"].to_numpy(), name=None))
    return table
