"""Tables for the briefing pages, labelled in the page's language (zh or en).

Plain functions from DataFrames to DataFrames: they arrange, label and format data for
reading and compute nothing new. Column headings and category words come from
data/labels.csv; names, descriptions and reasons from the FIELD_zh / FIELD_en columns
of the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis.forecasting import MIN_POINTS
from .formatting import NOTHING, _grouped, axis_unit, change_text, estimated, format_figure, number, points, quantity, scaled_text
from ..foundations.labels import SENTENCE_SEP, covered, label, localized, localized_value, qualified
from ..analysis.verdicts import decimals, half_step
from ..foundations.vocab import AMOUNT_MEASURES, COMPARATOR, JUDGED, PART_YEAR_COVERAGES, STATUSES, UNFOUND, Position, Reason, TargetType, Verdict


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
              zip(frame["coverage"], frame["year"], frame["period_start"], frame["period_end"])]
    kind = pd.Series([qualified(k, p, lang) if p else k for k, p in zip(kind, period)], index=frame.index)
    estimate = pd.Series([qualified(label("kind.estimate", lang), p, lang) if p else label("kind.estimate", lang)
                          for p in period], index=frame.index)  # 预计: an estimate, not yet an actual
    return kind.where(frame["status"] != "estimated", estimate)


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
                      "noun_en": row["noun_en"]})


def _base_text(row: pd.Series, lang: str) -> str:
    if row["base_text"] is None or pd.isna(row["base_value"]):
        return NOTHING
    base = pd.Series({"measure": row["measure"], "comparator": "=", "value": row["base_value"],
                      "value_text": row["base_text"], "value_high_text": None, "unit": row["base_unit"],
                      "noun_en": row["noun_en"]})
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
    counts = gaps["verdict"].value_counts().reindex(list(STATUSES), fill_value=0)
    counts = counts[counts > 0]
    return pd.DataFrame([counts.to_numpy()], columns=_labels(counts.index, lang), index=[label("count", lang)])


def _number_with_unit(value: float, unit: str, lang: str, noun=None) -> str:
    """A computed value (a forecast, a trend) with its unit, to three significant digits; — when missing."""
    return NOTHING if pd.isna(value) else estimated(value, unit, lang, noun=noun)


def amount_words(x: float, unit: str, lang: str, noun=None) -> str:
    """A size of a difference, unsigned: '0.34 points' for rates in %, '3.58 billion yuan' for amounts."""
    if unit == "%":
        return f"{number(abs(x))}{'' if lang == 'zh' else ' '}{label('points', lang)}"
    return quantity(number(abs(x)), unit, lang, noun=noun)


def band_text(low: float, high: float, half: float, unit: str, lang: str, noun=None) -> str:
    """An outcome's rounding band with its unit, to the digit its half-width needs: '84.44–84.52亿元'."""
    if half == 0:  # an exact count: no band to show
        return quantity(number(low), unit, lang, noun=noun)
    decimals = max(0, int(-np.floor(np.log10(half))))
    return quantity(f"{low:.{decimals}f}", unit, lang, high=f"{high:.{decimals}f}", noun=noun)


def _bound_kind(row) -> str:
    return "cap" if row["target_type"] == TargetType.CAP else "floor"


def margin_words(row, lang: str) -> str:
    """A judged target's margin in words: '35.8 billion yuan beyond', '0.34 points under the ceiling'; — otherwise."""
    if row["verdict"] not in JUDGED:
        return NOTHING
    size = amount_words(row["margin"], row["unit"], lang, row["noun_en"])
    if row["reason"] in (Reason.HELD, Reason.BREACHED):
        return label(f"margin.{row['reason']}.{_bound_kind(row)}", lang, margin=size)
    if row["verdict"] == Verdict.WITHIN:  # the point figure's gap says less than its band: the band decides
        return label("margin.within", lang)
    if row["margin"] == 0:
        return label("margin.exact", lang)
    return label("margin.beyond" if row["margin"] > 0 else "margin.short", lang, margin=size)


