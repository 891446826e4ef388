"""The sentences a page leads with: its conclusions, generated from the data.

Each sentence counts rows of a table shown further down the page (the scorecard, the
targets against their baselines and against the trend), so every number can be traced
to its row. The words are labels (data/labels.csv); nothing here is a figure of its own.
"""

from __future__ import annotations

import pandas as pd

from .formatting import quantity
from .labels import label, localized_value


def _largest_step(gaps: pd.DataFrame) -> pd.Series | None:
    """The comparable target asking the largest change over its baseline, in its good direction."""
    rows = gaps[gaps["comparable"] & gaps["change_pct"].notna()]
    if rows.empty:
        return None
    good = rows["change_pct"].where(rows["direction"] == "higher", -rows["change_pct"])
    return rows.loc[good.idxmax()]


PANDEMIC_THEME = "covid_response"  # themes.csv: the report's own pandemic measures


def report_published(sources: pd.DataFrame, report_year: int) -> str:
    """The publication date of the report of `report_year` (its earliest source), or '—'."""
    dates = sources.loc[sources["report_year"] == report_year, "published"]
    return str(dates.min()) if len(dates) else "—"


def briefing_conclusions(gaps: pd.DataFrame, against: pd.DataFrame, obs: pd.DataFrame, sources: pd.DataFrame,
                         report_year: int, lang: str) -> list[str]:
    """Three to five sentences: the outcome, the baselines, the trend, the largest step, the setting.

    `gaps`: gap_analysis for report_year; `against`: trend.targets_against_trend; `obs`
    and `sources`: load_indicators and load_sources. The setting (targets set during the
    pandemic) is stated when the report's own figures include pandemic measures.
    """
    counts = gaps["attainment"].value_counts()
    judged = sum(counts.get(s, 0) for s in ("met", "missed", "within tolerance"))
    lines = []
    if counts.get("pending", 0) == len(gaps):
        lines.append(label("conclusion.pending", lang, year=report_year, n=len(gaps)))
    else:
        lines.append(label("conclusion.outcome", lang, year=report_year, n=len(gaps), judged=judged,
                           met=counts.get("met", 0), missed=counts.get("missed", 0),
                           tolerance=counts.get("within tolerance", 0),
                           not_comparable=counts.get("not comparable", 0),
                           not_reported=counts.get("not reported", 0) + counts.get("pending", 0)))
    comparable = gaps[gaps["comparable"]]
    lines.append(label("conclusion.baselines", lang, year=report_year - 1, comparable=len(comparable),
                       below=int(comparable["below_baseline"].sum()), n=len(gaps)))
    with_trend = against[against["position"] != ""]
    if len(with_trend):
        positions = with_trend["position"].value_counts()
        lines.append(label("conclusion.trend", lang, trend=len(with_trend), stretch=positions.get("stretch", 0),
                           within=positions.get("within", 0), modest=positions.get("modest", 0)))
    step = _largest_step(gaps)
    if step is not None:
        lines.append(label("conclusion.largest", lang, name=localized_value(step, "name", lang),
                           change=f"{step['change_pct']:+.1f}%",
                           base=quantity(step["base_text"], step["unit"], lang),
                           target=quantity(step["target_text"], step["unit"], lang)))
    reported = obs[(obs["theme"] == PANDEMIC_THEME) & (obs["year"] == report_year)]
    if len(reported):
        lines.append(label("conclusion.setting", lang, published=report_published(sources, report_year)))
    return lines
