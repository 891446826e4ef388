"""The sentences a page leads with: its conclusions, generated from the data.

Each sentence counts rows of a table shown further down the page (the scorecard, the
targets against their baselines and against the trend), so every number can be traced
to its row. The words are labels (data/labels.csv); nothing here is a figure of its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis.forecasting import MIN_POINTS
from .formatting import NOTHING, estimated, quantity
from ..foundations.labels import LIST_SEP, SENTENCE_SEP, counted, label, localized_value, qualified
from .tables import amount_words, bound_words, derived_text, target_side, forecast_reason, position_words, required_text, target_figure, verdict_sentence
from ..analysis.trend import forecast_to_show
from ..analysis.verdicts import is_point_like
from ..foundations.vocab import BOUNDS, COMPARATOR, JUDGED, LABELLED, PERIOD_COVERAGES, Position, Reason, TargetType, Verdict


def _largest_step(against: pd.DataFrame) -> pd.Series | None:
    """The comparable target asking the largest change over its baseline in its good direction,
    when two or more ask for more than their baseline (a superlative needs two to rank; a step
    back is said by the baselines sentence)."""
    rows = against[against["comparable"] & against["change_pct"].notna() & is_point_like(against["target_type"])]
    good = rows["change_pct"].where(rows["direction"] == "higher", -rows["change_pct"])
    return rows.loc[good.idxmax()] if (good > 0).sum() >= 2 else None


def _parts(counts: pd.Series, kinds: dict[str, str], lang: str) -> str:
    """'2 met, 1 missed': the non-zero counts of `kinds` (value -> label key suffix), in that order."""
    return LIST_SEP[lang].join(
        label(f"conclusion.part.{part}", lang, count=int(counts[kind]))
        for kind, part in kinds.items() if counts.get(kind, 0))


MISSED_LISTED = 5  # the missed targets named in the outcome sentence, largest shortfall first


def _missed(gaps: pd.DataFrame, lang: str) -> str:
    """The missed targets with the largest shortfalls (relative to the target): 'GDP growth (2.9% against 6%)'."""
    missed = gaps[gaps["verdict"] == Verdict.MISSED]
    if missed.empty:
        return ""
    shortfall = (missed["margin"].abs() / missed["target_value"].abs().where(missed["target_value"] != 0)).fillna(0)
    rows = missed.loc[shortfall.sort_values(ascending=False, kind="stable").index[:MISSED_LISTED]]
    sep = "、" if lang == "zh" else "; "
    return sep.join(label("conclusion.missed_one", lang, name=localized_value(r, "name", lang),
                          actual=quantity(r["actual_text"], r["actual_unit"], lang, noun=r["noun_en"]),
                          target=target_figure(r, lang)) for _, r in rows.iterrows())


PANDEMIC_THEME = "covid_response"  # themes.csv: the report's own pandemic measures


def report_published(sources: pd.DataFrame, report_year: int) -> str:
    """The publication date of the report of `report_year` (its earliest source), or '—'."""
    dates = sources.loc[sources["report_year"] == report_year, "published"]
    return str(dates.min()) if len(dates) else NOTHING


def outcome_counts(rows: pd.DataFrame) -> dict[str, int]:
    """The counts the outcome sentence says, each of the model's rows (one per target)."""
    verdicts = rows["verdict"].value_counts()
    return {"total": len(rows), "judged": int(rows["verdict"].isin(JUDGED).sum()),
            **{str(v): int(verdicts.get(v, 0)) for v in Verdict},
            "not_yet": int((rows["reason"] == Reason.NOT_YET).sum())}


def baseline_counts(rows: pd.DataFrame) -> dict[str, int]:
    """The counts the baselines sentence says: comparable baselines, point targets asking less, bounds held."""
    comparable = rows[rows["comparable"]]
    points, bounds = comparable[is_point_like(comparable["target_type"])], comparable[comparable["target_type"].isin(BOUNDS)]
    return {"total": len(rows), "comparable": len(comparable), "points": len(points),
            "below": int(points["below_baseline"].sum()), "bounds": len(bounds), "held": int(bounds["held_at_base"].sum())}


def position_counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many targets carry each trend label (or each reason for none), in vocab.Position's order."""
    counts = rows["position"].value_counts()
    return {str(p): int(counts.get(p, 0)) for p in Position}


def _outcome_sentence(rows: pd.DataFrame, report_year: int, lang: str) -> str:
    counts = outcome_counts(rows)
    n, judged = counts["total"], counts["judged"]
    if counts["not_yet"] == n:
        return counted("conclusion.pending", lang, n, n, year=report_year)
    parts = _parts(pd.Series(counts), {"met": "met", "missed": "missed", "within tolerance": "tolerance"}, lang)
    if n == 1 and judged == 1:  # 'the one target ...: met', not '1 met'
        parts = label(rows["verdict"].iloc[0], lang)
    outcome = [counted("conclusion.outcome", lang, judged, n, year=report_year, parts=parts)]
    missed = _missed(rows, lang)
    if missed:
        outcome.append(counted("conclusion.missed", lang, min(counts["missed"], MISSED_LISTED), counts["missed"],
                               targets=missed))
    for verdict, key in ((Verdict.NOT_COMPARABLE, "conclusion.not_comparable"),
                         (Verdict.CANNOT_ASSESS, "conclusion.cannot_assess")):
        if counts[verdict]:
            outcome.append(counted(key, lang, counts[verdict]))
    if counts[Verdict.NO_FIGURE] and counts[Verdict.NO_FIGURE] < n:
        outcome.append(counted("conclusion.unfound", lang, counts[Verdict.NO_FIGURE], year=report_year))
    return SENTENCE_SEP[lang].join(outcome)