def actual_words(row, lang: str) -> str:
    """The outcome of a target's row as printed (or as carried from its printed growth)."""
    if pd.isna(row["actual_value"]) or row["actual_text"] is None or pd.isna(row["actual_text"]):
        return NOTHING
    other = row["verdict"] in (Verdict.NOT_COMPARABLE, Verdict.CANNOT_ASSESS)
    words = quantity(row["actual_text"], row["actual_unit"], lang, noun=None if other else row["noun_en"])
    if other:  # not this target's measure (nor its noun): said so
        part = row["actual_coverage"] in PART_YEAR_COVERAGES
        period = covered(row["actual_coverage"], int(row["report_year"]), lang) if part else ""
        return qualified(words, period or label("other_measure", lang), lang)
    return qualified(words, label("derived_mark", lang), lang) if row["actual_derived"] else words


def bound_words(row, lang: str) -> str:
    """The value of a cap or floor without its sign ('the ceiling of 3%'); other targets as target_figure."""
    if row["target_type"] in (TargetType.CAP, TargetType.FLOOR):
        return quantity(row["target_text"], row["unit"], lang, noun=row["noun_en"])
    return target_figure(row, lang)


def _band(row, lang: str) -> str:
    """The band a verdict used (in the target's unit), widened for a 左右 target."""
    low, high = row["band_low"], row["band_high"]
    return band_text(low, high, (high - low) / 2, row["unit"], lang, row["noun_en"])


def verdict_words(row, lang: str) -> str:
    """The verdict as a table shows it; within tolerance with the band it used: 'within tolerance (84.44–84.52 against 84.5)'."""
    words = label(row["verdict"], lang)
    if row["verdict"] == Verdict.WITHIN:
        return label("verdict.with_band", lang, verdict=words, band=_band(row, lang), target=target_figure(row, lang))
    return words


def verdict_sentence(row, lang: str) -> str:
    """Why the verdict is what it is, in one or two sentences: the gap and what it means."""
    reason, year = row["reason"], int(row["report_year"])
    values = {"actual": actual_words(row, lang), "target": bound_words(row, lang), "year": year}
    if reason in (Reason.HELD, Reason.BREACHED):
        key = f"verdict.reason.{reason}.{_bound_kind(row)}"
    elif reason == Reason.REACHED and row["margin"] == 0:
        key = "verdict.reason.reached.exact"
    else:
        key = f"verdict.reason.{reason}"
    if row["verdict"] in JUDGED:
        values["margin"] = amount_words(row["margin"], row["unit"], lang, row["noun_en"])
        if row["target_type"] not in (TargetType.CAP, TargetType.FLOOR):
            values["band"] = _band(row, lang)
    if reason == Reason.OTHER_DEFINITION:
        values["note"] = localized_value(row, "note", lang)
    sentences = [label(key, lang, **values)]
    if row["verdict"] in JUDGED and row["target_type"] == TargetType.ABOUT:
        sentences.append(label("verdict.reason.about", lang, half=number(half_step(row["target_text"]))))
    if row["verdict"] in JUDGED and row["actual_derived"]:
        noun = row["noun_en"]
        sentences.append(label("verdict.reason.derived", lang, year=year, quote=row["actual_quote"],
                               base=quantity(row["base_text"], row["base_unit"], lang, noun=noun),
                               growth=row["derived_growth"], level=quantity(row["actual_text"], row["unit"], lang, noun=noun)))
    return SENTENCE_SEP[lang].join(sentences)


def target_side(row) -> str:
    """Where a target lies against its trend's interval: below, inside or above (said even where no
    label is given)."""
    if row["target_value"] < row["trend_lower"]:
        return "below"
    return "above" if row["target_value"] > row["trend_upper"] else "inside"


def position_words(row, lang: str, short: bool = False) -> str:
    """A target's trend label in words, with the probability of a cap or floor held, or why there is none;
    `short` for a table cell (the methods page and the sentences say the rest)."""
    p = row["p_hold"]
    words = label(f"trend.{'label' if short else 'position'}.{row['position']}", lang, n=MIN_POINTS,
                  points=int(row["points"]), year=int(row["report_year"]), p=NOTHING if pd.isna(p) else f"{p:.0%}")
    if short and row["position"] == Position.TOO_UNCERTAIN and pd.notna(row["trend_lower"]):
        side = target_side(row)  # no label, but where the target lies is a fact the page shows
        if side != "inside":
            words += label(f"trend.label.target_{side}", lang)
    return words


