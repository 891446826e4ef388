"""The briefing model: every judgement of a report year's targets, built once, in typed tables.

    model = briefing_model(data_dir, report_year=2020, base_year=2019)
    model.rows          one row per target: the four tables side by side (pages read this)
    model.targets       what each target asks (type, nature, value as printed)
    model.baselines     the base-year figure, the change asked, less/more than it
    model.outcomes      the outcome, its band and the verdict with its reason
    model.positions     the trend known when the target was set, and its label

Each table is a pandera DataFrameModel whose closed lists are vocab's enums; the rules
behind the values are verdicts.py's. Notebooks, conclusions, tables and tests read these
fields, never formatted text. `briefing_model` caches one model per (data, report year,
base year) in the process: a worker that runs many pages builds it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

Text = Any  # text columns: object or str dtype alike (pandas 3 infers str; np.select and enums give object)

from ..foundations.vocab import DIRECTIONS, MEASURES, Position, Reason, TargetNature, TargetType, Verdict


class Targets(pa.DataFrameModel):
    """What each target asks: one row per target of the report year."""

    indicator_id: Series[Text] = pa.Field(unique=True)
    measure: Series[Text] = pa.Field(isin=MEASURES)
    unit: Series[Text]
    direction: Series[Text] = pa.Field(isin=DIRECTIONS)
    target_type: Series[Text] = pa.Field(isin=[t.value for t in TargetType])
    nature: Series[Text] = pa.Field(isin=[n.value for n in TargetNature], nullable=True)
    comparator: Series[Text]
    target_value: Series[float] = pa.Field(nullable=True)
    target_high: Series[float] = pa.Field(nullable=True)
    target_text: Series[Text] = pa.Field(nullable=True)
    target_quote: Series[Text]

    class Config:
        strict = False
        coerce = False


class Baselines(pa.DataFrameModel):
    """The base-year figure a curated link names, and what the target asks of it."""

    indicator_id: Series[Text] = pa.Field(unique=True)
    comparable: Series[bool]
    base_value: Series[float] = pa.Field(nullable=True)
    change_abs: Series[float] = pa.Field(nullable=True)
    change_pct: Series[float] = pa.Field(nullable=True)
    below_baseline: Series[bool]
    held_at_base: Series[bool]

    @pa.dataframe_check(error="less than the baseline is said of point targets only, and of comparable ones")
    def below_only_of_point_targets(cls, frame: pd.DataFrame) -> pd.Series:
        point_like = frame["target_type"].isin([TargetType.POINT, TargetType.ABOUT, TargetType.RANGE])
        return ~frame["below_baseline"] | (point_like & frame["comparable"])

    class Config:
        strict = False


class Outcomes(pa.DataFrameModel):
    """The outcome of each target, and its verdict with the reason code of its sentence."""

    indicator_id: Series[Text] = pa.Field(unique=True)
    actual_value: Series[float] = pa.Field(nullable=True)
    half_width: Series[float] = pa.Field(nullable=True, ge=0)
    verdict: Series[Text] = pa.Field(isin=[v.value for v in Verdict])
    reason: Series[Text] = pa.Field(isin=[r.value for r in Reason])
    margin: Series[float] = pa.Field(nullable=True)
    band_low: Series[float] = pa.Field(nullable=True)
    band_high: Series[float] = pa.Field(nullable=True)

    @pa.dataframe_check(error="a judged verdict has a margin; any other has none")
    def margin_only_when_judged(cls, frame: pd.DataFrame) -> pd.Series:
        judged = frame["verdict"].isin([Verdict.MET, Verdict.MISSED, Verdict.WITHIN])
        return judged == frame["margin"].notna()

    class Config:
        strict = False


class Positions(pa.DataFrameModel):
    """The trend of the data known when each target was set, and the label it carries."""

    indicator_id: Series[Text] = pa.Field(unique=True)
    trend_point: Series[float] = pa.Field(nullable=True)
    trend_lower: Series[float] = pa.Field(nullable=True)
    trend_upper: Series[float] = pa.Field(nullable=True)
    points: Series[int] = pa.Field(ge=0)
    p_hold: Series[float] = pa.Field(nullable=True, ge=0, le=1)
    position: Series[Text] = pa.Field(isin=[p.value for p in Position])

    @pa.dataframe_check(error="a trend word (stretch, within, modest) is given to point targets only")
    def trend_words_on_point_targets(cls, frame: pd.DataFrame) -> pd.Series:
        words = frame["position"].isin([Position.STRETCH, Position.WITHIN, Position.MODEST])
        return ~words | frame["target_type"].isin([TargetType.POINT, TargetType.ABOUT, TargetType.RANGE])

    class Config:
        strict = False


TABLES = {"targets": Targets, "baselines": Baselines, "outcomes": Outcomes, "positions": Positions}
KEY = "indicator_id"


@dataclass(frozen=True)
class BriefingModel:
    """The judgements of one report year's targets (see the module docstring)."""

    report_year: int
    base_year: int
    rows: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        """One of the typed tables: its model's columns, keyed by indicator_id."""
        columns = [KEY, *(c for c in TABLES[name].to_schema().columns if c != KEY)]
        return self.rows[columns]

    @property
    def targets(self) -> pd.DataFrame:
        return self.table("targets")

    @property
    def baselines(self) -> pd.DataFrame:
        return self.table("baselines")

    @property
    def outcomes(self) -> pd.DataFrame:
        return self.table("outcomes")

    @property
    def positions(self) -> pd.DataFrame:
        return self.table("positions")

    def of(self, column: str, value) -> pd.DataFrame:
        """The rows whose `column` equals `value` (a theme, an indicator)."""
        return self.rows[self.rows[column] == value]