def _baselines_sentence(rows: pd.DataFrame, report_year: int, lang: str) -> str:
    counts, year = baseline_counts(rows), report_year - 1
    sentence = counted("conclusion.baselines", lang, counts["comparable"], counts["total"], year=year)
    if not counts["comparable"]:
        return sentence
    if counts["points"]:
        sentence += counted("conclusion.below_point", lang, counts["below"], counts["points"], year=year)
    if counts["bounds"]:
        sentence += counted("conclusion.held_bound", lang, counts["held"], counts["bounds"], year=year)
    return sentence + label("conclusion.end", lang)


def _trend_sentence(rows: pd.DataFrame, report_year: int, lang: str) -> str:
    counts = pd.Series(position_counts(rows))
    parts = LIST_SEP[lang].join(label(f"conclusion.part.position.{p}", lang, count=int(counts[p]), n=MIN_POINTS)
                                for p in counts.index if counts[p])
    if len(rows) == 1:
        parts = position_words(rows.iloc[0], lang)
    return counted("conclusion.trend_labels", lang, len(rows), len(rows), before=report_year - 1, parts=parts) \
        if len(rows) != 1 else label("conclusion.trend_labels.only", lang, before=report_year - 1, parts=parts)


def briefing_conclusions(rows: pd.DataFrame, obs: pd.DataFrame, sources: pd.DataFrame, report_year: int,
                         lang: str) -> list[str]:
    """Three to five sentences: the outcome, the baselines, the trend, the largest step, the setting.

    `rows`: the briefing model's rows (briefing.BriefingModel.rows, or a theme's part of
    them); `obs` and `sources`: load_indicators and load_sources. Every count is a count of
    those rows (outcome_counts, baseline_counts, position_counts). The setting (targets
    set during the pandemic) is stated when the report's own figures include pandemic measures.
    """
    lines = [_outcome_sentence(rows, report_year, lang), _baselines_sentence(rows, report_year, lang),
             _trend_sentence(rows, report_year, lang)]
    step = _largest_step(rows)
    if step is not None:
        lines.append(label("conclusion.largest", lang, name=localized_value(step, "name", lang),
                           change=required_text(step, lang),
                           base=quantity(step["base_text"], step["unit"], lang, noun=step["noun_en"]),
                           target=quantity(step["target_text"], step["unit"], lang, noun=step["noun_en"])))
    reported = obs[(obs["theme"] == PANDEMIC_THEME) & (obs["year"] == report_year)]
    if len(reported):
        lines.append(label("conclusion.setting", lang, published=report_published(sources, report_year)))
    return lines


def theme_conclusions(rows: pd.DataFrame, obs: pd.DataFrame, sources: pd.DataFrame, report_year: int, lang: str,
                      figures: int) -> list[str]:
    """The briefing's sentences for one theme: `rows` holds the theme's targets only.

    `obs` is every figure (the setting sentence reads the report's pandemic measures);
    `figures` the theme's own count of figures, said when it has no target this year.
    """
    if rows.empty:
        return [label("conclusion.no_targets", lang, year=report_year, figures=figures)]
    return briefing_conclusions(rows, obs, sources, report_year, lang)


def _figure_words(row: pd.Series, lang: str) -> str:
    """A figure in words, marked as an estimate (预计) where it is one, as the tables below mark it."""
    words = quantity(row["value_text"], row["unit"], lang, before=COMPARATOR[row["comparator"]].symbol,
                     noun=row["noun_en"])  # an actual printed as a bound (超1000亿元) is said as one
    return qualified(words, label("estimate_mark", lang), lang) if row["status"] == "estimated" else words


def _target_sentence(row: pd.Series, report_year: int, lang: str, noun) -> str:
    """The target against its baseline: 'more' or 'less' of point targets only; a cap or floor as headroom."""
    values = {"year": report_year, "target": target_figure(row, lang), "base_year": report_year - 1}
    if not row["comparable"] or pd.isna(row["change_abs"]):
        return label("conclusion.indicator.target_alone", lang, **values, reason=localized_value(row, "reason", lang))
    values["base"] = quantity(row["base_text"], row["base_unit"], lang, noun=noun)
    if row["target_type"] in BOUNDS:
        kind = "cap" if row["target_type"] == TargetType.CAP else "floor"
        held = "held" if row["held_at_base"] else "not_held"
        values.update(target=bound_words(row, lang), change=amount_words(row["change_abs"], row["unit"], lang, noun))
        return label(f"conclusion.indicator.{kind}_{held}", lang, **values)
    key = {1.0: "", -1.0: ".down", 0.0: ".same"}[float(np.sign(row["required"]))]  # above or below the baseline
    if key and abs(row["change_abs"]) <= row["base_half"]:  # not beyond the rounding of the printed baseline
        key = ".rounding"
    return label(f"conclusion.indicator.target{key}", lang, **values, change=required_text(row, lang).lstrip("+-"))