def scorecard_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each target with its outcome: the verdict (vocab.Verdict), margin, why, both quotes.

    Judged targets come first, in the order of the verdicts; those with no figure last.
    """
    gaps = gaps.assign(_order=gaps["verdict"].map({s: i for i, s in enumerate(STATUSES)})).sort_values(
        ["_order", "theme", "indicator_id"], kind="stable")
    rows = list(gaps.iterrows())
    return pd.DataFrame({
        label("indicator", lang): localized(gaps, "name", lang),
        label("target_column", lang): gaps.apply(lambda r: format_figure(_target_row(r), lang), axis=1),
        label("actual_column", lang): [actual_words(r, lang) for _, r in rows],
        label("attainment", lang): [verdict_words(r, lang) for _, r in rows],
        label("margin", lang): [margin_words(r, lang) for _, r in rows],
        label("reason", lang): [verdict_sentence(r, lang) for _, r in rows],
        label("target_quote", lang): gaps["target_quote"],
        label("actual_quote", lang): gaps["actual_quote"].fillna(NOTHING),
    }, index=gaps.index).set_axis(pd.Index(gaps["indicator_id"].to_numpy()))


def derived_text(value: float, level_text) -> str:
    """A derived level's digits: as many decimals as the printed level it comes from, at least one
    (231 -> 221.1; 84.23 -> 84.48), as its formula shows it."""
    return f"{value:.{max(1, decimals(level_text))}f}"


def history_table(obs: pd.DataFrame, indicator_id: str, lang: str, sources: pd.DataFrame | None = None,
                  derived: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every figure of one indicator, by year and kind, with its quote and source; with `derived`
    (charts.derived_shown: the levels its chart draws from growth), those too, each with how it was derived.

    With `sources` (load_sources), the source is named by its title and date, not its id.
    """
    rows = obs[obs["indicator_id"] == indicator_id].sort_values(["year", "kind"])
    source = rows["source"]
    titles = {}
    if sources is not None:
        titles = dict(zip(sources["source"], [f"{t} ({d})" for t, d in zip(localized(sources, "title", lang),
                                                                             sources["published"])]))
        source = source.map(lambda s: titles.get(s, s))
    table = pd.DataFrame({
        label("year", lang): rows["year"],
        label("kind", lang): _kind(rows, lang),
        label("figure", lang): rows.apply(format_figure, axis=1, lang=lang),
        label("quote", lang): rows["quote"],
        label("source", lang): source,
    })
    if derived is None or derived.empty:
        return table
    unit, noun = rows["unit"].iloc[0], rows["noun_en"].iloc[0]
    extra = pd.DataFrame({
        label("year", lang): derived["year"].to_numpy(),
        label("kind", lang): label("derived", lang),
        label("figure", lang): [quantity(derived_text(v, t), unit, lang, noun=noun)  # as its formula
                                for v, t in zip(derived["value"], derived["level_text"])],
        label("quote", lang): [label("derived.carried" if carried else "derived.how", lang, year=int(y) + 1,
                                     base_year=int(y) - 1, growth=g, quote=q,
                                     level=quantity(str(t), unit, lang, noun=noun),
                                     value=quantity(derived_text(v, t), unit, lang, noun=noun))
                               for y, v, carried, q, t, g in zip(derived["year"], derived["value"], derived["carried"],
                                                                 derived["quote"], derived["level_text"],
                                                                 derived["growth_text"])],
        label("source", lang): derived["source"].map(lambda s: titles.get(s, s) if isinstance(s, str) and s else NOTHING)
        if sources is not None else derived["source"].fillna(NOTHING).replace("", NOTHING),
    })
    return pd.concat([table, extra], ignore_index=True).sort_values(label("year", lang), kind="stable")


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
    return label("indicator.p.forecast", lang, n=int(row["n_obs"] - row["n_derived"]), scenario=MIN_POINTS)


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
TARGET_ORDER = tuple(Position)  # among targets without a comparable baseline: labelled ones first


