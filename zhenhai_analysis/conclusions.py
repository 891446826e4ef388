"""The sentences a page leads with: its conclusions, generated from the data.

Each sentence counts rows of a table shown further down the page (the scorecard, the
targets against their baselines and against the trend), so every number can be traced
to its row. The words are labels (data/labels.csv); nothing here is a figure of its own.
"""

from __future__ import annotations

import pandas as pd

from .forecasting import MIN_POINTS_NOT_SCENARIO
from .formatting import NOTHING, estimated, number, quantity
from .labels import LIST_SEP, SENTENCE_SEP, counted, label, localized_value, qualified
from .tables import forecast_reason, position_text, required_text, target_figure
from .vocab import JUDGED, PERIOD_COVERAGES, full_year_actuals


def _largest_step(against: pd.DataFrame) -> pd.Series | None:
    """The comparable target asking the largest change over its baseline in its good direction,
    when two or more ask for more than their baseline (a superlative needs two to rank; a step
    back is said by the baselines sentence)."""
    rows = against[against["comparable"] & against["change_pct"].notna()]
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
    missed = gaps[gaps["attainment"] == "missed"]
    if missed.empty:
        return ""
    shortfall = (missed["margin"].abs() / missed["target_value"].abs().where(missed["target_value"] != 0)).fillna(0)
    rows = missed.loc[shortfall.sort_values(ascending=False, kind="stable").index[:MISSED_LISTED]]
    sep = "、" if lang == "zh" else "; "
    return sep.join(label("conclusion.missed_one", lang, name=localized_value(r, "name", lang),
                          actual=quantity(r["actual_text"], r["actual_unit"], lang, noun=r.get("noun_en")),
                          target=target_figure(r, lang)) for _, r in rows.iterrows())


PANDEMIC_THEME = "covid_response"  # themes.csv: the report's own pandemic measures


def report_published(sources: pd.DataFrame, report_year: int) -> str:
    """The publication date of the report of `report_year` (its earliest source), or '—'."""
    dates = sources.loc[sources["report_year"] == report_year, "published"]
    return str(dates.min()) if len(dates) else NOTHING


def briefing_conclusions(gaps: pd.DataFrame, against: pd.DataFrame, obs: pd.DataFrame, sources: pd.DataFrame,
                         report_year: int, lang: str) -> list[str]:
    """Three to five sentences: the outcome, the baselines, the trend, the largest step, the setting.

    `gaps`: gap_analysis for report_year; `against`: trend.targets_against_trend; `obs`
    and `sources`: load_indicators and load_sources. The setting (targets set during the
    pandemic) is stated when the report's own figures include pandemic measures.
    """
    counts = gaps["attainment"].value_counts()
    judged = sum(counts.get(s, 0) for s in JUDGED)
    n, lines = len(gaps), []
    if counts.get("pending", 0) == n:
        lines.append(counted("conclusion.pending", lang, n, n, year=report_year))
    else:
        parts = _parts(counts, {"met": "met", "missed": "missed", "within tolerance": "tolerance"}, lang)
        if n == 1 and judged == 1:  # 'the one target ...: met', not '1 met'
            parts = label(gaps["attainment"].iloc[0], lang)
        outcome = [counted("conclusion.outcome", lang, judged, n, year=report_year, parts=parts)]
        missed = _missed(gaps, lang)
        if missed:
            outcome.append(counted("conclusion.missed", lang, min(counts["missed"], MISSED_LISTED), counts["missed"],
                                   targets=missed))
        other = counts.get("not comparable", 0)
        if other:
            outcome.append(counted("conclusion.not_comparable", lang, other))
        unreported = counts.get("not reported", 0) + counts.get("pending", 0)
        if unreported and judged + other:
            outcome.append(counted("conclusion.not_reported", lang, unreported))
        lines.append(SENTENCE_SEP[lang].join(outcome))
    comparable = gaps[gaps["comparable"]]
    baselines = counted("conclusion.baselines", lang, len(comparable), n, year=report_year - 1)
    if len(comparable):
        baselines += counted("conclusion.below", lang, int(comparable["below_baseline"].sum()), len(comparable),
                             year=report_year - 1)
    lines.append(baselines)
    with_trend = against[against["position"] != ""]
    if len(with_trend):
        trend = counted("conclusion.trend", lang, len(with_trend), parts=_parts(
            with_trend["position"].value_counts(), {"stretch": "stretch", "within": "within", "modest": "modest"}, lang))
        scenarios = int((with_trend["trend_n"] < MIN_POINTS_NOT_SCENARIO).sum())
        if scenarios:
            trend += SENTENCE_SEP[lang] + counted("conclusion.trend_scenario", lang, scenarios, len(with_trend),
                                                  scenario=MIN_POINTS_NOT_SCENARIO)
        lines.append(trend)
    step = _largest_step(against)
    if step is not None:
        lines.append(label("conclusion.largest", lang, name=localized_value(step, "name", lang),
                           change=required_text(step, lang),
                           base=quantity(step["base_text"], step["unit"], lang, noun=step.get("noun_en")),
                           target=quantity(step["target_text"], step["unit"], lang, noun=step.get("noun_en"))))
    reported = obs[(obs["theme"] == PANDEMIC_THEME) & (obs["year"] == report_year)]
    if len(reported):
        lines.append(label("conclusion.setting", lang, published=report_published(sources, report_year)))
    return lines