def _trend_words(row: pd.Series, report_year: int, unit: str, lang: str, noun) -> str:
    """The trend's projection and the label it gives the target, or why it gives none."""
    position = row["position"]
    values = {"year": report_year, "before": report_year - 1}
    if position in LABELLED:
        return label("conclusion.indicator.position", lang, **values,
                     point=estimated(row["trend_point"], unit, lang, noun=noun),
                     interval=estimated(row["trend_lower"], unit, lang, high=row["trend_upper"], noun=noun),
                     position=position_words(row, lang))
    if position == Position.TOO_UNCERTAIN and pd.notna(row["trend_lower"]):
        return label("conclusion.indicator.uncertain", lang, **values, where=label(f"where.{target_side(row)}", lang),
                     interval=estimated(row["trend_lower"], unit, lang, high=row["trend_upper"], noun=noun))
    return label("conclusion.indicator.unlabelled", lang, position=position_words(row, lang))


def indicator_conclusions(obs: pd.DataFrame, indicator_id: str, rows: pd.DataFrame, forecast: pd.DataFrame,
                          report_year: int, lang: str, derived: pd.DataFrame | None = None) -> list[str]:
    """Up to five sentences on one indicator: its actuals, its target, the trend, the outcome, the forecast.

    `rows`: the briefing model's rows (all indicators, or this one's); `forecast`:
    forecasting.forecast of this indicator; `derived`: the levels its chart draws from growth
    (charts.derived_shown), so that "the earliest" is the earliest point drawn. Every number
    is a row of the tables below them (history, target, forecast).
    """
    lines = []
    mine = obs[obs["indicator_id"] == indicator_id]
    unit, noun = mine["unit"].iloc[0], mine["noun_en"].iloc[0]
    # The full-year actuals the chart draws, those printed as a bound (超1000亿元) included.
    actuals = mine[(mine["kind"] == "actual") & (mine["coverage"] == "full_year") & (mine["year"] <= report_year)]
    actuals = actuals.sort_values("year")
    if len(actuals):
        first, last = actuals.iloc[0], actuals.iloc[-1]
        key = "conclusion.indicator.latest" if len(actuals) == 1 else "conclusion.indicator.latest_since"
        values = {"first_year": int(first["year"]), "first": _figure_words(first, lang)}
        earlier = None if derived is None else derived[derived["year"] < first["year"]].sort_values("year")
        if earlier is not None and len(earlier):  # the chart starts with a level derived from growth
            d = earlier.iloc[0]
            key = "conclusion.indicator.latest_since_derived"
            values = {"first_year": int(d["year"]), "first": quantity(derived_text(d["value"], d["level_text"]), unit, lang,
                                                                      noun=noun),  # as its table row
                      "from_year": int(d["year"]) + 1}
        lines.append(label(key, lang, year=int(last["year"]), value=_figure_words(last, lang), **values))
    periods = mine[(mine["kind"] == "actual") & mine["coverage"].isin(PERIOD_COVERAGES) & (mine["year"] <= report_year)]
    if len(periods):  # the latest average or total over several years, said as one
        last = periods.sort_values("year").iloc[-1]
        lines.append(label(f"conclusion.indicator.period.{last['coverage']}", lang, value=_figure_words(last, lang),
                           start=int(last["period_start"]), end=int(last["period_end"])))
    targets = rows[rows["indicator_id"] == indicator_id]
    if targets.empty:
        lines.append(label("conclusion.indicator.no_target", lang, year=report_year))
    for _, row in targets.iterrows():
        lines.append(_target_sentence(row, report_year, lang, noun))
        lines.append(_trend_words(row, report_year, unit, lang, noun))
        lines.append(label("conclusion.indicator.verdict", lang, year=report_year, verdict=label(row["verdict"], lang),
                           reason=verdict_sentence(row, lang)))
    f = forecast.iloc[0]
    if f["method"] == "none":
        lines.append(label("forecast.sentence.none", lang, reason=forecast_reason(f, lang)))
    elif pd.notna(f["point"]) and forecast_to_show(forecast, targets, report_year) is not None:
        # the page's chart and table show this forecast (not a second interval for the judged year)
        point = estimated(f["point"], unit, lang, noun=noun)
        scenario = ".scenario" if f["scenario"] else ""  # fewer than MIN_POINTS printed figures: said so
        if pd.isna(f["lower"]):
            lines.append(label(f"conclusion.indicator.forecast{scenario}", lang, year=int(f["year"]), point=point,
                               scenario=MIN_POINTS))
        else:
            lines.append(label(f"conclusion.indicator.forecast_interval{scenario}", lang, year=int(f["year"]),
                               point=point, scenario=MIN_POINTS,
                               interval=estimated(f["lower"], unit, lang, high=f["upper"], noun=noun)))
    return lines