def build_briefing(obs: pd.DataFrame, links: pd.DataFrame, catalogue: pd.DataFrame, report_year: int,
                   base_year: int) -> BriefingModel:
    """The model of `report_year`'s targets against `base_year`'s figures, validated table by table.

    `obs`, `links` and `catalogue` are load_indicators, load_links and load_catalogue output.
    """
    from .compare import implied_previous_levels
    from .gaps import gap_analysis
    from .trend import targets_against_trend

    gaps = gap_analysis(obs, base_year, report_year, links=links, catalogue=catalogue)
    rows = targets_against_trend(obs, gaps, implied_previous_levels(obs, catalogue), report_year)
    for model in TABLES.values():
        model.validate(rows, lazy=True)
    return BriefingModel(report_year, base_year, rows)


def _fingerprint(data_dir: Path) -> tuple:
    """What the cache keys on: every data file's path, size and modification time."""
    return tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in data_dir.rglob("*") if p.is_file()))


@lru_cache(maxsize=8)
def _cached(data_dir: str, report_year: int, base_year: int, fingerprint: tuple) -> BriefingModel:
    from ..validation import load

    obs = load.load_indicators(data_dir)
    return build_briefing(obs, load.load_links(data_dir), load.load_catalogue(data_dir), report_year, base_year)


def briefing_model(data_dir: str | Path | None, report_year: int, base_year: int) -> BriefingModel:
    """The briefing model of the data in `data_dir` (None: the project's data/), built once per process
    for each (data as it is now, report year, base year)."""
    from ..foundations.paths import data_dir as resolve

    root = resolve(data_dir)
    return _cached(str(root.resolve()), int(report_year), int(base_year), _fingerprint(root))


def illustrations(report_year: int) -> pd.DataFrame:
    """Model rows of made-up targets of `report_year`, one per verdict, for the methods page where the data
    hold no real example of a verdict. Names say they are illustrations; the verdicts are the rules' own."""
    from .gaps import gap_analysis
    from ..foundations.labels import label

    def figure(indicator: str, kind: str, value: float, text: str, comparator: str = "=", coverage: str = "full_year",
               measure: str = "growth", unit: str = "%") -> dict:
        return {"indicator_id": indicator, "year": report_year, "kind": kind, "value": value, "value_text": text,
                "comparator": comparator, "coverage": coverage, "measure": measure, "unit": unit, "direction": "higher",
                "value_high": float("nan"), "value_high_text": None, "quote": "", "theme": "illustration",
                **{f"name_{lang}": label(f"methods.illustration.{indicator}", lang) for lang in ("zh", "en")}}

    obs = pd.DataFrame([
        figure("met", "target", 6, "6"), figure("met", "actual", 6.2, "6.2"),
        figure("missed", "target", 6, "6"), figure("missed", "actual", 5.2, "5.2"),
        figure("within", "target", 6, "6", "~"), figure("within", "actual", 5.7, "5.7"),
        figure("part_year", "target", 6, "6"), figure("part_year", "actual", 3.2, "3.2", coverage="year_to_date"),
        figure("no_figure", "target", 6, "6"),
    ])
    links = pd.DataFrame(columns=["target_indicator", "target_year", "base_indicator", "base_year", "comparable",
                                  "reason_zh", "reason_en"])
    return gap_analysis(obs, report_year - 1, report_year, links=links)