def informative(against: pd.DataFrame) -> pd.Series:
    """The targets that have more than themselves to show: a comparable baseline, a trend or a later figure."""
    return (against["comparable"] | against["trend_point"].notna() | ~against["verdict"].isin(UNFOUND))


def target_table(against: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every target of the year, ranked: baseline, required change, trend, where it falls, outcome, verdict.

    `against` is the briefing model's rows. Targets with a comparable baseline come first,
    the largest change asked of the baseline (in the indicator's good direction) first; then
    the others, those with a trend label first, then those with an outcome. The position
    column says the label or why there is none (position_words). Indexed by indicator id
    (display.show links each row to its indicator page).
    """
    if against.empty:
        return pd.DataFrame(columns=_labels(TARGET_COLUMNS, lang))
    sign = np.where(against["direction"] == "lower", -1.0, 1.0)
    rows = against.assign(
        _required=-(sign * against["required"].where(against["comparable"])).fillna(-np.inf),
        _group=against["position"].map({p: i for i, p in enumerate(TARGET_ORDER)}),
        _unfound=against["verdict"].isin(UNFOUND),
    ).sort_values(["_required", "_group", "_unfound", "indicator_id"], kind="stable")

    def trend(point, low, high, unit, noun) -> str:
        if pd.isna(point):
            return NOTHING
        if pd.isna(low):  # a trend without an interval (too few points to estimate one)
            return _number_with_unit(point, unit, lang, noun)
        return qualified(_number_with_unit(point, unit, lang, noun), estimated(low, unit, lang, high=high, noun=noun), lang)

    nouns = rows["noun_en"]
    listed = list(rows.iterrows())
    table = pd.DataFrame({
        label("indicator", lang): localized(rows, "name", lang).to_numpy(),
        label("base", lang): rows.apply(_baseline, axis=1, lang=lang).to_numpy(),
        label("target_column", lang): rows.apply(target_figure, axis=1, lang=lang).to_numpy(),
        label("change_needed", lang): [required_text(r, lang) for _, r in rows.iterrows()],
        label("trend", lang): [trend(p, lo, hi, u, n) if pos != Position.TOO_FEW_POINTS else NOTHING
                               for p, lo, hi, u, n, pos in zip(rows["trend_point"], rows["trend_lower"],
                                                               rows["trend_upper"], rows["unit"], nouns, rows["position"])],
        label("position", lang): [position_words(r, lang, short=True) for _, r in listed],
        label("actual_column", lang): [actual_words(r, lang) if r["verdict"] in JUDGED else NOTHING for _, r in listed],
        label("attainment", lang): [verdict_words(r, lang) for _, r in listed],
    }, index=pd.Index(rows["indicator_id"].to_numpy(), name=None))
    natures = rows["nature"]
    if natures.notna().any():  # 预期性/约束性 only where a document says which, and the column only then
        table.insert(3, label("nature", lang), [label(f"nature.{n}", lang) if isinstance(n, str) else NOTHING
                                                for n in natures])
    return table


EXAMPLE_COLUMNS = ("attainment", "indicator", "target_column", "actual_column", "reason")


def worked_examples(rows: pd.DataFrame, lang: str, illustrations: pd.DataFrame | None = None) -> pd.DataFrame:
    """One real target of each verdict (of each reason among met and missed), with the sentence the rules give it.

    `rows`: the briefing model's rows; `illustrations` (briefing.illustrations): made-up
    targets, named as such, that stand in for a verdict no real target has.
    """
    listed = []
    for verdict in Verdict:
        mine = rows[rows["verdict"] == verdict].sort_values("indicator_id")
        picks = mine.drop_duplicates("reason") if verdict in (Verdict.MET, Verdict.MISSED) else mine.head(1)
        if picks.empty and illustrations is not None:
            picks = illustrations[illustrations["verdict"] == verdict].head(1)
        for _, r in picks.iterrows():
            listed.append([verdict_words(r, lang), localized_value(r, "name", lang), target_figure(r, lang),
                           actual_words(r, lang), verdict_sentence(r, lang)])
    return pd.DataFrame(listed, columns=_labels(EXAMPLE_COLUMNS, lang))


STATUS_COLUMNS = ("indicator", "unit", "status.base", "status.target", "status.actual", "attainment", "margin")
NUMERIC_STATUS_COLUMNS = ("status.base", "status.target", "status.actual")


def _digits_in(text, factor: float, lang: str) -> str:
    """A printed value's digits in the row's unit (scaled exactly for English natural units), grouped."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return NOTHING
    return _grouped(scaled_text(str(text), factor), lang)


def status_table(rows: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The 完成情况 table officials use: 指标 | 单位 | 上年实际 | 本年目标 | 本年实际 | 完成情况 | 差距.

    One row per target of the briefing model's `rows`, judged ones first (in verdict
    order). Numbers stand alone in the row's unit (English in natural units: billion
    yuan); the baseline is the comparable one, or a word saying why there is none, with
    the reason as a numbered note. 预期性/约束性 is a column only where a document says
    which. Returns (table indexed by indicator id, each row's status code for its
    colour, the notes).
    """
    year, base_year = int(rows["report_year"].iloc[0]), int(rows["report_year"].iloc[0]) - 1
    rows = rows.assign(_order=rows["verdict"].map({v: i for i, v in enumerate(STATUSES)})).sort_values(
        ["_order", "theme", "indicator_id"], kind="stable")
    notes, cells = [], {key: [] for key in STATUS_COLUMNS}
    for _, r in rows.iterrows():
        values = [r["base_value"], r["target_value"], r["target_high"], r["actual_value"]]
        factor, unit_words = axis_unit(r["unit"], values, lang, r["noun_en"])
        if r["comparable"] and pd.notna(r["base_value"]):
            base = _digits_in(r["base_text"], factor, lang)
        elif pd.notna(r["base_value"]):  # a figure of the year before that counts something else
            notes.append(label("status.note", lang, name=localized_value(r, "name", lang),
                               reason=localized_value(r, "reason", lang)))
            base = f"{label('status.other_measure', lang)} [{len(notes)}]"
        else:
            base = NOTHING
        target = _digits_in(r["target_text"], factor, lang)
        if r["comparator"] == "range":
            target = f"{target}–{_digits_in(r['target_high_text'], factor, lang)}"
        else:
            target = COMPARATOR[r["comparator"]].symbol + target
        actual = _digits_in(r["actual_text"], factor, lang) if r["verdict"] in JUDGED else NOTHING
        if r["actual_derived"] and actual != NOTHING:
            actual = qualified(actual, label("derived_mark", lang), lang)
        cells["indicator"].append(localized_value(r, "name", lang))
        cells["unit"].append(unit_words)
        cells["status.base"].append(base)
        cells["status.target"].append(target)
        cells["status.actual"].append(actual)
        cells["attainment"].append(label(f"status.{r['verdict']}", lang))
        cells["margin"].append(margin_words(r, lang))
    headings = {key: label(key, lang, year=year, base_year=base_year) for key in STATUS_COLUMNS}
    table = pd.DataFrame({headings[k]: v for k, v in cells.items()}, index=pd.Index(rows["indicator_id"].to_numpy()))
    if rows["nature"].notna().any():
        table.insert(5, label("nature", lang), [label(f"nature.{n}", lang) if isinstance(n, str) else NOTHING
                                                for n in rows["nature"]])
    if (rows["base_value"].isna()).any():
        notes.append(label("status.note.no_base", lang, base_year=base_year))
    return table, [str(v) for v in rows["verdict"]], notes


def status_column_classes(lang: str, year: int) -> dict[str, str]:
    """status_table's columns that the page styles: numbers right-aligned (num), the verdict coloured (verdict)."""
    classes = {label(key, lang, year=year, base_year=year - 1): "num" for key in NUMERIC_STATUS_COLUMNS}
    return {**classes, label("attainment", lang): "verdict"}