def theme_conclusions(gaps: pd.DataFrame, against: pd.DataFrame, obs: pd.DataFrame, sources: pd.DataFrame,
                      report_year: int, lang: str, figures: int) -> list[str]:
    """The briefing's sentences for one theme: `gaps` and `against` hold the theme's rows only.

    `obs` is every figure (the setting sentence reads the report's pandemic measures);
    `figures` the theme's own count of figures, said when it has no target this year.
    """
    if gaps.empty:
        return [label("conclusion.no_targets", lang, year=report_year, figures=figures)]
    return briefing_conclusions(gaps, against, obs, sources, report_year, lang)


def _figure_words(row: pd.Series, lang: str) -> str:
    """A figure in words, marked as an estimate (预计) where it is one, as the tables below mark it."""
    words = quantity(row["value_text"], row["unit"], lang, noun=row.get("noun_en"))
    return qualified(words, label("estimate_mark", lang), lang) if row.get("status") == "estimated" else words


def indicator_conclusions(obs: pd.DataFrame, indicator_id: str, against: pd.DataFrame, forecast: pd.DataFrame,
                          report_year: int, lang: str) -> list[str]:
    """Up to five sentences on one indicator: its actuals, its target, the trend, the outcome, the forecast.

    `against`: trend.targets_against_trend for report_year (all indicators);
    `forecast`: forecasting.forecast of this indicator. Every number is a row of the
    tables below them (history, target, forecast).
    """
    lines = []
    mine = obs[obs["indicator_id"] == indicator_id]
    unit, noun = mine["unit"].iloc[0], mine["noun_en"].iloc[0] if "noun_en" in mine else None
    actuals = full_year_actuals(mine).sort_values("year")
    actuals = actuals[actuals["year"] <= report_year]
    if len(actuals):
        first, last = actuals.iloc[0], actuals.iloc[-1]
        key = "conclusion.indicator.latest" if len(actuals) == 1 else "conclusion.indicator.latest_since"
        lines.append(label(key, lang, year=int(last["year"]), value=_figure_words(last, lang),
                           first_year=int(first["year"]), first=_figure_words(first, lang)))
    periods = mine[(mine["kind"] == "actual") & mine["coverage"].isin(PERIOD_COVERAGES) & (mine["year"] <= report_year)]
    if len(periods):  # the latest average or total over several years, said as one
        last = periods.sort_values("year").iloc[-1]
        lines.append(label(f"conclusion.indicator.period.{last['coverage']}", lang, value=_figure_words(last, lang),
                           start=int(last["period_start"]), end=int(last["period_end"])))
    targets = against[against["indicator_id"] == indicator_id]
    if targets.empty:
        lines.append(label("conclusion.indicator.no_target", lang, year=report_year))
    trend_said = False
    for _, row in targets.iterrows():
        change = required_text(row, lang)
        if change != NOTHING:
            key = {"-": ".down", "0": ".same"}.get(change[:1], "")  # '+6.5%', '-1.1 points', '0 points'
            lines.append(label(f"conclusion.indicator.target{key}", lang, year=report_year,
                               target=target_figure(row, lang), base_year=report_year - 1, change=change.lstrip("+-"),
                               base=quantity(row["base_text"], row["base_unit"], lang, noun=noun)))
        else:
            lines.append(label("conclusion.indicator.target_alone", lang, year=report_year,
                               target=target_figure(row, lang), reason=localized_value(row, "reason", lang)))
        if row["position"]:
            trend_said = True
            lines.append(label("conclusion.indicator.trend", lang, year=report_year, before=report_year - 1,
                               point=estimated(row["trend_point"], unit, lang, noun=noun),
                               interval=estimated(row["trend_lower"], unit, lang, high=row["trend_upper"],
                                                 noun=noun),
                               position=position_text(row["position"], row["trend_n"], lang)))
        if row["attainment"] in JUDGED:
            lines.append(label("conclusion.indicator.outcome", lang, year=report_year,
                               actual=quantity(row["actual_text"], row["actual_unit"], lang, noun=noun),
                               verdict=label(row["attainment"], lang)))
        elif row["attainment"] == "not comparable":  # why the outcome cannot be judged
            lines.append(label("conclusion.indicator.unjudged", lang, year=report_year,
                               verdict=label(row["attainment"], lang), reason=localized_value(row, "attainment_note", lang)))
        elif row["attainment"] == "not reported":
            lines.append(label("conclusion.indicator.unfound", lang, year=report_year))
    f = forecast.iloc[0]
    if f["method"] == "none":
        lines.append(label("forecast.sentence.none", lang, reason=forecast_reason(f, lang)))
    elif pd.notna(f["point"]) and not (trend_said and int(f["year"]) == report_year):
        point = estimated(f["point"], unit, lang, noun=noun)
        if pd.isna(f["lower"]):
            lines.append(label("conclusion.indicator.forecast", lang, year=int(f["year"]), point=point))
        else:
            lines.append(label("conclusion.indicator.forecast_interval", lang, year=int(f["year"]), point=point,
                               interval=estimated(f["lower"], unit, lang, high=f["upper"], noun=noun)))
    return lines
